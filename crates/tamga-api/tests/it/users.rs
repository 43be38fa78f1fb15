//! The administrator's accounts view and ending a user's web sessions.

use axum::http::{Method, StatusCode};
use tamga_core::role::Role;

use crate::app::TestApp;

async fn administrators_list_accounts_and_end_sessions(app: TestApp) {
    let admin = app.user("admin1", Role::Admin, None).await;
    let listed = app
        .send(Method::GET, "/api/v1/users", Some(&admin), None)
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    let names: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["user"]["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"broker") && names.contains(&"admin1"),
        "{names:?}"
    );
    assert_eq!(listed.body[0]["has_password"], false);
    for token in [&app.officer, &app.broker, &app.analyst] {
        let refused = app
            .send(Method::GET, "/api/v1/users", Some(token), None)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = app
            .send(
                Method::POST,
                "/api/v1/users/1/sessions/revoke",
                Some(token),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    let ended = app
        .send(
            Method::POST,
            "/api/v1/users/1/sessions/revoke",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (ended.status, &ended.body["revoked"]),
        (StatusCode::OK, &serde_json::json!(0))
    );
}

#[tokio::test]
async fn sqlite_administrators_list_accounts_and_end_sessions() {
    administrators_list_accounts_and_end_sessions(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn postgres_administrators_list_accounts_and_end_sessions() {
    administrators_list_accounts_and_end_sessions(TestApp::postgres().await).await;
}
