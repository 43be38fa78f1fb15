//! Seizures and cases over HTTP: recording opens a case, a second seizure joins it, the CEN
//! export leaves personal data out unless a supervisor says the exchange is lawful, and every
//! endpoint answers every role as the role table says.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use tamga_core::role::Role;

use crate::app::TestApp;
use crate::attachments::{digest, jpeg};

on_both_backends!(seizures_cases_and_the_cen_export);

/// The photo every seizure here names, uploaded first.
fn floor() -> Vec<u8> {
    jpeg(120_000, 9)
}

fn seizure(case: Option<&str>) -> Value {
    json!({"seizure": {
        "date": "2026-11-20", "office": "UZTAS", "category": "drugs",
        "description": "heroin in a false floor", "commodity_code": "2939110000",
        "quantity": "12.5", "unit": "kg", "concealment": "false_compartment",
        "conveyance": {"mode": "3", "identification": "01A777AA", "nationality": "UZ"},
        "route": {"departure": "AF", "transit": ["TJ"], "destination": "RU"},
        "persons": [{"name": "Ali Valiyev", "role": "driver", "nationality": "UZ", "document_number": "AA1234567"}],
        "companies": [{"name": "Trans Co", "role": "carrier", "id": "UZ305123456", "country": "UZ"}],
        "photos": [{"file_name": "floor.jpg", "sha256": digest(&floor()), "size": 120000}]
    }, "case": case})
}

async fn seizures_cases_and_the_cen_export(app: TestApp) {
    let supervisor = app.user("boss", Role::Supervisor, None).await;
    let admin = app.user("admin", Role::Admin, None).await;
    let lab = app.user("lab", Role::Lab, None).await;
    let photo = app
        .upload(&app.officer, "floor.jpg", "image/jpeg", floor())
        .await;
    assert_eq!(photo.status, StatusCode::CREATED, "{}", photo.body);
    let first = app
        .post("/api/v1/seizures", &app.officer, &seizure(None))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let number = first.body["case"]["number"].as_str().unwrap().to_owned();
    let id = first.body["seizure"]["id"].as_i64().unwrap();
    let second = app
        .post("/api/v1/seizures", &app.officer, &seizure(Some(&number)))
        .await;
    assert_eq!(second.body["case"]["seizures"].as_array().unwrap().len(), 2);
    let cen = app
        .get(&format!("/api/v1/seizures/{id}/cen"), &app.officer)
        .await;
    assert_eq!(cen.status, StatusCode::OK, "{}", cen.body);
    assert_eq!(
        cen.body["persons"],
        json!({"count": 1, "nationalities": ["UZ"]})
    );
    assert_eq!(cen.body["nominal"], false);
    assert!(cen.body["transport"].get("identification").is_none());
    assert_eq!(cen.body["commodity"]["hs_code"], "293911");
    let text = cen.body.to_string();
    assert!(
        !text.contains("Valiyev") && !text.contains("AA1234567") && !text.contains("01A777AA"),
        "{text}"
    );
    let path = format!("/api/v1/seizures/{id}/cen?lawful=true");
    assert_eq!(
        app.get(&path, &app.officer).await.status,
        StatusCode::FORBIDDEN
    );
    let lawful = app.get(&path, &supervisor).await;
    assert_eq!(lawful.body["persons"][0]["name"], "Ali Valiyev");
    assert_eq!(lawful.body["transport"]["identification"], "01A777AA");
    let case = format!("/api/v1/cases/{number}");
    let noted = app
        .post(&case, &app.officer, &json!({"note": "driver questioned"}))
        .await;
    assert_eq!(
        noted.body["notes"].as_array().unwrap().len(),
        1,
        "{}",
        noted.body
    );
    let illegal = app
        .post(&case, &app.officer, &json!({"state": "referred"}))
        .await;
    assert_eq!(illegal.status, StatusCode::CONFLICT);
    assert!(illegal.body["detail"]
        .as_str()
        .unwrap()
        .contains("under-investigation, closed"));
    for bad in [
        json!({}),
        json!({"note": "a\u{0000}"}),
        json!({"state": "lost"}),
        json!({"note": "a", "state": "closed"}),
    ] {
        assert_eq!(
            app.post(&case, &app.officer, &bad).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
    // A control character is refused at the edge, alone; other mistakes are named together.
    let mut nul = seizure(None);
    nul["seizure"]["description"] = json!("x\u{0000}");
    let refused = app.post("/api/v1/seizures", &app.officer, &nul).await;
    assert_eq!(
        refused.field_errors(),
        [(
            "/seizure/description".to_owned(),
            "control_character".to_owned()
        )]
    );
    let mut bad = seizure(None);
    bad["seizure"]["quantity"] = json!("0");
    bad["seizure"]["description"] = json!(" ");
    let refused = app.post("/api/v1/seizures", &app.officer, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<String> = refused.field_errors().into_iter().map(|(p, _)| p).collect();
    assert!(
        pointers.contains(&"/seizure/quantity".to_owned())
            && pointers.contains(&"/seizure/description".to_owned()),
        "{pointers:?}"
    );
    let mut big = seizure(None);
    big["seizure"]["photos"][0]["size"] = json!(900_000_000u64);
    assert_eq!(
        app.post("/api/v1/seizures", &app.officer, &big)
            .await
            .status,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        app.get("/api/v1/seizures/999999", &app.officer)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/cases/NOPE", &app.officer).await.status,
        StatusCode::NOT_FOUND
    );
    let roles = [
        ("declarant", app.broker.as_str()),
        ("officer", &app.officer),
        ("analyst", &app.analyst),
        ("lab", &lab),
        ("supervisor", &supervisor),
        ("admin", &admin),
    ];
    let staff = ["officer", "supervisor", "admin"];
    for (method, path, body) in [
        (Method::GET, format!("/api/v1/seizures/{id}"), None),
        (Method::GET, format!("/api/v1/seizures/{id}/cen"), None),
        (Method::GET, case.clone(), None),
        (Method::POST, case.clone(), Some(json!({"note": "seen"}))),
        (
            Method::POST,
            "/api/v1/seizures".to_owned(),
            Some(seizure(Some(&number))),
        ),
    ] {
        for (role, token) in roles {
            let answer = app
                .send(
                    method.clone(),
                    &path,
                    Some(token),
                    body.as_ref().map(|b| b.to_string().into_bytes()),
                )
                .await;
            let expected = staff.contains(&role);
            assert_eq!(
                answer.status != StatusCode::FORBIDDEN,
                expected,
                "{role} {method} {path}: {}",
                answer.body
            );
            assert!(
                answer.status.is_success() || !expected,
                "{role} {method} {path}: {}",
                answer.body
            );
        }
    }
}
