//! Border posts: a simulated truck with a declaration and the right weight passes; one 20 %
//! heavier, one with no pre-arrival information, one whose plate is listed and one with a
//! broken seal each raise their alert; a transit movement's passage and arrival are taken by
//! the posts it crosses; the `post` role does nothing else and nobody else reports crossings.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tamga_core::role::Role;
use tamga_store::{token, NewUser};

use crate::app::{sample, Answer, TestApp};

on_both_backends!(
    a_declared_truck_at_the_right_weight_passes,
    declared_containers_and_plates_in_any_case_are_expected,
    heavy_unannounced_listed_and_broken_seal_trucks_alert,
    transit_movements_pass_and_arrive_at_the_posts,
    the_post_role_reports_crossings_and_nothing_else
);

/// A post account (the gate equipment) at `office`; returns its token.
pub async fn post_at(app: &TestApp, name: &str, office: &str) -> String {
    let secret = token::generate();
    let new = NewUser {
        name: name.into(),
        role: Role::Post,
        party_id: None,
        token_hash: token::hash(&secret),
    };
    app.state.store.create_post_user(new, office).await.unwrap();
    secret
}

/// An officer on the roster of `office`; returns their token.
async fn officer_at(app: &TestApp, office: &str) -> String {
    let admin = app.user("posts-admin", Role::Admin, None).await;
    let token = app.user("posts-officer", Role::Officer, None).await;
    let id = crate::control::id_of(app, &token).await;
    let body = json!({"office": office, "section": "posts", "group": "examiner"});
    let path = format!("/api/v1/control/officers/{id}");
    let body = Some(body.to_string().into_bytes());
    let saved = app.send(Method::PUT, &path, Some(&admin), body).await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    token
}

/// The sample declaration (373.5 kg gross) lodged at UZTAS on a truck with `plate`.
async fn declared(app: &TestApp, lrn: &str, plate: &str) -> String {
    let mut d = sample();
    d["lrn"] = json!(lrn);
    d["border_transport"]["identification"] = json!(plate);
    d["containers"] = json!([]);
    let lodged = app.lodge(&app.broker, &d).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    lodged.body["mrn"].as_str().unwrap().to_owned()
}

/// A crossing of `plate` whose load (gross less the 14 t tare) weighs `load` kg.
fn crossing(plate: &str, load: &str) -> Value {
    let gross =
        load.parse::<rust_decimal::Decimal>().unwrap() + rust_decimal::Decimal::from(14_000);
    json!({
        "plate": plate,
        "gross_weight_kg": gross.to_string(),
        "tare_weight_kg": "14000",
        "lane": "2",
        "crossed_at": "2026-11-30T09:15:00Z",
        "direction": "entry",
        "images": ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        "seals": [{"identifier": "UZ-0012345", "state": "intact"}]
    })
}

async fn report(app: &TestApp, post: &str, body: &Value) -> Answer {
    app.post("/api/v1/crossings", post, body).await
}

fn alert_kinds(crossing: &Value) -> Vec<String> {
    crossing["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_declared_truck_at_the_right_weight_passes(app: TestApp) {
    let post = post_at(&app, "gate-tas-1", "UZTAS").await;
    let mrn = declared(&app, "POST-OK-1", "01 A 123 BC").await;
    let mut body = crossing("01A123BC", "380");
    body["containers"] = json!(["CSQU3054384"]);
    let answer = report(&app, &post, &body).await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
    let c = &answer.body;
    assert_eq!(alert_kinds(c), Vec::<String>::new(), "{c}");
    assert_eq!(c["office"], "UZTAS");
    assert_eq!(c["matched"][0]["source"], "declaration");
    assert_eq!(c["matched"][0]["reference"], json!(mrn));
    assert_eq!(c["matched"][0]["declared_gross_kg"], "373.5");
    assert_eq!(
        c["arrivals"],
        json!([mrn]),
        "the Time Release Study clock starts"
    );
    // OCR's misread check digit is noted, not refused.
    assert_eq!(c["findings"][0]["pointer"], "/containers/0");
    assert_eq!(c["findings"][0]["code"], "check_digit_mismatch");

    let id = c["id"].as_i64().unwrap();
    let one = app
        .get(&format!("/api/v1/crossings/{id}"), &app.analyst)
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.body);
    assert_eq!(one.body, answer.body);
    // The same truck entering again matches nothing left to expect.
    let again = report(&app, &post, &body).await;
    assert_eq!(alert_kinds(&again.body), ["no_pre_arrival"]);
}

/// A declaration's containers are expected as well as its plate, and a plate declared in lower
/// case with spaces and dots is expected as posts read it.
async fn declared_containers_and_plates_in_any_case_are_expected(app: TestApp) {
    let post = post_at(&app, "gate-tas-3", "UZTAS").await;
    let mut boxed = sample();
    boxed["lrn"] = json!("POST-BOX-1");
    boxed["border_transport"]["identification"] = json!("01D456EF");
    boxed["containers"] = json!(["CSQU3054383"]);
    let lodged = app.lodge(&app.broker, &boxed).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    let boxed_mrn = lodged.body["mrn"].clone();
    let lower = declared(&app, "POST-LOWER-1", "01 g.789 hk").await;
    let mut body = crossing("77Z000ZZ", "380");
    body["containers"] = json!(["CSQU3054383"]);
    let by_container = report(&app, &post, &body).await;
    assert_eq!(
        by_container.status,
        StatusCode::CREATED,
        "{}",
        by_container.body
    );
    let matched = &by_container.body["matched"];
    assert_eq!(matched[0]["reference"], boxed_mrn, "{matched}");
    let by_plate = report(&app, &post, &crossing("01G789HK", "380")).await;
    assert_eq!(by_plate.status, StatusCode::CREATED, "{}", by_plate.body);
    let matched = &by_plate.body["matched"];
    assert_eq!(matched[0]["reference"], json!(lower), "{matched}");
}

async fn heavy_unannounced_listed_and_broken_seal_trucks_alert(app: TestApp) {
    let post = post_at(&app, "gate-tas-2", "UZTAS").await;
    let list = json!({"kind": "codes", "entries": ["10X555XX"], "reason": "stolen truck"});
    let put = app
        .send(
            Method::PUT,
            "/api/v1/risk/lists/wanted-plates",
            Some(&app.analyst),
            Some(list.to_string().into_bytes()),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    declared(&app, "POST-HEAVY", "01B777CD").await;
    declared(&app, "POST-LISTED", "10X555XX").await;
    declared(&app, "POST-SEAL", "01C888EF").await;

    let heavy = report(&app, &post, &crossing("01B777CD", "448.2")).await;
    assert_eq!(heavy.status, StatusCode::CREATED, "{}", heavy.body);
    assert_eq!(alert_kinds(&heavy.body), ["weight"], "{}", heavy.body);
    let message = heavy.body["alerts"][0]["message"].as_str().unwrap();
    assert!(message.contains("+20 %"), "{message}");

    let unannounced = report(&app, &post, &crossing("95Z999ZZ", "1000")).await;
    assert_eq!(alert_kinds(&unannounced.body), ["no_pre_arrival"]);

    let listed = report(&app, &post, &crossing("10X 555-XX", "373.5")).await;
    assert_eq!(alert_kinds(&listed.body), ["listed"], "{}", listed.body);
    assert_eq!(listed.body["listed"][0]["on"], "list:wanted-plates");

    let mut broken = crossing("01C888EF", "373.5");
    broken["seals"][0]["state"] = json!("broken");
    let broken = report(&app, &post, &broken).await;
    assert_eq!(alert_kinds(&broken.body), ["seal_broken"]);

    let officer = officer_at(&app, "UZTAS").await;
    let list = |q: &'static str| {
        let (app, officer) = (&app, officer.clone());
        async move {
            let answer = app
                .get(&format!("/api/v1/crossings?office=UZTAS{q}"), &officer)
                .await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
            answer.body["crossings"].as_array().unwrap().len()
        }
    };
    assert_eq!(list("").await, 4);
    assert_eq!(list("&alert=any").await, 4);
    assert_eq!(list("&alert=weight").await, 1);
    assert_eq!(list("&alert=no_pre_arrival").await, 1);
    let elsewhere = app.get("/api/v1/crossings?office=UZSKD", &officer).await;
    assert_eq!(
        elsewhere.status,
        StatusCode::FORBIDDEN,
        "{}",
        elsewhere.body
    );
    let bad = app
        .get("/api/v1/crossings?office=UZTAS&alert=loud", &officer)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert_eq!(bad.field_errors()[0].0, "/query/alert");
}

async fn transit_movements_pass_and_arrive_at_the_posts(app: TestApp) {
    let o = crate::transit::setup(&app).await;
    let lodged = app
        .lodge(&app.broker, &crate::transit::transit("TR-POST-1"))
        .await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    let mrn = lodged.body["mrn"].as_str().unwrap().to_owned();
    for step in [
        json!({"step": "control_decision"}),
        json!({"step": "release"}),
    ] {
        let done = crate::transit::step(&app, &o.departure, &mrn, step).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    let jizzakh = post_at(&app, "gate-jiz", "UZJIZ").await;
    let mut body = crossing("01A123BC", "18400");
    body["containers"] = json!(["CSQU3054383"]);
    let passed = report(&app, &jizzakh, &body).await;
    assert_eq!(passed.status, StatusCode::CREATED, "{}", passed.body);
    assert_eq!(
        alert_kinds(&passed.body),
        Vec::<String>::new(),
        "{}",
        passed.body
    );
    assert_eq!(passed.body["matched"][0]["source"], "transit");
    assert_eq!(
        passed.body["matched"][0]["matched_by"],
        json!(["01A123BC", "CSQU3054383"])
    );
    assert_eq!(
        passed.body["transit"][0],
        json!({"mrn": mrn, "step": "transit_passage", "taken": true})
    );
    let samarkand = post_at(&app, "gate-skd", "UZSKD").await;
    let arrived = report(&app, &samarkand, &body).await;
    assert_eq!(
        arrived.body["transit"][0],
        json!({"mrn": mrn, "step": "arrival", "taken": true}),
        "{}",
        arrived.body
    );
    let movement = app
        .get(&format!("/api/v1/transit/movements/{mrn}"), &o.destination)
        .await;
    assert_eq!(movement.body["state"], "arrived", "{}", movement.body);
}

async fn the_post_role_reports_crossings_and_nothing_else(app: TestApp) {
    let post = post_at(&app, "gate-tas-3", "UZTAS").await;
    for path in [
        "/api/v1/me",
        "/api/v1/declarations",
        "/api/v1/crossings",
        "/api/v1/transit/movements",
    ] {
        let refused = app.get(path, &post).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            refused.body
        );
    }
    let lodged = app.lodge(&post, &sample()).await;
    assert_eq!(lodged.status, StatusCode::FORBIDDEN, "{}", lodged.body);
    for other in [&app.broker, &app.officer, &app.analyst] {
        let refused = report(&app, other, &crossing("01A123BC", "1")).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }
    let unbound = app.user("gate-nowhere", Role::Post, None).await;
    let refused = report(&app, &unbound, &crossing("01A123BC", "1")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let declarant_reads = app.get("/api/v1/crossings?office=UZTAS", &app.broker).await;
    assert_eq!(declarant_reads.status, StatusCode::FORBIDDEN);

    let bad = json!({"plate": "01A 123 ??", "containers": ["CSQU3054383", "LONGER THAN ELEVEN"],
        "gross_weight_kg": "-5", "tare_weight_kg": "heavy", "lane": "", "crossed_at": "yesterday",
        "direction": "sideways", "images": [""], "seals": [{"identifier": "S1", "state": "cut"}]});
    let refused = report(&app, &post, &bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let pointers: Vec<String> = refused.field_errors().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        pointers,
        [
            "/plate",
            "/containers/1",
            "/gross_weight_kg",
            "/tare_weight_kg",
            "/lane",
            "/crossed_at",
            "/direction",
            "/images/0",
            "/seals/0/state"
        ]
    );
    let mut unknown = crossing("01A123BC", "1");
    unknown["speed"] = json!(40);
    let refused = report(&app, &post, &unknown).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let mut control = crossing("01A123BC", "1");
    control["lane"] = json!("2\u{0007}");
    let refused = report(&app, &post, &control).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.field_errors()[0].0, "/lane");
}
