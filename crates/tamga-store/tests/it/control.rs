//! Control at lodgement: the settled channel opens its task in the lodgement's transaction, the
//! task is drawn among the office's eligible officers on duty, the draw is recorded and replays
//! to the same officer, and green goes to release by itself once nothing is owed.

use std::sync::Arc;

use rust_decimal::Decimal;
use tamga_control::allocation::{Conflict, Group, Officer, Shift};
use tamga_control::task::{ControlTask, TaskState, TaskType};
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::control::RosterChange;
use tamga_store::risk::RiskRecord;
use tamga_store::{sql, LodgeOutcome, NewPayment, PaymentKind, Scope, Store, User};
use time::macros::date;
use time::Duration;

use crate::fixtures::{assessed_lodgement, declaration, lodgement, user};

pub fn decided(channel: &str) -> RiskRecord {
    RiskRecord {
        office: "UZTAS".into(),
        channel: channel.into(),
        score: 50,
        random: false,
        day: date!(2026 - 11 - 24),
        document: format!(r#"{{"summary":"{channel} by profile P-1"}}"#),
        profiles: vec![],
        claim: None,
    }
}

/// Puts `name` in a group at UZTAS, on duty now unless `on_duty` is false (then a past shift).
pub async fn officer(store: &dyn Store, name: &str, group: Group, on_duty: bool) -> User {
    let user = user(store, name, Role::Officer, None).await;
    let id = UserId(user.id);
    let office = Locode::parse("UZTAS").unwrap();
    let officer = Officer {
        id,
        office,
        section: "import".into(),
        group,
        suspended: false,
    };
    assert_eq!(
        store.set_officer(officer).await.unwrap(),
        RosterChange::Saved
    );
    let now = sql::now();
    let (start, end) = if on_duty {
        (now - Duration::hours(1), now + Duration::hours(8))
    } else {
        (now - Duration::hours(10), now - Duration::hours(2))
    };
    let shift = Shift {
        officer: id,
        start,
        end,
    };
    assert_eq!(store.add_shift(shift).await.unwrap(), RosterChange::Saved);
    user
}

async fn lodge_on(store: &dyn Store, by: &User, lrn: &str, channel: &str) -> (String, Status) {
    let l = lodgement(declaration(lrn), by).with_risk(decided(channel));
    let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
        panic!("{lrn} not accepted")
    };
    (record.mrn, record.status)
}

async fn only_task(store: &dyn Store, mrn: &str) -> ControlTask {
    let tasks = store.tasks_of(mrn).await.unwrap();
    assert_eq!(tasks.len(), 1, "{mrn}: {tasks:?}");
    tasks.into_iter().next().unwrap()
}

/// Red opens an allocated physical examination with a chief, yellow a documentary check, blue
/// a post-clearance audit due later (and released), green no task and straight release.
pub async fn channels_open_their_control_tasks(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    let examiner = officer(&*store, "exa", Group::Examiner, true).await;
    let chief = officer(&*store, "chief", Group::ChiefExaminer, true).await;
    let (red, status) = lodge_on(&*store, &lodger, "CT-RED", "red").await;
    assert_eq!(status, Status::RiskAssessed);
    let task = only_task(&*store, &red).await;
    assert_eq!(task.task_type, TaskType::PhysicalExamination);
    assert_eq!(task.state, TaskState::Allocated);
    assert_eq!(task.examiner, Some(UserId(examiner.id)));
    assert_eq!(task.chief, Some(UserId(chief.id)));
    assert_eq!(task.weight, 20, "10 plus 5 for each of the two goods items");
    assert!(task.explanation.contains("red by profile P-1"));
    assert!(task.allocated_at.is_some());
    let (yellow, _) = lodge_on(&*store, &lodger, "CT-YELLOW", "yellow").await;
    let task = only_task(&*store, &yellow).await;
    assert_eq!(task.task_type, TaskType::DocumentaryCheck);
    assert_eq!(
        (task.examiner, task.chief),
        (Some(UserId(examiner.id)), None)
    );
    let (blue, status) = lodge_on(&*store, &lodger, "CT-BLUE", "blue").await;
    let task = only_task(&*store, &blue).await;
    assert_eq!(task.task_type, TaskType::PostClearanceAudit);
    assert_eq!(task.due, Some(task.opened_at.date() + Duration::days(90)));
    assert_eq!(status, Status::Released, "blue is audited after release");
    let (green, status) = lodge_on(&*store, &lodger, "CT-GREEN", "green").await;
    assert!(store.tasks_of(&green).await.unwrap().is_empty());
    assert_eq!(status, Status::Released);
    let record = store
        .declaration(&green, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    let last = record.events.last().unwrap();
    assert_eq!(
        (last.status, last.actor.as_str()),
        (Status::Released, "tamga")
    );
    let events = store.task_events(task.id).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(kinds, ["opened", "allocated"]);
}

/// Off-duty, conflicted and suspended examiners are never candidates; every draw is recorded
/// with its candidates and workloads and replays to the recorded officer.
pub async fn only_eligible_officers_are_drawn(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    let a = officer(&*store, "exa-a", Group::Examiner, true).await;
    let b = officer(&*store, "exa-b", Group::Examiner, true).await;
    let off = officer(&*store, "exa-off", Group::Examiner, false).await;
    let linked = officer(&*store, "exa-linked", Group::Examiner, true).await;
    let conflict = Conflict {
        officer: UserId(linked.id),
        party: PartyId::parse("CN91310000MA1").unwrap(),
    };
    assert_eq!(
        store.add_conflict(conflict).await.unwrap(),
        RosterChange::Saved
    );
    let suspended = user(&*store, "exa-susp", Role::Officer, None).await;
    let office = Locode::parse("UZTAS").unwrap();
    let id = UserId(suspended.id);
    let officer = Officer {
        id,
        office,
        section: "import".into(),
        group: Group::Examiner,
        suspended: true,
    };
    store.set_officer(officer).await.unwrap();
    let now = sql::now();
    let shift = Shift {
        officer: id,
        start: now - Duration::hours(1),
        end: now + Duration::hours(1),
    };
    store.add_shift(shift).await.unwrap();
    let eligible = [UserId(a.id), UserId(b.id)];
    let mut drawn = Vec::new();
    for i in 0..24 {
        let (mrn, _) = lodge_on(&*store, &lodger, &format!("CT-EL-{i}"), "yellow").await;
        let task = only_task(&*store, &mrn).await;
        let draws = store.task_draws(task.id).await.unwrap();
        assert_eq!(draws.len(), 1);
        let draw = &draws[0].draw;
        let candidates: Vec<UserId> = draw.candidates.iter().map(|c| c.officer).collect();
        assert_eq!(
            candidates, eligible,
            "never {off:?}, {linked:?} or {suspended:?}"
        );
        assert_eq!(Some(draw.chosen), task.examiner);
        assert_eq!(draw.key, format!("{mrn}/{}/examiner", task.id));
        let replayed = store.replay_draws(task.id).await.unwrap().unwrap();
        assert!(replayed.iter().all(|r| r.matches()), "{replayed:?}");
        drawn.push(draw.clone());
    }
    let last = drawn.last().unwrap();
    let total: u64 = last.candidates.iter().map(|c| c.workload).sum();
    assert_eq!(total, 23 * 20, "every active task weighs on its examiner");
    assert!(
        eligible
            .iter()
            .all(|e| drawn.iter().any(|d| d.chosen == *e)),
        "both are drawn"
    );
    assert!(store.replay_draws(999_999).await.unwrap().is_none());
}

/// Without a chief on duty a red task stays open and says why; suspended staff and unknown
/// users cannot be put on the roster's shifts.
pub async fn tasks_wait_when_nobody_is_on_duty(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    officer(&*store, "exa", Group::Examiner, true).await;
    officer(&*store, "chief-off", Group::ChiefExaminer, false).await;
    let (mrn, _) = lodge_on(&*store, &lodger, "CT-WAIT", "red").await;
    let task = only_task(&*store, &mrn).await;
    assert_eq!(
        (task.state, task.examiner, task.chief),
        (TaskState::Open, None, None)
    );
    let events = store.task_events(task.id).await.unwrap();
    assert_eq!(events[1].event, "awaiting-allocation");
    assert!(events[1]
        .detail
        .as_deref()
        .unwrap()
        .contains("chief examiner"));
    assert!(store.task_draws(task.id).await.unwrap().is_empty());
    let declarant = user(&*store, "trader", Role::Declarant, Some("UZ305123456")).await;
    let office = Locode::parse("UZTAS").unwrap();
    let trader = Officer {
        id: UserId(declarant.id),
        office: office.clone(),
        section: "import".into(),
        group: Group::Examiner,
        suspended: false,
    };
    assert_eq!(
        store.set_officer(trader).await.unwrap(),
        RosterChange::NotStaff
    );
    let nobody = Officer {
        id: UserId(987_654),
        office,
        section: "x".into(),
        group: Group::Examiner,
        suspended: false,
    };
    assert_eq!(
        store.set_officer(nobody).await.unwrap(),
        RosterChange::UnknownOfficer
    );
    let now = sql::now();
    let shift = Shift {
        officer: UserId(declarant.id),
        start: now,
        end: now + Duration::hours(1),
    };
    assert_eq!(
        store.add_shift(shift).await.unwrap(),
        RosterChange::UnknownOfficer
    );
    let listed = store.officers(Some("UZTAS")).await.unwrap();
    assert_eq!(listed.len(), 2);
}

/// A green import owing duties waits for them; the payment that covers them releases it in its
/// own transaction, with tamga as the actor. Red is never released by a payment.
pub async fn green_is_released_once_paid(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    let l = assessed_lodgement(declaration("CT-PAY"), &lodger).with_risk(decided("green"));
    let owed = l.assessment.as_ref().unwrap().total;
    assert!(owed > Decimal::ZERO);
    let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
        panic!()
    };
    assert_eq!(record.status, Status::RiskAssessed);
    let pay = |amount: Decimal, reference: &str| NewPayment {
        kind: PaymentKind::Payment,
        amount,
        method: "bank".into(),
        reference: reference.into(),
        by: lodger.clone(),
        at: sql::now(),
    };
    let half = (owed / Decimal::TWO).round_dp(2);
    store
        .record_payment(&record.mrn, &Scope::All, pay(half, "P-1"))
        .await
        .unwrap();
    let now = store
        .declaration(&record.mrn, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.status, Status::RiskAssessed, "half paid is not covered");
    store
        .record_payment(&record.mrn, &Scope::All, pay(owed - half, "P-2"))
        .await
        .unwrap();
    let now = store
        .declaration(&record.mrn, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.status, Status::Released);
    let last = now.events.last().unwrap();
    assert_eq!(last.actor, "tamga");
    assert!(last.reason.as_deref().unwrap().contains("covered"));
    let red = assessed_lodgement(declaration("CT-PAY-RED"), &lodger).with_risk(decided("red"));
    let LodgeOutcome::Accepted(red) = store.lodge(red).await.unwrap() else {
        panic!()
    };
    store
        .record_payment(&red.mrn, &Scope::All, pay(owed, "P-3"))
        .await
        .unwrap();
    let now = store
        .declaration(&red.mrn, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        now.status,
        Status::RiskAssessed,
        "red waits for its control"
    );
}
