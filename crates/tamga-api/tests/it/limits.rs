//! Limits against abuse: control characters refused at the edge on both backends, rate limits
//! answered 429 with Retry-After.

use axum::http::{header, Method, StatusCode};
use serde_json::{json, Value};

use crate::app::TestApp;

const MRN: &str = "26UZ0000000000001A";

/// Every text with a NUL or another control character is a 422 naming it, before anything is
/// read or written; PostgreSQL (which refuses NUL) never sees one.
async fn control_characters_are_refused(app: TestApp) {
    let profile = |title: &str, reason: &str| json!({"id": "nul", "title": title, "condition": "true", "effect": {"weight": 1}, "reason": reason});
    let cases: Vec<(Method, String, &str, Option<Value>, &str)> = vec![
        (
            Method::POST,
            "/api/v1/cargo-reports".into(),
            &app.broker,
            Some(json!({"reference": "M-\u{0}7", "consignments": [{"sequence": 1}]})),
            "/reference",
        ),
        (
            Method::POST,
            format!("/api/v1/declarations/{MRN}/inspection"),
            &app.officer,
            Some(json!({"findings": [{"type": "undervaluation", "note": "split\u{0}"}]})),
            "/findings/0/note",
        ),
        (
            Method::POST,
            "/api/v1/risk/profiles".into(),
            &app.analyst,
            Some(profile("a\u{0}b", "r")),
            "/title",
        ),
        (
            Method::POST,
            "/api/v1/risk/profiles".into(),
            &app.analyst,
            Some(profile("t", "r\u{0}")),
            "/reason",
        ),
        (
            Method::POST,
            "/api/v1/risk/profiles".into(),
            &app.analyst,
            Some(profile("one\nline", "r")),
            "/title",
        ),
        (
            Method::PUT,
            "/api/v1/risk/lists/origins".into(),
            &app.analyst,
            Some(json!({"kind": "countries", "entries": ["CN"], "reason": "\u{1b}[31m"})),
            "/reason",
        ),
        (
            Method::GET,
            "/api/v1/declarations?status=%00".into(),
            &app.officer,
            None,
            "/query/status",
        ),
        (
            Method::GET,
            "/api/v1/risk/profiles/%00".into(),
            &app.analyst,
            None,
            "/path/id",
        ),
    ];
    let mut cases = cases;
    for tail in ["assessment", "notifications", "risk", "valuation"] {
        cases.push((
            Method::GET,
            format!("/api/v1/declarations/26UZ%00/{tail}"),
            &app.officer,
            None,
            "/path/mrn",
        ));
    }
    for (method, path, token, body, pointer) in cases {
        let body = body.map(|b| serde_json::to_vec(&b).unwrap());
        let answer = app.send(method, &path, Some(token), body).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            answer.body
        );
        assert!(answer.is_problem(), "{path}");
        assert_eq!(
            answer.field_errors(),
            [(pointer.to_owned(), "control_character".to_owned())],
            "{path}"
        );
    }
    // A note may span lines; nothing of the refused ones was stored.
    let fine = profile("t", "seen in\r\n\ttwo reports");
    let created = app.post("/api/v1/risk/profiles", &app.analyst, &fine).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let listed = app.get("/api/v1/risk/lists", &app.analyst).await;
    assert!(
        !listed.body.to_string().contains("origins"),
        "{}",
        listed.body
    );
    let reports = app.get("/api/v1/cargo-reports", &app.analyst).await;
    assert_eq!(reports.body["reports"], json!([]), "{}", reports.body);
}

/// Numbers beyond what the schema and the databases hold are a 422 naming them.
async fn numbers_are_bounded(app: TestApp) {
    let mut d = crate::app::sample();
    d["items"][0]["packages"]["count"] = json!(2_147_483_648u64);
    let answer = app.lodge(&app.broker, &d).await;
    assert_eq!(
        answer.field_errors(),
        [(
            "/items/0/packages/count".to_owned(),
            "out_of_range".to_owned()
        )],
        "{}",
        answer.body
    );
    let lodged = app.lodge(&app.broker, &crate::app::sample()).await;
    let mrn = lodged.body["mrn"].as_str().unwrap().to_owned();
    let pay = json!({"kind": "guarantee", "amount": "79228162514264337593543950335", "method": "bank guarantee", "reference": "BG-77"});
    let answer = app
        .post(
            &format!("/api/v1/declarations/{mrn}/payments"),
            &app.officer,
            &pay,
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.body
    );
    assert_eq!(answer.field_errors()[0].0, "/amount");
}

#[tokio::test]
async fn numbers_are_bounded_on_sqlite() {
    numbers_are_bounded(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn numbers_are_bounded_on_postgres() {
    numbers_are_bounded(TestApp::postgres().await).await;
}

#[tokio::test]
async fn control_characters_are_422_on_sqlite() {
    control_characters_are_refused(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn control_characters_are_422_on_postgres() {
    control_characters_are_refused(TestApp::postgres().await).await;
}

fn assert_too_many(answer: &crate::app::Answer) {
    assert_eq!(
        answer.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        answer.body
    );
    assert!(answer.is_problem());
    assert_eq!(
        answer.body["type"],
        "https://tamga.dev/problems/too-many-requests"
    );
    let wait: u64 = answer.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After: {wait}");
}

#[tokio::test]
async fn lodgements_past_the_limit_are_429_with_retry_after() {
    let app = TestApp::sqlite().await.reconfigured(|s| {
        s.limits.lodgements_per_second = 1;
        s.limits.lodgement_burst = 2;
    });
    let declaration = crate::app::sample();
    for _ in 0..2 {
        let answer = app.lodge(&app.broker, &declaration).await;
        assert_ne!(answer.status, StatusCode::TOO_MANY_REQUESTS);
    }
    assert_too_many(&app.lodge(&app.broker, &declaration).await);
    // Counted per client address too: another user from the same address waits as well.
    assert_too_many(&app.lodge(&app.stranger, &declaration).await);
    // Reading is not limited.
    let listed = app.get("/api/v1/declarations", &app.broker).await;
    assert_eq!(listed.status, StatusCode::OK);
}

#[tokio::test]
async fn authentication_failures_past_the_limit_are_429() {
    let app = TestApp::sqlite().await.reconfigured(|s| {
        s.limits.auth_failures_per_minute = 1;
        s.limits.auth_failure_burst = 3;
    });
    for guess in 0..3 {
        let token = format!("tmg_guess{guess}");
        let answer = app.get("/api/v1/me", &token).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{guess}");
    }
    assert_too_many(&app.get("/api/v1/me", "tmg_guess4").await);
    // The address is blocked until the wait is over, even with a good token.
    assert_too_many(&app.get("/api/v1/me", &app.broker).await);
}

#[tokio::test]
async fn good_tokens_are_not_counted() {
    let app = TestApp::sqlite().await.reconfigured(|s| {
        s.limits.auth_failures_per_minute = 1;
        s.limits.auth_failure_burst = 1;
    });
    for _ in 0..20 {
        assert_eq!(
            app.get("/api/v1/me", &app.broker).await.status,
            StatusCode::OK
        );
    }
}
