use axum::http::{Method, StatusCode};

use crate::app::TestApp;

#[tokio::test]
async fn the_openapi_document_is_served_and_stable() {
    let app = TestApp::sqlite().await;
    let answer = app
        .send(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.body["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/declarations",
        "/api/v1/declarations/{mrn}",
        "/api/v1/commodities/{code}",
    ] {
        assert!(
            answer.body["paths"].get(path).is_some(),
            "{path} is not documented"
        );
    }
    // As text: serde_json keeps numbers as written (arbitrary_precision), which insta's own
    // JSON serialiser does not know.
    insta::assert_snapshot!(
        "openapi",
        serde_json::to_string_pretty(&answer.body).unwrap()
    );
}
