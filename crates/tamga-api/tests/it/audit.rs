//! The audit log over HTTP: supervisors and administrators page through it, nobody else reads
//! it; a staff read of a risk explanation is an entry; the selectivity secret is never in an
//! answer.

use axum::http::StatusCode;
use serde_json::json;
use tamga_core::role::Role;

use crate::app::TestApp;

on_both_backends!(
    auditors_page_through_the_log,
    the_draw_secret_is_never_answered
);

async fn auditors_page_through_the_log(app: TestApp) {
    let supervisor = app.user("sue", Role::Supervisor, None).await;
    for token in [&app.officer, &app.analyst, &app.broker] {
        let answer = app.get("/api/v1/audit", token).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{}", answer.body);
        assert!(answer.is_problem());
    }
    let mut sample = crate::app::sample();
    sample["lrn"] = json!("AUDIT-1");
    let lodged = app.lodge(&app.broker, &sample).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    let mrn = lodged.body["mrn"].as_str().unwrap().to_owned();
    let risk = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.officer)
        .await;
    assert_eq!(risk.status, StatusCode::OK, "{}", risk.body);
    let page = app.get("/api/v1/audit?after=0&limit=2", &supervisor).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body["entries"].as_array().unwrap().len(), 2);
    let after = page.body["next_after"]
        .as_i64()
        .expect("a full page names the next");
    let rest = app
        .get(
            &format!("/api/v1/audit?after={after}&limit=1000"),
            &supervisor,
        )
        .await;
    let entries = rest.body["entries"].as_array().unwrap();
    let actions: Vec<(&str, &str, &str)> = entries
        .iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap();
            (text("actor"), text("action"), text("object"))
        })
        .collect();
    let lodge = ("broker", "declaration.lodge", mrn.as_str());
    let read = ("officer", "risk.explanation.read", mrn.as_str());
    assert!(actions.ends_with(&[lodge, read]), "{actions:?}");
    assert!(rest.body["next_after"].is_null());
    let declarant_read = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.broker)
        .await;
    assert_eq!(declarant_read.status, StatusCode::OK);
    let again = app
        .get(
            &format!("/api/v1/audit?after={after}&limit=1000"),
            &supervisor,
        )
        .await;
    assert_eq!(
        again.body["entries"], rest.body["entries"],
        "a declarant sees no explanation"
    );
    let bad = app.get("/api/v1/audit?after=x", &supervisor).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    let verified = app.state.store.audit_verify(None).await.unwrap();
    assert_eq!(verified.broken, None);
}

async fn the_draw_secret_is_never_answered(app: TestApp) {
    let answer = app.get("/api/v1/risk/selectivity", &app.analyst).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(
        answer.body["settings"].get("random_seed").is_none(),
        "{}",
        answer.body
    );
    let (_, secret) = app.state.store.selectivity_secret().await.unwrap();
    let printed = [
        base64_of(&secret),
        secret
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>(),
    ];
    let mut settings = answer.body["settings"].clone();
    settings["random_seed"] = json!(42);
    let body = json!({"settings": settings, "reason": "try to seed the draws"});
    let refused = crate::risk::put(&app, "/api/v1/risk/selectivity", &app.analyst, &body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.field_errors(),
        [(
            "/settings/random_seed".to_owned(),
            "invalid_setting".to_owned()
        )]
    );
    let mut sample = crate::app::sample();
    sample["lrn"] = json!("SECRET-1");
    let lodged = app.lodge(&app.broker, &sample).await;
    let mrn = lodged.body["mrn"].as_str().unwrap().to_owned();
    let risk = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.analyst)
        .await;
    for body in [&answer.body, &lodged.body, &risk.body] {
        let text = body.to_string();
        for form in &printed {
            assert!(!text.contains(form.as_str()), "the secret is in {text}");
        }
    }
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
