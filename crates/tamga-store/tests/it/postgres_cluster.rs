//! Two servers on one PostgreSQL database: MRN serials, LRN uniqueness and the daily red
//! capacity hold across them.

use std::collections::HashSet;
use std::sync::Arc;

use tamga_core::role::Role;
use tamga_store::postgres::PgStore;
use tamga_store::testing::TestStore;
use tamga_store::{LodgeOutcome, Store};

use crate::fixtures::{declaration, lodgement, user};
use crate::risk::red;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_share_serials_and_lrns() {
    let db = TestStore::postgres().await;
    let url = db.url.clone().unwrap();
    let first: Arc<dyn Store> = db.store.clone();
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&url, 8).await.unwrap());
    let broker = user(&*first, "broker", Role::Declarant, Some("UZ305123456")).await;
    let mut tasks = Vec::new();
    for i in 0..300 {
        let store = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        let broker = broker.clone();
        // Each LRN goes to both servers at once.
        let lrn = format!("P-{}", i / 2);
        tasks.push(tokio::spawn(async move {
            store
                .lodge(lodgement(declaration(&lrn), &broker))
                .await
                .unwrap()
        }));
    }
    let mut mrns = HashSet::new();
    let mut resubmitted = 0;
    for task in tasks {
        match task.await.unwrap() {
            LodgeOutcome::Accepted(r) => assert!(mrns.insert(r.mrn), "an MRN was assigned twice"),
            LodgeOutcome::Resubmitted(_) => resubmitted += 1,
            LodgeOutcome::LrnTaken { mrn } => panic!("identical content refused: {mrn}"),
        }
    }
    assert_eq!(mrns.len(), 150);
    assert_eq!(resubmitted, 150);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_never_exceed_the_red_capacity_together() {
    let db = TestStore::postgres().await;
    let url = db.url.clone().unwrap();
    let first: Arc<dyn Store> = db.store.clone();
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&url, 8).await.unwrap());
    let officer = user(&*first, "olim", Role::Officer, None).await;
    let day = time::macros::date!(2026 - 11 - 26);
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = [first.clone(), second.clone()][i % 2].clone();
        let l = lodgement(declaration(&format!("CAP-{i}")), &officer).with_risk(red(
            "UZTAS",
            day,
            Some(7),
            false,
        ));
        tasks.push(tokio::spawn(async move { store.lodge(l).await.unwrap() }));
    }
    let mut reds = 0;
    for task in tasks {
        let LodgeOutcome::Accepted(record) = task.await.unwrap() else {
            panic!("not accepted")
        };
        reds += usize::from(record.channel.as_deref() == Some("red"));
    }
    assert_eq!(reds, 7, "the day's capacity is 7 reds across both servers");
    assert_eq!(
        second.red_counts(day).await.unwrap(),
        [("UZTAS".to_owned(), 7)]
    );
}

/// Two servers drawing at one office: each keeps the roster in memory, yet a draw on one sees
/// the workloads the other's draws added and a conflict the other recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_draw_from_one_roster() {
    use tamga_control::allocation::{Conflict, Group};
    use tamga_control::UserId;
    use tamga_core::codes::PartyId;

    use crate::control::{decided, officer};

    let db = TestStore::postgres().await;
    let url = db.url.clone().unwrap();
    let first: Arc<dyn Store> = db.store.clone();
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&url, 8).await.unwrap());
    let lodger = user(&*first, "lodger", Role::Officer, None).await;
    let a = officer(&*first, "exa-a", Group::Examiner, true).await;
    let b = officer(&*first, "exa-b", Group::Examiner, true).await;
    let mut last = None;
    for i in 0..12 {
        let store = if i % 2 == 0 { &first } else { &second };
        let l = lodgement(declaration(&format!("CL-{i}")), &lodger).with_risk(decided("yellow"));
        let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
            panic!("CL-{i} not accepted")
        };
        let task = store.tasks_of(&record.mrn).await.unwrap().remove(0);
        last = Some(store.task_draws(task.id).await.unwrap().remove(0).draw);
    }
    let total: u64 = last.unwrap().candidates.iter().map(|c| c.workload).sum();
    assert_eq!(total, 11 * 20, "each server saw the other's allocations");
    let conflict = Conflict {
        officer: UserId(a.id),
        party: PartyId::parse("CN91310000MA1").unwrap(),
    };
    second.add_conflict(conflict).await.unwrap();
    for i in 0..6 {
        let l = lodgement(declaration(&format!("CL-C-{i}")), &lodger).with_risk(decided("yellow"));
        let LodgeOutcome::Accepted(record) = first.lodge(l).await.unwrap() else {
            panic!("CL-C-{i} not accepted")
        };
        let task = first.tasks_of(&record.mrn).await.unwrap().remove(0);
        let draw = first.task_draws(task.id).await.unwrap().remove(0).draw;
        let candidates: Vec<UserId> = draw.candidates.iter().map(|c| c.officer).collect();
        assert_eq!(
            candidates,
            [UserId(b.id)],
            "the conflict recorded by the other server holds"
        );
    }
}

/// Two servers drawing at one office at once (the office's token moves after each commit,
/// outside the lodgement's transaction): every task is allocated, and once they are done, a
/// change of the roster on either server reaches both, which then weigh every draw made.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_draw_at_once() {
    use tamga_control::allocation::{Group, Shift};
    use tamga_control::task::TaskState;
    use tamga_control::UserId;

    use crate::control::{decided, officer};

    let db = TestStore::postgres().await;
    let url = db.url.clone().unwrap();
    let first: Arc<dyn Store> = db.store.clone();
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&url, 8).await.unwrap());
    let lodger = user(&*first, "lodger", Role::Officer, None).await;
    let mut examiners = Vec::new();
    for name in ["exa-a", "exa-b", "exa-c"] {
        examiners.push(officer(&*first, name, Group::Examiner, true).await);
    }
    let lodge = |store: Arc<dyn Store>, lrn: String| {
        let l = lodgement(declaration(&lrn), &lodger).with_risk(decided("yellow"));
        async move {
            let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
                panic!("{lrn} not accepted")
            };
            let task = store.tasks_of(&record.mrn).await.unwrap().remove(0);
            assert_eq!(
                task.state,
                TaskState::Allocated,
                "task {} was drawn",
                task.id
            );
            store.task_draws(task.id).await.unwrap().remove(0).draw
        }
    };
    let mut lodging = Vec::new();
    for i in 0..48 {
        let store = [first.clone(), second.clone()][i % 2].clone();
        lodging.push(tokio::spawn(lodge(store, format!("AT-{i}"))));
    }
    for done in lodging {
        done.await.unwrap();
    }
    let now = tamga_store::sql::now();
    let shift = Shift {
        officer: UserId(examiners[0].id),
        start: now + time::Duration::days(1),
        end: now + time::Duration::days(1) + time::Duration::hours(8),
    };
    second.add_shift(shift).await.unwrap();
    for (n, store) in [first.clone(), second.clone()].into_iter().enumerate() {
        let draw = lodge(store, format!("AT-AFTER-{n}")).await;
        let total: u64 = draw.candidates.iter().map(|c| c.workload).sum();
        assert_eq!(total, (48 + n as u64) * 20, "server {n} weighs every draw");
    }
}

/// The store's connections never JIT-compile: PostgreSQL would compile a short index walk
/// whose estimated cost is high (before any ANALYZE) and spend far longer compiling than
/// running it.
#[tokio::test]
async fn connections_run_without_jit() {
    use sqlx::{ConnectOptions, Row};
    let db = TestStore::postgres().await;
    let url = db.url.clone().unwrap();
    let mut conn = PgStore::connect_options(&url)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let jit: String = sqlx::query("SHOW jit")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(jit, "off");
}
