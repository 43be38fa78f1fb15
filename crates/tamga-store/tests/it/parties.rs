//! The party registry and mandates: registration, changes, grants (unknown parties and
//! overlapping mandates refused), revocation that keeps history, and the reads the lodgement
//! and the API use.

use std::sync::Arc;

use tamga_store::parties::{GrantOutcome, NewMandate, NewParty, Revocation, RevokeOutcome};
use tamga_store::{sql, Store, StoreError};
use time::macros::date;
use time::Date;

pub(crate) fn party(id: &str, name: &str, aeo: Option<&str>) -> NewParty {
    NewParty {
        id: id.into(),
        name: name.into(),
        country: "UZ".into(),
        address: None,
        aeo: aeo.map(Into::into),
        by: "admin".into(),
        at: sql::now(),
    }
}

pub(crate) fn mandate(from: Date, until: Option<Date>, representation: &str) -> NewMandate {
    NewMandate {
        party_id: "UZ100".into(),
        representative_id: "UZ200".into(),
        representation: representation.into(),
        valid_from: from,
        valid_until: until,
        by: "admin".into(),
        at: sql::now(),
    }
}

pub(crate) fn revocation(mandate_id: i64, party: &str, effective: Date) -> Revocation {
    Revocation {
        party_id: party.into(),
        mandate_id,
        effective,
        by: "root".into(),
        at: sql::now(),
    }
}

pub async fn parties_are_registered_once_and_changed(store: Arc<dyn Store>) {
    let created = store
        .create_party(party("UZ100", "Savdo", None))
        .await
        .unwrap();
    assert_eq!((created.name.as_str(), created.aeo), ("Savdo", None));
    let again = store.create_party(party("UZ100", "Other", None)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let mut changed = party("UZ100", "Savdo MChJ", Some("AEOF"));
    changed.address = Some("Tashkent".into());
    let updated = store.update_party(changed).await.unwrap().unwrap();
    assert_eq!(updated.aeo.as_deref(), Some("AEOF"));
    assert_eq!(store.party("UZ100").await.unwrap(), Some(updated));
    assert_eq!(
        store.update_party(party("UZ999", "x", None)).await.unwrap(),
        None
    );
    assert_eq!(store.party("UZ999").await.unwrap(), None);
    store
        .create_party(party("UZ050", "Broker", None))
        .await
        .unwrap();
    let ids =
        |v: Vec<tamga_store::parties::PartyRecord>| v.into_iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(store.parties(false).await.unwrap()), ["UZ050", "UZ100"]);
    assert_eq!(ids(store.parties(true).await.unwrap()), ["UZ100"]);
}

pub async fn mandates_are_granted_between_registered_parties(store: Arc<dyn Store>) {
    store
        .create_party(party("UZ100", "Savdo", None))
        .await
        .unwrap();
    let unknown = store
        .grant_mandate(mandate(date!(2026 - 01 - 01), None, "direct"))
        .await
        .unwrap();
    assert_eq!(unknown, GrantOutcome::UnknownParties(vec!["UZ200".into()]));
    store
        .create_party(party("UZ200", "Broker", None))
        .await
        .unwrap();
    let first = mandate(date!(2026 - 01 - 01), Some(date!(2026 - 06 - 30)), "direct");
    let GrantOutcome::Granted(granted) = store.grant_mandate(first).await.unwrap() else {
        panic!("not granted");
    };
    assert_eq!(granted.valid_until, Some(date!(2026 - 06 - 30)));
    let overlapping = mandate(date!(2026 - 06 - 30), None, "direct");
    assert!(
        matches!(store.grant_mandate(overlapping).await.unwrap(), GrantOutcome::Overlaps(m) if m.id == granted.id)
    );
    // Another kind of representation, or days after the first ends, are separate mandates.
    let indirect = mandate(date!(2026 - 03 - 01), None, "indirect");
    assert!(matches!(
        store.grant_mandate(indirect).await.unwrap(),
        GrantOutcome::Granted(_)
    ));
    let later = mandate(date!(2026 - 07 - 01), None, "direct");
    assert!(matches!(
        store.grant_mandate(later).await.unwrap(),
        GrantOutcome::Granted(_)
    ));
    let between = store.mandates_between("UZ100", "UZ200").await.unwrap();
    assert_eq!(between.len(), 3);
    assert!(store
        .mandates_between("UZ200", "UZ100")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.mandates(Some("UZ200")).await.unwrap(), between);
    assert_eq!(store.mandates(None).await.unwrap().len(), 3);
}

pub async fn revoking_a_mandate_keeps_it_with_an_end(store: Arc<dyn Store>) {
    store
        .create_party(party("UZ100", "Savdo", None))
        .await
        .unwrap();
    store
        .create_party(party("UZ200", "Broker", None))
        .await
        .unwrap();
    let open = mandate(date!(2026 - 01 - 01), None, "direct");
    let GrantOutcome::Granted(granted) = store.grant_mandate(open).await.unwrap() else {
        panic!("not granted");
    };
    let wrong_party = revocation(granted.id, "UZ200", date!(2026 - 05 - 01));
    assert_eq!(
        store.revoke_mandate(wrong_party).await.unwrap(),
        RevokeOutcome::Unknown
    );
    let revoked = store
        .revoke_mandate(revocation(granted.id, "UZ100", date!(2026 - 05 - 01)))
        .await
        .unwrap();
    let RevokeOutcome::Revoked(revoked) = revoked else {
        panic!("{revoked:?}")
    };
    assert_eq!(revoked.valid_until, Some(date!(2026 - 04 - 30)));
    assert_eq!(revoked.revoked_by.as_deref(), Some("root"));
    let twice = store
        .revoke_mandate(revocation(granted.id, "UZ100", date!(2026 - 06 - 01)))
        .await
        .unwrap();
    assert_eq!(twice, RevokeOutcome::AlreadyRevoked(revoked.clone()));
    assert_eq!(store.mandates(Some("UZ100")).await.unwrap(), vec![revoked]);
    // Days after the revocation are free for a new mandate.
    let next = mandate(date!(2026 - 05 - 01), None, "direct");
    assert!(matches!(
        store.grant_mandate(next).await.unwrap(),
        GrantOutcome::Granted(_)
    ));
}

pub async fn revoking_never_extends_a_mandate(store: Arc<dyn Store>) {
    store
        .create_party(party("UZ100", "Savdo", None))
        .await
        .unwrap();
    store
        .create_party(party("UZ200", "Broker", None))
        .await
        .unwrap();
    let short = mandate(
        date!(2026 - 01 - 01),
        Some(date!(2026 - 01 - 31)),
        "indirect",
    );
    let GrantOutcome::Granted(granted) = store.grant_mandate(short).await.unwrap() else {
        panic!("not granted");
    };
    let late = revocation(granted.id, "UZ100", date!(2026 - 12 - 01));
    let RevokeOutcome::Revoked(revoked) = store.revoke_mandate(late).await.unwrap() else {
        panic!("not revoked");
    };
    assert_eq!(revoked.valid_until, Some(date!(2026 - 01 - 31)));
}
