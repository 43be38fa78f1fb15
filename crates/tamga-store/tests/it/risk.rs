//! The targeting center's records: versioned documents, decisions stored with the lodgement,
//! inspection outcomes and the rows the statistics are computed from.

use std::sync::Arc;

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
