//! Declarations lodged as EDIFACT, answered in kind.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::app::TestApp;

const CUSDEC: &str = include_str!("../../../../examples/declaration.edi");

async fn send_edifact(app: &TestApp, token: &str, body: &str) -> (StatusCode, String, String) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/declarations")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/edifact")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, kind, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn a_cusdec_is_lodged_and_answered_with_a_cusres() {
    let app = TestApp::sqlite().await;
    let (status, kind, body) = send_edifact(&app, &app.broker, CUSDEC).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(kind, "application/edifact");
    let answer = tamga_edifact::interchange::read(&body).unwrap();
    let message = &answer.messages[0];
    assert_eq!(message.kind(), Some("CUSRES"));
    let bgm = &message.body()[0];
    assert_eq!(bgm.value(2, 0), Some("29"), "accepted");
    let mrn = bgm.value(1, 0).unwrap().to_owned();
    let json = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    assert_eq!(json.status, StatusCode::OK);
    let gis = message
        .body()
        .iter()
        .find(|s| s.tag == "GIS")
        .expect("the channel");
    let channel = json.body["channel"].as_str().unwrap().to_uppercase();
    assert_eq!(
        (gis.value(0, 0), gis.value(0, 1)),
        (Some(channel.as_str()), Some("CHN"))
    );
    assert_eq!(json.body["declaration"]["lrn"], "LRN-EDI-000123");
    let (again, _, body) = send_edifact(&app, &app.broker, CUSDEC).await;
    assert_eq!(
        again,
        StatusCode::OK,
        "the same interchange again: same MRN"
    );
    assert!(body.contains(&mrn));
}

#[tokio::test]
async fn invalid_content_gets_a_cusres_listing_every_problem() {
    let app = TestApp::sqlite().await;
    let broken = CUSDEC
        .replace("LOC+22+UZTAS", "LOC+22+UZXXX")
        .replace("CST+2+847160", "CST+2+8471");
    let (status, _, body) = send_edifact(&app, &app.broker, &broken).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let answer = tamga_edifact::interchange::read(&body).unwrap();
    let segments = answer.messages[0].body();
    assert_eq!(segments[0].value(2, 0), Some("27"), "not accepted");
    let codes: Vec<&str> = segments
        .iter()
        .filter(|s| s.tag == "ERC")
        .filter_map(|s| s.value(0, 0))
        .collect();
    // CUSRES error codes are at most 8 characters (an..8); the full code opens the FTX text.
    assert!(
        codes.contains(&"OFFUNKN") && codes.contains(&"HSNOLEAF"),
        "{codes:?}"
    );
    assert!(body.contains("office_unknown") && body.contains("commodity_code_not_leaf"));
    assert!(body.contains("/items/1/commodity_code"), "{body}");
}

#[tokio::test]
async fn a_syntax_error_gets_a_contrl() {
    let app = TestApp::sqlite().await;
    let miscounted = CUSDEC.replace("UNT+33+1", "UNT+34+1");
    let (status, kind, body) = send_edifact(&app, &app.broker, &miscounted).await;
    assert_eq!(
        (status, kind.as_str()),
        (StatusCode::BAD_REQUEST, "application/edifact")
    );
    let contrl = tamga_edifact::interchange::read(&body).unwrap();
    let segments = contrl.messages[0].body();
    assert_eq!(segments[0].tag, "UCI");
    assert_eq!(
        segments[0].value(0, 0),
        Some("EDI000123"),
        "names the interchange"
    );
    // A wrong count in the UNT is the message's own envelope: reported in the UCM (error 29,
    // segment tag UNT), not in a UCS.
    assert_eq!(segments[1].tag, "UCM");
    assert_eq!(segments[1].value(3, 0), Some("29"), "{body}");
    assert!(segments.iter().all(|s| s.tag != "UCS"), "{body}");
    let listed = app.get("/api/v1/declarations", &app.officer).await;
    assert_eq!(listed.body["items"], serde_json::json!([]));
}
