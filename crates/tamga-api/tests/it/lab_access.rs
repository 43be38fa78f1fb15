//! Least privilege for the laboratory: every endpoint the OpenAPI document lists, called by a
//! lab user, is refused with 403 unless it is reference data, `/me`, or the lab's own (whose
//! role table `lab.rs` tests); a declaration is readable only once the lab holds a sample of
//! it, and then without its channel and history.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::app::TestApp;
use crate::control::{lodge_red, post, red_profile};

on_both_backends!(
    every_endpoint_refuses_the_laboratory,
    sampled_declarations_only
);

/// What a lab user may reach outside the laboratory's own endpoints.
const OPEN: [(&str, &str); 10] = [
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/commodities"),
    ("get", "/api/v1/commodities/{code}"),
    ("get", "/api/v1/offices"),
    ("get", "/api/v1/tariff/{code}"),
    ("post", "/api/v1/tariff/calculate"),
    // A peer node's endpoints: authenticated by signature, not by a user's token.
    ("get", "/api/v1/federation/node"),
    ("post", "/api/v1/federation/inbox"),
];

/// The laboratory's own endpoints, with their own role table (tested in `lab.rs`).
fn laboratory(path: &str) -> bool {
    path.starts_with("/api/v1/lab/") || path == "/api/v1/tasks/{id}/samples"
}

/// A documented path with its parameters filled in with values that name real or plausible
/// things (`mrn`: a lodged declaration).
fn concrete(path: &str, mrn: &str) -> String {
    path.replace("{mrn}", mrn)
        .replace("{code}", "8471300000")
        .replace("{sha256}", &"0".repeat(64))
        .replace("{number}", "UZTAS-2026-000001")
        .replace("{name}", "watched-origins")
        .replace("{id}", "1")
        .replace("{hold}", "1")
        .replace("{mandate}", "1")
        .replace("{token_id}", "1")
}

async fn every_endpoint_refuses_the_laboratory(app: TestApp) {
    red_profile(&app).await;
    let p = post(&app).await;
    let mrn = lodge_red(&app, "LAB-ACCESS").await;
    let document = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .body;
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/v1/attachments/{sha256}"));
    let mut checked = 0;
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            if laboratory(path) || OPEN.contains(&(method.as_str(), path.as_str())) {
                continue;
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != Method::GET).then(|| b"{}".to_vec());
            let concrete = concrete(path, &mrn);
            let answer = app
                .send(method.clone(), &concrete, Some(&p.lab), body)
                .await;
            assert_eq!(
                answer.status,
                StatusCode::FORBIDDEN,
                "lab {method} {concrete}: {}",
                answer.body
            );
            assert!(answer.is_problem(), "{method} {concrete}");
            checked += 1;
        }
    }
    assert!(checked >= 50, "only {checked} endpoints checked");
    for (method, path) in OPEN {
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let body = (method != Method::GET).then(|| b"{}".to_vec());
        let answer = app
            .send(method.clone(), &concrete(path, &mrn), Some(&p.lab), body)
            .await;
        assert_ne!(answer.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
}

async fn sampled_declarations_only(app: TestApp) {
    red_profile(&app).await;
    let p = post(&app).await;
    let mrn = lodge_red(&app, "LAB-SAMPLED").await;
    let path = format!("/api/v1/declarations/{mrn}");
    assert_eq!(app.get(&path, &p.lab).await.status, StatusCode::FORBIDDEN);
    let officer = app.get(&path, &p.examiner).await;
    assert_eq!(officer.body["channel"], "red");
    let task = app.get("/api/v1/tasks", &p.examiner).await.body["tasks"][0]["id"]
        .as_i64()
        .unwrap();
    let started = app
        .post(
            &format!("/api/v1/tasks/{task}/start"),
            &p.examiner,
            &json!({}),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let form = json!({"sample_id": "RCL-2026-0009", "item": 1, "seal_number": "UZ-SEAL-9",
        "quantity": "1", "unit": "p/st", "packaging": "sealed carton", "reason": "check",
        "determine": "what it is", "lab": "RCL-TASHKENT"});
    let sampled = app
        .post(&format!("/api/v1/tasks/{task}/samples"), &p.examiner, &form)
        .await;
    assert!(sampled.status.is_success(), "{}", sampled.body);
    let seen = app.get(&path, &p.lab).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.body["mrn"], mrn.as_str());
    assert!(seen.body.get("channel").is_none(), "{}", seen.body);
    assert_eq!(seen.body["history"], Value::Array(Vec::new()));
    for refused in ["risk", "assessment", "notifications", "valuation"] {
        let answer = app.get(&format!("{path}/{refused}"), &p.lab).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{refused}");
    }
}
