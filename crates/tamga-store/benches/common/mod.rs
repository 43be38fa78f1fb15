//! What the store benchmarks share: a user, a targeting decision, and the timed lodgement of
//! `LODGEMENTS` declarations 16 at a time. (A folder, so that cargo does not take it for a
//! benchmark of its own.)

use std::sync::Arc;
use std::time::Instant;

use tamga_core::role::Role;
use tamga_store::risk::RiskRecord;
use tamga_store::{token, LodgeOutcome, Lodgement, NewUser, Store, User};

const SAMPLE: &str = include_str!("../../../../examples/declaration.json");
pub const LODGEMENTS: usize = 2_000;

/// A decision on `channel` at `office` today, opening what that channel opens.
pub fn decision(office: &str, channel: &str, score: i64) -> RiskRecord {
    RiskRecord {
        office: office.into(),
        channel: channel.into(),
        score,
        random: false,
        day: time::OffsetDateTime::now_utc().date(),
        document: r#"{"summary":"bench"}"#.into(),
        profiles: vec![],
        claim: None,
    }
}

pub async fn user(store: &dyn Store, name: &str, role: Role) -> User {
    let new = NewUser {
        name: name.into(),
        role,
        party_id: None,
        token_hash: token::hash(&token::generate()),
    };
    store.create_user(new).await.unwrap()
}

/// Lodges `LODGEMENTS` declarations at `office` with LRNs `{prefix}-{n}`, each with `risk` if
/// given, 16 at a time; returns lodgements per second.
pub async fn lodge_all(
    store: Arc<dyn Store>,
    by: &User,
    (prefix, office): (&str, &str),
    risk: Option<RiskRecord>,
) -> f64 {
    let mut draft: tamga_core::draft::DeclarationDraft = serde_json::from_str(SAMPLE).unwrap();
    draft.customs_office = Some(office.into());
    let at = time::OffsetDateTime::now_utc();
    let reference = tamga_core::refdata::ReferenceData::embedded();
    let mut lodgements = Vec::with_capacity(LODGEMENTS);
    for i in 0..LODGEMENTS {
        let mut d = draft.clone();
        d.lrn = Some(format!("{prefix}-{i}"));
        let declaration = tamga_core::validate::validate(&d, reference, at).unwrap();
        let fingerprint = declaration.fingerprint(true);
        let l = Lodgement::new(declaration, fingerprint, by.clone(), at, None);
        lodgements.push(match &risk {
            Some(r) => l.with_risk(r.clone()),
            None => l,
        });
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

/// The median of a benchmark's runs.
pub fn median(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(f64::total_cmp);
    runs[runs.len() / 2]
}

/// Runs a benchmark's body on a multi-threaded runtime, as a server runs the store.
pub fn block_on<F: std::future::Future>(body: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(body)
}
