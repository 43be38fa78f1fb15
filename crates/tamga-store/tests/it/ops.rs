//! API tokens after creation (issue, list, revoke) and personal data retention, each change
//! with its one audit entry.

use std::sync::Arc;

use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::token::Revocation;
use tamga_store::*;

use crate::fixtures::{declaration, lodgement, user};

async fn actions(store: &dyn Store) -> Vec<(String, String, String)> {
    let entries = store.audit_entries(0, 1000).await.unwrap();
    entries
        .into_iter()
        .map(|e| (e.actor, e.action, e.object))
        .collect()
}

pub async fn tokens_are_issued_listed_and_revoked(store: Arc<dyn Store>) {
    let s = &*store;
    let broker = user(s, "broker", Role::Declarant, Some("UZ305123456")).await;
    let first = s.tokens_of(broker.id).await.unwrap().unwrap();
    assert_eq!(first.len(), 1, "created with one token");
    assert_eq!(first[0].revoked_at, None);
    let secret = token::generate();
    let before = actions(s).await.len();
    let issued = s
        .issue_token(broker.id, &token::hash(&secret), "root")
        .await
        .unwrap()
        .unwrap();
    let after = actions(s).await;
    let object = format!("user:{}", broker.id);
    assert_eq!(
        after[before..],
        [("root".into(), "token.issue".into(), object.clone())]
    );
    assert_eq!(
        s.user_by_token(&token::hash(&secret))
            .await
            .unwrap()
            .map(|u| u.id),
        Some(broker.id)
    );
    assert_eq!(s.tokens_of(broker.id).await.unwrap().unwrap().len(), 2);
    assert_eq!(s.issue_token(9999, "x", "root").await.unwrap(), None);
    assert_eq!(s.tokens_of(9999).await.unwrap(), None);

    let before = actions(s).await.len();
    let Revocation::Revoked(revoked) = s.revoke_token(broker.id, issued.id, "root").await.unwrap()
    else {
        panic!("not revoked")
    };
    assert_eq!(revoked.revoked_by.as_deref(), Some("root"));
    assert!(revoked.revoked_at.is_some());
    assert_eq!(
        actions(s).await[before..],
        [("root".into(), "token.revoke".into(), object)]
    );
    assert_eq!(s.user_by_token(&token::hash(&secret)).await.unwrap(), None);
    // The other token still works; a second revocation changes nothing and writes nothing.
    let listed = s.tokens_of(broker.id).await.unwrap().unwrap();
    assert_eq!(listed[0].revoked_at, None);
    assert_eq!(listed[1].revoked_at, revoked.revoked_at);
    let again = s.revoke_token(broker.id, issued.id, "other").await.unwrap();
    assert_eq!(again, Revocation::AlreadyRevoked(revoked));
    let other = user(s, "olga", Role::Officer, None).await;
    assert_eq!(
        s.revoke_token(other.id, issued.id, "root").await.unwrap(),
        Revocation::NotFound,
        "a token is revoked only under its own user"
    );
    assert_eq!(
        actions(s).await.len(),
        before + 2,
        "one more: olga's creation"
    );
    assert_eq!(s.audit_verify(None).await.unwrap().broken, None);
}

fn closing(to: Status, by: &User) -> StatusChange {
    StatusChange {
        to,
        actor: by.clone(),
        reason: "closed".into(),
        at: sql::now(),
    }
}

pub async fn closed_declarations_are_masked_once(store: Arc<dyn Store>) {
    let s = &*store;
    let broker = user(s, "broker", Role::Declarant, Some("UZ305123456")).await;
    let officer = user(s, "olga", Role::Officer, None).await;
    let mut mrns = Vec::new();
    for lrn in ["RET-1", "RET-2", "RET-3"] {
        let LodgeOutcome::Accepted(record) =
            s.lodge(lodgement(declaration(lrn), &broker)).await.unwrap()
        else {
            panic!("not accepted")
        };
        mrns.push(record.mrn);
    }
    for mrn in &mrns[..2] {
        let done = s
            .transition(mrn, &Scope::All, closing(Status::Invalidated, &officer))
            .await
            .unwrap();
        assert!(matches!(done, TransitionOutcome::Done(_)), "{done:?}");
    }
    let past = sql::now() - time::Duration::days(1);
    assert!(s.retention_candidates(past, 10).await.unwrap().is_empty());
    assert!(!s.mask_personal_data(&mrns[0], past, "ret").await.unwrap());
    let cutoff = sql::now() + time::Duration::seconds(1);
    let mut candidates = s.retention_candidates(cutoff, 10).await.unwrap();
    candidates.sort();
    let mut closed = mrns[..2].to_vec();
    closed.sort();
    assert_eq!(candidates, closed, "only closed declarations");
    assert!(!s.mask_personal_data(&mrns[2], cutoff, "ret").await.unwrap());
    let before = actions(s).await.len();
    for mrn in &mrns[..2] {
        assert!(s.mask_personal_data(mrn, cutoff, "ret").await.unwrap());
        assert!(!s.mask_personal_data(mrn, cutoff, "ret").await.unwrap());
    }
    let entries = actions(s).await;
    let expected: Vec<_> = mrns[..2]
        .iter()
        .map(|m| {
            (
                "ret".to_owned(),
                "declaration.mask".to_owned(),
                format!("declaration:{m}"),
            )
        })
        .collect();
    assert_eq!(entries[before..], expected);
    assert!(s.retention_candidates(cutoff, 10).await.unwrap().is_empty());

    let original = declaration("RET-1");
    let masked = s.declaration(&mrns[0], &Scope::All).await.unwrap().unwrap();
    let d = &masked.declaration;
    assert_ne!(original.declarant.name, tamga_core::retention::MASK);
    assert_eq!(d.declarant.name, tamga_core::retention::MASK);
    assert_eq!(d.declarant.address, None);
    assert_eq!(d.declarant.id, original.declarant.id);
    assert_eq!(d.items[0].commodity_code, original.items[0].commodity_code);
    assert_eq!(d.invoice, original.invoice);
    assert_eq!(masked.status, Status::Invalidated);
    assert_eq!(masked.events.len(), 3, "the history is kept as it was");
    let open = s.declaration(&mrns[2], &Scope::All).await.unwrap().unwrap();
    assert_eq!(
        open.declaration,
        declaration("RET-3"),
        "an open declaration is kept whole"
    );
    assert_eq!(s.audit_verify(None).await.unwrap().broken, None);
}
