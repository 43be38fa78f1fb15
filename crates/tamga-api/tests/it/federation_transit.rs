//! A transit movement across three administrations' nodes: it departs UZ, passes an office of
//! transit in KZ and arrives in TJ, whose officers report back over the federation; UZ writes
//! it off and the guarantee's balance is restored there.

use axum::http::StatusCode;
use serde_json::{json, Value};
use tamga_core::role::Role;
use time::Duration;

use crate::app::TestApp;
use crate::control::id_of;
use crate::federation::{eventually, three};

const TRANSIT: &str = include_str!("../../../../examples/transit.json");
const GRN: &str = "26UZ0000010000001";

async fn officer_at(app: &TestApp, admin: &str, name: &str, office: &str) -> String {
    let token = app.user(name, Role::Officer, None).await;
    let id = id_of(app, &token).await;
    let body = json!({"office": office, "section": "transit", "group": "examiner"});
    let path = format!("/api/v1/control/officers/{id}");
    let saved = app
        .send(
            axum::http::Method::PUT,
            &path,
            Some(admin),
            Some(body.to_string().into_bytes()),
        )
        .await;
    assert_eq!(saved.status, StatusCode::NO_CONTENT, "{}", saved.body);
    token
}

/// UZTAS → KZCIT (transit) → TJDYU (destination), its time limit 8 days ahead.
fn declaration() -> Value {
    let mut d: Value = serde_json::from_str(TRANSIT).unwrap();
    d["country_of_destination"] = json!("TJ");
    let limit = time::OffsetDateTime::now_utc().date() + Duration::days(8);
    let t = &mut d["transit"];
    t["offices_of_transit"] = json!(["KZCIT"]);
    t["office_of_destination"] = json!("TJDYU");
    t["itinerary"] = json!(["UZ", "KZ", "TJ"]);
    t["time_limit"] = json!(tamga_core::dates::format_date(limit));
    d
}

async fn movement(app: &TestApp, token: &str, mrn: &str) -> Value {
    app.get(&format!("/api/v1/transit/movements/{mrn}"), token)
        .await
        .body
}

struct Route {
    nodes: Vec<crate::federation::Node>,
    departure: String,
    passage: String,
    destination: String,
    mrn: String,
}

/// Three nodes, a guarantee and officers at UZTAS, KZCIT and TJDYU, a movement released at UZ.
async fn released() -> Route {
    let nodes = three(false).await;
    let (uz, kz, tj) = (&nodes[0].app, &nodes[1].app, &nodes[2].app);
    let admins = [
        uz.user("admin", Role::Admin, None).await,
        kz.user("admin", Role::Admin, None).await,
        tj.user("admin", Role::Admin, None).await,
    ];
    let account = json!({"grn": GRN, "type": "1", "holder": "UZ305123456", "currency": "USD",
        "reference_amount": "20000.00", "access_code": "AB12"});
    let created = uz
        .post("/api/v1/transit/guarantees", &admins[0], &account)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let departure = officer_at(uz, &admins[0], "tas", "UZTAS").await;
    let passage = officer_at(kz, &admins[1], "cit", "KZCIT").await;
    let destination = officer_at(tj, &admins[2], "dyu", "TJDYU").await;
    let lodged = uz.lodge(&uz.broker, &declaration()).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{}", lodged.body);
    let mrn = lodged.body["mrn"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/transit/movements/{mrn}/steps");
    let released = uz
        .post(&path, &departure, &json!({"step": "release"}))
        .await;
    assert_eq!(released.status, StatusCode::OK, "{}", released.body);
    Route {
        nodes,
        departure,
        passage,
        destination,
        mrn,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_movement_departs_uz_passes_kz_and_ends_in_tj() {
    let route = released().await;
    let nodes = &route.nodes;
    let (uz, kz, tj) = (&nodes[0].app, &nodes[1].app, &nodes[2].app);
    let (departure, passage, destination, mrn) = (
        &route.departure,
        &route.passage,
        &route.destination,
        route.mrn.clone(),
    );
    let path = format!("/api/v1/transit/movements/{mrn}/steps");

    // The release announced the movement to KZ (transit) and TJ (destination).
    for node in [kz, tj] {
        let announced = || async {
            node.get("/api/v1/federation/movements", &node.officer)
                .await
                .body
        };
        eventually("the anticipated arrival", || async {
            announced().await.as_array().is_some_and(|a| a.len() == 1)
        })
        .await;
        let a = announced().await;
        assert_eq!(a[0]["mrn"], mrn.as_str());
        assert_eq!(a[0]["sender"], "UZ");
        assert_eq!(a[0]["anticipated"]["office_of_destination"], "TJDYU");
        assert_eq!(a[0]["anticipated"]["seals"][0], "UZ-0012345");
    }
    // An officer elsewhere may not report, nor at an office not on the route.
    let arrival = format!("/api/v1/federation/movements/{mrn}/arrival");
    let wrong = kz
        .post(&arrival, passage, &json!({"office": "KZALA"}))
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    let unknown = kz
        .post(
            "/api/v1/federation/movements/26UZ000000000000X/arrival",
            passage,
            &json!({"office": "KZCIT"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let passed = kz
        .post(&arrival, passage, &json!({"office": "KZCIT"}))
        .await;
    assert_eq!(passed.status, StatusCode::CREATED, "{}", passed.body);
    let steps = || async {
        let m = movement(uz, departure, &mrn).await;
        m["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["step"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    eventually("the passage at UZ", || async {
        steps().await.contains(&"transit_passage".to_owned())
    })
    .await;

    let arrived = tj
        .post(&arrival, destination, &json!({"office": "TJDYU"}))
        .await;
    assert_eq!(arrived.status, StatusCode::CREATED, "{}", arrived.body);
    let results = json!({"office": "TJDYU", "conform": true, "seals_intact": true, "remarks": "seals UZ-0012345/6 intact"});
    let path_results = format!("/api/v1/federation/movements/{mrn}/control-results");
    let reported = tj.post(&path_results, destination, &results).await;
    assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.body);
    let state = || async { movement(uz, departure, &mrn).await["state"].clone() };
    eventually("goods released at destination", || async {
        state().await == "goods_released"
    })
    .await;
    let m = movement(uz, departure, &mrn).await;
    let last = m["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["actor"].as_str(), last["office"].as_str()),
        (Some("federation:TJ"), Some("TJDYU"))
    );
    assert_eq!(
        steps().await,
        [
            "mrn_allocated",
            "release",
            "transit_passage",
            "arrival",
            "unloading_permission",
            "unloading_remarks",
            "goods_release"
        ]
    );

    let ended = uz
        .post(&path, departure, &json!({"step": "write_off"}))
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(ended.body["state"], "ended");
    let balance = uz
        .get(
            &format!("/api/v1/transit/guarantees/{GRN}?access_code=AB12"),
            &uz.broker,
        )
        .await;
    assert_eq!(balance.body["balance"], "20000.00", "{}", balance.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_overdue_movement_is_enquired_about_and_answered() {
    let route = released().await;
    let (uz, tj) = (&route.nodes[0].app, &route.nodes[2].app);
    let mrn = route.mrn.as_str();
    let reply = format!("/api/v1/federation/movements/{mrn}/enquiry-reply");
    let body = json!({"text": "not presented at TJDYU; the carrier reports a breakdown"});
    let announced = || async {
        tj.get("/api/v1/federation/movements", &tj.officer)
            .await
            .body
    };
    eventually("the anticipated arrival", || async {
        announced().await.as_array().is_some_and(|a| a.len() == 1)
    })
    .await;
    let early = tj.post(&reply, &route.destination, &body).await;
    assert_eq!(
        early.status,
        StatusCode::NOT_FOUND,
        "no enquiry yet: {}",
        early.body
    );
    // The time limit passes: UZ's overdue sweep opens the enquiry, which goes to TJ.
    let later = time::OffsetDateTime::now_utc() + Duration::days(10);
    let swept = route.nodes[0]
        .store()
        .transit_sweep(later, Duration::days(213))
        .await
        .unwrap();
    assert_eq!(swept.len(), 1);
    let kinds = || async {
        let a = announced().await;
        a[0]["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["kind"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    eventually("the enquiry at TJ", || async {
        kinds().await == ["anticipated_arrival", "enquiry"]
    })
    .await;
    let not_theirs = tj.post(&reply, &tj.officer, &body).await;
    assert_eq!(
        not_theirs.status,
        StatusCode::FORBIDDEN,
        "{}",
        not_theirs.body
    );
    let answered = tj.post(&reply, &route.destination, &body).await;
    assert_eq!(answered.status, StatusCode::CREATED, "{}", answered.body);
    let uz_store = route.nodes[0].store();
    let replies = || async {
        uz_store
            .federation_conversation(Some("TJ"), mrn)
            .await
            .unwrap()
    };
    eventually("the reply at UZ", || async { !replies().await.is_empty() }).await;
    let got = replies().await;
    assert_eq!(got[0].kind, "enquiry_reply");
    assert!(got[0].body.contains("breakdown"), "{}", got[0].body);
    let m = uz
        .get(
            &format!("/api/v1/transit/movements/{mrn}"),
            &route.departure,
        )
        .await
        .body;
    assert_eq!(m["state"], "enquiry");

    // Replies stating an outcome are steps at UZ: not arrived starts recovery, evidence of
    // arrival found later stops it, and UZ writes the movement off.
    let state = || async {
        uz.get(
            &format!("/api/v1/transit/movements/{mrn}"),
            &route.departure,
        )
        .await
        .body["state"]
            .clone()
    };
    let lost = json!({"text": "not presented at TJDYU", "outcome": "not_arrived"});
    let sent = tj.post(&reply, &route.destination, &lost).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    eventually("recovery at UZ", || async { state().await == "recovery" }).await;
    let found = json!({"text": "presented at TJDYU late, seals intact", "outcome": "arrived"});
    let sent = tj.post(&reply, &route.destination, &found).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    eventually("the arrival evidenced at UZ", || async {
        state().await == "arrival_evidenced"
    })
    .await;
    let path = format!("/api/v1/transit/movements/{mrn}/steps");
    let ended = uz
        .post(&path, &route.departure, &json!({"step": "write_off"}))
        .await;
    assert_eq!(ended.body["state"], "ended", "{}", ended.body);
    let balance = uz
        .get(
            &format!("/api/v1/transit/guarantees/{GRN}?access_code=AB12"),
            &uz.broker,
        )
        .await;
    assert_eq!(balance.body["balance"], "20000.00", "{}", balance.body);
    let bad = json!({"text": "?", "outcome": "maybe"});
    let refused = tj.post(&reply, &route.destination, &bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
}
