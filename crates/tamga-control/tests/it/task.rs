//! Control tasks: what each channel opens, the state machine, timings.

use proptest::prelude::*;
use tamga_control::task::{
    may_see, tasks_for, Channel, TaskError, TaskSettings, TaskState, TaskType, Viewer,
};
use tamga_control::transition::Lifecycle;
use tamga_control::UserId;
use tamga_core::codes::Locode;
use tamga_core::role::Role;
use time::macros::date;
use time::Duration;

use crate::fixture::{now, office, task};

#[test]
fn each_channel_opens_its_task() {
    let settings = TaskSettings { audit_due_days: 30 };
    let open = |c| tasks_for(c, &office(), now(), "why", &settings);
    assert!(open(Channel::Green).is_empty());
    assert_eq!(
        open(Channel::Yellow)[0].task_type,
        TaskType::DocumentaryCheck
    );
    assert_eq!(
        open(Channel::Red)[0].task_type,
        TaskType::PhysicalExamination
    );
    let audit = &open(Channel::Blue)[0];
    assert_eq!(audit.task_type, TaskType::PostClearanceAudit);
    assert_eq!(audit.due, Some(date!(2026 - 12 - 20)));
    assert_eq!(open(Channel::Red)[0].due, None);
    assert_eq!(open(Channel::Yellow)[0].explanation, "why");
}

#[test]
fn the_state_table_allows_exactly_the_documented_steps() {
    use TaskState::*;
    let allowed = [
        (Open, Allocated),
        (Open, Cancelled),
        (Allocated, InProgress),
        (Allocated, Cancelled),
        (InProgress, Completed),
        (InProgress, Cancelled),
    ];
    for from in TaskState::ALL {
        for to in TaskState::ALL {
            let legal = allowed.contains(&(from, to));
            assert_eq!(from.step(to).is_ok(), legal, "{from:?} -> {to:?}");
        }
    }
}

#[test]
fn an_illegal_step_names_the_current_and_the_allowed_states() {
    let err = TaskState::Open.step(TaskState::Completed).unwrap_err();
    assert_eq!(err.current, "open");
    assert_eq!(err.requested, "completed");
    assert_eq!(err.allowed, vec!["allocated", "cancelled"]);
    assert!(err
        .to_string()
        .contains("allowed next: allocated, cancelled"));
    let done = TaskState::Completed.step(TaskState::Open).unwrap_err();
    assert!(done.allowed.is_empty());
    assert!(done.to_string().contains("none (final state)"));
}

#[test]
fn a_task_records_its_steps_and_timings() {
    let mut t = task(1, Channel::Yellow);
    t.allocate(UserId(3), None, now() + Duration::minutes(2))
        .unwrap();
    t.start(now() + Duration::minutes(15)).unwrap();
    assert_eq!(t.time_to_start(), Some(Duration::minutes(15)));
    assert_eq!(t.time_to_complete(), None);
    t.complete(now() + Duration::minutes(70)).unwrap();
    assert_eq!(t.time_to_complete(), Some(Duration::minutes(70)));
    assert_eq!(t.state, TaskState::Completed);
    assert!(t.is_allocated_to(UserId(3)));
    assert!(!t.is_allocated_to(UserId(4)));
}

#[test]
fn a_physical_examination_needs_a_chief() {
    let mut t = task(1, Channel::Red);
    assert_eq!(
        t.allocate(UserId(3), None, now()),
        Err(TaskError::OfficerMissing)
    );
    assert_eq!(t.state, TaskState::Open);
    t.allocate(UserId(3), Some(UserId(100)), now()).unwrap();
    assert_eq!(t.chief, Some(UserId(100)));
}

#[test]
fn cancelling_needs_a_reason_and_a_live_task() {
    let mut t = task(1, Channel::Yellow);
    assert_eq!(t.cancel("  ", now()), Err(TaskError::ReasonRequired));
    t.cancel("declaration invalidated by the declarant", now())
        .unwrap();
    assert_eq!(
        t.cancel_reason.as_deref(),
        Some("declaration invalidated by the declarant")
    );
    let again = t.cancel("twice", now()).unwrap_err();
    assert!(matches!(again, TaskError::Illegal(e) if e.current == "cancelled"));
}

#[test]
fn steps_cannot_go_back_in_time() {
    let mut t = task(1, Channel::Yellow);
    t.allocate(UserId(3), None, now() + Duration::hours(1))
        .unwrap();
    assert_eq!(t.start(now()), Err(TaskError::TimeBeforePrevious));
    assert_eq!(t.state, TaskState::Allocated);
}

#[test]
fn tasks_serialise_with_written_states_and_dates() {
    let t = task(7, Channel::Blue);
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["state"], "open");
    assert_eq!(json["task_type"], "post-clearance-audit");
    assert_eq!(json["due"], "2027-02-18");
    assert_eq!(json["opened_at"], "2026-11-20T10:00:00Z");
    let back: tamga_control::task::ControlTask = serde_json::from_value(json).unwrap();
    assert_eq!(back, t);
}

#[test]
fn officers_see_only_their_own_tasks_and_supervisors_their_offices() {
    let mut mine = task(1, Channel::Red);
    mine.allocate(UserId(3), Some(UserId(100)), now()).unwrap();
    let unallocated = task(2, Channel::Yellow);
    let tashkent = [office()];
    let samarkand = [Locode::parse("UZSKD").unwrap()];
    let see = |role, id, offices: &[Locode], t| {
        may_see(
            t,
            &Viewer {
                role,
                id: UserId(id),
                offices,
            },
        )
    };
    assert!(see(Role::Officer, 3, &[], &mine));
    assert!(see(Role::Officer, 100, &[], &mine));
    assert!(!see(Role::Officer, 4, &tashkent, &mine));
    assert!(!see(Role::Officer, 3, &tashkent, &unallocated));
    assert!(see(Role::Supervisor, 9, &tashkent, &unallocated));
    assert!(!see(Role::Supervisor, 9, &samarkand, &mine));
    assert!(see(Role::Admin, 1, &[], &unallocated));
    for role in [Role::Declarant, Role::Analyst, Role::Lab] {
        assert!(!see(role, 3, &tashkent, &mine), "{role:?}");
    }
}

proptest! {
    /// Whatever steps are tried, a task only ever moves along the table and final states stay.
    #[test]
    fn random_steps_follow_the_table(steps in proptest::collection::vec(0usize..5, 0..20)) {
        let mut state = TaskState::Open;
        for i in steps {
            let to = TaskState::ALL[i];
            match state.step(to) {
                Ok(next) => { prop_assert!(state.next().contains(&to)); state = next; }
                Err(e) => {
                    prop_assert_eq!(e.current, state.as_str());
                    prop_assert!(!state.next().contains(&to));
                }
            }
        }
    }
}
