use axum::http::StatusCode;

use crate::app::TestApp;

#[tokio::test]
async fn commodity_lookup_follows_the_edition_in_force() {
    let app = TestApp::sqlite().await;
    let drone = app
        .get("/api/v1/commodities/880622?date=2024-05-01", &app.broker)
        .await;
    assert_eq!(drone.status, StatusCode::OK);
    assert_eq!(drone.body["edition"], "HS2022");
    assert_eq!(drone.body["declarable"], true);
    let ancestors: Vec<_> = drone.body["ancestors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].clone())
        .collect();
    assert_eq!(ancestors, ["88", "8806"]);
    let before = app
        .get("/api/v1/commodities/880622?date=2021-05-01", &app.broker)
        .await;
    assert_eq!(before.status, StatusCode::NOT_FOUND);
    let heading = app.get("/api/v1/commodities/8471", &app.broker).await;
    assert_eq!(heading.body["declarable"], false);
    assert!(heading.body["children"].as_array().unwrap().len() >= 5);
    let bad = app
        .get("/api/v1/commodities/8471?date=someday", &app.broker)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.field_errors()[0].0, "/query/date");
}

#[tokio::test]
async fn commodity_search_and_offices() {
    let app = TestApp::sqlite().await;
    let found = app
        .get(
            "/api/v1/commodities?q=mineral%20waters&limit=5",
            &app.broker,
        )
        .await;
    assert_eq!(found.status, StatusCode::OK);
    let items = found.body["items"].as_array().unwrap();
    assert!(!items.is_empty() && items.len() <= 5);
    assert!(
        items
            .iter()
            .any(|e| e["code"].as_str().unwrap().starts_with("2201")),
        "{items:?}"
    );
    let offices = app.get("/api/v1/offices", &app.broker).await;
    assert_eq!(offices.body.as_array().unwrap().len(), 195);
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::sqlite().await;
    let health = app
        .send(axum::http::Method::GET, "/healthz", None, None)
        .await;
    assert_eq!(health.status, StatusCode::OK);
    let ready = app
        .send(axum::http::Method::GET, "/readyz", None, None)
        .await;
    assert_eq!(ready.status, StatusCode::OK);
    assert_eq!(ready.body["database"], "sqlite");
}
