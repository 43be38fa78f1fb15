use axum::http::{header, Method, StatusCode};
use serde_json::json;

use crate::app::{sample, TestApp};

on_both_backends!(
    lodge_then_follow,
    resubmission_is_idempotent_and_reuse_is_a_conflict,
    declarants_cannot_see_each_other,
    officers_move_declarations_with_reasons,
    list_filters_and_cursor,
);

async fn lodge_then_follow(app: TestApp) {
    let created = app.lodge(&app.broker, &sample()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let mrn = created.body["mrn"].as_str().unwrap().to_owned();
    assert_eq!(mrn.len(), 18);
    assert_eq!(
        created.headers[header::LOCATION],
        format!("/api/v1/declarations/{mrn}")
    );
    assert_eq!(
        created.body["status"], "risk-assessed",
        "assessed at acceptance"
    );
    let fetched = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    assert_eq!(fetched.status, StatusCode::OK);
    assert_eq!(fetched.body, created.body);
    let history: Vec<_> = fetched.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].clone())
        .collect();
    assert_eq!(
        history,
        [json!("lodged"), json!("accepted"), json!("risk-assessed")]
    );
    let channel = fetched.body["channel"].as_str().unwrap();
    assert_eq!(
        fetched.body["history"][2]["reason"],
        format!("selectivity: {channel} channel")
    );
    assert_eq!(fetched.body["declaration"]["items"][1]["net_mass"], "50.5");
}

async fn resubmission_is_idempotent_and_reuse_is_a_conflict(app: TestApp) {
    let first = app.lodge(&app.broker, &sample()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = app.lodge(&app.broker, &sample()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["mrn"], first.body["mrn"]);
    let mut changed = sample();
    changed["items"][0]["price"] = json!("41000.00");
    let conflict = app.lodge(&app.broker, &changed).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.is_problem());
    assert_eq!(conflict.body["existing_mrn"], first.body["mrn"]);
}

async fn declarants_cannot_see_each_other(app: TestApp) {
    let created = app.lodge(&app.broker, &sample()).await;
    let path = format!(
        "/api/v1/declarations/{}",
        created.body["mrn"].as_str().unwrap()
    );
    let hidden = app.get(&path, &app.stranger).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(hidden.is_problem());
    assert_eq!(app.get(&path, &app.officer).await.status, StatusCode::OK);
    let listed = app.get("/api/v1/declarations", &app.stranger).await;
    assert_eq!(listed.body["items"], json!([]));
    // A declarant lodges only for its own party.
    let foreign = app.lodge(&app.stranger, &sample()).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        foreign.field_errors(),
        [("/declarant/id".to_owned(), "not_your_party".to_owned())]
    );
}

async fn officers_move_declarations_with_reasons(app: TestApp) {
    let created = app.lodge(&app.broker, &sample()).await;
    let path = format!(
        "/api/v1/declarations/{}/status",
        created.body["mrn"].as_str().unwrap()
    );
    let by_declarant = app
        .post(
            &path,
            &app.broker,
            &json!({"status": "released", "reason": "please"}),
        )
        .await;
    assert_eq!(by_declarant.status, StatusCode::FORBIDDEN);
    let no_reason = app
        .post(
            &path,
            &app.officer,
            &json!({"status": "released", "reason": "  "}),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_status = app
        .post(
            &path,
            &app.officer,
            &json!({"status": "teleported", "reason": "x"}),
        )
        .await;
    assert_eq!(bad_status.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_status.field_errors()[0].0, "/status");
    let mrn = created.body["mrn"].as_str().unwrap();
    let unpaid = app
        .post(
            &path,
            &app.officer,
            &json!({"status": "released", "reason": "documents in order"}),
        )
        .await;
    assert_eq!(
        unpaid.status,
        StatusCode::CONFLICT,
        "release before payment"
    );
    let due = unpaid.body["amount_due"].as_str().unwrap().to_owned();
    let pay =
        json!({"kind": "payment", "amount": due, "method": "bank transfer", "reference": "PO-1"});
    let paid = app
        .post(
            &format!("/api/v1/declarations/{mrn}/payments"),
            &app.officer,
            &pay,
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.body);
    assert_eq!(paid.body["due"], "0.00");
    // A green declaration is released by tamga itself once its duties are covered.
    let released = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.officer)
        .await;
    assert_eq!(released.body["status"], "released", "{}", released.body);
    assert_eq!(released.body["history"][3]["actor"], "tamga");
    assert_eq!(
        released.body["history"][3]["reason"],
        "released automatically: duties covered"
    );
    let again = app
        .post(
            &path,
            &app.officer,
            &json!({"status": "rejected", "reason": "too late"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let by_analyst = app
        .post(
            &path,
            &app.analyst,
            &json!({"status": "released", "reason": "x"}),
        )
        .await;
    assert_eq!(by_analyst.status, StatusCode::FORBIDDEN);
}

async fn list_filters_and_cursor(app: TestApp) {
    for i in 0..5 {
        let mut d = sample();
        d["lrn"] = json!(format!("LIST-{i}"));
        if i % 2 == 0 {
            d["customs_office"] = json!("UZSKD");
        }
        assert_eq!(app.lodge(&app.broker, &d).await.status, StatusCode::CREATED);
    }
    let page = app.get("/api/v1/declarations?limit=2", &app.officer).await;
    assert_eq!(page.body["items"].as_array().unwrap().len(), 2);
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/declarations?limit=10&cursor={cursor}"),
            &app.officer,
        )
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 3);
    assert!(rest.body["next_cursor"].is_null());
    let office = app
        .get(
            "/api/v1/declarations?office=UZSKD&hs_chapter=84&status=risk-assessed",
            &app.broker,
        )
        .await;
    assert_eq!(office.body["items"].as_array().unwrap().len(), 3);
    let bad = app
        .get(
            "/api/v1/declarations?status=lost&from=yesterday&colour=red&limit=0",
            &app.officer,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let pointers: Vec<String> = bad.field_errors().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        pointers,
        [
            "/query/status",
            "/query/from",
            "/query/colour",
            "/query/limit"
        ]
    );
}

#[tokio::test]
async fn tokens_are_required() {
    let app = TestApp::sqlite().await;
    let none = app
        .send(Method::GET, "/api/v1/declarations", None, None)
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert!(none.is_problem());
    assert!(none.headers.contains_key(header::WWW_AUTHENTICATE));
    let wrong = app
        .get("/api/v1/declarations", "tmg_not-a-real-token")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let lodged = app
        .send(
            Method::POST,
            "/api/v1/declarations",
            None,
            Some(b"{}".to_vec()),
        )
        .await;
    assert_eq!(lodged.status, StatusCode::UNAUTHORIZED);
    let me = app.get("/api/v1/me", &app.broker).await;
    assert_eq!(me.body["role"], "declarant");
    assert_eq!(me.body["party_id"], "UZ305123456");
}

#[tokio::test]
async fn analysts_may_not_lodge() {
    let app = TestApp::sqlite().await;
    let refused = app.lodge(&app.analyst, &sample()).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.is_problem());
}

#[tokio::test]
async fn only_the_declarant_side_may_invalidate() {
    let app = TestApp::sqlite().await;
    let created = app.lodge(&app.broker, &sample()).await;
    let mrn = created.body["mrn"].as_str().unwrap();
    let importer = app
        .user(
            "importer",
            tamga_core::role::Role::Declarant,
            Some("CN91310000MA1"),
        )
        .await;
    let path = format!("/api/v1/declarations/{mrn}/status");
    // The exporter named on the declaration may read it, not invalidate it.
    assert_eq!(
        app.get(&format!("/api/v1/declarations/{mrn}"), &importer)
            .await
            .status,
        StatusCode::OK
    );
    let body = json!({"status": "invalidated", "reason": "not mine to cancel"});
    assert_eq!(
        app.post(&path, &importer, &body).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&path, &app.stranger, &body).await.status,
        StatusCode::NOT_FOUND
    );
    let own = app
        .post(
            &path,
            &app.broker,
            &json!({"status": "invalidated", "reason": "lodged twice"}),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(own.body["status"], "invalidated");
}

#[tokio::test]
async fn a_used_lrn_names_the_mrn_only_to_who_may_see_it() {
    let app = TestApp::sqlite().await;
    assert_eq!(
        app.lodge(&app.broker, &sample()).await.status,
        StatusCode::CREATED
    );
    // Another broker, representing the same declarant, reuses the LRN with other content.
    let other_broker = app
        .user(
            "other-broker",
            tamga_core::role::Role::Declarant,
            Some("UZ777"),
        )
        .await;
    let root = crate::parties::admin(&app).await;
    crate::parties::register(&app, &root, "UZ305123456", "Samarqand Savdo MChJ", "UZ").await;
    crate::parties::register(&app, &root, "UZ777", "Other Broker", "UZ").await;
    let mandate =
        json!({"representative": "UZ777", "representation": "direct", "valid_from": "2020-01-01"});
    let granted = app
        .post("/api/v1/parties/UZ305123456/mandates", &root, &mandate)
        .await;
    assert_eq!(granted.status, StatusCode::CREATED);
    let mut d = sample();
    d["representative"] = json!({"id": "UZ777", "name": "Other Broker", "country": "UZ"});
    d["items"][0]["price"] = json!("1.00");
    let conflict = app.lodge(&other_broker, &d).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict.body.get("existing_mrn").is_none(),
        "{}",
        conflict.body
    );
}

#[tokio::test]
async fn paths_and_reasons_are_checked() {
    let app = TestApp::sqlite().await;
    let nul = app.get("/api/v1/declarations/%00", &app.officer).await;
    assert_eq!(
        nul.field_errors(),
        [("/path/mrn".to_owned(), "control_character".to_owned())]
    );
    for path in [
        "/api/v1/declarations/nonsense",
        "/api/v1/declarations/26UZTAS000000001R9",
    ] {
        let answer = app.get(path, &app.officer).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(answer.is_problem());
    }
    let invalid_utf8 = app.get("/api/v1/declarations/%FF", &app.officer).await;
    assert_eq!(invalid_utf8.status, StatusCode::BAD_REQUEST);
    assert!(invalid_utf8.is_problem());
    let created = app.lodge(&app.broker, &sample()).await;
    let path = format!(
        "/api/v1/declarations/{}/status",
        created.body["mrn"].as_str().unwrap()
    );
    let answer = app
        .post(
            &path,
            &app.officer,
            &json!({"status": "released", "reason": "ok\u{0}"}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn numbers_keep_every_digit_and_bearer_is_case_insensitive() {
    let app = TestApp::sqlite().await;
    let mut d = sample();
    d["invoice"]["amount"] = serde_json::from_str("123456789012.345678").unwrap();
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/declarations")
        .header(header::AUTHORIZATION, format!("bearer {}", app.broker))
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(serde_json::to_vec(&d).unwrap()))
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        body["declaration"]["invoice"]["amount"],
        "123456789012.345678"
    );
}
