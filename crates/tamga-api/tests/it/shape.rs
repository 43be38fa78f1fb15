//! No JSON array where the body's schema says object, at any depth: serde's derived structs
//! would read one by position. A 422 names each such pointer, on both backends, for a
//! declaration, a cargo report and a risk profile.

use serde_json::json;

use crate::app::TestApp;

on_both_backends!(arrays_for_objects_are_refused);

fn pointers(answer: &crate::app::Answer) -> Vec<String> {
    assert_eq!(answer.status, 422, "{}", answer.body);
    answer.field_errors().into_iter().map(|(p, _)| p).collect()
}

async fn arrays_for_objects_are_refused(app: TestApp) {
    // A declaration: a party as an array of its fields, and packages deep in an item.
    let mut declaration = crate::app::sample();
    declaration["declarant"] = json!(["UZ305123456", "Broker LLC", "UZ"]);
    declaration["items"][0]["packages"] = json!([3, "CT", "marks"]);
    let answer = app.lodge(&app.broker, &declaration).await;
    assert_eq!(pointers(&answer), ["/declarant", "/items/0/packages"]);
    // The whole body as an array.
    let answer = app.lodge(&app.broker, &json!([declaration])).await;
    assert_eq!(pointers(&answer), [""]);
    // The sample itself still passes.
    let accepted = app.lodge(&app.broker, &crate::app::sample()).await;
    assert_eq!(accepted.status, 201, "{}", accepted.body);

    // A cargo report: a consignment as an array.
    let report = json!({"reference": "M-ARR", "consignments": [[1, "BL-1"]]});
    let answer = app
        .post("/api/v1/cargo-reports", &app.broker, &report)
        .await;
    assert_eq!(pointers(&answer), ["/consignments/0"]);
    let report = json!({"reference": "M-ARR", "consignments": [{"sequence": 1}]});
    let answer = app
        .post("/api/v1/cargo-reports", &app.broker, &report)
        .await;
    assert!(answer.status.is_success(), "{}", answer.body);

    // A risk profile: its effect as an array.
    let profile = json!({"id": "arr", "title": "t", "condition": "true",
                         "effect": ["weight", 30], "reason": "r"});
    let answer = app
        .post("/api/v1/risk/profiles", &app.analyst, &profile)
        .await;
    assert_eq!(pointers(&answer), ["/effect"]);
    let profile = json!({"id": "arr", "title": "t", "condition": "true",
                         "effect": {"weight": 30}, "reason": "r"});
    let answer = app
        .post("/api/v1/risk/profiles", &app.analyst, &profile)
        .await;
    assert!(answer.status.is_success(), "{}", answer.body);
}
