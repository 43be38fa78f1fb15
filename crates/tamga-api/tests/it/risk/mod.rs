//! The targeting center over HTTP: profiles and lists managed by analysts, decisions at
//! acceptance with explanations for staff only, dry runs, outcomes and statistics, screening,
//! the model, notifications and pre-arrival targeting.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::app::{sample, Answer, TestApp};

mod channels;
mod profiles;
mod screening;

pub async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Answer {
    let body = serde_json::to_vec(body).unwrap();
    app.send(Method::PUT, path, Some(token), Some(body)).await
}

/// No random draws, so channels come from the profiles alone.
pub async fn quiet(app: &TestApp) {
    let mut settings =
        app.get("/api/v1/risk/selectivity", &app.analyst).await.body["settings"].clone();
    settings["default"]["random"] = json!({"red": 0.0, "yellow": 0.0, "blue": 0.0});
    let body = json!({"settings": settings, "reason": "tests want no random draws"});
    let answer = put(app, "/api/v1/risk/selectivity", &app.analyst, &body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

pub fn laptops_profile() -> Value {
    json!({
        "id": "asian-computers", "title": "Computers from listed origins",
        "rationale": "undervaluation seen in Q3", "condition":
        "hs in heading(8471) and origin in list(\"watched-origins\") and not aeo",
        "effect": {"force": "red"}, "reason": "new pattern"
    })
}

pub async fn lodge(app: &TestApp, lrn: &str) -> Answer {
    let mut d = sample();
    d["lrn"] = json!(lrn);
    let answer = app.lodge(&app.broker, &d).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer
}
