//! What opening and drawing control tasks in the lodgement's transaction costs: lodgements per
//! second on SQLite, 16 at a time, with a targeting decision that opens no task (what every
//! lodgement cost before control: the baseline), with a yellow decision
//! and nobody on duty (the task is only opened), and with a yellow decision drawn among 500
//! officers on duty; and the time of one draw-only allocation at 500 officers (a supervisor's
//! `allocate` of an open task, which reads the roster and draws in its own transaction).
//!
//! `cargo bench -p tamga-store --bench lodge_control` (add `--profile dev` for a quick look)

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::{decision, lodge_all, user, LODGEMENTS};
use tamga_control::allocation::{Group, Officer, Shift};
use tamga_control::UserId;
use tamga_core::codes::Locode;
use tamga_core::role::Role;
use tamga_store::control::{TaskOutcome, TaskStep};
use tamga_store::Store;

const OFFICERS: usize = 500;

async fn roster(store: &dyn Store) {
    let now = tamga_store::sql::now();
    for i in 0..OFFICERS {
        let u = user(store, &format!("officer-{i}"), Role::Officer).await;
        let group = if i < 25 {
            Group::ChiefExaminer
        } else {
            Group::Examiner
        };
        let office = Locode::parse("UZTAS").unwrap();
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(tamga_store::sqlite::SqliteStore::open(dir.path()).await.unwrap());
        let lodger = user(&*store, "lodger", Role::Officer).await;
        let supervisor = user(&*store, "supervisor", Role::Supervisor).await;
        // A channel the store does not know opens no task: the lodgement as it was before control.
        let baseline = lodge_all(store.clone(), &lodger, "BASE", Some(decision("none", 50))).await;
        let opened = lodge_all(store.clone(), &lodger, "OPEN", Some(decision("yellow", 50))).await;
        roster(&*store).await;
        let drawn = lodge_all(store.clone(), &lodger, "DRAW", Some(decision("yellow", 50))).await;
        // The database has grown by then: the baseline again, on the same database.
        let again = lodge_all(store.clone(), &lodger, "AGAIN", Some(decision("none", 50))).await;
        println!("lodgements/s on SQLite, {LODGEMENTS} lodgements, 16 at a time:");
        println!("  decision opening no task (baseline):   {baseline:8.0}");
        println!("  yellow, task opened, nobody on duty:   {opened:8.0} ({:+.1} %)", (opened / baseline - 1.0) * 100.0);
        println!("  yellow, drawn among {OFFICERS} on duty:       {drawn:8.0} ({:+.1} %)", (drawn / baseline - 1.0) * 100.0);
        println!("  baseline again, after the others:      {again:8.0}");
        // What the draw adds to one lodgement's time on the writer, against the mean baseline.
        let each = (1.0 / drawn - 2.0 / (baseline + again)) * 1000.0;
        println!("allocation of a new task in its lodgement at {OFFICERS} officers on duty: {each:.3} ms");
        // Open tasks (red with no chief on duty would do; here, tasks opened before the roster).
        let open: Vec<i64> = store.office_tasks(Some("UZTAS"), Some("open")).await.unwrap().iter().take(200).map(|t| t.id).collect();
        let start = Instant::now();
        for id in &open {
            let outcome = store.task_step(*id, &supervisor, TaskStep::Allocate).await.unwrap();
            assert!(matches!(outcome, TaskOutcome::Done(_)), "{outcome:?}");
        }
        let each = start.elapsed().as_secs_f64() * 1000.0 / open.len() as f64;
        println!("allocation of an open task at {OFFICERS} officers on duty (roster read, draw, writes, commit): {each:.3} ms");
    });
}
