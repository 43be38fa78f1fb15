//! An administrator lists, issues and revokes a user's API tokens; a revoked token is refused
//! at once.

use axum::http::{Method, StatusCode};
use tamga_core::role::Role;

use crate::app::TestApp;

async fn administrators_issue_and_revoke_tokens(app: TestApp) {
    let admin = app.user("admin1", Role::Admin, None).await;
    let me = app
        .send(Method::GET, "/api/v1/me", Some(&app.broker), None)
        .await;
    let broker_id = me.body["id"].as_i64().unwrap();
    let base = format!("/api/v1/users/{broker_id}/tokens");
    let listed = app.send(Method::GET, &base, Some(&admin), None).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    let tokens = listed.body.as_array().unwrap();
    assert_eq!(tokens.len(), 1);
    let text = listed.body.to_string();
    assert!(!text.contains("tmg_") && !text.contains("hash"), "{text}");
    let first = tokens[0]["id"].as_i64().unwrap();

    let issued = app.send(Method::POST, &base, Some(&admin), None).await;
    assert_eq!(issued.status, StatusCode::CREATED, "{:?}", issued.body);
    let secret = issued.body["token"].as_str().unwrap().to_owned();
    let second = issued.body["id"].as_i64().unwrap();
    let answer = app
        .send(Method::GET, "/api/v1/me", Some(&secret), None)
        .await;
    assert_eq!(answer.body["name"], "broker");

    let revoke = format!("{base}/{second}/revoke");
    let revoked = app.send(Method::POST, &revoke, Some(&admin), None).await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    assert_eq!(revoked.body["revoked_by"], "admin1");
    let refused = app
        .send(Method::GET, "/api/v1/me", Some(&secret), None)
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let still = app
        .send(Method::GET, "/api/v1/me", Some(&app.broker), None)
        .await;
    assert_eq!(still.status, StatusCode::OK, "the first token is untouched");
    let again = app.send(Method::POST, &revoke, Some(&admin), None).await;
    assert_eq!(again.body["revoked_at"], revoked.body["revoked_at"]);
    let listed = app.send(Method::GET, &base, Some(&admin), None).await;
    let ids: Vec<i64> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [first, second]);

    let audit = app
        .send(Method::GET, "/api/v1/audit?limit=1000", Some(&admin), None)
        .await;
    let audit_text = audit.body.to_string();
    assert!(
        audit_text.contains("token.issue") && audit_text.contains("token.revoke"),
        "{audit_text}"
    );
}

async fn only_administrators_reach_tokens(app: TestApp) {
    let admin = app.user("admin1", Role::Admin, None).await;
    for token in [&app.officer, &app.broker, &app.analyst] {
        for (method, path) in [
            (Method::GET, "/api/v1/users/1/tokens"),
            (Method::POST, "/api/v1/users/1/tokens"),
            (Method::POST, "/api/v1/users/1/tokens/1/revoke"),
        ] {
            let refused = app.send(method, path, Some(token), None).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        }
    }
    for (method, path, status) in [
        (
            Method::GET,
            "/api/v1/users/999/tokens",
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            "/api/v1/users/999/tokens",
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            "/api/v1/users/1/tokens/999/revoke",
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/users/x/tokens",
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/api/v1/users/1/tokens/y/revoke",
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let answer = app.send(method, path, Some(&admin), None).await;
        assert_eq!(answer.status, status, "{path}: {:?}", answer.body);
    }
}

#[tokio::test]
async fn sqlite_administrators_issue_and_revoke_tokens() {
    administrators_issue_and_revoke_tokens(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn postgres_administrators_issue_and_revoke_tokens() {
    administrators_issue_and_revoke_tokens(TestApp::postgres().await).await;
}

#[tokio::test]
async fn sqlite_only_administrators_reach_tokens() {
    only_administrators_reach_tokens(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn postgres_only_administrators_reach_tokens() {
    only_administrators_reach_tokens(TestApp::postgres().await).await;
}
