//! What follows from a decision: DMS notifications, and the learned model's part in it.

use axum::http::StatusCode;
use serde_json::json;
use tamga_store::risk::{kind, Expected, NewDocument};

use super::{lodge, quiet};
use crate::app::TestApp;

fn function_codes(xml: &str) -> Vec<String> {
    xml.split("<FunctionCode>")
        .skip(1)
        .map(|s| s[..2].to_owned())
        .collect()
}

async fn notifications(app: &TestApp, mrn: &str, token: &str) -> (StatusCode, String) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri(format!("/api/v1/declarations/{mrn}/notifications"))
        .header("authorization", format!("Bearer {token}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// An examiner of UZTAS on duty now; returns their token.
async fn examiner_on_duty(app: &TestApp) -> String {
    use tamga_control::allocation::{Group, Officer, Shift};
    let token = app
        .user("examiner", tamga_core::role::Role::Officer, None)
        .await;
    let id = tamga_control::UserId(
        app.get("/api/v1/me", &token).await.body["id"]
            .as_i64()
            .unwrap(),
    );
    let office = tamga_core::codes::Locode::parse("UZTAS").unwrap();
    let officer = Officer {
        id,
        office,
        section: "import".into(),
        group: Group::Examiner,
        suspended: false,
    };
    app.state.store.set_officer(officer).await.unwrap();
    let now = tamga_store::sql::now();
    let shift = Shift {
        officer: id,
        start: now - time::Duration::hours(1),
        end: now + time::Duration::hours(1),
    };
    app.state.store.add_shift(shift).await.unwrap();
    token
}

#[tokio::test]
async fn dms_notifications_follow_the_channel_and_the_release() {
    let app = TestApp::sqlite().await;
    quiet(&app).await;
    let profile = json!({"id": "docs", "title": "documents", "condition": "true", "effect": {"force": "yellow"}, "reason": "r"});
    app.post("/api/v1/risk/profiles", &app.analyst, &profile)
        .await;
    let examiner = examiner_on_duty(&app).await;
    let lodged = lodge(&app, "N-1").await;
    assert_eq!(lodged.body["channel"], "yellow");
    let mrn = lodged.body["mrn"].as_str().unwrap();
    let (status, xml) = notifications(&app, mrn, &app.broker).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(function_codes(&xml), ["02", "01", "06"], "{xml}");
    assert!(xml.contains(&format!(
        "<FunctionalReferenceID>N-1</FunctionalReferenceID><ID>{mrn}</ID>"
    )));
    assert_eq!(
        notifications(&app, mrn, &app.stranger).await.0,
        StatusCode::NOT_FOUND
    );

    let path = format!("/api/v1/declarations/{mrn}/status");
    let release = json!({"status": "released", "reason": "documents in order"});
    let due = app.post(&path, &app.officer, &release).await.body["amount_due"]
        .as_str()
        .unwrap()
        .to_owned();
    let pay =
        json!({"kind": "payment", "amount": due, "method": "bank transfer", "reference": "PO-9"});
    app.post(
        &format!("/api/v1/declarations/{mrn}/payments"),
        &app.officer,
        &pay,
    )
    .await;
    // A yellow declaration is released by its examiner once the documentary check is done.
    let task = app.get("/api/v1/tasks", &examiner).await.body["tasks"][0]["id"].clone();
    for (step, body) in [("start", json!({})), ("complete", json!({"findings": []}))] {
        let path = format!("/api/v1/tasks/{task}/{step}");
        assert_eq!(
            app.post(&path, &examiner, &body).await.status,
            StatusCode::OK
        );
    }
    assert_eq!(
        app.post(&path, &examiner, &release).await.status,
        StatusCode::OK
    );
    let (_, xml) = notifications(&app, mrn, &app.broker).await;
    assert_eq!(function_codes(&xml), ["02", "01", "06", "09"], "{xml}");
    let root = tamga_wco::xml::parse(&xml).expect("well-formed");
    assert_eq!(root.name, "Notifications");
}

#[tokio::test]
async fn the_active_model_scores_every_acceptance_and_explains_itself() {
    use tamga_api::risk::models::{Activation, ModelDocument, ACTIVE};
    let app = TestApp::sqlite().await;
    quiet(&app).await;
    let sample = include_str!("../../../../../data/kcs/sample_train_2020.csv");
    let rows = tamga_model::read_kcs(sample.as_bytes()).unwrap();
    let mut params = tamga_model::Params::default();
    params.boost.trees = 20;
    let model = tamga_model::train(&rows, &params, 7, &mut |_, _| {}).unwrap();
    let save = |kind, name: &str, document: String| NewDocument {
        kind,
        name: name.into(),
        document,
        expected: Expected::Any,
        by: "admin".into(),
        reason: "pilot".into(),
        at: tamga_store::sql::now(),
    };
    let document = serde_json::to_string(&ModelDocument::new(&model, None).unwrap()).unwrap();
    app.state
        .store
        .save_document(save(kind::MODEL, "kcs", document))
        .await
        .unwrap();
    let active = Activation {
        name: Some("kcs".into()),
        version: Some(1),
    };
    let active = serde_json::to_string(&active).unwrap();
    app.state
        .store
        .save_document(save(kind::MODEL_ACTIVATION, ACTIVE, active))
        .await
        .unwrap();
    app.state.risk.refresh(&*app.state.store).await.unwrap();

    let lodged = lodge(&app, "M-1").await;
    let mrn = lodged.body["mrn"].as_str().unwrap();
    let decision = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.officer)
        .await;
    let part = &decision.body["explanation"]["model"];
    assert_eq!(part["model"], "kcs v1");
    let score = part["score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&score), "{part}");
    assert_eq!(
        part["contribution"],
        (score * 50.0).round() as i64,
        "the default model weight"
    );
    assert_eq!(part["top_features"].as_array().unwrap().len(), 5, "{part}");
    // Without a tariff there is no assessed duty, so nothing is at stake and the summary says
    // nothing of revenue (tamga-risk's tests cover a duty at stake).
    assert_eq!(part["duty_at_stake"], 0.0, "{part}");
    assert_eq!(part["expected_revenue"], 0.0, "{part}");
    let summary = decision.body["explanation"]["summary"].as_str().unwrap();
    assert!(!summary.contains("expected revenue"), "{summary}");
}

/// The office's daily red capacity is taken by new declarations only: resubmissions and a
/// used LRN leave it alone, and the declaration past the limit goes yellow, saying why.
#[tokio::test]
async fn red_capacity_is_not_consumed_by_resubmissions() {
    let app = TestApp::sqlite().await;
    quiet(&app).await;
    let mut settings =
        app.get("/api/v1/risk/selectivity", &app.analyst).await.body["settings"].clone();
    settings["default"]["red_capacity_per_day"] = json!(2);
    let body = json!({"settings": settings, "reason": "two red examinations a day"});
    let answer = super::put(&app, "/api/v1/risk/selectivity", &app.analyst, &body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let heavy = json!({"id": "all", "title": "everything", "condition": "true",
                       "effect": {"weight": 1000}, "reason": "capacity test"});
    app.post("/api/v1/risk/profiles", &app.analyst, &heavy)
        .await;

    assert_eq!(lodge(&app, "CAP-1").await.body["channel"], "red");
    let mut again = crate::app::sample();
    again["lrn"] = json!("CAP-1");
    for _ in 0..3 {
        let answer = app.lodge(&app.broker, &again).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.body["channel"], "red");
    }
    again["items"][0]["description"] = json!("something else entirely");
    assert_eq!(
        app.lodge(&app.broker, &again).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(lodge(&app, "CAP-2").await.body["channel"], "red");
    let third = lodge(&app, "CAP-3").await;
    assert_eq!(third.body["channel"], "yellow", "the capacity of 2 is used");
    let mrn = third.body["mrn"].as_str().unwrap();
    let risk = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.officer)
        .await;
    assert_eq!(risk.body["channel"], "yellow", "{}", risk.body);
    assert!(
        risk.body
            .to_string()
            .contains("red capacity of the day reached"),
        "{}",
        risk.body
    );
}
