use tamga_core::draft::DeclarationDraft;
use tamga_core::refdata::ReferenceData;
use tamga_core::role::Role;
use tamga_core::Declaration;
use tamga_store::{token, Lodgement, NewUser, Store, User};
use time::macros::datetime;

const SAMPLE: &str = include_str!("../../../../examples/declaration.json");

pub fn draft() -> DeclarationDraft {
    serde_json::from_str(SAMPLE).unwrap()
}

pub fn declaration(lrn: &str) -> Declaration {
    let mut d = draft();
    d.lrn = Some(lrn.to_owned());
    validate(&d)
}

pub fn validate(d: &DeclarationDraft) -> Declaration {
    tamga_core::validate::validate(
        d,
        ReferenceData::embedded(),
        datetime!(2026-11-22 12:00 UTC),
    )
    .unwrap()
}

pub fn lodgement(declaration: Declaration, by: &User) -> Lodgement {
    let fingerprint = declaration.fingerprint(true);
    Lodgement::new(
        declaration,
        fingerprint,
        by.clone(),
        tamga_store::sql::now(),
        None,
    )
}

const STARTER: &str = include_str!("../../../../data/tariff/uz-starter-tariff.csv");
const RATES: &str = include_str!("../../../../data/tariff/uz-rates.csv");

/// A lodgement with its assessment under the starter tariff.
pub fn assessed_lodgement(declaration: Declaration, by: &User) -> Lodgement {
    use tamga_core::tariff::{assess, load, Context};
    let tariff = load::parse_tariff(STARTER).unwrap();
    let rates = load::parse_rates(RATES, "UZS").unwrap();
    let context = Context {
        tariff: &tariff,
        rates: &rates,
        date: declaration.lodgement_date,
    };
    let assessment = assess(&declaration, &context).unwrap();
    let fingerprint = declaration.fingerprint(true);
    Lodgement::new(
        declaration,
        fingerprint,
        by.clone(),
        tamga_store::sql::now(),
        Some(assessment),
    )
}

pub async fn user(store: &dyn Store, name: &str, role: Role, party: Option<&str>) -> User {
    store
        .create_user(NewUser {
            name: name.to_owned(),
            role,
            party_id: party.map(str::to_owned),
            token_hash: token::hash(&token::generate()),
        })
        .await
        .unwrap()
}

/// Creates an officer named `name`, or fails when the name is taken.
pub async fn try_user(store: &dyn Store, name: &str) -> tamga_store::Result<User> {
    store
        .create_user(NewUser {
            name: name.to_owned(),
            role: Role::Officer,
            party_id: None,
            token_hash: token::hash(&token::generate()),
        })
        .await
}
