//! A party's declarations list: one branch per party column, merged newest first. Every
//! declaration the party is on appears once, in id order, through every page and with filters.

use std::sync::Arc;

use tamga_core::draft::PartyDraft;
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::{ListQuery, Scope, Store};

use crate::fixtures::{draft, lodgement, user, validate};

const PARTY: &str = "UZ201000001";
const OTHER: &str = "UZ201000002";

fn party(id: &str) -> Option<PartyDraft> {
    Some(PartyDraft {
        id: Some(id.into()),
        name: Some(format!("Party {id}")),
        country: Some("UZ".into()),
        address: None,
    })
}

/// Lodges one declaration with PARTY in the roles `i` picks, or in none; whether it is PARTY's.
async fn lodge_one(store: &dyn Store, i: usize, clerk: &tamga_store::User) -> (String, bool) {
    let mut d = draft();
    d.lrn = Some(format!("P-{i}"));
    d.declarant = party(OTHER);
    d.importer = party(OTHER);
    d.exporter = None;
    let theirs = match i % 7 {
        0 => {
            d.declarant = party(PARTY);
            true
        }
        1 => {
            d.importer = party(PARTY);
            true
        }
        2 => {
            d.exporter = party(PARTY);
            d.importer = party(PARTY); // on twice, listed once
            true
        }
        3 => {
            d.representative = party(PARTY);
            d.representation = Some("direct".into());
            true
        }
        _ => false,
    };
    let outcome = store.lodge(lodgement(validate(&d), clerk)).await.unwrap();
    let tamga_store::LodgeOutcome::Accepted(record) = outcome else {
        panic!("not accepted: {outcome:?}");
    };
    (record.mrn, theirs)
}

pub async fn a_party_lists_every_declaration_it_is_on_once(store: Arc<dyn Store>) {
    let clerk = user(&*store, "clerk", Role::Officer, None).await;
    let trader = user(&*store, "trader", Role::Declarant, Some(PARTY)).await;
    let mut expected = Vec::new();
    for i in 0..40 {
        let (mrn, theirs) = lodge_one(&*store, i, &clerk).await;
        if theirs {
            expected.push(mrn);
        }
    }
    // What the trader lodged itself is theirs too, whatever the parties.
    let mut own = draft();
    own.lrn = Some("OWN-1".into());
    own.declarant = party(OTHER);
    let outcome = store
        .lodge(lodgement(validate(&own), &trader))
        .await
        .unwrap();
    let tamga_store::LodgeOutcome::Accepted(record) = outcome else {
        panic!("not accepted: {outcome:?}");
    };
    expected.push(record.mrn);
    expected.reverse();

    let scope = Scope::of(&trader);
    let mut seen = Vec::new();
    let mut query = ListQuery {
        limit: 4,
        ..ListQuery::default()
    };
    loop {
        let page = store.list(&query, &scope).await.unwrap();
        assert!(page.items.len() <= 4);
        seen.extend(page.items.into_iter().map(|s| s.mrn));
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(
        seen, expected,
        "every page, newest first, each declaration once"
    );

    let accepted = ListQuery {
        limit: 100,
        status: Some(Status::Accepted),
        ..ListQuery::default()
    };
    let filtered = store.list(&accepted, &scope).await.unwrap();
    assert_eq!(filtered.items.len(), expected.len());
    let elsewhere = ListQuery {
        limit: 100,
        office: Some("UZSKD".into()),
        ..ListQuery::default()
    };
    assert!(store
        .list(&elsewhere, &scope)
        .await
        .unwrap()
        .items
        .is_empty());
}
