//! The laboratory over HTTP: the end-to-end red control whose sample the laboratory classifies
//! under another code, the proposed finding confirmed by the examiner, re-assessment, payment
//! and release; the lab's role table for every endpoint and role; the Lab role kept out of
//! risk information.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tamga_core::role::Role;

use crate::app::TestApp;
use crate::control::{id_of, lodge_red, post, red_profile};

on_both_backends!(
    red_declaration_to_release_through_the_laboratory,
    lab_endpoints_every_role
);

async fn ok(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let answer = app.post(path, token, &body).await;
    assert!(
        answer.status.is_success(),
        "{path}: {} {}",
        answer.status,
        answer.body
    );
    answer.body
}

async fn red_declaration_to_release_through_the_laboratory(app: TestApp) {
    red_profile(&app).await;
    let p = post(&app).await;
    let checker = app.user("lab-checker", Role::Lab, None).await;
    let mrn = lodge_red(&app, "LAB-E2E").await;
    let task = app.get("/api/v1/tasks", &p.examiner).await.body["tasks"][0]["id"]
        .as_i64()
        .unwrap();
    ok(
        &app,
        &format!("/api/v1/tasks/{task}/start"),
        &p.examiner,
        json!({}),
    )
    .await;
    let form = json!({"sample_id": "RCL-2026-0001", "item": 1, "seal_number": "UZ-SEAL-77", "quantity": "1",
        "unit": "p/st", "packaging": "sealed carton", "reason": "screen without CPU suspected",
        "determine": "is it a data processing machine", "objections": "the importer says laptops", "lab": "RCL-TASHKENT"});
    let sample = ok(
        &app,
        &format!("/api/v1/tasks/{task}/samples"),
        &p.examiner,
        form,
    )
    .await;
    assert_eq!(sample["sample"]["request"]["declared_code"], "8471300000");
    let s = "/api/v1/lab/samples/RCL-2026-0001";
    let (exa, lab) = (id_of(&app, &p.examiner).await, id_of(&app, &p.lab).await);
    ok(
        &app,
        &format!("{s}/state"),
        &p.examiner,
        json!({"state": "collected"}),
    )
    .await;
    let hand = json!({"from": exa, "to": lab, "place": "RCL Tashkent reception", "seal_seen": "UZ-SEAL-77", "condition": "intact"});
    ok(&app, &format!("{s}/handovers"), &p.examiner, hand).await;
    for state in ["received", "in-analysis"] {
        ok(&app, &format!("{s}/state"), &p.lab, json!({"state": state})).await;
    }
    let queue = app
        .get(
            "/api/v1/lab/samples?lab=RCL-TASHKENT&state=in-analysis",
            &p.lab,
        )
        .await;
    assert_eq!(queue.body["samples"][0]["flagged"], false, "{}", queue.body);
    let result = json!({"method": "functional test", "parameters": [{"name": "CPU", "value": "absent"}],
        "conclusion": "a monitor", "opinion": {"commodity_code": "8528520000", "reasoning": "no processing unit"}});
    ok(&app, &format!("{s}/result"), &p.lab, result).await;
    let own = app.post(&format!("{s}/verify"), &p.lab, &json!({})).await;
    assert_eq!(own.status, StatusCode::CONFLICT, "four eyes: {}", own.body);
    ok(&app, &format!("{s}/verify"), &checker, json!({})).await;
    let published = ok(&app, &format!("{s}/publish"), &checker, json!({})).await;
    assert_eq!(published["report"]["custody_flags"], json!([]));
    let view = app.get(&format!("/api/v1/tasks/{task}"), &p.examiner).await;
    let proposed = view.body["proposed_findings"][0].clone();
    assert_eq!(
        (
            proposed["type"].as_str(),
            proposed["commodity_code"].as_str()
        ),
        (Some("misclassification"), Some("8528520000"))
    );
    let done = ok(
        &app,
        &format!("/api/v1/tasks/{task}/complete"),
        &p.examiner,
        json!({"findings": [proposed]}),
    )
    .await;
    assert_eq!(done["task"]["state"], "completed");
    let balance = app
        .get(
            &format!("/api/v1/declarations/{mrn}/assessment"),
            &app.broker,
        )
        .await
        .body["balance"]
        .clone();
    assert_eq!(balance["assessment_version"], 2);
    let pay = json!({"kind": "payment", "amount": balance["due"], "method": "bank transfer", "reference": "LAB-1"});
    ok(
        &app,
        &format!("/api/v1/declarations/{mrn}/payments"),
        &app.officer,
        pay,
    )
    .await;
    ok(
        &app,
        &format!("/api/v1/tasks/{task}/endorse"),
        &p.chief,
        json!({}),
    )
    .await;
    let released = ok(
        &app,
        &format!("/api/v1/declarations/{mrn}/status"),
        &p.examiner,
        json!({"status": "released", "reason": "lab and duties settled"}),
    )
    .await;
    assert_eq!(released["status"], "released");
    let events: Vec<String> = app
        .get(&format!("/api/v1/tasks/{task}"), &p.supervisor)
        .await
        .body["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        events,
        [
            "opened",
            "allocated",
            "allocated",
            "started",
            "sample-requested",
            "lab-report-published",
            "completed",
            "endorsed"
        ]
    );
    let sample = app.get(s, &p.lab).await.body;
    let history: Vec<&str> = sample["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        history,
        [
            "requested",
            "collected",
            "handed-over",
            "received",
            "in-analysis",
            "result-entered",
            "verified",
            "published"
        ]
    );
    let turnaround = app.get("/api/v1/lab/turnaround", &p.lab).await;
    assert_eq!(
        turnaround.body["labs"]["RCL-TASHKENT"]["samples"], 1,
        "{}",
        turnaround.body
    );
    assert_eq!(
        app.get(s, &app.officer).await.status,
        StatusCode::NOT_FOUND,
        "not their task"
    );
    assert_eq!(app.get(s, &app.broker).await.status, StatusCode::FORBIDDEN);
}

/// A request, the roles allowed to make it, and what they get.
type Endpoint<'a> = (Method, String, Option<Value>, &'a [&'a str], StatusCode);

/// Every laboratory endpoint × every role, and the risk endpoints closed to the laboratory.
async fn lab_endpoints_every_role(app: TestApp) {
    let p = post(&app).await;
    let declarant = app.broker.clone();
    let roles: [(&str, &str); 6] = [
        ("declarant", &declarant),
        ("officer", &app.officer),
        ("analyst", &app.analyst),
        ("lab", &p.lab),
        ("supervisor", &p.supervisor),
        ("admin", &p.admin),
    ];
    let sampler = ["officer", "supervisor"];
    let lab = ["lab"];
    let handover = ["officer", "supervisor", "lab"];
    let viewer = ["officer", "supervisor", "admin", "lab"];
    let queue = ["lab", "supervisor", "admin"];
    let s = "/api/v1/lab/samples/NOPE-1";
    let hand = json!({"from": 1, "to": 2, "place": "x", "seal_seen": "S", "condition": "intact"});
    let result =
        json!({"method": "m", "parameters": [{"name": "n", "value": "v"}], "conclusion": "c"});
    let form = json!({"sample_id": "S-1", "item": 1, "seal_number": "S", "quantity": "1", "unit": "kg", "packaging": "bag", "reason": "r", "determine": "d", "lab": "RCL"});
    let endpoints: Vec<Endpoint> = vec![
        (
            Method::POST,
            "/api/v1/tasks/999999/samples".into(),
            Some(form),
            &sampler,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            "/api/v1/lab/samples".into(),
            None,
            &queue,
            StatusCode::OK,
        ),
        (
            Method::GET,
            "/api/v1/lab/turnaround".into(),
            None,
            &queue,
            StatusCode::OK,
        ),
        (Method::GET, s.into(), None, &viewer, StatusCode::NOT_FOUND),
        (
            Method::POST,
            format!("{s}/state"),
            Some(json!({"state": "collected"})),
            &sampler,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("{s}/state"),
            Some(json!({"state": "received"})),
            &lab,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("{s}/handovers"),
            Some(hand),
            &handover,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("{s}/result"),
            Some(result),
            &lab,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("{s}/verify"),
            Some(json!({})),
            &lab,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::POST,
            format!("{s}/publish"),
            Some(json!({})),
            &lab,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (method, path, body, allowed, when_allowed) in &endpoints {
        for (role, token) in roles {
            let bytes = body.as_ref().map(|b| b.to_string().into_bytes());
            let answer = app.send(method.clone(), path, Some(token), bytes).await;
            let expected = if allowed.contains(&role) {
                *when_allowed
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                answer.status, expected,
                "{role} {method} {path}: {}",
                answer.body
            );
        }
    }
    for path in [
        "/api/v1/risk/profiles",
        "/api/v1/risk/lists",
        "/api/v1/risk/watchlists",
        "/api/v1/risk/statistics?from=2026-01-01&to=2026-02-01",
        "/api/v1/risk/selectivity",
    ] {
        let answer = app.get(path, &p.lab).await;
        assert_eq!(
            answer.status,
            StatusCode::FORBIDDEN,
            "lab on {path}: {}",
            answer.body
        );
    }
}
