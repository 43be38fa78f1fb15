//! The targeting center's records: versioned documents, decisions stored with the lodgement,
//! inspection outcomes and the rows the statistics are computed from.

use std::sync::Arc;

use sqlx::Connection;

use tamga_core::role::Role;
use tamga_store::risk::{kind, DocumentOutcome, Expected, NewDocument, RiskRecord, StoredOutcome};
use tamga_store::{sql, LodgeOutcome, Store};
use time::macros::date;
use time::Duration;

use crate::fixtures::{declaration, lodgement, user};

fn doc(name: &str, body: &str, expected: Expected) -> NewDocument {
    NewDocument {
        kind: kind::PROFILE,
        name: name.into(),
        document: body.into(),
        expected,
        by: "ana".into(),
        reason: "test".into(),
        at: sql::now(),
    }
}

pub async fn risk_documents_are_versioned(store: Arc<dyn Store>) {
    let saved = |o: DocumentOutcome| match o {
        DocumentOutcome::Saved(d) => d.version,
        DocumentOutcome::Conflict { latest } => panic!("conflict at {latest:?}"),
    };
    assert_eq!(
        saved(
            store
                .save_document(doc("p", r#"{"v":1}"#, Expected::New))
                .await
                .unwrap()
        ),
        1
    );
    let again = store
        .save_document(doc("p", "{}", Expected::New))
        .await
        .unwrap();
    assert!(matches!(
        again,
        DocumentOutcome::Conflict { latest: Some(1) }
    ));
    let stale = store
        .save_document(doc("p", "{}", Expected::Version(0)))
        .await
        .unwrap();
    assert!(matches!(
        stale,
        DocumentOutcome::Conflict { latest: Some(1) }
    ));
    assert_eq!(
        saved(
            store
                .save_document(doc("p", r#"{"v":2}"#, Expected::Version(1)))
                .await
                .unwrap()
        ),
        2
    );
    assert_eq!(
        saved(
            store
                .save_document(doc("q", r#"{"q":1}"#, Expected::Any))
                .await
                .unwrap()
        ),
        1
    );

    let latest = store.documents(kind::PROFILE, None, false).await.unwrap();
    let names: Vec<(&str, u32)> = latest
        .iter()
        .map(|d| (d.name.as_str(), d.version))
        .collect();
    assert_eq!(names, [("p", 2), ("q", 1)]);
    let p: serde_json::Value = serde_json::from_str(&latest[0].document).unwrap();
    assert_eq!(p, serde_json::json!({"v": 2}));
    let history = store
        .documents(kind::PROFILE, Some("p"), true)
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|d| d.version).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(
        (history[0].changed_by.as_str(), history[0].reason.as_str()),
        ("ana", "test")
    );
    assert!(store
        .documents(kind::LIST, None, false)
        .await
        .unwrap()
        .is_empty());
}

pub async fn decisions_and_outcomes_feed_the_statistics(store: Arc<dyn Store>) {
    let officer = user(&*store, "olim", Role::Officer, None).await;
    let day = date!(2026 - 11 - 22);
    let mut mrns = Vec::new();
    for (i, channel) in ["red", "red", "green"].iter().enumerate() {
        let risk = RiskRecord {
            office: "UZTAS".into(),
            channel: (*channel).into(),
            score: 70,
            random: i == 1,
            day,
            document: r#"{"summary":"red"}"#.into(),
            profiles: if i == 0 {
                vec![("guns".into(), 3), ("cn".into(), 1)]
            } else {
                vec![]
            },
            claim: None,
        };
        let l = lodgement(declaration(&format!("RISK-{i}")), &officer).with_risk(risk);
        let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
            panic!()
        };
        mrns.push(record.mrn);
    }
    let decision = store.risk_decision(&mrns[0]).await.unwrap().unwrap();
    assert_eq!(
        (decision.channel.as_str(), decision.score, decision.random),
        ("red", 70, false)
    );
    assert!(decision.outcomes.is_empty());
    assert!(store
        .risk_decision("26UZTASIM000000000")
        .await
        .unwrap()
        .is_none());

    let outcome = |doc: &str| StoredOutcome {
        recorded_by: "olim".into(),
        recorded_at: sql::now(),
        document: doc.into(),
    };
    store
        .record_outcome(&mrns[0], outcome(r#"{"n":1}"#))
        .await
        .unwrap()
        .unwrap();
    store
        .record_outcome(&mrns[0], outcome(r#"{"n":2}"#))
        .await
        .unwrap()
        .unwrap();
    assert!(store
        .record_outcome("26UZTASIM000000000", outcome("{}"))
        .await
        .unwrap()
        .is_none());
    let decision = store.risk_decision(&mrns[0]).await.unwrap().unwrap();
    assert_eq!(decision.outcomes.len(), 2);

    let now = sql::now();
    let rows = store
        .feedback(now - Duration::hours(1), now + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    let first = rows.iter().find(|r| r.mrn == mrns[0]).unwrap();
    let mut profiles = first.profiles.clone();
    profiles.sort();
    assert_eq!(profiles, [("cn".to_owned(), 1), ("guns".to_owned(), 3)]);
    assert_eq!(
        first.outcome.as_deref().map(|s| s.replace(' ', "")),
        Some(r#"{"n":2}"#.into())
    );
    assert!(rows.iter().any(|r| r.random && r.outcome.is_none()));
    let none = store
        .feedback(now + Duration::hours(1), now + Duration::hours(2))
        .await
        .unwrap();
    assert!(none.is_empty());

    assert_eq!(
        store.red_counts(day).await.unwrap(),
        [("UZTAS".to_owned(), 2)]
    );
    assert!(store
        .red_counts(date!(2026 - 11 - 23))
        .await
        .unwrap()
        .is_empty());
    let recent = store.recent_declarations(2).await.unwrap();
    assert_eq!(
        recent.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>(),
        [&mrns[2], &mrns[1]]
    );
    assert_eq!(recent[0].1.lrn.as_str(), "RISK-2");
}

pub fn red(office: &str, day: time::Date, limit: Option<u32>, must: bool) -> RiskRecord {
    let record = |channel: &str| RiskRecord {
        office: office.into(),
        channel: channel.into(),
        score: 90,
        random: false,
        day,
        document: format!(r#"{{"summary":"{channel}"}}"#),
        profiles: vec![],
        claim: None,
    };
    RiskRecord {
        claim: Some(tamga_store::risk::CapacityClaim {
            limit,
            must,
            if_reached: Box::new(record("yellow")),
        }),
        ..record("red")
    }
}

/// The daily red capacity is counted in the store: a claim past the limit stores the yellow
/// fallback, forced reds are counted past it, a resubmission claims nothing, and other days
/// and offices have their own counts.
pub async fn red_capacity_is_counted_in_the_lodgement(store: Arc<dyn Store>) {
    let officer = user(&*store, "capa", Role::Officer, None).await;
    let day = date!(2026 - 11 - 24);
    let mut channels = Vec::new();
    for (i, (office, must)) in [
        ("UZTAS", false),
        ("UZTAS", false),
        ("UZTAS", false),
        ("UZTAS", true),
        ("UZSKD", false),
    ]
    .into_iter()
    .enumerate()
    {
        let l = lodgement(declaration(&format!("CAP-{i}")), &officer).with_risk(red(
            office,
            day,
            Some(2),
            must,
        ));
        let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
            panic!("not accepted")
        };
        let stored = store.risk_decision(&record.mrn).await.unwrap().unwrap();
        assert_eq!(record.channel.as_deref(), Some(stored.channel.as_str()));
        channels.push(stored.channel);
    }
    assert_eq!(channels, ["red", "red", "yellow", "red", "red"]);
    let again = lodgement(declaration("CAP-0"), &officer).with_risk(red("UZTAS", day, None, true));
    assert!(matches!(
        store.lodge(again).await.unwrap(),
        LodgeOutcome::Resubmitted(_)
    ));
    let mut counts = store.red_counts(day).await.unwrap();
    counts.sort();
    assert_eq!(counts, [("UZSKD".to_owned(), 1), ("UZTAS".to_owned(), 3)]);
    let next_day = lodgement(declaration("CAP-9"), &officer).with_risk(red(
        "UZTAS",
        date!(2026 - 11 - 25),
        Some(2),
        false,
    ));
    let LodgeOutcome::Accepted(record) = store.lodge(next_day).await.unwrap() else {
        panic!("not accepted")
    };
    assert_eq!(
        record.channel.as_deref(),
        Some("red"),
        "a new day, a new capacity"
    );
}

/// Hit-rate tallies are kept as decisions are stored and outcomes recorded: per day and
/// subject, and a later outcome of a declaration takes its earlier one's place.
pub async fn tallies_follow_decisions_and_outcomes(store: Arc<dyn Store>) {
    use tamga_store::risk::TallyRow;
    let officer = user(&*store, "tally", Role::Officer, None).await;
    let day = date!(2026 - 11 - 27);
    let decisions = [
        (
            "red",
            false,
            vec![("guns".to_owned(), 3), ("cn".to_owned(), 1)],
        ),
        ("red", true, vec![]),
        ("green", false, vec![("cn".to_owned(), 2)]),
    ];
    let mut mrns = Vec::new();
    for (i, (channel, random, profiles)) in decisions.into_iter().enumerate() {
        let risk = RiskRecord {
            office: "UZTAS".into(),
            channel: channel.into(),
            score: 10,
            random,
            day,
            document: "{}".into(),
            profiles,
            claim: None,
        };
        let l = lodgement(declaration(&format!("TALLY-{i}")), &officer).with_risk(risk);
        let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
            panic!("not accepted")
        };
        mrns.push(record.mrn);
    }
    let find = |rows: &[TallyRow], kind: &str, profile: &str| {
        rows.iter()
            .find(|r| r.kind == kind && r.profile == profile)
            .cloned()
            .unwrap_or_else(|| panic!("no tally {kind} {profile}: {rows:?}"))
    };
    let rows = store.tallies(day, day).await.unwrap();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(find(&rows, "all", "").decided, 3);
    assert_eq!(find(&rows, "random", "").decided, 1);
    assert_eq!(find(&rows, "profile", "guns").decided, 1);
    assert_eq!(find(&rows, "profile", "cn").decided, 2);

    let outcome = |document: &str| StoredOutcome {
        recorded_by: "tally".into(),
        recorded_at: sql::now(),
        document: document.into(),
    };
    let found = r#"{"findings":[{"type":"undervaluation"}],"extra_revenue":"100.50"}"#;
    store
        .record_outcome(&mrns[0], outcome(found))
        .await
        .unwrap();
    let rows = store.tallies(day, day).await.unwrap();
    let all = find(&rows, "all", "").outcomes;
    assert_eq!((all.inspected, all.hits), (1, 1));
    assert_eq!(all.revenue.to_string(), "100.50");
    assert_eq!(all.findings.get("undervaluation"), Some(&1));
    assert_eq!(find(&rows, "profile", "guns").outcomes.hits, 1);
    assert_eq!(find(&rows, "random", "").outcomes.inspected, 0);

    store
        .record_outcome(&mrns[0], outcome(r#"{"findings":[],"extra_revenue":"0"}"#))
        .await
        .unwrap();
    let rows = store.tallies(day, day).await.unwrap();
    let all = find(&rows, "all", "").outcomes;
    assert_eq!(
        (all.inspected, all.hits),
        (1, 0),
        "the later outcome replaces the earlier"
    );
    assert!(all.revenue.is_zero() && all.findings.is_empty(), "{all:?}");
    assert_eq!(
        store.rebuild_tallies().await.unwrap(),
        0,
        "kept tallies are not rebuilt"
    );
    let next = date!(2026 - 11 - 28);
    assert!(store.tallies(next, next).await.unwrap().is_empty());
}

/// A database from before tallies were kept gets them built from its decisions and latest
/// outcomes, equal to the ones kept as they happen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tallies_are_rebuilt_for_an_older_database() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(
        tamga_store::sqlite::SqliteStore::open(dir.path())
            .await
            .unwrap(),
    );
    tallies_follow_decisions_and_outcomes(store.clone()).await;
    let day = date!(2026 - 11 - 27);
    let mut kept = store.tallies(day, day).await.unwrap();
    let mut raw = sqlx::SqliteConnection::connect(&format!(
        "sqlite://{}",
        dir.path().join(tamga_store::sqlite::FILE_NAME).display()
    ))
    .await
    .unwrap();
    sqlx::raw_sql("DELETE FROM risk_tallies")
        .execute(&mut raw)
        .await
        .unwrap();
    assert!(store.tallies(day, day).await.unwrap().is_empty());
    assert_eq!(
        store.rebuild_tallies().await.unwrap(),
        3,
        "three decisions counted"
    );
    let mut rebuilt = store.tallies(day, day).await.unwrap();
    let key = |r: &tamga_store::risk::TallyRow| (r.kind.clone(), r.profile.clone());
    kept.sort_by_key(key);
    rebuilt.sort_by_key(key);
    assert_eq!(rebuilt, kept);
}
