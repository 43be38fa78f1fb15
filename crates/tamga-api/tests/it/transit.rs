//! Transit over HTTP: a movement's full lifecycle by officers of three offices and its holder,
//! illegal steps (409 naming the state), unknown MRNs (404), bad steps (422 naming every
//! field), and the overdue sweep under a shifted clock (guarantee accounts: `transit_guarantees`).

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tamga_api::transit::Clock;
use tamga_core::role::Role;
use time::Duration;

use crate::app::TestApp;
use crate::control::id_of;

on_both_backends!(
    movement_lifecycle,
    steps_out_of_order_and_bad_input,
    overdue_movements_raise_an_enquiry
);

const TRANSIT: &str = include_str!("../../../../examples/transit.json");
pub const GRN: &str = "26UZ0000010000001";

/// The example within Uzbekistan (UZTAS → UZJIZ → UZSKD), its time limit 8 days ahead.
pub fn transit(lrn: &str) -> Value {
    let mut d: Value = serde_json::from_str(TRANSIT).unwrap();
    d["lrn"] = json!(lrn);
    d["country_of_destination"] = json!("UZ");
    let limit = time::OffsetDateTime::now_utc().date() + Duration::days(8);
    let t = &mut d["transit"];
    t["offices_of_transit"] = json!(["UZJIZ"]);
    t["office_of_destination"] = json!("UZSKD");
    t["itinerary"] = json!(["UZ"]);
    t["time_limit"] = json!(tamga_core::dates::format_date(limit));
    d
}

pub struct Offices {
    pub admin: String,
    pub departure: String,
    pub passage: String,
    pub destination: String,
}

async fn officer_at(app: &TestApp, admin: &str, name: &str, office: &str) -> String {
    let token = app.user(name, Role::Officer, None).await;
    let id = id_of(app, &token).await;
    let body = json!({"office": office, "section": "transit", "group": "examiner"});
    let path = format!("/api/v1/control/officers/{id}");
    let saved = app
        .send(
            Method::PUT,
            &path,
            Some(admin),
            Some(body.to_string().into_bytes()),
        )
        .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    token
}

pub async fn setup(app: &TestApp) -> Offices {
    let admin = app.user("admin", Role::Admin, None).await;
    let account = json!({"grn": GRN, "type": "1", "holder": "UZ305123456", "currency": "USD",
        "reference_amount": "20000.00", "access_code": "AB12"});
    let created = app
        .post("/api/v1/transit/guarantees", &admin, &account)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    Offices {
        departure: officer_at(app, &admin, "tas", "UZTAS").await,
        passage: officer_at(app, &admin, "jiz", "UZJIZ").await,
        destination: officer_at(app, &admin, "skd", "UZSKD").await,
        admin,
    }
}

async fn lodge(app: &TestApp, lrn: &str) -> String {
    let lodged = app.lodge(&app.broker, &transit(lrn)).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    lodged.body["mrn"].as_str().unwrap().to_owned()
}

pub async fn step(app: &TestApp, token: &str, mrn: &str, body: Value) -> crate::app::Answer {
    app.post(
        &format!("/api/v1/transit/movements/{mrn}/steps"),
        token,
        &body,
    )
    .await
}

async fn ok(app: &TestApp, token: &str, mrn: &str, body: Value, state: &str) {
    let answer = step(app, token, mrn, body).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body["state"], state, "{}", answer.body);
}

pub async fn balance(app: &TestApp) -> String {
    let path = format!("/api/v1/transit/guarantees/{GRN}?access_code=AB12");
    let answer = app.get(&path, &app.broker).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body["balance"].as_str().unwrap().to_owned()
}

async fn movement_lifecycle(app: TestApp) {
    let o = setup(&app).await;
    let mrn = lodge(&app, "TR-API-1").await;
    let seen = app
        .get(&format!("/api/v1/transit/movements/{mrn}"), &app.broker)
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert_eq!(seen.body["state"], "mrn_allocated");
    assert_eq!(
        seen.body["particulars"]["equipment"][0]["seals"][0]["class"],
        "H"
    );
    assert!(
        seen.body.to_string().find("AB12").is_none(),
        "the access code is not kept"
    );

    let wrong = step(&app, &o.destination, &mrn, json!({"step": "release"})).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN, "{}", wrong.body);
    ok(
        &app,
        &o.departure,
        &mrn,
        json!({"step": "control_decision", "remarks": "documentary check"}),
        "under_control",
    )
    .await;
    ok(
        &app,
        &o.departure,
        &mrn,
        json!({"step": "release"}),
        "released",
    )
    .await;
    assert_eq!(balance(&app).await, "7500.00");
    ok(
        &app,
        &o.passage,
        &mrn,
        json!({"step": "transit_passage", "office": "UZJIZ"}),
        "released",
    )
    .await;
    ok(
        &app,
        &app.broker,
        &mrn,
        json!({"step": "incident", "location": "M39 km 212", "description": "tyre burst"}),
        "released",
    )
    .await;
    ok(
        &app,
        &app.broker,
        &mrn,
        json!({"step": "arrival"}),
        "arrived",
    )
    .await;
    ok(
        &app,
        &o.destination,
        &mrn,
        json!({"step": "unloading_permission"}),
        "unloading_permitted",
    )
    .await;
    let remarks = json!({"step": "unloading_remarks", "conform": false, "seals_intact": true, "remarks": "2 bales short"});
    ok(&app, &app.broker, &mrn, remarks, "unloading_remarks").await;
    ok(
        &app,
        &o.destination,
        &mrn,
        json!({"step": "goods_release"}),
        "goods_released",
    )
    .await;
    ok(
        &app,
        &o.departure,
        &mrn,
        json!({"step": "write_off"}),
        "ended",
    )
    .await;
    assert_eq!(balance(&app).await, "20000.00");

    let history = app
        .get(&format!("/api/v1/transit/movements/{mrn}"), &o.departure)
        .await;
    assert_eq!(history.body["events"].as_array().unwrap().len(), 10);
    let list = app
        .get(
            "/api/v1/transit/movements?office=UZSKD&state=ended",
            &o.departure,
        )
        .await;
    assert_eq!(list.body["movements"][0]["mrn"], mrn.as_str());
    let flagged = app
        .get("/api/v1/transit/discrepancies?office=UZTAS", &app.analyst)
        .await;
    assert_eq!(
        flagged.body["movements"][0]["mrn"],
        mrn.as_str(),
        "{}",
        flagged.body
    );
    let theirs = app.get("/api/v1/transit/movements", &app.stranger).await;
    assert_eq!(theirs.body["movements"], json!([]));
    let hidden = app
        .get(&format!("/api/v1/transit/movements/{mrn}"), &app.stranger)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let entries = app.get("/api/v1/audit?limit=1000", &o.admin).await;
    assert_eq!(entries.status, StatusCode::OK, "{}", entries.body);
    let steps = entries
        .body
        .to_string()
        .matches("\"action\":\"transit.")
        .count();
    assert_eq!(steps, 9, "every step is audited once");
}

async fn steps_out_of_order_and_bad_input(app: TestApp) {
    let o = setup(&app).await;
    let mrn = lodge(&app, "TR-API-2").await;
    let early = step(&app, &o.destination, &mrn, json!({"step": "goods_release"})).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert!(early.is_problem());
    assert!(
        early.body["detail"]
            .as_str()
            .unwrap()
            .contains("mrn_allocated"),
        "{}",
        early.body
    );

    let unknown = step(
        &app,
        &o.departure,
        "26UZTASJ000000099X",
        json!({"step": "release"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(
        unknown.field_errors(),
        [("/path/mrn".to_owned(), "unknown_mrn".to_owned())]
    );
    let unknown = app
        .get("/api/v1/transit/movements/NOSUCHMRN", &o.departure)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let bad = step(
        &app,
        &o.departure,
        &mrn,
        json!({"step": "no_release", "conform": true, "office": "uz"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let mut fields: Vec<String> = bad.field_errors().into_iter().map(|(p, _)| p).collect();
    fields.sort();
    assert_eq!(fields, ["/conform", "/office", "/reason"]);
    let unknown_step = step(&app, &o.departure, &mrn, json!({"step": "enquiry"})).await;
    assert_eq!(unknown_step.status, StatusCode::UNPROCESSABLE_ENTITY);
    let extra = step(
        &app,
        &o.departure,
        &mrn,
        json!({"step": "release", "colour": "red"}),
    )
    .await;
    assert_eq!(extra.status, StatusCode::UNPROCESSABLE_ENTITY);
    let analyst = step(&app, &app.analyst, &mrn, json!({"step": "release"})).await;
    assert_eq!(analyst.status, StatusCode::FORBIDDEN);

    ok(
        &app,
        &o.departure,
        &mrn,
        json!({"step": "no_release", "reason": "guarantee withdrawn"}),
        "no_release",
    )
    .await;
    let after = step(&app, &o.departure, &mrn, json!({"step": "release"})).await;
    assert_eq!(after.status, StatusCode::CONFLICT);
    assert!(after.body["detail"]
        .as_str()
        .unwrap()
        .contains("no_release"));
    assert_eq!(balance(&app).await, "20000.00", "nothing was reserved");

    // Transit particulars with every kind of problem, each named.
    let mut d = transit("TR-API-BAD");
    let t = &mut d["transit"];
    t["offices_of_transit"] = json!(["UZJIZ", "UZJIZ", "UZXX1"]);
    t["office_of_destination"] = json!("UZZZZ");
    t["time_limit"] = json!("2020-01-01");
    t["equipment"][0]["seals"][1] = json!({"identifier": "bad seal!", "class": "Q"});
    t["guarantees"][0]["references"][0]["access_code"] = json!("XY");
    t["guarantees"]
        .as_array_mut()
        .unwrap()
        .push(json!({"type": "5", "references": [{"grn": "1", "amount": "5"}]}));
    let refused = app.lodge(&app.broker, &d).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let mut pointers: Vec<String> = refused.field_errors().into_iter().map(|(p, _)| p).collect();
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/transit/equipment/0/seals/1/class",
            "/transit/equipment/0/seals/1/identifier",
            "/transit/guarantees/0/references/0/access_code",
            "/transit/guarantees/1/references/0/amount",
            "/transit/office_of_destination",
            "/transit/offices_of_transit/1",
            "/transit/offices_of_transit/2",
            "/transit/time_limit",
        ]
    );
    // A wrong access code is refused at lodgement, naming the reference.
    let mut d = transit("TR-API-CODE");
    d["transit"]["guarantees"][0]["references"][0]["access_code"] = json!("ZZ99");
    let refused = app.lodge(&app.broker, &d).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.field_errors(),
        [(
            "/transit/guarantees/0/references/0/access_code".to_owned(),
            "guarantee_unknown".to_owned()
        )]
    );
}

async fn overdue_movements_raise_an_enquiry(app: TestApp) {
    let o = setup(&app).await;
    let supervisor = app.user("boss", Role::Supervisor, None).await;
    let mrn = lodge(&app, "TR-API-LATE").await;
    ok(
        &app,
        &o.departure,
        &mrn,
        json!({"step": "release"}),
        "released",
    )
    .await;
    let none = app
        .post("/api/v1/transit/sweep", &supervisor, &json!({}))
        .await;
    assert_eq!(none.status, StatusCode::OK, "{}", none.body);
    assert_eq!(none.body["steps"], json!([]));
    let overdue = app
        .get("/api/v1/transit/overdue?office=UZTAS", &o.departure)
        .await;
    assert_eq!(overdue.body["movements"], json!([]));

    let app = app.reconfigured(|s| s.transit.clock = Clock::shifted(Duration::days(10)));
    let overdue = app
        .get("/api/v1/transit/overdue?office=UZTAS", &o.departure)
        .await;
    assert_eq!(
        overdue.body["movements"][0]["mrn"],
        mrn.as_str(),
        "{}",
        overdue.body
    );
    let by_officer = app
        .post("/api/v1/transit/sweep", &o.departure, &json!({}))
        .await;
    assert_eq!(by_officer.status, StatusCode::FORBIDDEN);
    let swept = app
        .post("/api/v1/transit/sweep", &supervisor, &json!({}))
        .await;
    assert_eq!(
        swept.body["steps"],
        json!([{"mrn": mrn, "step": "enquiry"}])
    );
    let alerts = app
        .get(
            "/api/v1/transit/movements?office=UZTAS&state=enquiry",
            &o.departure,
        )
        .await;
    assert_eq!(alerts.body["movements"][0]["mrn"], mrn.as_str());
    // Arrival still closes an enquiry.
    ok(
        &app,
        &app.broker,
        &mrn,
        json!({"step": "arrival"}),
        "arrived",
    )
    .await;
    let app = app.reconfigured(|s| s.transit.clock = Clock::shifted(Duration::days(400)));
    let swept = app
        .post("/api/v1/transit/sweep", &supervisor, &json!({}))
        .await;
    assert_eq!(swept.body["steps"], json!([]));
}
