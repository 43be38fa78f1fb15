//! Examiner allocation: weighted shares, who is never drawn, replay, reallocation, suspension.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use tamga_control::allocation::{
    allocate, check_suspension, declaration_weight, reallocate, replay, weight, workloads,
    Allocation, Candidate, DrawContext, DrawError, Duty, Group, SuspendError,
};
use tamga_control::task::{Channel, TaskState};
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use tamga_core::role::Role;
use time::Duration;

use crate::fixture::{conflict, now, officer, roster, shift, task, SECRET};

fn parties() -> Vec<PartyId> {
    crate::fixture::declaration().party_ids().cloned().collect()
}

fn context<'a>(
    duty: &'a Duty,
    loads: &'a BTreeMap<UserId, u64>,
    parties: &'a [PartyId],
) -> DrawContext<'a> {
    DrawContext {
        secret: SECRET,
        duty,
        loads,
        at: now(),
        parties,
    }
}

fn drawn(allocation: &Allocation) -> (UserId, Option<UserId>) {
    match allocation {
        Allocation::Drawn { examiner, chief } => {
            (examiner.chosen, chief.as_ref().map(|c| c.chosen))
        }
        other => panic!("expected a draw, got {other:?}"),
    }
}

/// Workloads are held fixed over the 20,000 draws (no task completes, none is added), so each
/// examiner's expected share is exactly its weight over the sum of the weights.
#[test]
fn shares_follow_the_workload_weights_within_two_points() {
    let roster = roster(8, 0);
    let loads: BTreeMap<UserId, u64> = [
        (1, 0),
        (2, 0),
        (3, 15),
        (4, 50),
        (5, 50),
        (6, 100),
        (7, 250),
        (8, 600),
    ]
    .into_iter()
    .map(|(id, w)| (UserId(id), w))
    .collect();
    let parties = parties();
    let duty = Duty::new(&roster);
    let ctx = context(&duty, &loads, &parties);
    let t = task(1, Channel::Yellow);
    let mut counts: BTreeMap<UserId, u32> = BTreeMap::new();
    let n = 20_000;
    for i in 0..n {
        let (examiner, _) = drawn(&allocate(&ctx, &t, &format!("26UZTAS{i:011}/1")));
        *counts.entry(examiner).or_default() += 1;
    }
    let total: u64 = loads.values().map(|w| weight(*w)).sum();
    for (id, load) in &loads {
        let expected = weight(*load) as f64 / total as f64;
        let share = f64::from(counts.get(id).copied().unwrap_or(0)) / f64::from(n);
        assert!(
            (share - expected).abs() < 0.02,
            "{id}: share {share:.4}, expected {expected:.4}"
        );
    }
    // The formula itself: idle is twice as likely as one typical declaration (50 units).
    assert_eq!(weight(0) / weight(50), 2);
}

#[test]
fn chiefs_are_drawn_for_red_from_their_own_group() {
    let roster = roster(5, 3);
    let loads = BTreeMap::new();
    let parties = parties();
    let duty = Duty::new(&roster);
    let ctx = context(&duty, &loads, &parties);
    let red = task(1, Channel::Red);
    let mut chiefs = BTreeSet::new();
    for i in 0..300 {
        let (examiner, chief) = drawn(&allocate(&ctx, &red, &format!("k{i}")));
        assert!((1..=5).contains(&examiner.0));
        chiefs.insert(chief.unwrap().0);
    }
    assert_eq!(chiefs, BTreeSet::from([100, 101, 102]));
    let (_, none) = drawn(&allocate(&ctx, &task(2, Channel::Yellow), "k"));
    assert_eq!(none, None);
}

#[test]
fn conflicted_off_duty_suspended_and_foreign_officers_are_never_drawn() {
    let mut roster = roster(6, 0);
    roster.conflicts.push(conflict(1, "UZ305123456")); // the declarant
    roster.conflicts.push(conflict(2, "CN91310000MA1")); // the exporter
    roster.conflicts.push(conflict(3, "UZ999999999")); // another trader: no bar here
    roster.shifts.retain(|s| s.officer != UserId(4));
    roster.shifts.push(tamga_control::allocation::Shift {
        start: now() + Duration::hours(1),
        ..shift(4)
    }); // starts later
    roster
        .officers
        .iter_mut()
        .find(|o| o.id == UserId(5))
        .unwrap()
        .suspended = true;
    let mut foreign = officer(7, Group::Examiner);
    foreign.office = Locode::parse("UZSKD").unwrap();
    roster.officers.push(foreign);
    roster.shifts.push(shift(7));
    let loads = BTreeMap::new();
    let parties = parties();
    let duty = Duty::new(&roster);
    let ctx = context(&duty, &loads, &parties);
    let t = task(1, Channel::Yellow);
    let seen: BTreeSet<i64> = (0..2_000)
        .map(|i| drawn(&allocate(&ctx, &t, &format!("key-{i}"))).0 .0)
        .collect();
    assert_eq!(seen, BTreeSet::from([3, 6]));
}

#[test]
fn nobody_eligible_leaves_the_task_open() {
    let mut roster = roster(2, 0);
    roster.shifts.clear();
    let loads = BTreeMap::new();
    let parties = parties();
    let duty = Duty::new(&roster);
    let ctx = context(&duty, &loads, &parties);
    assert_eq!(
        allocate(&ctx, &task(1, Channel::Yellow), "k"),
        Allocation::NoExaminerOnDuty
    );
    let only_examiners = crate::fixture::roster(2, 0);
    let duty = Duty::new(&only_examiners);
    let ctx = context(&duty, &loads, &parties);
    assert_eq!(
        allocate(&ctx, &task(1, Channel::Red), "k"),
        Allocation::NoChiefOnDuty
    );
}

#[test]
fn a_recorded_draw_replays_to_the_same_officer() {
    let roster = roster(40, 4);
    let loads: BTreeMap<UserId, u64> = (1..=40).map(|i| (UserId(i), (i as u64 * 7) % 90)).collect();
    let parties = parties();
    let duty = Duty::new(&roster);
    let ctx = context(&duty, &loads, &parties);
    for i in 0..200 {
        let Allocation::Drawn { examiner, chief } =
            allocate(&ctx, &task(i, Channel::Red), &format!("mrn/{i}"))
        else {
            panic!("no draw");
        };
        // The auditor works from the stored record only, after a JSON round trip.
        let stored = serde_json::to_string(&examiner).unwrap();
        let record: tamga_control::allocation::Draw = serde_json::from_str(&stored).unwrap();
        assert_eq!(
            replay(SECRET, &record.key, &record.candidates),
            Some(examiner.chosen)
        );
        assert!(record.verify(SECRET));
        assert!(chief.unwrap().verify(SECRET));
        let mut forged = record.clone();
        forged.chosen = record
            .candidates
            .iter()
            .map(|c| c.officer)
            .find(|o| *o != record.chosen)
            .unwrap();
        assert!(!forged.verify(SECRET));
    }
}

#[test]
fn the_secret_decides_the_draw() {
    let candidates: Vec<Candidate> = (1..=50)
        .map(|i| Candidate {
            officer: UserId(i),
            workload: 0,
            weight: weight(0),
        })
        .collect();
    let differing = (0..100)
        .filter(|i| {
            let key = format!("k{i}");
            replay(b"secret one", &key, &candidates) != replay(b"secret two", &key, &candidates)
        })
        .count();
    assert!(
        differing > 80,
        "only {differing} of 100 draws depend on the secret"
    );
    assert_eq!(replay(SECRET, "k", &[]), None);
}

#[test]
fn reallocation_needs_a_supervisor_and_a_reason_and_draws_someone_else() {
    let roster = roster(3, 0);
    let loads = BTreeMap::new();
    let parties = parties();
    let duty = Duty::new(&roster);
    let ctx = context(&duty, &loads, &parties);
    let mut t = task(1, Channel::Yellow);
    let supervisor = (Role::Supervisor, UserId(900));
    assert_eq!(
        reallocate(&ctx, &t, Group::Examiner, supervisor, "ill", "k").unwrap_err(),
        DrawError::NotAllocated("open")
    );
    t.allocate(UserId(2), None, now()).unwrap();
    for role in [
        Role::Officer,
        Role::Declarant,
        Role::Lab,
        Role::Analyst,
        Role::Admin,
    ] {
        let refused = reallocate(&ctx, &t, Group::Examiner, (role, UserId(2)), "ill", "k");
        assert_eq!(
            refused.unwrap_err(),
            DrawError::NotSupervisor(role.as_str())
        );
    }
    let refused = reallocate(&ctx, &t, Group::Examiner, supervisor, " \t", "k");
    assert_eq!(refused.unwrap_err(), DrawError::ReasonRequired);
    for i in 0..100 {
        let done = reallocate(
            &ctx,
            &t,
            Group::Examiner,
            supervisor,
            "examiner fell ill",
            &format!("k{i}"),
        )
        .unwrap();
        assert_eq!(done.replaced, Some(UserId(2)));
        assert_ne!(done.draw.chosen, UserId(2));
        assert!(done.draw.verify(SECRET));
        assert_eq!(done.reason, "examiner fell ill");
        let mut moved = t.clone();
        done.apply(&mut moved);
        assert_eq!(
            (moved.examiner, moved.state),
            (Some(done.draw.chosen), TaskState::Allocated)
        );
    }
    let alone = crate::fixture::roster(1, 0);
    let duty = Duty::new(&alone);
    let ctx = context(&duty, &loads, &parties);
    let mut t = task(2, Channel::Yellow);
    t.allocate(UserId(1), None, now()).unwrap();
    let none = reallocate(&ctx, &t, Group::Examiner, supervisor, "ill", "k");
    assert_eq!(none.unwrap_err(), DrawError::NoCandidate);
}

#[test]
fn workload_counts_active_tasks_by_asycuda_weight() {
    assert_eq!(declaration_weight(1), 15);
    assert_eq!(declaration_weight(8), 50);
    let mut tasks = Vec::new();
    for (id, state) in [
        (1, TaskState::Allocated),
        (2, TaskState::InProgress),
        (3, TaskState::Completed),
        (4, TaskState::Cancelled),
        (5, TaskState::Open),
    ] {
        let mut t = task(id, Channel::Red);
        t.weight = declaration_weight(id as usize);
        t.state = state;
        t.examiner = Some(UserId(1));
        t.chief = Some(UserId(100));
        tasks.push(t);
    }
    let loads = workloads(&tasks);
    assert_eq!(loads.get(&UserId(1)), Some(&(15 + 20)));
    assert_eq!(loads.get(&UserId(100)), Some(&(15 + 20)));
}

#[test]
fn a_supervisor_suspends_only_an_examiner_with_no_open_task() {
    let mut t = task(11, Channel::Yellow);
    t.allocate(UserId(1), None, now()).unwrap();
    let mut other = task(12, Channel::Yellow);
    other.allocate(UserId(2), None, now()).unwrap();
    let tasks = vec![t.clone(), other];
    assert_eq!(
        check_suspension(Role::Supervisor, UserId(1), &tasks),
        Err(SuspendError::OpenTasks(vec![11]))
    );
    assert_eq!(
        check_suspension(Role::Officer, UserId(3), &tasks),
        Err(SuspendError::NotSupervisor("officer"))
    );
    assert_eq!(
        check_suspension(Role::Supervisor, UserId(3), &tasks),
        Ok(())
    );
    t.start(now()).unwrap();
    t.complete(now()).unwrap();
    assert_eq!(check_suspension(Role::Supervisor, UserId(1), &[t]), Ok(()));
}

proptest! {
    #[test]
    fn lighter_officers_never_weigh_less(a in 0u64..1_000_000, b in 0u64..1_000_000) {
        prop_assert!(weight(a) > 0);
        if a <= b { prop_assert!(weight(a) >= weight(b)); }
    }

    /// Any key draws one of the candidates, and only one with a weight.
    #[test]
    fn a_draw_is_always_a_weighted_candidate(key in ".{0,40}", weights in proptest::collection::vec(0u64..10_000, 1..30)) {
        let candidates: Vec<Candidate> = weights.iter().enumerate()
            .map(|(i, w)| Candidate { officer: UserId(i as i64), workload: 0, weight: *w })
            .collect();
        match replay(SECRET, &key, &candidates) {
            Some(chosen) => prop_assert!(candidates.iter().any(|c| c.officer == chosen && c.weight > 0)),
            None => prop_assert!(weights.iter().all(|w| *w == 0)),
        }
    }
}
