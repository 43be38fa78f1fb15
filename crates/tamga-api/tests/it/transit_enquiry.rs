//! The replies to an enquiry as steps of the movement: the holder's evidence that the goods
//! arrived ends the enquiry (or stops a recovery) and lets the departure office write off,
//! restoring the guarantee; a reply that the goods did not arrive starts recovery at once.
//! Illegal replies are 409 naming the state.

use axum::http::StatusCode;
use serde_json::{json, Value};
use tamga_api::transit::Clock;
use tamga_core::role::Role;
use time::Duration;

use crate::app::TestApp;
use crate::transit::{balance, setup, step, transit};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    enquiry_replies(TestApp::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    enquiry_replies(TestApp::postgres().await).await;
}

async fn released(app: &TestApp, departure: &str, lrn: &str) -> String {
    let lodged = app.lodge(&app.broker, &transit(lrn)).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    let mrn = lodged.body["mrn"].as_str().unwrap().to_owned();
    expect(app, departure, &mrn, json!({"step": "release"}), "released").await;
    mrn
}

async fn expect(app: &TestApp, token: &str, mrn: &str, body: Value, state: &str) {
    let answer = step(app, token, mrn, body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["state"], state, "{}", answer.body);
}

async fn refused(app: &TestApp, token: &str, mrn: &str, body: Value, status: StatusCode) -> Value {
    let answer = step(app, token, mrn, body).await;
    assert_eq!(answer.status, status, "{}", answer.body);
    answer.body
}

async fn enquiry_replies(app: TestApp) {
    let o = setup(&app).await;
    let supervisor = app.user("boss", Role::Supervisor, None).await;
    let late = released(&app, &o.departure, "TR-ENQ-1").await;
    let evidence =
        json!({"step": "arrival_evidence", "remarks": "CMR stamped at UZSKD on arrival"});
    // No enquiry yet: a reply is out of order, and the answer names the state.
    let early = refused(
        &app,
        &app.broker,
        &late,
        evidence.clone(),
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        early["detail"].as_str().unwrap().contains("released"),
        "{early}"
    );
    let app = app.reconfigured(|s| s.transit.clock = Clock::shifted(Duration::days(10)));
    let swept = app
        .post("/api/v1/transit/sweep", &supervisor, &json!({}))
        .await;
    assert_eq!(swept.body["steps"][0]["step"], "enquiry", "{}", swept.body);

    // Evidence must be described; the departure office does not answer its own enquiry.
    let bare = refused(
        &app,
        &app.broker,
        &late,
        json!({"step": "arrival_evidence"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(bare["errors"][0]["pointer"], "/remarks", "{bare}");
    refused(
        &app,
        &o.departure,
        &late,
        evidence.clone(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // The holder says the goods never arrived: recovery at once, which a second such reply
    // cannot repeat.
    let missing = json!({"step": "non_arrival", "remarks": "the carrier lost the trailer"});
    expect(&app, &app.broker, &late, missing.clone(), "recovery").await;
    let again = refused(&app, &app.broker, &late, missing, StatusCode::CONFLICT).await;
    assert_eq!(
        again["detail"],
        "the movement is recovery; non_arrival is not possible now"
    );
    assert_eq!(balance(&app).await, "7500.00");

    // Evidence found later stops the recovery; the departure office writes off.
    expect(
        &app,
        &app.broker,
        &late,
        evidence.clone(),
        "arrival_evidenced",
    )
    .await;
    let moved = app
        .get(&format!("/api/v1/transit/movements/{late}"), &o.departure)
        .await;
    let steps: Vec<&str> = moved.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "mrn_allocated",
            "release",
            "enquiry",
            "non_arrival",
            "arrival_evidence"
        ]
    );
    let last = &moved.body["events"][4];
    assert_eq!(last["office"], "UZSKD");
    assert_eq!(last["detail"]["remarks"], "CMR stamped at UZSKD on arrival");
    refused(
        &app,
        &o.destination,
        &late,
        json!({"step": "unloading_permission"}),
        StatusCode::CONFLICT,
    )
    .await;
    expect(
        &app,
        &o.departure,
        &late,
        json!({"step": "write_off"}),
        "ended",
    )
    .await;
    assert_eq!(balance(&app).await, "20000.00");
    refused(&app, &app.broker, &late, evidence, StatusCode::CONFLICT).await;
    // Nothing more is due for a movement whose arrival is evidenced and written off.
    let app = app.reconfigured(|s| s.transit.clock = Clock::shifted(Duration::days(400)));
    let swept = app
        .post("/api/v1/transit/sweep", &supervisor, &json!({}))
        .await;
    assert_eq!(swept.body["steps"], json!([]));
}
