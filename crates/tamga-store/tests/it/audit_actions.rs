//! Every audited action writes exactly one audit entry, in its own transaction: a refused or
//! failed write writes none, a resubmission none, and a compound step (a task's completion
//! with its outcome) one.

use std::sync::Arc;

use tamga_control::allocation::Group;
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::audit::AuditEntry;
use tamga_store::control::{TaskOutcome, TaskStep};
use tamga_store::risk::{kind, Expected, NewDocument, StoredOutcome};
use tamga_store::*;

use crate::control::{decided, officer};
use crate::fixtures::{assessed_lodgement, declaration, lodgement, user};

async fn all(store: &dyn Store) -> Vec<AuditEntry> {
    store.audit_entries(0, 1000).await.unwrap()
}

/// The entries written since `before` entries: exactly one, with this action.
async fn one_more(store: &dyn Store, before: &mut usize, action: &str) -> AuditEntry {
    let entries = all(store).await;
    let new = &entries[*before..];
    let actions: Vec<&str> = new.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, [action], "one entry for {action}");
    *before = entries.len();
    new[0].clone()
}

async fn none_more(store: &dyn Store, before: usize, what: &str) {
    let entries = all(store).await;
    assert_eq!(entries.len(), before, "no entry for {what}: {entries:?}");
}

fn status(to: Status, by: &User) -> StatusChange {
    StatusChange {
        to,
        actor: by.clone(),
        reason: "checked".into(),
        at: sql::now(),
    }
}

pub async fn every_declaration_change_writes_one_entry(store: Arc<dyn Store>) {
    let s = &*store;
    let mut n = 0;
    let broker = user(s, "broker", Role::Declarant, Some("UZ305123456")).await;
    assert_eq!(
        one_more(s, &mut n, "user.create").await.object,
        "user:broker"
    );
    let again = s
        .create_user(NewUser {
            name: "broker".into(),
            role: Role::Officer,
            party_id: None,
            token_hash: token::hash(&token::generate()),
        })
        .await;
    assert!(again.is_err());
    none_more(s, n, "a refused user").await;
    let officer = user(s, "olga", Role::Officer, None).await;
    one_more(s, &mut n, "user.create").await;
    let d = declaration("AU-1");
    let LodgeOutcome::Accepted(record) = s
        .lodge(assessed_lodgement(d.clone(), &broker))
        .await
        .unwrap()
    else {
        panic!("not accepted")
    };
    let entry = one_more(s, &mut n, "declaration.lodge").await;
    assert_eq!(
        (entry.actor.as_str(), entry.object.as_str()),
        ("broker", record.mrn.as_str())
    );
    s.lodge(assessed_lodgement(d, &broker)).await.unwrap();
    none_more(s, n, "a resubmission").await;
    let mrn = record.mrn.as_str();
    let refused = s
        .transition(mrn, &Scope::All, status(Status::Released, &broker))
        .await
        .unwrap();
    assert!(matches!(refused, TransitionOutcome::Refused(_)));
    none_more(s, n, "a refused transition").await;
    let balance = s.balance(mrn, &Scope::All).await.unwrap().unwrap().unwrap();
    let payment = NewPayment {
        kind: PaymentKind::Payment,
        amount: balance.due,
        method: "bank transfer".into(),
        reference: "PAY-1".into(),
        by: officer.clone(),
        at: sql::now(),
    };
    s.record_payment(mrn, &Scope::All, payment.clone())
        .await
        .unwrap();
    one_more(s, &mut n, "payment.record").await;
    assert!(s.record_payment(mrn, &Scope::All, payment).await.is_err());
    none_more(s, n, "a payment refused as a duplicate").await;
    let hold = s
        .place_hold(mrn, &officer, "papers")
        .await
        .unwrap()
        .unwrap();
    one_more(s, &mut n, "hold.place").await;
    assert!(s.lift_hold(mrn, hold.id, &officer, "seen").await.unwrap());
    one_more(s, &mut n, "hold.lift").await;
    assert!(!s.lift_hold(mrn, hold.id, &officer, "again").await.unwrap());
    none_more(s, n, "a hold lifted twice").await;
    let moved = s
        .transition(mrn, &Scope::All, status(Status::Released, &officer))
        .await
        .unwrap();
    assert!(matches!(moved, TransitionOutcome::Done(_)), "{moved:?}");
    one_more(s, &mut n, "declaration.status.released").await;
    let outcome = StoredOutcome {
        recorded_by: "olga".into(),
        recorded_at: sql::now(),
        document: r#"{"findings":[],"extra_revenue":"0"}"#.into(),
    };
    s.record_outcome(mrn, outcome).await.unwrap().unwrap();
    one_more(s, &mut n, "inspection.outcome").await;
    s.audit_read("olga", "risk.explanation.read", mrn)
        .await
        .unwrap();
    one_more(s, &mut n, "risk.explanation.read").await;
    assert_eq!(s.audit_verify(None).await.unwrap().broken, None);
}

pub async fn every_registry_and_targeting_change_writes_one_entry(store: Arc<dyn Store>) {
    let s = &*store;
    let mut n = 0;
    let document = NewDocument {
        kind: kind::SELECTIVITY,
        name: "selectivity".into(),
        document: "{}".into(),
        expected: Expected::New,
        by: "ana".into(),
        reason: "test".into(),
        at: sql::now(),
    };
    s.save_document(document.clone()).await.unwrap();
    let entry = one_more(s, &mut n, "risk.selectivity.save").await;
    assert_eq!(entry.object, "selectivity@1");
    s.save_document(document).await.unwrap();
    none_more(s, n, "a version conflict").await;
    for id in ["UZ100", "UZ200"] {
        let party = crate::parties::party(id, "Trader", None);
        s.create_party(party).await.unwrap();
        one_more(s, &mut n, "party.create").await;
    }
    let changed = crate::parties::party("UZ100", "Trader LLC", None);
    s.update_party(changed).await.unwrap().unwrap();
    one_more(s, &mut n, "party.update").await;
    let from = time::macros::date!(2026 - 01 - 01);
    let granted = s
        .grant_mandate(crate::parties::mandate(from, None, "direct"))
        .await
        .unwrap();
    let parties::GrantOutcome::Granted(mandate) = granted else {
        panic!("{granted:?}")
    };
    one_more(s, &mut n, "mandate.grant").await;
    let revocation = crate::parties::revocation(mandate.id, "UZ100", from);
    s.revoke_mandate(revocation).await.unwrap();
    one_more(s, &mut n, "mandate.revoke").await;
    let (first, _) = s.selectivity_secret().await.unwrap();
    none_more(s, n, "the secret made at first use").await;
    let rotated = s.rotate_selectivity_secret("root").await.unwrap();
    assert_eq!(rotated, first + 1);
    let entry = one_more(s, &mut n, "secret.rotate").await;
    assert_eq!(entry.object, format!("selectivity/{rotated}"));
    let (now, _) = s.selectivity_secret().await.unwrap();
    assert_eq!(now, rotated);
    assert!(
        s.selectivity_secret_of(first).await.unwrap().is_some(),
        "old draws replay"
    );
}

fn done(outcome: TaskOutcome) {
    assert!(matches!(outcome, TaskOutcome::Done(_)), "{outcome:?}");
}

pub async fn every_control_step_writes_one_entry(store: Arc<dyn Store>) {
    let s = &*store;
    let lodger = user(s, "lodger", Role::Officer, None).await;
    let exa = officer(s, "exa", Group::Examiner, true).await;
    let chief = officer(s, "chief", Group::ChiefExaminer, true).await;
    let mut n = all(s).await.len();
    let l = lodgement(declaration("AU-RED"), &lodger).with_risk(decided("red"));
    let LodgeOutcome::Accepted(record) = s.lodge(l).await.unwrap() else {
        panic!()
    };
    one_more(s, &mut n, "declaration.lodge").await;
    let task = s.tasks_of(&record.mrn).await.unwrap().remove(0);
    let refused = s.task_step(task.id, &chief, TaskStep::Start).await.unwrap();
    assert!(matches!(refused, TaskOutcome::NotAllocated));
    none_more(s, n, "a refused step").await;
    done(s.task_step(task.id, &exa, TaskStep::Start).await.unwrap());
    one_more(s, &mut n, "task.start").await;
    let complete = TaskStep::Complete {
        findings: "[]".into(),
        outcome: r#"{"findings":[],"extra_revenue":"0"}"#.into(),
        reassessment: None,
    };
    done(s.task_step(task.id, &exa, complete).await.unwrap());
    one_more(s, &mut n, "task.complete").await;
    done(
        s.task_step(task.id, &chief, TaskStep::Endorse)
            .await
            .unwrap(),
    );
    one_more(s, &mut n, "task.endorse").await;
    let verified = s.audit_verify(None).await.unwrap();
    assert_eq!(verified.broken, None);
    assert_eq!(verified.entries, n as u64);
}
