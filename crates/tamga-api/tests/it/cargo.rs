//! Cargo reports through the API.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use crate::app::TestApp;

const CUSCAR: &str = "UNB+UNOC:3+KZCARRIER+UZCUSTOMS+261120:0800+77'UNH+1+CUSCAR:D:96B:UN'BGM+785+MANIFEST-42+9'\
TDT+20++3+++++01A777AA::::KZ'LOC+60+UZTAS'DTM+132:20261122:102'CNI+1+CMR-001'NAD+CZ+++Almaty Trade LLP'\
EQD+CN+CSQU3054383'GID+1+40:CT'FTX+AAA+++Laptops'PIA+5+847130'MEA+WT+AAB+KGM:520'UNT+13+1'UNZ+1+77'";

async fn post(
    app: &TestApp,
    token: &str,
    content_type: &str,
    body: String,
) -> (StatusCode, serde_json::Value) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/cargo-reports")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or_default())
}

async fn post_text(app: &TestApp, token: &str, body: String) -> (StatusCode, String) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/cargo-reports")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/edifact")
        .body(Body::from(body))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn a_cuscar_is_stored_and_listed_for_customs() {
    let app = TestApp::sqlite().await;
    let (status, answer) = post_text(&app, &app.officer, CUSCAR.into()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert!(
        answer.contains("UNH+1+CUSRES:D:96B:UN'BGM+962+"),
        "{answer}"
    );
    assert!(answer.contains("+29'RFF+ACD:1'UNT+4+1'"), "{answer}");
    let listed = app.get("/api/v1/cargo-reports", &app.analyst).await;
    let report = &listed.body["reports"][0];
    assert_eq!(report["carrier"], "KZCARRIER");
    assert_eq!(report["report"]["arrival_place"], "UZTAS");
    assert_eq!(
        report["report"]["consignments"][0]["containers"][0],
        "CSQU3054383"
    );
    let (again, _) = post_text(&app, &app.officer, CUSCAR.into()).await;
    assert_eq!(again, StatusCode::OK);
    let listed = app.get("/api/v1/cargo-reports", &app.analyst).await;
    assert_eq!(listed.body["reports"].as_array().unwrap().len(), 1);
    let own = app.get("/api/v1/cargo-reports", &app.broker).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(
        own.body["reports"],
        json!([]),
        "a declarant lists only the reports it carries"
    );
    let id = report["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/cargo-reports/{id}"), &app.broker)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let (broken, contrl) =
        post_text(&app, &app.officer, CUSCAR.replace("UNT+13+1", "UNT+12+1")).await;
    assert_eq!(broken, StatusCode::BAD_REQUEST);
    assert!(contrl.contains("CONTRL"), "{contrl}");
    let wrong = CUSCAR.replace("CUSCAR:D", "IFTSTA:D");
    let (refused, cusres) = post_text(&app, &app.officer, wrong).await;
    assert_eq!(refused, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        cusres.contains("+27'") && cusres.contains("ERC+MSGNS'"),
        "{cusres}"
    );
}

#[tokio::test]
async fn json_reports_are_checked_and_owned_by_their_carrier() {
    let app = TestApp::sqlite().await;
    let report = json!({"reference": "M-7", "consignments": [{"sequence": 1, "containers": ["CSQU3054384"]}]});
    let (status, body) = post(&app, &app.broker, "application/json", report.to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["pointer"], "/consignments/0/containers/0");
    let report = json!({"reference": "M-7", "consignments": [{"sequence": 1, "containers": ["CSQU3054383"]}]});
    let (status, body) = post(&app, &app.broker, "application/json", report.to_string()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        body["reports"][0]["carrier"], "UZ305123456",
        "a declarant reports for its own party"
    );
    let id = body["reports"][0]["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/cargo-reports/{id}"), &app.broker)
            .await
            .status,
        StatusCode::OK
    );
    let own = app.get("/api/v1/cargo-reports", &app.broker).await;
    assert_eq!(own.body["reports"][0]["id"], id);
    let theirs = app.get("/api/v1/cargo-reports", &app.stranger).await;
    assert_eq!(theirs.body["reports"], json!([]));
    assert_eq!(
        app.get(&format!("/api/v1/cargo-reports/{id}"), &app.stranger)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let changed = json!({"reference": "M-7", "consignments": [{"sequence": 2}]});
    assert_eq!(
        post(&app, &app.broker, "application/json", changed.to_string())
            .await
            .0,
        StatusCode::CONFLICT
    );
}
