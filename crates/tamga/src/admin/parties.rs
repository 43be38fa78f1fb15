//! `tamga admin party` and `tamga admin mandate`: the party registry and representatives'
//! mandates, straight on the database. Input is checked by [`tamga_core::party`], as the API
//! checks it, and every refusal names each bad field.

use anyhow::{bail, Context};
use clap::Subcommand;
use tamga_core::party::{MandateTerms, PartyInput, Representation};
use tamga_core::refdata::ReferenceData;
use tamga_core::FieldError;
use tamga_store::parties::{
    GrantOutcome, MandateRecord, NewMandate, NewParty, PartyRecord, Revocation, RevokeOutcome,
};
use tamga_store::{sql, Store};
use time::Date;

/// Who changed the registry, in its records.
const ACTOR: &str = "tamga-admin";

#[derive(Debug, Subcommand)]
pub enum PartyCommand {
    /// Register a party.
    Add {
        /// TIN or EORI-style identifier.
        id: String,
        #[arg(long)]
        name: String,
        /// ISO 3166-1 alpha-2.
        #[arg(long)]
        country: String,
        #[arg(long)]
        address: Option<String>,
        /// AEOC, AEOS or AEOF.
        #[arg(long)]
        aeo: Option<String>,
    },
    /// List registered parties (only AEO holders with --aeo).
    List {
        #[arg(long)]
        aeo: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MandateCommand {
    /// Let REPRESENTATIVE act for PARTY.
    Grant {
        party: String,
        representative: String,
        /// direct or indirect.
        #[arg(long)]
        representation: String,
        /// First day it applies (YYYY-MM-DD); today when left out.
        #[arg(long)]
        from: Option<String>,
        /// Last day it applies (YYYY-MM-DD); it runs until revoked when left out.
        #[arg(long)]
        until: Option<String>,
    },
    /// End a mandate PARTY gave: from --effective (today when left out) it no longer applies.
    Revoke {
        party: String,
        id: i64,
        #[arg(long)]
        effective: Option<String>,
    },
    /// List mandates (those PARTY gave or holds, when given).
    List { party: Option<String> },
}

pub async fn party(store: &dyn Store, command: PartyCommand) -> anyhow::Result<()> {
    match command {
        PartyCommand::Add {
            id,
            name,
            country,
            address,
            aeo,
        } => {
            let input = PartyInput {
                id: &id,
                name: Some(&name),
                country: Some(&country),
                address: address.as_deref(),
                aeo: aeo.as_deref(),
            };
            let party = input.check(ReferenceData::embedded()).map_err(refused)?;
            let created = store
                .create_party(NewParty {
                    id: party.id.as_str().to_owned(),
                    name: party.name,
                    country: party.country,
                    address: party.address,
                    aeo: party.aeo.map(|a| a.as_str().to_owned()),
                    by: ACTOR.into(),
                    at: sql::now(),
                })
                .await
                .with_context(|| format!("cannot register party {id}"))?;
            eprintln!("registered party {}", created.id);
        }
        PartyCommand::List { aeo } => {
            for party in store.parties(aeo).await? {
                println!("{}", party_line(&party));
            }
        }
    }
    Ok(())
}

pub async fn mandate(store: &dyn Store, command: MandateCommand) -> anyhow::Result<()> {
    match command {
        MandateCommand::Grant {
            party,
            representative,
            representation,
            from,
            until,
        } => grant(store, party, representative, &representation, from, until).await,
        MandateCommand::Revoke {
            party,
            id,
            effective,
        } => revoke(store, party, id, effective.as_deref()).await,
        MandateCommand::List { party } => {
            for mandate in store.mandates(party.as_deref()).await? {
                println!("{}", mandate_line(&mandate));
            }
            Ok(())
        }
    }
}

async fn grant(
    store: &dyn Store,
    party: String,
    representative: String,
    representation: &str,
    from: Option<String>,
    until: Option<String>,
) -> anyhow::Result<()> {
    if party == representative {
        bail!("a party acts for itself without a mandate");
    }
    let Some(representation) = Representation::parse(representation) else {
        bail!("--representation is direct or indirect, not {representation:?}");
    };
    let at = sql::now();
    let terms = MandateTerms {
        representation,
        valid_from: date("--from", from.as_deref())?.unwrap_or(at.date()),
        valid_until: date("--until", until.as_deref())?,
    };
    terms.check().map_err(refused)?;
    let new = NewMandate {
        party_id: party.clone(),
        representative_id: representative.clone(),
        representation: representation.as_str().into(),
        valid_from: terms.valid_from,
        valid_until: terms.valid_until,
        by: ACTOR.into(),
        at,
    };
    match store.grant_mandate(new).await? {
        GrantOutcome::Granted(m) => eprintln!("granted mandate {}", m.id),
        GrantOutcome::UnknownParties(ids) => bail!("not registered: {}", ids.join(", ")),
        GrantOutcome::Overlaps(m) => bail!(
            "mandate {} already lets {representative} represent {party} on some of these days",
            m.id
        ),
    }
    Ok(())
}

async fn revoke(
    store: &dyn Store,
    party: String,
    id: i64,
    effective: Option<&str>,
) -> anyhow::Result<()> {
    let at = sql::now();
    let revocation = Revocation {
        party_id: party.clone(),
        mandate_id: id,
        effective: date("--effective", effective)?.unwrap_or(at.date()),
        by: ACTOR.into(),
        at,
    };
    match store.revoke_mandate(revocation).await? {
        RevokeOutcome::Revoked(m) => println!("{}", mandate_line(&m)),
        RevokeOutcome::AlreadyRevoked(_) => bail!("mandate {id} was revoked before"),
        RevokeOutcome::Unknown => bail!("{party} gave no mandate {id}"),
    }
    Ok(())
}

fn date(flag: &str, raw: Option<&str>) -> anyhow::Result<Option<Date>> {
    raw.map(|raw| {
        tamga_core::dates::parse_date(raw)
            .map_err(|_| anyhow::anyhow!("{flag} {raw:?} is not a date written YYYY-MM-DD"))
    })
    .transpose()
}

/// Every problem of a refused input, one per line.
fn refused(errors: Vec<FieldError>) -> anyhow::Error {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| format!("  {}: {}", e.pointer, e.message))
        .collect();
    anyhow::anyhow!("refused:\n{}", lines.join("\n"))
}

fn party_line(p: &PartyRecord) -> String {
    let aeo = p.aeo.as_deref().unwrap_or("-");
    format!("{}\t{}\t{}\t{aeo}", p.id, p.country, p.name)
}

fn mandate_line(m: &MandateRecord) -> String {
    let until = m.valid_until.map_or("open".to_owned(), |u| u.to_string());
    let revoked = m
        .revoked_by
        .as_deref()
        .map_or(String::new(), |by| format!("\trevoked by {by}"));
    format!(
        "{}\t{} -> {}\t{}\t{} .. {until}{revoked}",
        m.id, m.party_id, m.representative_id, m.representation, m.valid_from
    )
}
