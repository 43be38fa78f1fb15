//! What opening and drawing control tasks in the lodgement's transaction costs: lodgements per
//! second, 16 at a time, with a targeting decision that opens no task (what every
//! lodgement cost before control: the baseline), with a yellow decision at an office where
//! nobody is on duty (the task is only opened), and with a yellow decision drawn among 500
//! officers on duty; and the time of one draw-only allocation at 500 officers (a supervisor's
//! `allocate` of an open task, which reads the roster and draws in its own transaction).
//!
//! The three kinds run in turn, `ROUNDS` times on one growing database, and each is reported by
//! its median: a single run of each on a shared disk varied by 15 points.
//!
//! `cargo bench --workspace --bench lodge_control` (add `--profile dev` for a quick look). With
//! `TAMGA_TEST_DATABASE_URL` set (e.g. `postgres://postgres@127.0.0.1:5432/postgres`) the same
//! runs follow on PostgreSQL, in a throwaway database, 16 connections.
//!
//! On a small virtual machine most of the spread comes from the hand-offs between the threads
//! (the callers, the writer and SQLite's connection thread) landing on different cores: on
//! 2 cores, runs varied by up to 20 points. Run the built benchmark under `taskset -c 1` as well
//! to compare the work itself: every thread on one core, runs then agree within a point or two.

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::{block_on, decision, lodge_all, median, user, LODGEMENTS};
use tamga_control::allocation::{Group, Officer, Shift};
use tamga_control::task::TaskState;
use tamga_control::UserId;
use tamga_core::codes::Locode;
use tamga_core::role::Role;
use tamga_store::control::{TaskOutcome, TaskQuery, TaskStep};
use tamga_store::Store;

const OFFICERS: usize = 500;
const ROUNDS: usize = 5;
/// An office where nobody is rostered: its tasks are opened and wait.
const UNSTAFFED: &str = "UZSKD";

/// Puts `OFFICERS` officers on duty at `office`, 25 of them chief examiners.
async fn roster(store: &dyn Store, office: &str) {
    let now = tamga_store::sql::now();
    for i in 0..OFFICERS {
        let u = user(store, &format!("{office}-officer-{i}"), Role::Officer).await;
        let group = if i < 25 {
            Group::ChiefExaminer
        } else {
            Group::Examiner
        };
        let office = Locode::parse(office).unwrap();
        let id = UserId(u.id);
        store
            .set_officer(Officer {
                id,
                office,
                section: "import".into(),
                group,
                suspended: false,
            })
            .await
            .unwrap();
        let shift = Shift {
            officer: id,
            start: now - time::Duration::hours(1),
            end: now + time::Duration::hours(8),
        };
        store.add_shift(shift).await.unwrap();
    }
}

fn main() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = tamga_store::sqlite::SqliteStore::open(dir.path());
        measure("SQLite", Arc::new(sqlite.await.unwrap())).await;
        if std::env::var_os("TAMGA_TEST_DATABASE_URL").is_some() {
            let url = tamga_store::testing::fresh_database().await;
            let postgres = tamga_store::postgres::PgStore::connect(&url, 16);
            measure("PostgreSQL", Arc::new(postgres.await.unwrap())).await;
        }
    });
}

/// The three kinds of lodgement in turn, then the allocation of open tasks, on one store.
async fn measure(backend: &str, store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer).await;
    let supervisor = user(&*store, "supervisor", Role::Supervisor).await;
    roster(&*store, "UZTAS").await;
    let mut rates: [Vec<f64>; 3] = Default::default();
    for round in 0..ROUNDS {
        // A channel the store does not know opens no task: the lodgement as before control.
        let none = Some(decision("UZTAS", "none", 50));
        let opened = Some(decision(UNSTAFFED, "yellow", 50));
        let drawn = Some(decision("UZTAS", "yellow", 50));
        let kinds = [
            ("BASE", "UZTAS", none),
            ("OPEN", UNSTAFFED, opened),
            ("DRAW", "UZTAS", drawn),
        ];
        for (rate, (prefix, office, risk)) in rates.iter_mut().zip(kinds) {
            let prefix = format!("{prefix}{round}");
            rate.push(lodge_all(store.clone(), &lodger, (&prefix, office), risk).await);
        }
    }
    let [baseline, opened, drawn] = rates.map(median);
    println!("lodgements/s on {backend}, median of {ROUNDS} runs of {LODGEMENTS} lodgements, 16 at a time:");
    println!("  decision opening no task (baseline):   {baseline:8.0}");
    println!(
        "  yellow, task opened, nobody on duty:   {opened:8.0} ({:+.1} %)",
        (opened / baseline - 1.0) * 100.0
    );
    println!(
        "  yellow, drawn among {OFFICERS} on duty:       {drawn:8.0} ({:+.1} %)",
        (drawn / baseline - 1.0) * 100.0
    );
    // What the draw adds to one lodgement's time on the writer, against the baseline.
    let each = (1.0 / drawn - 1.0 / baseline) * 1000.0;
    println!(
        "allocation of a new task in its lodgement at {OFFICERS} officers on duty: {each:.3} ms"
    );
    // The tasks left open where nobody was on duty, once officers are.
    roster(&*store, UNSTAFFED).await;
    let open: Vec<i64> = store
        .office_tasks(&TaskQuery {
            office: Some(UNSTAFFED.into()),
            state: Some(TaskState::Open),
            after: None,
            limit: 200,
        })
        .await
        .unwrap()
        .tasks
        .iter()
        .take(200)
        .map(|t| t.id)
        .collect();
    let start = Instant::now();
    for id in &open {
        let outcome = store
            .task_step(*id, &supervisor, TaskStep::Allocate)
            .await
            .unwrap();
        assert!(matches!(outcome, TaskOutcome::Done(_)), "{outcome:?}");
    }
    let each = start.elapsed().as_secs_f64() * 1000.0 / open.len() as f64;
    println!("allocation of an open task at {OFFICERS} officers on duty (roster read, draw, writes, commit): {each:.3} ms");
}
