//! The officer's transit screens: the movements of their office, one movement with its
//! history and the buttons of the steps its state allows; a step taken from the page, and a
//! refused one shown on it.

use std::str::FromStr;

use axum::http::StatusCode;
use tamga_control::allocation::{Group, Officer};
use tamga_control::UserId;
use tamga_core::codes::{CurrencyCode, Locode};
use tamga_core::draft::DeclarationDraft;
use tamga_core::refdata::ReferenceData;
use tamga_core::role::Role;
use tamga_core::transit::GuaranteeType;
use tamga_store::transit::NewGuaranteeAccount;
use tamga_store::{LodgeOutcome, Lodgement};

use crate::app::{Web, PASSWORD};

const TRANSIT: &str = include_str!("../../../../examples/transit.json");

async fn movement(web: &Web) -> String {
    let account = NewGuaranteeAccount {
        grn: "26UZ0000010000001".into(),
        guarantee_type: GuaranteeType::IndividualGuarantor,
        holder: "UZ305123456".into(),
        currency: CurrencyCode::parse("USD").unwrap(),
        reference_amount: rust_decimal::Decimal::from_str("20000").unwrap(),
        access_code: "AB12".into(),
    };
    web.store
        .create_guarantee_account(account, "admin")
        .await
        .unwrap();
    let mut draft: DeclarationDraft = serde_json::from_str(TRANSIT).unwrap();
    let limit = time::OffsetDateTime::now_utc().date() + time::Duration::days(8);
    draft.transit.as_mut().unwrap().time_limit = Some(tamga_core::dates::format_date(limit));
    let now = time::OffsetDateTime::now_utc();
    let declaration =
        tamga_core::validate::validate(&draft, ReferenceData::embedded(), now).unwrap();
    let by = web.store.user_by_name("broker").await.unwrap().unwrap();
    let fingerprint = declaration.fingerprint(false);
    let lodgement = Lodgement::new(declaration, fingerprint, by, now, None);
    match web.store.lodge(lodgement).await.unwrap() {
        LodgeOutcome::Accepted(record) => record.mrn,
        other => panic!("{other:?}"),
    }
}

async fn officers_see_and_move_their_movements(web: Web) {
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    web.user("tas", Role::Officer, None).await;
    let tas = web.store.user_by_name("tas").await.unwrap().unwrap();
    let officer = Officer {
        id: UserId(tas.id),
        office: Locode::parse("UZTAS").unwrap(),
        section: "transit".into(),
        group: Group::Examiner,
        suspended: false,
    };
    web.store.set_officer(officer).await.unwrap();
    let mrn = movement(&web).await;
    let cookie = web.sign_in("tas", PASSWORD).await.unwrap();

    let list = web.get("/transit", &cookie).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(
        list.body.contains(&format!("href=\"/transit/{mrn}\"")),
        "{}",
        list.body
    );
    assert!(list.body.contains("MRN berildi"));

    let page = web.get(&format!("/transit/{mrn}"), &cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Tranzitga chiqarish"));
    assert!(
        !page.body.contains("value=\"write_off\""),
        "no button for an illegal step"
    );
    let csrf = page.csrf();
    let path = format!("/transit/{mrn}/step");
    let released = web
        .post(&path, &cookie, &[("csrf", &csrf), ("step", "release")])
        .await;
    assert_eq!(released.status, StatusCode::SEE_OTHER, "{}", released.body);
    let page = web.get(&format!("/transit/{mrn}"), &cookie).await;
    assert!(page.body.contains("tranzitga chiqarildi"), "{}", page.body);

    // A step for another office is refused on the page, with the API's reason.
    let refused = web
        .post(
            &path,
            &cookie,
            &[("csrf", &csrf), ("step", "goods_release")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(refused.body.contains("role=\"alert\""), "{}", refused.body);
    let missing = web.get("/transit/26UZTASJ000000099X", &cookie).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_officers_see_and_move_their_movements() {
    officers_see_and_move_their_movements(Web::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_officers_see_and_move_their_movements() {
    officers_see_and_move_their_movements(Web::postgres().await).await;
}
