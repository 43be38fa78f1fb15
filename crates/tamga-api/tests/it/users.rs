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

fn body(value: serde_json::Value) -> Option<Vec<u8>> {
    Some(serde_json::to_vec(&value).unwrap())
}

fn pointers(answer: &crate::app::Answer) -> Vec<String> {
    let errors = answer.body["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    errors
        .iter()
        .map(|e| e["pointer"].as_str().unwrap().to_owned())
        .collect()
}

async fn administrators_create_accounts_and_change_roles(app: TestApp) {
    let admin = app.user("admin1", Role::Admin, None).await;
    let new = serde_json::json!({"name": "clerk", "role": "declarant", "party_id": "UZ305123456"});
    for token in [&app.officer, &app.broker, &app.analyst] {
        let refused = app
            .send(
                Method::POST,
                "/api/v1/users",
                Some(token),
                body(new.clone()),
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    let bad = serde_json::json!({"name": " ", "role": "officer", "party_id": "UZ305123456"});
    let refused = app
        .send(Method::POST, "/api/v1/users", Some(&admin), body(bad))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(pointers(&refused), ["/name", "/party_id"]);
    let created = app
        .send(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            body(new.clone()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let token = created.body["token"].as_str().unwrap().to_owned();
    let id = created.body["user"]["id"].as_i64().unwrap();
    let own = app.get("/api/v1/declarations", &token).await;
    assert_eq!(
        own.status,
        StatusCode::OK,
        "the new token works: {}",
        own.body
    );
    let again = app
        .send(Method::POST, "/api/v1/users", Some(&admin), body(new))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    let before = app.get("/api/v1/risk/profiles", &token).await;
    assert_eq!(
        before.status,
        StatusCode::FORBIDDEN,
        "a declarant reads no profiles"
    );
    let path = format!("/api/v1/users/{id}/role");
    let refused = app
        .send(
            Method::PUT,
            &path,
            Some(&admin),
            body(serde_json::json!({"role": "analyst", "party_id": "UZ305123456"})),
        )
        .await;
    assert_eq!(pointers(&refused), ["/party_id"], "{}", refused.body);
    let changed = app
        .send(
            Method::PUT,
            &path,
            Some(&admin),
            body(serde_json::json!({"role": "analyst"})),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["role"], "analyst");
    // The next request through the same token already carries the new role.
    let staff_view = app.get("/api/v1/risk/profiles", &token).await;
    assert_eq!(staff_view.status, StatusCode::OK, "{}", staff_view.body);
    let missing = app
        .send(
            Method::PUT,
            "/api/v1/users/999999/role",
            Some(&admin),
            body(serde_json::json!({"role": "lab"})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let own_id = app
        .get("/api/v1/users", &admin)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["user"]["name"] == "admin1")
        .unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    let demote = app
        .send(
            Method::PUT,
            &format!("/api/v1/users/{own_id}/role"),
            Some(&admin),
            body(serde_json::json!({"role": "lab"})),
        )
        .await;
    assert_eq!(
        demote.status,
        StatusCode::FORBIDDEN,
        "an administrator cannot demote themselves"
    );
    let audit = app.get("/api/v1/audit?after=0&limit=1000", &admin).await;
    let actions: Vec<(String, String)> = audit.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("user.create".into(), "admin1".into())),
        "{actions:?}"
    );
    assert!(
        actions.contains(&("user.role".into(), "admin1".into())),
        "{actions:?}"
    );
}

#[tokio::test]
async fn sqlite_administrators_create_accounts_and_change_roles() {
    administrators_create_accounts_and_change_roles(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn postgres_administrators_create_accounts_and_change_roles() {
    administrators_create_accounts_and_change_roles(TestApp::postgres().await).await;
}
