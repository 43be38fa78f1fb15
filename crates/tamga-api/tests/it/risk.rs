//! The targeting center over HTTP: profiles and lists managed by analysts, decisions at
//! acceptance with explanations for staff only, dry runs, outcomes and statistics, screening.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tamga_store::risk::{kind, Expected, NewDocument};

use crate::app::{sample, Answer, TestApp};

async fn put(app: &TestApp, path: &str, token: &str, body: &Value) -> Answer {
    let body = serde_json::to_vec(body).unwrap();
    app.send(Method::PUT, path, Some(token), Some(body)).await
}

/// No random draws, so channels come from the profiles alone.
async fn quiet(app: &TestApp) {
    let mut settings =
        app.get("/api/v1/risk/selectivity", &app.analyst).await.body["settings"].clone();
    settings["default"]["random"] = json!({"red": 0.0, "yellow": 0.0, "blue": 0.0});
    let body = json!({"settings": settings, "reason": "tests want no random draws"});
    let answer = put(app, "/api/v1/risk/selectivity", &app.analyst, &body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
}

fn laptops_profile() -> Value {
    json!({
        "id": "asian-computers", "title": "Computers from listed origins",
        "rationale": "undervaluation seen in Q3", "condition":
        "hs in heading(8471) and origin in list(\"watched-origins\") and not aeo",
        "effect": {"force": "red"}, "reason": "new pattern"
    })
}

async fn lodge(app: &TestApp, lrn: &str) -> Answer {
    let mut d = sample();
    d["lrn"] = json!(lrn);
    let answer = app.lodge(&app.broker, &d).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    answer
}

#[tokio::test]
async fn a_profile_forces_red_and_the_explanation_is_for_staff_only() {
    let app = TestApp::sqlite().await;
    quiet(&app).await;
    let list =
        json!({"kind": "countries", "entries": ["cn", "AF"], "reason": "intelligence report 12"});
    let answer = put(
        &app,
        "/api/v1/risk/lists/watched-origins",
        &app.analyst,
        &list,
    )
    .await;
    assert_eq!(
        (answer.status, answer.body["version"].clone()),
        (StatusCode::OK, json!(1))
    );
    assert_eq!(answer.body["entries"], json!(["CN", "AF"]));
    let created = app
        .post("/api/v1/risk/profiles", &app.analyst, &laptops_profile())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["profile"]["version"], 1);
    assert_eq!(created.body["changed_by"], "analyst");

    let lodged = lodge(&app, "RISK-1").await;
    assert_eq!(lodged.body["channel"], "red");
    let mrn = lodged.body["mrn"].as_str().unwrap();
    let path = format!("/api/v1/declarations/{mrn}/risk");
    let staff = app.get(&path, &app.officer).await;
    assert_eq!(staff.status, StatusCode::OK);
    let fired = &staff.body["explanation"]["profiles"][0];
    assert_eq!(
        (fired["id"].clone(), fired["version"].clone()),
        (json!("asian-computers"), json!(1))
    );
    assert_eq!(
        fired["matched"],
        json!({"hs": "8471300000", "origin": "CN", "aeo": false})
    );
    assert_eq!(
        staff.body["explanation"]["summary"],
        "red: red forced by asian-computers v1"
    );
    let trader = app.get(&path, &app.broker).await;
    assert_eq!(
        trader.body,
        json!({"mrn": mrn, "channel": "red", "decided_at": staff.body["decided_at"]})
    );
    assert_eq!(
        app.get(&path, &app.stranger).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn bad_profiles_are_refused_naming_every_field() {
    let app = TestApp::sqlite().await;
    let bad = json!({
        "id": "Bad Id", "title": "", "condition": "hs in chapter(9)\n and origin == \"CN\"",
        "effect": {"weight": 5000}, "valid_from": "2026-12-01", "valid_to": "2026-11-01",
        "scope": {"offices": ["XXXXX"], "declaration_types": ["ZZ"]}, "reason": " "
    });
    let answer = app.post("/api/v1/risk/profiles", &app.analyst, &bad).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.is_problem());
    let mut pointers: Vec<String> = answer.field_errors().into_iter().map(|(p, _)| p).collect();
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/condition",
            "/effect/weight",
            "/id",
            "/reason",
            "/scope/declaration_types/0",
            "/scope/offices/0",
            "/title",
            "/valid_to"
        ]
    );
    let condition = answer.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["pointer"] == "/condition")
        .unwrap();
    assert_eq!(
        condition["message"],
        "line 1, column 15: expected a 2-digit chapter, e.g. 93, found the number 9"
    );
    let unknown = json!({"id": "x", "title": "x", "condition": "origin in list(\"nope\")", "effect": {"weight": 1}, "reason": "r"});
    let answer = app
        .post("/api/v1/risk/profiles", &app.analyst, &unknown)
        .await;
    assert_eq!(
        answer.field_errors(),
        [("/condition".to_owned(), "list".to_owned())]
    );
    assert_eq!(
        app.post("/api/v1/risk/profiles", &app.officer, &laptops_profile())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/risk/profiles", &app.broker).await.status,
        StatusCode::FORBIDDEN
    );
    let check = app
        .post(
            "/api/v1/risk/conditions/check",
            &app.officer,
            &json!({"condition": "items>3 AND aeo"}),
        )
        .await;
    assert_eq!(check.status, StatusCode::UNPROCESSABLE_ENTITY);
    let check = app
        .post(
            "/api/v1/risk/conditions/check",
            &app.officer,
            &json!({"condition": "items>3  and (aeo)"}),
        )
        .await;
    assert_eq!(check.body["canonical"], "items > 3 and aeo");
}

#[tokio::test]
async fn versions_deactivation_dry_runs_outcomes_and_statistics() {
    let app = TestApp::sqlite().await;
    quiet(&app).await;
    put(
        &app,
        "/api/v1/risk/lists/watched-origins",
        &app.analyst,
        &json!({"kind": "countries", "entries": ["CN"], "reason": "r"}),
    )
    .await;
    app.post("/api/v1/risk/profiles", &app.analyst, &laptops_profile())
        .await;
    let first = lodge(&app, "V-1").await.body["mrn"]
        .as_str()
        .unwrap()
        .to_owned();

    let mut update = laptops_profile();
    update["effect"] = json!({"weight": 35});
    update["expected_version"] = json!(1);
    update["reason"] = json!("too many reds");
    let updated = put(
        &app,
        "/api/v1/risk/profiles/asian-computers",
        &app.analyst,
        &update,
    )
    .await;
    assert_eq!(
        (updated.status, updated.body["profile"]["version"].clone()),
        (StatusCode::OK, json!(2))
    );
    let stale = put(
        &app,
        "/api/v1/risk/profiles/asian-computers",
        &app.analyst,
        &update,
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let second = lodge(&app, "V-2").await;
    assert_eq!(
        second.body["channel"], "yellow",
        "weight 35 is over the yellow threshold of 30"
    );
    let second = second.body["mrn"].as_str().unwrap().to_owned();
    let old = app
        .get(&format!("/api/v1/declarations/{first}/risk"), &app.officer)
        .await;
    assert_eq!(
        old.body["explanation"]["profiles"][0]["version"], 1,
        "past decisions keep their version"
    );

    let dry = json!({"profile": {"title": "t", "condition": "hs in chapter(84)", "effect": {"weight": 1}}, "last": 10});
    let run = app
        .post("/api/v1/risk/profiles/dry-run", &app.analyst, &dry)
        .await;
    assert_eq!(
        (run.body["evaluated"].clone(), run.body["selected"].clone()),
        (json!(2), json!(2))
    );
    assert_eq!(run.body["selections"][0]["mrn"], second.as_str());
    // Values come from the stored assessments: the sample's laptops are worth far more than
    // 1,000 UZS, its mice less than 10 billion.
    let dry = json!({"profile": {"title": "t", "condition": "value > 1000 and hs in subheading(847130)", "effect": {"weight": 1}}});
    let run = app
        .post("/api/v1/risk/profiles/dry-run", &app.analyst, &dry)
        .await;
    assert_eq!(run.body["selected"], 2, "{}", run.body);
    assert!(
        run.body["selections"][0]["matched"]["value"]
            .as_f64()
            .unwrap()
            > 1000.0
    );
    let dry = json!({"profile": {"title": "t", "condition": "value > 10000000000", "effect": {"weight": 1}}});
    let run = app
        .post("/api/v1/risk/profiles/dry-run", &app.analyst, &dry)
        .await;
    assert_eq!(run.body["selected"], 0, "{}", run.body);

    let off = app
        .post(
            "/api/v1/risk/profiles/asian-computers/deactivate",
            &app.analyst,
            &json!({"reason": "season over"}),
        )
        .await;
    assert_eq!(
        (
            off.body["profile"]["version"].clone(),
            off.body["profile"]["active"].clone()
        ),
        (json!(3), json!(false))
    );
    assert_eq!(lodge(&app, "V-3").await.body["channel"], "green");
    let history = app
        .get("/api/v1/risk/profiles/asian-computers", &app.officer)
        .await;
    let reasons: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["new pattern", "too many reds", "season over"]);

    let finding = json!({"findings": [{"type": "undervaluation", "note": "invoice split"}], "extra_revenue": "1500.50"});
    let recorded = app
        .post(
            &format!("/api/v1/declarations/{first}/inspection"),
            &app.officer,
            &finding,
        )
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
    app.post(
        &format!("/api/v1/declarations/{second}/inspection"),
        &app.officer,
        &json!({"findings": []}),
    )
    .await;
    let bad = app
        .post(
            &format!("/api/v1/declarations/{first}/inspection"),
            &app.officer,
            &json!({"findings": [{"type": "smuggling"}]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.post(
            &format!("/api/v1/declarations/{first}/inspection"),
            &app.broker,
            &finding
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let stats = app.get("/api/v1/risk/statistics", &app.analyst).await;
    let tally = &stats.body["statistics"]["profiles"]["asian-computers"];
    assert_eq!(
        (
            tally["selections"].clone(),
            tally["inspected"].clone(),
            tally["hits"].clone()
        ),
        (json!(2), json!(2), json!(1))
    );
    assert_eq!(tally["hit_rate"], 0.5);
    assert_eq!(tally["revenue_found"], "1500.50");
    assert_eq!(stats.body["statistics"]["all"]["selections"], 3);
    let bad_window = app
        .get("/api/v1/risk/statistics?from=yesterday", &app.analyst)
        .await;
    assert_eq!(
        bad_window.field_errors(),
        [("/query/from".to_owned(), "invalid_time".to_owned())]
    );
}

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

#[tokio::test]
async fn dms_notifications_follow_the_channel_and_the_release() {
    let app = TestApp::sqlite().await;
    quiet(&app).await;
    let profile = json!({"id": "docs", "title": "documents", "condition": "true", "effect": {"force": "yellow"}, "reason": "r"});
    app.post("/api/v1/risk/profiles", &app.analyst, &profile)
        .await;
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
    assert_eq!(
        app.post(&path, &app.officer, &release).await.status,
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
    let sample = include_str!("../../../../data/kcs/sample_train_2020.csv");
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
