//! TR declarations lodged as EDIFACT (CUSDEC) and WCO DM XML open a movement like a JSON one:
//! offices, itinerary, time limit, seals and guarantees are read into the draft's transit
//! block, validated, checked against the guarantee account and released. Problems are named by
//! their pointers under `/transit` in the format's own answer.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::app::TestApp;
use crate::transit::{balance, setup, step};

const CUSDEC: &str = include_str!("../../../../examples/transit.edi");
const DEC: &str = include_str!("../../../../examples/transit.xml");

on_both_backends!(
    a_cusdec_opens_a_movement,
    a_dec_dms_declaration_opens_a_movement,
    transit_problems_are_named_in_either_format
);

/// The samples with their time limit 8 days ahead (format 102).
fn in_time(text: &str) -> String {
    let limit = time::OffsetDateTime::now_utc().date() + time::Duration::days(8);
    let (y, m, d) = (limit.year(), u8::from(limit.month()), limit.day());
    text.replace("20261208", &format!("{y:04}{m:02}{d:02}"))
}

async fn send(app: &TestApp, content_type: &str, body: String) -> (StatusCode, String) {
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/declarations")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.broker))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// The movement's particulars as the samples give them, then its release reserving the
/// guarantee.
async fn opened_and_released(app: &TestApp, departure: &str, mrn: &str) {
    let m = app
        .get(&format!("/api/v1/transit/movements/{mrn}"), departure)
        .await;
    assert_eq!(m.status, StatusCode::OK, "{}", m.body);
    assert_eq!(m.body["state"], "mrn_allocated");
    let p = &m.body["particulars"];
    assert_eq!(p["office_of_departure"], "UZTAS");
    assert_eq!(p["offices_of_transit"], json!(["KZCIT"]));
    assert_eq!(p["office_of_destination"], "KZALA");
    assert_eq!(p["itinerary"], json!(["UZ", "KZ"]));
    assert_eq!(p["binding_itinerary"], true);
    let equipment = &p["equipment"][0];
    assert_eq!(equipment["container"], "CSQU3054383");
    let seals: Vec<(&str, &str)> = equipment["seals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["identifier"].as_str().unwrap(),
                s["class"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(seals, [("UZ-0012345", "H"), ("UZ-0012346", "H")]);
    let reference = &p["guarantees"][0]["references"][0];
    assert_eq!(p["guarantees"][0]["type"], "1");
    assert_eq!(reference["grn"], "26UZ0000010000001");
    assert_eq!(reference["amount"], "12500");
    assert!(reference.get("access_code").is_none(), "{reference}");
    let released = step(app, departure, mrn, json!({"step": "release"})).await;
    assert_eq!(released.body["state"], "released", "{}", released.body);
    assert_eq!(balance(app).await, "7500.00");
}

async fn a_cusdec_opens_a_movement(app: TestApp) {
    let o = setup(&app).await;
    let (status, body) = send(&app, "application/edifact", in_time(CUSDEC)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let answer = tamga_edifact::interchange::read(&body).unwrap();
    let mrn = answer.messages[0].body()[0].value(1, 0).unwrap().to_owned();
    opened_and_released(&app, &o.departure, &mrn).await;
}

async fn a_dec_dms_declaration_opens_a_movement(app: TestApp) {
    let o = setup(&app).await;
    let (status, body) = send(&app, "application/xml", in_time(DEC)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let root = tamga_wco::xml::parse(&body).unwrap();
    let mrn = root.text_at(&["Response", "Declaration", "ID"]).unwrap();
    opened_and_released(&app, &o.departure, mrn).await;
}

async fn transit_problems_are_named_in_either_format(app: TestApp) {
    setup(&app).await;
    let cusdec = in_time(CUSDEC)
        .replace("SEL+UZ-0012346++++H", "SEL+UZ-0012346++++Q")
        .replace("AB12:ACD", "ZZ99:ACD")
        .replace("LOC+122+KZALA'\n", "")
        .replace("UNT+28+1", "UNT+27+1");
    let (status, body) = send(&app, "application/edifact", cusdec).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for pointer in [
        "/transit/equipment/0/seals/1/class",
        "/transit/office_of_destination",
    ] {
        assert!(body.contains(pointer), "{pointer} in {body}");
    }
    let xml = in_time(DEC)
        .replace("<RoleCode>DES</RoleCode>", "<RoleCode>XXX</RoleCode>")
        .replace("<ID>UZ-0012345</ID>", "<ID>uz 1</ID>");
    let (status, body) = send(&app, "application/xml", xml).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    for pointer in [
        "/transit/equipment/0/seals/0/identifier",
        "/transit/office_of_destination",
    ] {
        assert!(body.contains(pointer), "{pointer} in {body}");
    }
    // A wrong access code is refused at the guarantee's reference, as for JSON.
    let (status, body) = send(
        &app,
        "application/xml",
        in_time(DEC).replace("AB12", "ZZ99"),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.contains("/transit/guarantees/0/references/0/access_code"),
        "{body}"
    );
    let listed: Value = app.get("/api/v1/transit/movements", &app.broker).await.body;
    assert_eq!(listed["movements"], json!([]), "nothing was opened");
}
