//! What the tamper-evident audit log costs a lodgement: lodgements per second with and without
//! it, in one run, on SQLite (and on PostgreSQL when `TAMGA_TEST_DATABASE_URL` is set), 16 at a
//! time, alternating rounds on the same database so that its growth weighs on both alike.
//! The audit log is turned off by a benchmark knob (`bench-knobs` feature) no server has.
//!
//! `cargo bench -p tamga-store --bench audit_cost --features bench-knobs`

use std::sync::Arc;
use std::time::Instant;

use tamga_core::role::Role;
use tamga_store::risk::RiskRecord;
use tamga_store::{token, LodgeOutcome, Lodgement, NewUser, Store, User};

const SAMPLE: &str = include_str!("../../../examples/declaration.json");
const LODGEMENTS: usize = 2_000;
const ROUNDS: usize = 3;

fn decision() -> RiskRecord {
    RiskRecord {
        office: "UZTAS".into(),
        channel: "green".into(),
        score: 0,
        random: false,
        day: time::OffsetDateTime::now_utc().date(),
        document: r#"{"summary":"bench"}"#.into(),
        profiles: vec![],
        claim: None,
    }
}

async fn lodger(store: &dyn Store) -> User {
    let new = NewUser {
        name: "lodger".into(),
        role: Role::Officer,
        party_id: None,
        token_hash: token::hash(&token::generate()),
    };
    store.create_user(new).await.unwrap()
}

/// Lodges `LODGEMENTS` declarations, 16 at a time; returns lodgements per second.
async fn lodge_all(store: Arc<dyn Store>, by: &User, prefix: &str) -> f64 {
    let draft: tamga_core::draft::DeclarationDraft = serde_json::from_str(SAMPLE).unwrap();
    let at = time::OffsetDateTime::now_utc();
    let reference = tamga_core::refdata::ReferenceData::embedded();
    let mut lodgements = Vec::with_capacity(LODGEMENTS);
    for i in 0..LODGEMENTS {
        let mut d = draft.clone();
        d.lrn = Some(format!("{prefix}-{i}"));
        let declaration = tamga_core::validate::validate(&d, reference, at).unwrap();
        let fingerprint = declaration.fingerprint(true);
        let l = Lodgement::new(declaration, fingerprint, by.clone(), at, None);
        lodgements.push(l.with_risk(decision()));
    }
    let start = Instant::now();
    let mut running = tokio::task::JoinSet::new();
    for l in lodgements {
        if running.len() >= 16 {
            running.join_next().await.unwrap().unwrap();
        }
        let store = store.clone();
        running.spawn(async move {
            let outcome = store.lodge(l).await.unwrap();
            assert!(matches!(outcome, LodgeOutcome::Accepted(_)));
        });
    }
    while let Some(done) = running.join_next().await {
        done.unwrap();
    }
    LODGEMENTS as f64 / start.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn measure(name: &str, store: Arc<dyn Store>) {
    let by = lodger(&*store).await;
    let (mut with, mut without) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        tamga_store::bench_knobs::set_audit_off(false);
        with.push(lodge_all(store.clone(), &by, &format!("ON{round}")).await);
        tamga_store::bench_knobs::set_audit_off(true);
        without.push(lodge_all(store.clone(), &by, &format!("OFF{round}")).await);
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
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
