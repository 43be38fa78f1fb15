//! Bad input of every kind gets a 4xx problem document, and nothing is stored.

use axum::http::{header, Method, StatusCode};
use serde_json::json;

use crate::app::{sample, TestApp};

async fn nothing_stored(app: &TestApp) {
    let listed = app.get("/api/v1/declarations", &app.officer).await;
    assert_eq!(
        listed.body["items"],
        json!([]),
        "a refused declaration was stored"
    );
}

#[tokio::test]
async fn several_field_errors_at_once() {
    let app = TestApp::sqlite().await;
    let mut d = sample();
    d["customs_office"] = json!("UZXXX");
    d["containers"] = json!(["CSQU3054384"]);
    d["items"][0]["commodity_code"] = json!("8471");
    d["items"][1]["net_mass"] = json!("70");
    d["invoice"]["currency"] = json!("XYZ");
    let answer = app.lodge(&app.broker, &d).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.is_problem());
    let errors = answer.field_errors();
    for expected in [
        ("/customs_office", "office_unknown"),
        ("/containers/0", "check_digit_mismatch"),
        ("/items/0/commodity_code", "commodity_code_not_leaf"),
        ("/items/1/net_mass", "net_mass_exceeds_gross"),
        ("/invoice/currency", "currency_unknown"),
    ] {
        assert!(
            errors.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} missing from {errors:?}"
        );
    }
    assert!(answer.body["errors"][0]["message"].as_str().unwrap().len() > 10);
    nothing_stored(&app).await;
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = TestApp::sqlite().await;
    for body in [&b"{\"type\": \"IM\","[..], b"not json", b"", b"{} {}"] {
        let answer = app
            .send(
                Method::POST,
                "/api/v1/declarations",
                Some(&app.broker),
                Some(body.to_vec()),
            )
            .await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{:?}",
            String::from_utf8_lossy(body)
        );
        assert!(answer.is_problem());
    }
    nothing_stored(&app).await;
}

#[tokio::test]
async fn wrong_types_and_unknown_fields_are_named() {
    let app = TestApp::sqlite().await;
    let mut d = sample();
    d["items"][0]["sequence"] = json!("one");
    let answer = app.lodge(&app.broker, &d).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.field_errors(),
        [("/items/0/sequence".to_owned(), "invalid_type".to_owned())]
    );

    let mut d = sample();
    d["importer"]["colour"] = json!("red");
    let answer = app.lodge(&app.broker, &d).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let (pointer, _) = &answer.field_errors()[0];
    assert!(pointer.starts_with("/importer"), "{pointer}");
    assert!(
        answer.body["detail"].as_str().unwrap().contains("colour"),
        "{}",
        answer.body
    );

    let answer = app.lodge(&app.broker, &json!([1, 2, 3])).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    nothing_stored(&app).await;
}

#[tokio::test]
async fn invalid_utf8_is_refused() {
    let app = TestApp::sqlite().await;
    let mut body = serde_json::to_vec(&sample()).unwrap();
    let at = body
        .windows(6)
        .position(|w| w == b"Laptop" || w == b"Portab")
        .unwrap();
    body[at] = 0xff;
    let answer = app
        .send(
            Method::POST,
            "/api/v1/declarations",
            Some(&app.broker),
            Some(body),
        )
        .await;
    assert!(answer.status.is_client_error(), "{}", answer.status);
    assert!(answer.is_problem());
    nothing_stored(&app).await;
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = TestApp::sqlite().await;
    let mut d = sample();
    d["items"][0]["description"] = json!("x".repeat(100 * 1024));
    let answer = app.lodge(&app.broker, &d).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer.is_problem());
    assert!(
        answer.body["detail"].as_str().unwrap().contains("65536"),
        "{}",
        answer.body
    );
    nothing_stored(&app).await;
}

#[tokio::test]
async fn other_media_types_are_415() {
    let app = TestApp::sqlite().await;
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/declarations")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.broker))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(axum::body::Body::from(crate::app::SAMPLE))
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = TestApp::sqlite().await;
    let missing = app.get("/api/v1/nothing-here", &app.officer).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.is_problem());
    let wrong = app
        .send(
            Method::DELETE,
            "/api/v1/declarations",
            Some(&app.officer),
            None,
        )
        .await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong.is_problem());
    // HEAD runs the GET handler, so it passes the GET rule's gate, not around it.
    let head = app
        .send(Method::HEAD, "/api/v1/users", Some(&app.officer), None)
        .await;
    assert_eq!(head.status, StatusCode::FORBIDDEN);
}
