//! Guarantee accounts over HTTP: opening one (administrators, every bad field named), the
//! holder's balance query by access code, and a release the balance cannot cover.

use axum::http::StatusCode;
use serde_json::json;

use crate::app::TestApp;
use crate::transit::{balance, setup, step, transit, GRN};

on_both_backends!(guarantee_accounts_and_queries);

async fn guarantee_accounts_and_queries(app: TestApp) {
    let o = setup(&app).await;
    let again = json!({"grn": GRN, "type": "1", "holder": "UZ305123456", "currency": "USD",
        "reference_amount": "1.00", "access_code": "AB12"});
    let taken = app
        .post("/api/v1/transit/guarantees", &o.admin, &again)
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let by_officer = app
        .post("/api/v1/transit/guarantees", &o.departure, &again)
        .await;
    assert_eq!(by_officer.status, StatusCode::FORBIDDEN);
    let bad = json!({"grn": "bad grn", "type": "3", "holder": "UZ305123456", "currency": "XXQ",
        "reference_amount": "-1", "access_code": "12345"});
    let refused = app.post("/api/v1/transit/guarantees", &o.admin, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut fields: Vec<String> = refused.field_errors().into_iter().map(|(p, _)| p).collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "/access_code",
            "/currency",
            "/grn",
            "/reference_amount",
            "/type"
        ]
    );

    let wrong = app
        .get(
            &format!("/api/v1/transit/guarantees/{GRN}?access_code=ZZ99"),
            &app.broker,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let without = app
        .get(&format!("/api/v1/transit/guarantees/{GRN}"), &app.broker)
        .await;
    assert_eq!(without.status, StatusCode::BAD_REQUEST);
    let staff = app
        .get(&format!("/api/v1/transit/guarantees/{GRN}"), &app.analyst)
        .await;
    assert_eq!(staff.body["reference_amount"], "20000.00");
    assert!(!staff.body.to_string().contains("access_code"));

    // A release the balance cannot cover is a 409 naming the guarantee, and reserves nothing.
    let mut d = transit("TR-API-BIG");
    d["transit"]["guarantees"][0]["references"][0]["amount"] = json!("25000");
    let lodged = app.lodge(&app.broker, &d).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    let mrn = lodged.body["mrn"].as_str().unwrap();
    let short = step(&app, &o.departure, mrn, json!({"step": "release"})).await;
    assert_eq!(short.status, StatusCode::CONFLICT, "{}", short.body);
    assert!(short.body["detail"].as_str().unwrap().contains(GRN));
    assert_eq!(balance(&app).await, "20000.00");
}
