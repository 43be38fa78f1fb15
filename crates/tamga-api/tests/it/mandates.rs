//! Representatives' mandates: granting and revoking them over HTTP, and the lodgement's rule
//! that a declarant account acting as representative needs a mandate valid on the day of
//! acceptance — without one, with an expired one, with one not yet valid, and with a valid one.

use axum::http::StatusCode;
use serde_json::{json, Value};
use tamga_core::role::Role;
use time::{Date, Duration, OffsetDateTime};

use crate::app::{sample, TestApp};
use crate::parties::{admin, register};

on_both_backends!(
    lodging_as_representative_needs_a_valid_mandate,
    mandates_are_granted_read_and_revoked,
);

const AGENT: &str = "UZ207654321";
const MANDATES: &str = "/api/v1/parties/UZ305123456/mandates";

fn day(offset: i64) -> String {
    let today: Date = OffsetDateTime::now_utc().date();
    (today + Duration::days(offset)).to_string()
}

/// The sample, lodged by the agent as the declarant's representative.
fn represented(lrn: &str) -> Value {
    let mut d = sample();
    d["lrn"] = json!(lrn);
    d["representative"] = json!({"id": AGENT, "name": "Toshkent Broker", "country": "UZ"});
    d
}

/// The registry with the declarant and the agent, and the agent's token.
async fn setup(app: &TestApp) -> (String, String) {
    let root = admin(app).await;
    register(app, &root, "UZ305123456", "Samarqand Savdo MChJ", "UZ").await;
    register(app, &root, AGENT, "Toshkent Broker", "UZ").await;
    let agent = app.user("agent", Role::Declarant, Some(AGENT)).await;
    (root, agent)
}

async fn grant(app: &TestApp, root: &str, body: Value) -> Value {
    let answer = app.post(MANDATES, root, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer.body
}

fn refusal(answer: &crate::app::Answer) -> String {
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(
        answer.field_errors(),
        [("/representative/id".into(), "no_mandate".into())]
    );
    answer.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn lodging_as_representative_needs_a_valid_mandate(app: TestApp) {
    let (root, agent) = setup(&app).await;
    let none = app.lodge(&agent, &represented("LRN-M-1")).await;
    assert!(refusal(&none).contains("no mandate"));

    let expired = json!({"representative": AGENT, "representation": "direct", "valid_from": day(-60), "valid_until": day(-1)});
    grant(&app, &root, expired).await;
    let after_expiry = app.lodge(&agent, &represented("LRN-M-1")).await;
    assert!(refusal(&after_expiry).contains(&format!("expired: it applied until {}", day(-1))));

    let future =
        json!({"representative": AGENT, "representation": "indirect", "valid_from": day(10)});
    grant(&app, &root, future).await;
    let too_early = app.lodge(&agent, &represented("LRN-M-1")).await;
    assert!(refusal(&too_early).contains(&format!("not yet valid: it applies from {}", day(10))));

    let valid = json!({"representative": AGENT, "representation": "direct", "valid_from": day(0), "valid_until": day(9)});
    let valid = grant(&app, &root, valid).await;
    let accepted = app.lodge(&agent, &represented("LRN-M-1")).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);

    // Revoked today, the mandate no longer lets the agent lodge; the refusal points at the
    // mandate still to come.
    let revoke = format!("{MANDATES}/{}/revoke", valid["id"]);
    let revoked = app.post(&revoke, &root, &json!({})).await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(revoked.body["valid_until"], day(-1));
    let refused = app.lodge(&agent, &represented("LRN-M-2")).await;
    assert!(refusal(&refused).contains("not yet valid"));

    // Staff lodging on behalf of anyone are not bound by mandates, nor is the declarant
    // naming a representative itself.
    let by_officer = app.lodge(&app.officer, &represented("LRN-M-3")).await;
    assert_eq!(
        by_officer.status,
        StatusCode::CREATED,
        "{}",
        by_officer.body
    );
    let by_declarant = app.lodge(&app.broker, &represented("LRN-M-4")).await;
    assert_eq!(
        by_declarant.status,
        StatusCode::CREATED,
        "{}",
        by_declarant.body
    );
}

async fn mandates_are_granted_read_and_revoked(app: TestApp) {
    let (root, agent) = setup(&app).await;
    let body =
        json!({"representative": AGENT, "representation": "direct", "valid_from": "2026-01-01"});
    let by_officer = app.post(MANDATES, &app.officer, &body).await;
    assert_eq!(by_officer.status, StatusCode::FORBIDDEN);
    let granted = grant(&app, &root, body.clone()).await;
    assert_eq!(granted["party"], "UZ305123456");
    assert!(granted.get("valid_until").is_none() || granted["valid_until"].is_null());
    let overlap = app.post(MANDATES, &root, &body).await;
    assert_eq!(overlap.status, StatusCode::CONFLICT, "{}", overlap.body);

    let unknown_rep = json!({"representative": "UZ404", "representation": "direct"});
    let refused = app.post(MANDATES, &root, &unknown_rep).await;
    assert_eq!(
        refused.field_errors(),
        [("/representative".into(), "party_not_registered".into())]
    );
    let itself = json!({"representative": "UZ305123456", "representation": "direct"});
    let refused = app.post(MANDATES, &root, &itself).await;
    assert_eq!(
        refused.field_errors(),
        [("/representative".into(), "self_mandate".into())]
    );
    let unknown_party = app
        .post("/api/v1/parties/UZ404/mandates", &root, &body)
        .await;
    assert_eq!(unknown_party.status, StatusCode::NOT_FOUND);
    let nul = json!({"representative": "uz\u{0}", "representation": "direct"});
    let refused = app.post(MANDATES, &root, &nul).await;
    assert_eq!(
        refused.field_errors(),
        [("/representative".into(), "control_character".into())]
    );
    let bad = json!({"representative": " ", "representation": "both", "valid_from": "01.01.2026", "valid_until": "soon"});
    let refused = app.post(MANDATES, &root, &bad).await;
    let pointers: Vec<String> = refused.field_errors().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        pointers,
        [
            "/representative",
            "/representation",
            "/valid_from",
            "/valid_until"
        ]
    );
    let backwards = json!({"representative": AGENT, "representation": "indirect", "valid_from": "2026-02-01", "valid_until": "2026-01-31"});
    let refused = app.post(MANDATES, &root, &backwards).await;
    assert_eq!(
        refused.field_errors(),
        [("/valid_until".into(), "before_valid_from".into())]
    );

    // The party that gave it and the representative that holds it read it; others do not.
    for token in [&app.broker, &agent, &app.officer] {
        let path = if *token == agent {
            format!("/api/v1/parties/{AGENT}/mandates")
        } else {
            MANDATES.into()
        };
        let read = app.get(&path, token).await;
        assert_eq!(read.status, StatusCode::OK, "{}", read.body);
        assert_eq!(read.body.as_array().unwrap().len(), 1);
    }
    assert_eq!(
        app.get(MANDATES, &agent).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(MANDATES, &app.stranger).await.status,
        StatusCode::NOT_FOUND
    );

    let revoke = format!("{MANDATES}/{}/revoke", granted["id"]);
    assert_eq!(
        app.post(&revoke, &app.broker, &json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let bad_day = app
        .post(&revoke, &root, &json!({"effective": "tomorrow"}))
        .await;
    assert_eq!(
        bad_day.field_errors(),
        [("/effective".into(), "invalid_date".into())]
    );
    let revoked = app
        .post(&revoke, &root, &json!({"effective": "2026-03-01"}))
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    assert_eq!(revoked.body["valid_until"], "2026-02-28");
    assert_eq!(revoked.body["revoked_by"], "root");
    let twice = app.post(&revoke, &root, &json!({})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let elsewhere = format!("/api/v1/parties/{AGENT}/mandates/{}/revoke", granted["id"]);
    assert_eq!(
        app.post(&elsewhere, &root, &json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    // Revoked, it is still on record.
    let kept = app.get(MANDATES, &app.officer).await;
    assert_eq!(kept.body[0]["valid_until"], "2026-02-28");
}

/// A representative without a mandate trying an LRN the declarant used learns nothing of the
/// declaration holding it; with a mandate, the conflict still does not name its MRN.
#[tokio::test]
async fn a_used_lrn_tells_a_representative_nothing_of_the_declarant() {
    let app = TestApp::sqlite().await;
    let (root, agent) = setup(&app).await;
    let own = app.lodge(&app.broker, &sample()).await;
    assert_eq!(own.status, StatusCode::CREATED);
    let mrn = own.body["mrn"].as_str().unwrap().to_owned();
    let mut d = represented("LRN-2026-000123");
    d["items"][0]["price"] = json!("1.00");
    let probe = app.lodge(&agent, &d).await;
    refusal(&probe);
    assert!(!probe.body.to_string().contains(&mrn), "{}", probe.body);
    assert!(
        !probe.body.to_string().contains("lrn_taken"),
        "{}",
        probe.body
    );
    let body =
        json!({"representative": AGENT, "representation": "indirect", "valid_from": day(-1)});
    grant(&app, &root, body).await;
    let conflict = app.lodge(&agent, &d).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    assert!(
        !conflict.body.to_string().contains(&mrn),
        "{}",
        conflict.body
    );
}

/// The declaration's stated representation must match the mandate's kind.
#[tokio::test]
async fn the_stated_representation_must_match_the_mandate() {
    let app = TestApp::sqlite().await;
    let (root, agent) = setup(&app).await;
    let indirect =
        json!({"representative": AGENT, "representation": "indirect", "valid_from": day(-1)});
    grant(&app, &root, indirect).await;
    let mut d = represented("LRN-KIND-1");
    d["representation"] = json!("direct");
    let refused = app.lodge(&agent, &d).await;
    assert!(refusal(&refused).contains("no mandate for direct representation"));
    d["representation"] = json!("indirect");
    let accepted = app.lodge(&agent, &d).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    let mrn = accepted.body["mrn"].as_str().unwrap();
    let stored = app
        .get(&format!("/api/v1/declarations/{mrn}"), &agent)
        .await;
    assert_eq!(stored.body["declaration"]["representation"], "indirect");
    // Stated by no one, any kind of mandate will do.
    let unstated = app.lodge(&agent, &represented("LRN-KIND-2")).await;
    assert_eq!(unstated.status, StatusCode::CREATED, "{}", unstated.body);
}
