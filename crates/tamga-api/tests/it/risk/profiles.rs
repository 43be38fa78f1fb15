//! Profiles and lists: versions, deactivation, dry runs, refusals, outcomes and statistics.

use axum::http::StatusCode;
use serde_json::json;

use super::{laptops_profile, lodge, put, quiet};
use crate::app::TestApp;

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
    assert_eq!(recorded.body["recorded_by"], "officer", "{}", recorded.body);
    assert_eq!(recorded.body["outcome"]["findings"], finding["findings"]);
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
    assert_eq!(stats.body["statistics"]["all"]["decided"], 3);
    let bad_window = app
        .get("/api/v1/risk/statistics?from=yesterday", &app.analyst)
        .await;
    assert_eq!(
        bad_window.field_errors(),
        [("/query/from".to_owned(), "invalid_time".to_owned())]
    );
}

/// Tallies are kept per office-local day (Tashkent, UTC+5): a window from the local midnight of
/// today counts today's lodgements whatever the hour is in UTC. Its UTC day is yesterday's, so
/// a window read as UTC days missed them.
#[tokio::test]
async fn the_statistics_window_is_read_in_office_local_days() {
    let app = TestApp::sqlite().await;
    lodge(&app, "LOCAL-DAY-1").await;
    let tashkent = time::UtcOffset::from_hms(5, 0, 0).unwrap();
    let midnight = tamga_store::sql::now()
        .to_offset(tashkent)
        .replace_time(time::Time::MIDNIGHT);
    let rfc3339 = |t: time::OffsetDateTime| {
        t.to_offset(time::UtcOffset::UTC)
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let path = format!(
        "/api/v1/risk/statistics?from={}&to={}",
        rfc3339(midnight),
        rfc3339(midnight + time::Duration::minutes(1))
    );
    let stats = app.get(&path, &app.analyst).await;
    assert_eq!(stats.status, StatusCode::OK, "{}", stats.body);
    assert_eq!(
        stats.body["statistics"]["all"]["decided"], 1,
        "{}",
        stats.body
    );
}
