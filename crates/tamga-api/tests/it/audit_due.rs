//! The configured post-clearance audit period decides when a blue declaration's audit is due.

use axum::http::StatusCode;
use serde_json::json;
use tamga_core::role::Role;

use crate::app::{sample, TestApp};
use crate::risk::{put, quiet};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_due_days_follow_the_settings() {
    let app = TestApp::sqlite()
        .await
        .reconfigured(|s| s.control.audit_due_days = 30);
    quiet(&app).await;
    let list = json!({"kind": "countries", "entries": ["CN"], "reason": "audit programme 4"});
    let listed = put(
        &app,
        "/api/v1/risk/lists/audited-origins",
        &app.analyst,
        &list,
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    let profile = json!({
        "id": "audit-cn", "title": "Audit Chinese imports", "rationale": "post-clearance plan",
        "condition": "origin in list(\"audited-origins\")", "effect": {"force": "blue"},
        "reason": "audit plan"
    });
    let created = app
        .post("/api/v1/risk/profiles", &app.analyst, &profile)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let mut d = sample();
    d["lrn"] = json!("AUDIT-30");
    let lodged = app.lodge(&app.broker, &d).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    assert_eq!(lodged.body["channel"], "blue", "{}", lodged.body);
    let admin = app.user("admin", Role::Admin, None).await;
    let tasks = app.get("/api/v1/control/tasks", &admin).await;
    assert_eq!(tasks.status, StatusCode::OK, "{}", tasks.body);
    let task = &tasks.body["tasks"][0];
    assert_eq!(task["task_type"], "post-clearance-audit", "{task}");
    let opened = task["opened_at"].as_str().unwrap();
    let opened =
        time::OffsetDateTime::parse(opened, &time::format_description::well_known::Rfc3339)
            .unwrap();
    let due = (opened.date() + time::Duration::days(30)).to_string();
    assert_eq!(task["due"], due.as_str(), "{task}");
}
