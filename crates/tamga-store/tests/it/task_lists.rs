//! The control task lists a page at a time: an office's (in every state or one), every
//! office's, and an officer's worklist, each walked page by page to its end.

use std::sync::Arc;

use tamga_control::allocation::Group;
use tamga_control::task::{ControlTask, TaskState};
use tamga_core::role::Role;
use tamga_store::control::{TaskOutcome, TaskPage, TaskQuery, TaskStep};
use tamga_store::{LodgeOutcome, Store, User};

use crate::control::{decided, officer};
use crate::fixtures::{declaration, lodgement, user};

/// Every page of a list, `limit` at a time, in order; checks that only the last page has no
/// next one and that each page is full but the last.
async fn walk<F, Fut>(limit: u32, page: F) -> Vec<ControlTask>
where
    F: Fn(Option<i64>) -> Fut,
    Fut: std::future::Future<Output = TaskPage>,
{
    let mut all = Vec::new();
    let mut after = None;
    for _ in 0..100 {
        let got = page(after).await;
        assert!(got.tasks.len() <= limit as usize);
        all.extend(got.tasks.iter().cloned());
        match got.next_after {
            Some(next) => {
                assert_eq!(
                    got.tasks.len(),
                    limit as usize,
                    "a page before the last is full"
                );
                assert_eq!(Some(next), got.tasks.last().map(|t| t.id));
                after = Some(next);
            }
            None => return all,
        }
    }
    panic!("no last page after 100: {:?}", ids(&all[..10]))
}

fn ids(tasks: &[ControlTask]) -> Vec<i64> {
    tasks.iter().map(|t| t.id).collect()
}

/// Newest opened first, then by id: the order of an office's list.
fn by_opening(tasks: &[ControlTask]) -> Vec<i64> {
    let mut sorted = tasks.to_vec();
    sorted.sort_by_key(|t| std::cmp::Reverse((t.opened_at, t.id)));
    ids(&sorted)
}

fn newest_id_first(tasks: &[ControlTask]) -> Vec<i64> {
    let mut sorted = ids(tasks);
    sorted.sort_unstable_by_key(|id| std::cmp::Reverse(*id));
    sorted
}

async fn step(store: &dyn Store, task: i64, by: &User, step: TaskStep) {
    let outcome = store.task_step(task, by, step).await.unwrap();
    assert!(matches!(outcome, TaskOutcome::Done(_)), "{outcome:?}");
}

/// Lodges red and yellow declarations (every task drawn for `exa`, red ones with `chief`) and
/// moves some of their tasks on, so that the office has tasks in four states.
async fn tasks_in_states(store: &dyn Store, exa: &User, boss: &User) -> Vec<ControlTask> {
    let lodger = user(store, "lodger", Role::Officer, None).await;
    let mut tasks = Vec::new();
    for n in 0..13 {
        let channel = if n % 3 == 0 { "red" } else { "yellow" };
        let l = lodgement(declaration(&format!("TL-{n}")), &lodger).with_risk(decided(channel));
        let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
            panic!("TL-{n} not accepted")
        };
        tasks.extend(store.tasks_of(&record.mrn).await.unwrap());
    }
    for task in tasks.iter().step_by(4) {
        step(store, task.id, exa, TaskStep::Start).await;
    }
    for task in tasks.iter().skip(1).step_by(5) {
        let cancel = TaskStep::Cancel {
            reason: "declaration invalidated".into(),
        };
        step(store, task.id, boss, cancel).await;
    }
    let mut now = Vec::new();
    for task in &tasks {
        now.push(store.task(task.id).await.unwrap().unwrap());
    }
    now
}

pub async fn task_lists_page_through_every_task(store: Arc<dyn Store>) {
    let exa = officer(&*store, "exa", Group::Examiner, true).await;
    let chief = officer(&*store, "chief", Group::ChiefExaminer, true).await;
    let boss = user(&*store, "boss", Role::Supervisor, None).await;
    let tasks = tasks_in_states(&*store, &exa, &boss).await;
    let states: std::collections::BTreeSet<&str> = tasks
        .iter()
        .map(|t| tamga_control::transition::Lifecycle::as_str(t.state))
        .collect();
    assert_eq!(
        states.len(),
        3,
        "allocated, in progress and cancelled: {states:?}"
    );

    // An office's tasks, in every state and in each.
    let office = |state: Option<TaskState>, after, limit| TaskQuery {
        office: Some("UZTAS".into()),
        state,
        after,
        limit,
    };
    let listed = walk(4, |after| {
        let store = store.clone();
        let query = office(None, after, 4);
        async move { store.office_tasks(&query).await.unwrap() }
    })
    .await;
    assert_eq!(ids(&listed), by_opening(&tasks));
    for state in TaskState::ALL {
        let listed = walk(2, |after| {
            let store = store.clone();
            let query = office(Some(state), after, 2);
            async move { store.office_tasks(&query).await.unwrap() }
        })
        .await;
        let expected: Vec<ControlTask> =
            tasks.iter().filter(|t| t.state == state).cloned().collect();
        assert_eq!(ids(&listed), by_opening(&expected), "{state:?}");
    }
    let elsewhere = store
        .office_tasks(&TaskQuery {
            office: Some("UZSKD".into()),
            ..office(None, None, 100)
        })
        .await
        .unwrap();
    assert!(elsewhere.tasks.is_empty() && elsewhere.next_after.is_none());

    // Every office's tasks, by id.
    let every = walk(5, |after| {
        let store = store.clone();
        let query = TaskQuery {
            office: None,
            ..office(None, after, 5)
        };
        async move { store.office_tasks(&query).await.unwrap() }
    })
    .await;
    assert_eq!(ids(&every), newest_id_first(&tasks));
    // Every office's tasks in each state: on SQLite the state's ids sorted (a state few tasks
    // are in) and every task walked by id (as for a state most tasks are in); on PostgreSQL its
    // planner's choice, twice.
    for few in [tamga_store::testing::DEFAULT_FEW_TASKS, 0] {
        tamga_store::testing::set_few_tasks(few);
        for state in TaskState::ALL {
            let listed = walk(2, |after| {
                let store = store.clone();
                let query = TaskQuery {
                    office: None,
                    ..office(Some(state), after, 2)
                };
                async move { store.office_tasks(&query).await.unwrap() }
            })
            .await;
            let expected: Vec<ControlTask> =
                tasks.iter().filter(|t| t.state == state).cloned().collect();
            let expected = newest_id_first(&expected);
            assert_eq!(ids(&listed), expected, "{state:?}, few below {few}");
        }
    }

    // The examiner's worklist has every task; the chief's the red ones, by id.
    for (who, expected) in [
        (&exa, tasks.clone()),
        (
            &chief,
            tasks
                .iter()
                .filter(|t| t.chief == Some(tamga_control::UserId(chief.id)))
                .cloned()
                .collect(),
        ),
    ] {
        let listed = walk(3, |after| {
            let store = store.clone();
            async move { store.worklist(who.id, after, 3).await.unwrap() }
        })
        .await;
        assert!(!expected.is_empty());
        assert_eq!(ids(&listed), newest_id_first(&expected), "{}", who.name);
    }
}
