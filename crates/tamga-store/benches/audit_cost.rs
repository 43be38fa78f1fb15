//! What the tamper-evident audit log costs a lodgement: lodgements per second with and without
//! it, in one run, on SQLite (and on PostgreSQL when `TAMGA_TEST_DATABASE_URL` is set), 16 at a
//! time, alternating rounds on the same database so that its growth weighs on both alike.
//! The audit log is turned off by a benchmark knob (`bench-knobs` feature) no server has.
//!
//! `cargo bench -p tamga-store --bench audit_cost --features bench-knobs`

mod common;

use std::sync::Arc;

use common::{block_on, decision, lodge_all, median, user, LODGEMENTS};
use tamga_core::role::Role;
use tamga_store::Store;

const ROUNDS: usize = 3;

async fn measure(name: &str, store: Arc<dyn Store>) {
    let by = user(&*store, "lodger", Role::Officer).await;
    let green = || Some(decision("UZTAS", "green", 0));
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        tamga_store::bench_knobs::set_audit_off(false);
        let (on, off) = (format!("ON{round}"), format!("OFF{round}"));
        with.push(lodge_all(store.clone(), &by, (&on, "UZTAS"), green()).await);
        tamga_store::bench_knobs::set_audit_off(true);
        without.push(lodge_all(store.clone(), &by, (&off, "UZTAS"), green()).await);
    }
    tamga_store::bench_knobs::set_audit_off(false);
    println!(
        "{name}: {LODGEMENTS} lodgements a round, 16 at a time, {ROUNDS} rounds each, alternating"
    );
    println!(
        "  with the audit log:    {with:.0?} lodgements/s (median {:.0})",
        median(with.clone())
    );
    println!(
        "  without the audit log: {without:.0?} lodgements/s (median {:.0})",
        median(without.clone())
    );
    let cost = (1.0 - median(with) / median(without)) * 100.0;
    println!("  cost of the audit log: {cost:.1} % of the throughput");
}

fn main() {
    block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let sqlite = tamga_store::sqlite::SqliteStore::open(dir.path())
            .await
            .unwrap();
        measure("SQLite", Arc::new(sqlite)).await;
        if std::env::var_os("TAMGA_TEST_DATABASE_URL").is_some() {
            let db = tamga_store::testing::TestStore::postgres().await;
            measure("PostgreSQL", db.store.clone()).await;
        }
    });
}
