//! The party registry over HTTP: who may change and read it, every bad field named, and
//! parties given by registered identifier alone filled in at lodgement.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tamga_core::role::Role;

use crate::app::{sample, Answer, TestApp};

on_both_backends!(
    admins_manage_the_registry,
    readers_see_what_their_role_allows,
    identifier_only_parties_are_filled_in_from_the_registry,
    training_rows_see_the_aeo_status_acceptance_sees,
);

/// An administrator's token.
pub async fn admin(app: &TestApp) -> String {
    app.user("root", Role::Admin, None).await
}

/// Registers a party as `admin`, failing the test unless it is created.
pub async fn register(app: &TestApp, admin: &str, id: &str, name: &str, country: &str) {
    let body = json!({"id": id, "name": name, "country": country});
    let answer = app.post("/api/v1/parties", admin, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
}

pub async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Answer {
    let bytes = serde_json::to_vec(body).unwrap();
    app.send(Method::PUT, path, Some(token), Some(bytes)).await
}

async fn admins_manage_the_registry(app: TestApp) {
    let root = admin(&app).await;
    let body = json!({"id": "UZ305123456", "name": "Samarqand Savdo MChJ", "country": "UZ"});
    let created = app.post("/api/v1/parties", &root, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["changed_by"], "root");
    assert!(created.body.get("aeo").is_none());
    let twice = app.post("/api/v1/parties", &root, &body).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.is_problem());
    for token in [&app.officer, &app.analyst, &app.broker] {
        let refused = app.post("/api/v1/parties", token, &body).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
    let nul = json!({"id": "UZ1", "name": "Nul\u{0}Name", "country": "UZ"});
    let refused = app.post("/api/v1/parties", &root, &nul).await;
    assert_eq!(
        refused.field_errors(),
        [("/name".to_owned(), "control_character".to_owned())]
    );
    let bad = json!({"id": "uz-1", "name": " ", "country": "XX", "address": " ", "aeo": "yes"});
    let refused = app.post("/api/v1/parties", &root, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<String> = refused.field_errors().into_iter().map(|(p, _)| p).collect();
    assert_eq!(pointers, ["/id", "/name", "/country", "/address", "/aeo"]);
    let unknown_field = app
        .post("/api/v1/parties", &root, &json!({"id": "UZ1", "nmae": "x"}))
        .await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY);

    let change =
        json!({"name": "Samarqand Savdo", "country": "UZ", "aeo": "AEOF", "address": "Toshkent"});
    let changed = put(&app, "/api/v1/parties/UZ305123456", &root, &change).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(changed.body["aeo"], "AEOF");
    assert_eq!(changed.body["address"], "Toshkent");
    let unknown = put(&app, "/api/v1/parties/UZ999", &root, &change).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let mismatch = json!({"id": "UZ1", "name": "x", "country": "UZ"});
    let mismatch = put(&app, "/api/v1/parties/UZ305123456", &root, &mismatch).await;
    assert_eq!(
        mismatch.field_errors(),
        [("/id".into(), "id_mismatch".into())]
    );
    let by_officer = put(&app, "/api/v1/parties/UZ305123456", &app.officer, &change).await;
    assert_eq!(by_officer.status, StatusCode::FORBIDDEN);
}

async fn readers_see_what_their_role_allows(app: TestApp) {
    let root = admin(&app).await;
    register(&app, &root, "UZ305123456", "Samarqand Savdo MChJ", "UZ").await;
    register(&app, &root, "KZ990011", "Almaty Trade", "KZ").await;
    let all = app.get("/api/v1/parties", &app.officer).await;
    let ids: Vec<&str> = all
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["KZ990011", "UZ305123456"]);
    let own = app.get("/api/v1/parties", &app.broker).await;
    assert_eq!(own.body.as_array().unwrap().len(), 1);
    assert_eq!(own.body[0]["id"], "UZ305123456");
    let mine = app.get("/api/v1/parties/UZ305123456", &app.broker).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.body["name"], "Samarqand Savdo MChJ");
    // Another party's record is answered as unknown, so the registry's contents do not leak.
    let other = app.get("/api/v1/parties/KZ990011", &app.broker).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(other.is_problem());
    let unregistered = app.get("/api/v1/parties/UZ42", &app.analyst).await;
    assert_eq!(unregistered.status, StatusCode::NOT_FOUND);
}

async fn identifier_only_parties_are_filled_in_from_the_registry(app: TestApp) {
    let root = admin(&app).await;
    register(
        &app,
        &root,
        "CN91310000MA1",
        "Shanghai Electronics Export Co.",
        "CN",
    )
    .await;
    let mut d = sample();
    d["exporter"] = json!({"id": "CN91310000MA1"});
    let accepted = app.lodge(&app.broker, &d).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    let mrn = accepted.body["mrn"].as_str().unwrap();
    let stored = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    let exporter = &stored.body["declaration"]["exporter"];
    assert_eq!(exporter["name"], "Shanghai Electronics Export Co.");
    assert_eq!(exporter["country"], "CN");
    // A country given in the message is kept; the name comes from the registry.
    let mut d = sample();
    d["lrn"] = json!("LRN-ID-ONLY-2");
    d["exporter"] = json!({"id": "CN91310000MA1", "country": "HK"});
    let kept = app.lodge(&app.broker, &d).await;
    assert_eq!(kept.status, StatusCode::CREATED, "{}", kept.body);
    let mrn = kept.body["mrn"].as_str().unwrap();
    let stored = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    assert_eq!(stored.body["declaration"]["exporter"]["country"], "HK");
}

#[tokio::test]
async fn an_unregistered_identifier_without_a_name_is_refused_at_its_id() {
    let app = TestApp::sqlite().await;
    let mut d = sample();
    d["lrn"] = json!("LRN-UNKNOWN-PARTY");
    d["exporter"] = json!({"id": "CN000UNKNOWN"});
    d["importer"] = json!({"id": "UZ305123456", "name": " "});
    d["items"][0]["origin"] = json!("ZZ");
    let refused = app.lodge(&app.broker, &d).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = refused.field_errors();
    assert!(
        errors.contains(&("/exporter/id".into(), "party_not_registered".into())),
        "{errors:?}"
    );
    assert!(
        errors.contains(&("/importer/id".into(), "party_not_registered".into())),
        "{errors:?}"
    );
    // The other problems are still reported, and the missing name and country are not
    // reported twice.
    assert!(
        errors.iter().any(|(p, _)| p == "/items/0/origin"),
        "{errors:?}"
    );
    assert!(!errors
        .iter()
        .any(|(p, _)| p == "/exporter/name" || p == "/exporter/country"));
    let message = refused.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("not a registered party"), "{message}");
    // A malformed identifier is validation's to describe.
    let mut d = sample();
    d["exporter"] = json!({"id": "cn-1"});
    let malformed = app.lodge(&app.broker, &d).await;
    assert!(malformed
        .field_errors()
        .iter()
        .any(|(p, c)| p == "/exporter/id" && c != "party_not_registered"));
}

#[tokio::test]
async fn a_registered_aeo_is_what_targeting_reduces() {
    let app = TestApp::sqlite().await;
    let root = admin(&app).await;
    let body = json!({"id": "UZ305123456", "name": "Samarqand Savdo MChJ", "country": "UZ", "aeo": "AEOC"});
    assert_eq!(
        app.post("/api/v1/parties", &root, &body).await.status,
        StatusCode::CREATED
    );
    let accepted = app.lodge(&app.broker, &sample()).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    let mrn = accepted.body["mrn"].as_str().unwrap();
    let risk = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.officer)
        .await;
    assert_eq!(
        risk.body["explanation"]["aeo_reduction"], 20,
        "{}",
        risk.body
    );
    // Without the status, the next declaration gets no reduction.
    let change = json!({"name": "Samarqand Savdo MChJ", "country": "UZ"});
    let changed = put(&app, "/api/v1/parties/UZ305123456", &root, &change).await;
    assert_eq!(changed.status, StatusCode::OK);
    let mut d = sample();
    d["lrn"] = json!("LRN-NO-LONGER-AEO");
    let accepted = app.lodge(&app.broker, &d).await;
    let mrn = accepted.body["mrn"].as_str().unwrap();
    let risk = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.officer)
        .await;
    assert_eq!(
        risk.body["explanation"]["aeo_reduction"], 0,
        "{}",
        risk.body
    );
}

/// `tamga model train --from-db` asks an engine built by `register_engine` who holds AEO
/// status: the party registry's holders, as at acceptance.
async fn training_rows_see_the_aeo_status_acceptance_sees(app: TestApp) {
    let root = admin(&app).await;
    let body = json!({"id": "UZ305123456", "name": "Samarqand Savdo MChJ", "country": "UZ", "aeo": "AEOF"});
    let created = app.post("/api/v1/parties", &root, &body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let declaration = |party: &str| {
        let mut value = sample();
        value["declarant"]["id"] = json!(party);
        value["importer"]["id"] = json!(party);
        let draft: tamga_core::draft::DeclarationDraft = serde_json::from_value(value).unwrap();
        let reference = tamga_core::refdata::ReferenceData::embedded();
        tamga_core::validate::validate(&draft, reference, time::OffsetDateTime::now_utc()).unwrap()
    };
    let engine = tamga_api::risk::register_engine(&*app.state.store)
        .await
        .unwrap();
    assert!(engine.aeo(&declaration("UZ305123456")));
    assert!(!engine.aeo(&declaration("UZ300000001")));
}
