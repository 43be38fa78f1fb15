//! Steps on control tasks: only the allocated examiner starts and completes, the state machine
//! refuses illegal steps naming the current and allowed states, reallocation is a supervisor's
//! new draw with a reason, suspension waits for open tasks, and release follows the rule.

use std::sync::Arc;

use tamga_control::allocation::Group;
use tamga_control::task::TaskState;
use tamga_control::UserId;
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::control::{SuspendOutcome, TaskOutcome, TaskQuery, TaskStep};
use tamga_store::{sql, LodgeOutcome, Scope, StatusChange, Store, TransitionOutcome, User};

use crate::control::{decided, officer};
use crate::fixtures::{declaration, lodgement, user};

fn done(outcome: TaskOutcome) -> tamga_control::task::ControlTask {
    match outcome {
        TaskOutcome::Done(task) => *task,
        other => panic!("not done: {other:?}"),
    }
}

fn complete() -> TaskStep {
    TaskStep::Complete {
        findings: "[]".into(),
        outcome: r#"{"findings":[],"extra_revenue":"0"}"#.into(),
        reassessment: None,
    }
}

async fn release(store: &dyn Store, mrn: &str, by: &User) -> TransitionOutcome {
    let change = StatusChange {
        to: Status::Released,
        actor: by.clone(),
        reason: "control done".into(),
        at: sql::now(),
    };
    store.transition(mrn, &Scope::All, change).await.unwrap()
}

fn blocked(outcome: TransitionOutcome) -> Vec<String> {
    match outcome {
        TransitionOutcome::Blocked(reasons) => reasons,
        other => panic!("not blocked: {other:?}"),
    }
}

/// A red task from allocation to release, with every refusal on the way.
pub async fn red_control_runs_to_release(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    let exa = officer(&*store, "exa", Group::Examiner, true).await;
    let chief = officer(&*store, "chief", Group::ChiefExaminer, true).await;
    let l = lodgement(declaration("ST-RED"), &lodger).with_risk(decided("red"));
    let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
        panic!()
    };
    let task = store.tasks_of(&record.mrn).await.unwrap().remove(0);
    let other = user(&*store, "other", Role::Officer, None).await;
    assert!(matches!(
        store
            .task_step(task.id, &other, TaskStep::Start)
            .await
            .unwrap(),
        TaskOutcome::NotAllocated
    ));
    assert!(
        matches!(store.task_step(task.id, &exa, complete()).await.unwrap(), TaskOutcome::Illegal(e) if e.current == "allocated" && e.allowed == ["in-progress", "cancelled"])
    );
    let started = done(
        store
            .task_step(task.id, &exa, TaskStep::Start)
            .await
            .unwrap(),
    );
    assert_eq!(started.state, TaskState::InProgress);
    let now = store
        .declaration(&record.mrn, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(now.status, Status::UnderControl);
    let reasons = blocked(release(&*store, &record.mrn, &exa).await);
    assert!(
        reasons.iter().any(|r| r.contains("in-progress")),
        "{reasons:?}"
    );
    assert!(matches!(
        store
            .task_step(task.id, &chief, TaskStep::Endorse)
            .await
            .unwrap(),
        TaskOutcome::Refused(_)
    ));
    let completed = done(store.task_step(task.id, &exa, complete()).await.unwrap());
    assert!(completed.time_to_complete().is_some());
    let outcomes = store
        .risk_decision(&record.mrn)
        .await
        .unwrap()
        .unwrap()
        .outcomes;
    assert_eq!(outcomes.len(), 1, "the completion feeds the hit rates");
    let reasons = blocked(release(&*store, &record.mrn, &exa).await);
    assert_eq!(reasons, ["a chief examiner has not endorsed the release"]);
    assert!(matches!(
        store
            .task_step(task.id, &exa, TaskStep::Endorse)
            .await
            .unwrap(),
        TaskOutcome::NotAllocated
    ));
    done(
        store
            .task_step(task.id, &chief, TaskStep::Endorse)
            .await
            .unwrap(),
    );
    let hold = store
        .place_hold(&record.mrn, &chief, "sanitary check pending")
        .await
        .unwrap()
        .unwrap();
    let reasons = blocked(release(&*store, &record.mrn, &exa).await);
    assert_eq!(reasons, ["the goods are held: sanitary check pending"]);
    assert!(store
        .lift_hold(&record.mrn, hold.id, &chief, "certificate shown")
        .await
        .unwrap());
    assert!(!store
        .lift_hold(&record.mrn, hold.id, &chief, "again")
        .await
        .unwrap());
    let reasons = blocked(release(&*store, &record.mrn, &other).await);
    assert_eq!(
        reasons,
        ["only the allocated examiner may release this declaration"]
    );
    assert!(matches!(
        release(&*store, &record.mrn, &exa).await,
        TransitionOutcome::Done(_)
    ));
    let events: Vec<String> = store
        .task_events(task.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        events,
        [
            "opened",
            "allocated",
            "allocated",
            "started",
            "completed",
            "endorsed"
        ]
    );
    let holds = store.holds(&record.mrn).await.unwrap().unwrap();
    assert!(holds[0].lifted_at.is_some());
    // The completed task no longer weighs on its officers: the next draw sees them idle.
    let l = lodgement(declaration("ST-RED-2"), &lodger).with_risk(decided("red"));
    let LodgeOutcome::Accepted(next) = store.lodge(l).await.unwrap() else {
        panic!()
    };
    let next = store.tasks_of(&next.mrn).await.unwrap().remove(0);
    let draws = store.task_draws(next.id).await.unwrap();
    let loads: Vec<u64> = draws
        .iter()
        .flat_map(|d| d.draw.candidates.iter().map(|c| c.workload))
        .collect();
    assert_eq!(loads, [0, 0], "{draws:?}");
}

/// Reallocation is a new draw by a supervisor with a reason; suspension waits for open tasks;
/// cancellation needs a reason; an open task is drawn once someone comes on duty.
pub async fn supervisors_reallocate_and_suspend(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    let a = officer(&*store, "exa-a", Group::Examiner, true).await;
    let b = officer(&*store, "exa-b", Group::Examiner, true).await;
    let boss = user(&*store, "boss", Role::Supervisor, None).await;
    let l = lodgement(declaration("ST-YEL"), &lodger).with_risk(decided("yellow"));
    let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
        panic!()
    };
    let task = store.tasks_of(&record.mrn).await.unwrap().remove(0);
    let first = task.examiner.unwrap();
    let holder = if first == UserId(a.id) { &a } else { &b };
    let realloc = |reason: &str| TaskStep::Reallocate {
        group: Group::Examiner,
        reason: reason.into(),
    };
    assert!(
        matches!(store.task_step(task.id, holder, realloc("mine")).await.unwrap(), TaskOutcome::Refused(r) if r.contains("supervisor"))
    );
    assert!(
        matches!(store.task_step(task.id, &boss, realloc(" ")).await.unwrap(), TaskOutcome::Refused(r) if r.contains("reason"))
    );
    let SuspendOutcome::Refused(_) = store.suspend_officer(holder.id, &boss, true).await.unwrap()
    else {
        panic!("suspended with an open task")
    };
    let moved = done(
        store
            .task_step(task.id, &boss, realloc("examiner fell ill"))
            .await
            .unwrap(),
    );
    assert_ne!(moved.examiner, Some(first));
    assert_eq!(moved.state, TaskState::Allocated);
    let draws = store.task_draws(task.id).await.unwrap();
    assert_eq!(draws.len(), 2);
    assert_eq!(draws[1].reason.as_deref(), Some("examiner fell ill"));
    assert_eq!(draws[1].drawn_by, "boss");
    assert!(store
        .replay_draws(task.id)
        .await
        .unwrap()
        .unwrap()
        .iter()
        .all(|r| r.matches()));
    assert_eq!(
        store.suspend_officer(holder.id, &boss, true).await.unwrap(),
        SuspendOutcome::Done
    );
    let by_officer = store
        .suspend_officer(holder.id, holder, true)
        .await
        .unwrap();
    assert!(matches!(by_officer, SuspendOutcome::Refused(_)));
    assert!(matches!(
        store
            .task_step(task.id, &boss, TaskStep::Cancel { reason: "".into() })
            .await
            .unwrap(),
        TaskOutcome::Refused(_)
    ));
    let cancelled = done(
        store
            .task_step(
                task.id,
                &boss,
                TaskStep::Cancel {
                    reason: "declaration invalidated".into(),
                },
            )
            .await
            .unwrap(),
    );
    assert_eq!(
        cancelled.cancel_reason.as_deref(),
        Some("declaration invalidated")
    );
    assert!(matches!(
        store
            .task_step(task.id, &boss, TaskStep::Start)
            .await
            .unwrap(),
        TaskOutcome::NotAllocated
    ));
    assert!(matches!(
        store
            .task_step(999_999, &boss, TaskStep::Start)
            .await
            .unwrap(),
        TaskOutcome::NotFound
    ));
    assert_eq!(
        store
            .office_tasks(&TaskQuery {
                office: Some("UZTAS".into()),
                state: Some(TaskState::Cancelled),
                after: None,
                limit: 100,
            })
            .await
            .unwrap()
            .tasks
            .len(),
        1
    );
    assert!(
        store
            .worklist(holder.id, None, 100)
            .await
            .unwrap()
            .tasks
            .is_empty()
            || store.worklist(holder.id, None, 100).await.unwrap().tasks[0].id == task.id
    );
    let l = lodgement(declaration("ST-RED-OPEN"), &lodger).with_risk(decided("red"));
    let LodgeOutcome::Accepted(red) = store.lodge(l).await.unwrap() else {
        panic!()
    };
    let open = store.tasks_of(&red.mrn).await.unwrap().remove(0);
    assert_eq!(open.state, TaskState::Open, "no chief on duty");
    assert!(matches!(
        store
            .task_step(open.id, &boss, TaskStep::Allocate)
            .await
            .unwrap(),
        TaskOutcome::Refused(_)
    ));
    let chief = officer(&*store, "chief", Group::ChiefExaminer, true).await;
    let drawn = done(
        store
            .task_step(open.id, &boss, TaskStep::Allocate)
            .await
            .unwrap(),
    );
    assert_eq!(drawn.chief, Some(UserId(chief.id)));
    assert!(matches!(
        store
            .task_step(open.id, &boss, TaskStep::Allocate)
            .await
            .unwrap(),
        TaskOutcome::Illegal(_)
    ));
}
