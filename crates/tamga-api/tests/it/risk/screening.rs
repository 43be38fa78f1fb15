//! Watchlists, selectivity settings and the pre-arrival targeting of cargo reports.

use axum::http::StatusCode;
use serde_json::json;
use tamga_store::risk::{kind, Expected, NewDocument};

use super::{lodge, put, quiet};
use crate::app::TestApp;

#[tokio::test]
async fn watchlists_screen_names_and_flag_parties() {
    let app = TestApp::sqlite().await;
    quiet(&app).await;
    let entries = json!([
        {"id": "T:1", "source": "test-list", "kind": "individual", "names": ["Алишер Навоий"], "reference": null, "country": null, "remarks": null},
        {"id": "T:2", "source": "test-list", "kind": "entity", "names": ["Shanghai Electronics Export Company"], "reference": null, "country": "CN", "remarks": null},
        {"id": "T:3", "source": "test-list", "kind": "container", "names": ["CSQU 305438-3"], "reference": null, "country": null, "remarks": null},
        {"id": "T:4", "source": "test-list", "kind": "vehicle", "names": ["01 A 123 BC"], "reference": null, "country": null, "remarks": null}
    ]);
    app.state
        .store
        .save_document(NewDocument {
            kind: kind::WATCHLIST,
            name: "test-list".into(),
            document: entries.to_string(),
            expected: Expected::Any,
            by: "admin".into(),
            reason: "test".into(),
            at: tamga_store::sql::now(),
        })
        .await
        .unwrap();
    app.state.risk.refresh(&*app.state.store).await.unwrap();
    let screened = app
        .post(
            "/api/v1/risk/screen",
            &app.officer,
            &json!({"name": "Navoiy Alisher"}),
        )
        .await;
    assert_eq!(screened.status, StatusCode::OK, "{}", screened.body);
    assert_eq!(screened.body["hits"][0]["entry_id"], "T:1");
    let lists = app.get("/api/v1/risk/watchlists", &app.officer).await;
    assert_eq!(lists.body[0]["entries"], 4);

    let lodged = lodge(&app, "W-1").await;
    let mrn = lodged.body["mrn"].as_str().unwrap();
    let decision = app
        .get(&format!("/api/v1/declarations/{mrn}/risk"), &app.officer)
        .await;
    let hits = decision.body["explanation"]["watchlist"]
        .as_array()
        .unwrap();
    let found: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (h["role"].as_str().unwrap(), h["entry_id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("container", "T:3"),
            ("vehicle", "T:4"),
            ("exporter", "T:2")
        ]
    );
    assert_eq!(decision.body["score"], 60, "the default watchlist weight");
    assert_eq!(lodged.body["channel"], "red");
}

/// An analyst imports a watchlist file; screening uses it at once. A bad name, a missing reason
/// and an unreadable file are each named; other roles may not import.
async fn watchlists_are_imported_from_files(app: TestApp) {
    let csv = "id,kind,name,aliases,country,remarks\nA-1,entity,Qora Dengiz Trading LLC,Black Sea Trading,UZ,test\n";
    let path = "/api/v1/risk/watchlists/analysts?format=csv&reason=weekly%20list";
    async fn put_file(
        app: &TestApp,
        token: &str,
        path: &str,
        body: &str,
    ) -> (StatusCode, axum::http::HeaderMap, axum::body::Bytes) {
        let body = axum::body::Body::from(body.to_owned());
        app.exchange(
            axum::http::Method::PUT,
            path,
            Some(token),
            Some("text/csv"),
            body,
        )
        .await
    }
    let (status, _, _) = put_file(&app, &app.officer, path, csv).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, body) = put_file(&app, &app.analyst, path, csv).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let view: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (view["name"].clone(), view["entries"].clone()),
        (json!("analysts"), json!(1))
    );
    let screened = app
        .post(
            "/api/v1/risk/screen",
            &app.officer,
            &json!({"name": "Black Sea Trading"}),
        )
        .await;
    assert_eq!(
        screened.body["hits"][0]["entry_id"], "analysts:A-1",
        "{}",
        screened.body
    );
    let bad = "/api/v1/risk/watchlists/Bad%20Name?format=un&reason=";
    let (status, _, body) = put_file(&app, &app.analyst, bad, "<not xml").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let pointers: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/reason", "/name", "/file"]);
    let (status, _, _) = put_file(
        &app,
        &app.analyst,
        "/api/v1/risk/watchlists/x?format=pdf&reason=r",
        csv,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown format");
}

#[tokio::test]
async fn sqlite_watchlists_are_imported_from_files() {
    watchlists_are_imported_from_files(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn postgres_watchlists_are_imported_from_files() {
    watchlists_are_imported_from_files(TestApp::postgres().await).await;
}

#[tokio::test]
async fn selectivity_settings_are_checked() {
    let app = TestApp::sqlite().await;
    let mut settings =
        app.get("/api/v1/risk/selectivity", &app.analyst).await.body["settings"].clone();
    settings["default"]["yellow_at"] = json!(90);
    settings["default"]["random"]["red"] = json!(1.5);
    settings["aeo_reduction"] = json!(-5);
    settings["offices"] = json!({"NOPE1": settings["default"].clone()});
    let answer = put(
        &app,
        "/api/v1/risk/selectivity",
        &app.analyst,
        &json!({"settings": settings, "reason": "r"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<String> = answer.field_errors().into_iter().map(|(p, _)| p).collect();
    assert!(
        pointers.contains(&"/settings/default/yellow_at".to_owned()),
        "{pointers:?}"
    );
    assert!(pointers.contains(&"/settings/default/random/red".to_owned()));
    assert!(pointers.contains(&"/settings/aeo_reduction".to_owned()));
    assert!(pointers.contains(&"/settings/offices/NOPE1".to_owned()));
}

#[tokio::test]
async fn cargo_reports_are_targeted_before_arrival() {
    let app = TestApp::sqlite().await;
    let boxes = json!({"kind": "containers", "entries": ["CSQU3054383"], "reason": "tip-off"});
    put(
        &app,
        "/api/v1/risk/lists/suspect-boxes",
        &app.analyst,
        &boxes,
    )
    .await;
    let profiles = [
        json!({"id": "boxes", "title": "suspect boxes", "condition": "container in list(\"suspect-boxes\")", "effect": {"force": "red"}, "reason": "r"}),
        json!({"id": "heavy-computers", "title": "heavy computers", "condition": "hs in heading(8471) and gross_mass > 100", "effect": {"weight": 35}, "reason": "r"}),
    ];
    for p in &profiles {
        assert_eq!(
            app.post("/api/v1/risk/profiles", &app.analyst, p)
                .await
                .status,
            StatusCode::CREATED
        );
    }
    let report = json!({
        "reference": "MAN-1", "carrier": "KZCARRIER", "arrival_place": "UZTAS",
        "consignments": [
            {"sequence": 1, "containers": ["CSQU3054383"], "goods": [{"sequence": 1, "commodity_code": "847130"}]},
            {"sequence": 2, "containers": [], "goods": [{"sequence": 1, "commodity_code": "847130", "gross_mass": "250"}]},
            {"sequence": 3, "goods": [{"sequence": 1, "commodity_code": "940360", "gross_mass": "250"}]}
        ]
    });
    let stored = app
        .post("/api/v1/cargo-reports", &app.officer, &report)
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.body);
    let id = stored.body["reports"][0]["id"].as_i64().unwrap();
    let risk = app
        .get(&format!("/api/v1/cargo-reports/{id}/risk"), &app.officer)
        .await;
    assert_eq!(risk.status, StatusCode::OK, "{}", risk.body);
    let levels: Vec<(String, i64)> = risk.body["consignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["channel"].as_str().unwrap().to_owned(),
                c["score"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("red".to_owned(), 0),
            ("yellow".to_owned(), 35),
            ("green".to_owned(), 0)
        ]
    );
    let fired = &risk.body["consignments"][1]["explanation"]["profiles"][0];
    assert_eq!(
        fired["matched"],
        json!({"hs": "847130", "gross_mass": 250.0})
    );
    assert_eq!(
        app.get(&format!("/api/v1/cargo-reports/{id}/risk"), &app.broker)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}
