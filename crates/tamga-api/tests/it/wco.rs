//! Declarations lodged as WCO DM XML, answered with DMS-style notifications.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::app::TestApp;

const DEC: &str = include_str!("../../../../examples/declaration.xml");

async fn send_xml(app: &TestApp, body: &str) -> (StatusCode, String) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/declarations")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.broker))
        .header(header::CONTENT_TYPE, "application/xml")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/xml");
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn a_dec_dms_declaration_is_accepted_with_a_notification() {
    let app = TestApp::sqlite().await;
    let (status, body) = send_xml(&app, DEC).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let root = tamga_wco::xml::parse(&body).unwrap();
    assert_eq!(root.text_at(&["Response", "FunctionCode"]), Some("01"));
    let mrn = root
        .text_at(&["Response", "Declaration", "ID"])
        .unwrap()
        .to_owned();
    let json = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    assert_eq!(json.body["declaration"]["lrn"], "LRN-XML-000123");
    assert_eq!(
        json.body["declaration"]["items"][0]["commodity_code"],
        "8471300000"
    );
    let (again, _) = send_xml(&app, DEC).await;
    assert_eq!(again, StatusCode::OK);
}

#[tokio::test]
async fn problems_and_malformed_documents_get_rejection_notifications() {
    let app = TestApp::sqlite().await;
    let (status, body) = send_xml(&app, &DEC.replace("<ID>UZTAS</ID>", "<ID>GBLBA001</ID>")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let root = tamga_wco::xml::parse(&body).unwrap();
    assert_eq!(root.text_at(&["Response", "FunctionCode"]), Some("03"));
    assert_eq!(
        root.text_at(&["Response", "Error", "Pointer", "TagID"]),
        Some("/customs_office")
    );
    let (status, body) = send_xml(&app, "<MetaData><Declaration></MetaData>").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("xml_malformed"), "{body}");
}

/// The sample with its exporter given by identifier alone, as a trader whose partners are
/// registered writes it.
fn identifier_only_exporter(id: &str) -> String {
    let full = "<Exporter>\n      <ID>CN91310000MA1</ID>\n      <Name>Shanghai Electronics Export Co.</Name>\n      <Address><CityName>Shanghai</CityName><CountryCode>CN</CountryCode></Address>\n    </Exporter>";
    assert!(DEC.contains(full));
    DEC.replace(full, &format!("<Exporter><ID>{id}</ID></Exporter>"))
}

#[tokio::test]
async fn a_party_given_by_registered_identifier_alone_is_filled_in() {
    let app = TestApp::sqlite().await;
    let root = crate::parties::admin(&app).await;
    crate::parties::register(
        &app,
        &root,
        "CN91310000MA1",
        "Shanghai Electronics Export Co.",
        "CN",
    )
    .await;
    let (status, body) = send_xml(&app, &identifier_only_exporter("CN91310000MA1")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let root = tamga_wco::xml::parse(&body).unwrap();
    let mrn = root.text_at(&["Response", "Declaration", "ID"]).unwrap();
    let json = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    let exporter = &json.body["declaration"]["exporter"];
    assert_eq!(exporter["name"], "Shanghai Electronics Export Co.");
    assert_eq!(exporter["country"], "CN");
}

#[tokio::test]
async fn an_unregistered_identifier_alone_is_rejected_at_its_id() {
    let app = TestApp::sqlite().await;
    let (status, body) = send_xml(&app, &identifier_only_exporter("CN000UNKNOWN")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let root = tamga_wco::xml::parse(&body).unwrap();
    assert_eq!(root.text_at(&["Response", "FunctionCode"]), Some("03"));
    let errors: Vec<&str> = root
        .child("Response")
        .into_iter()
        .flat_map(|r| r.all("Error"))
        .filter_map(|e| e.text_at(&["Pointer", "TagID"]))
        .collect();
    assert_eq!(errors, ["/exporter/id"], "{body}");
    assert!(
        body.contains("CN000UNKNOWN is not a registered party"),
        "{body}"
    );
}
