use axum::http::StatusCode;
use serde_json::json;

use crate::app::{sample, TestApp};

#[tokio::test]
async fn an_accepted_import_carries_its_explained_assessment() {
    let app = TestApp::sqlite().await;
    let calculated = app
        .post("/api/v1/tariff/calculate", &app.broker, &sample())
        .await;
    assert_eq!(calculated.status, StatusCode::OK, "{}", calculated.body);
    let listed = app.get("/api/v1/declarations", &app.officer).await;
    assert_eq!(
        listed.body["items"],
        json!([]),
        "the calculator stores nothing"
    );

    let created = app.lodge(&app.broker, &sample()).await;
    let mrn = created.body["mrn"].as_str().unwrap();
    let path = format!("/api/v1/declarations/{mrn}/assessment");
    let answer = app.get(&path, &app.broker).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let assessment = &answer.body["versions"][0]["assessment"];
    assert_eq!(assessment, &calculated.body);
    assert_eq!(assessment["currency"], "UZS");
    let item = &assessment["items"][0];
    assert_eq!(item["taxes"][0]["tax"], "third-country-duty");
    assert_eq!(item["taxes"][0]["expression"], "0 %");
    assert_eq!(item["taxes"][1]["tax"], "vat");
    assert!(item["taxes"][1]["explanation"]
        .as_str()
        .unwrap()
        .contains("customs value"));
    assert_eq!(answer.body["balance"]["due"], assessment["total"]);
    assert_eq!(
        app.get(&path, &app.stranger).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn duties_per_unit_need_their_quantity() {
    let app = TestApp::sqlite().await;
    let mut car = sample();
    car["items"] = json!([sample()["items"][0].clone()]);
    car["items"][0]["commodity_code"] = json!("8703230000");
    car["items"][0]["supplementary_quantity"] = json!({"quantity": "1", "unit": "p/st"});
    let refused = app.lodge(&app.broker, &car).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.field_errors(),
        [(
            "/items/0/supplementary_quantity".to_owned(),
            "quantity_required".to_owned()
        )]
    );
    car["items"][0]["supplementary_quantity"] = json!({"quantity": "1598", "unit": "cm3"});
    let priced = app
        .post("/api/v1/tariff/calculate", &app.broker, &car)
        .await;
    assert_eq!(priced.status, StatusCode::OK, "{}", priced.body);
    let duty = &priced.body["items"][0]["taxes"][0];
    assert_eq!(duty["expression"], "15 % + 1.25 USD / cm3");
}

#[tokio::test]
async fn a_cis_preference_applies_with_its_certificate() {
    let app = TestApp::sqlite().await;
    let mut goods = sample();
    goods["items"] = json!([sample()["items"][1].clone()]);
    goods["items"][0]["commodity_code"] = json!("8517130000");
    goods["items"][0]["origin"] = json!("KZ");
    let without = app
        .post("/api/v1/tariff/calculate", &app.broker, &goods)
        .await;
    assert_eq!(
        without.body["items"][0]["taxes"][0]["tax"],
        "third-country-duty"
    );
    assert!(without.body["notes"][0].as_str().unwrap().contains("CST1"));
    goods["items"][0]["documents"] = json!([{"type": "CST1", "reference": "ST-1 0012345"}]);
    let with = app
        .post("/api/v1/tariff/calculate", &app.broker, &goods)
        .await;
    assert_eq!(with.body["items"][0]["taxes"][0]["tax"], "preference");
    assert_eq!(with.body["items"][0]["taxes"][0]["amount"], "0.00");

    let measures = app
        .get(
            "/api/v1/tariff/8517130000?origin=KZ&date=2026-06-01",
            &app.broker,
        )
        .await;
    assert_eq!(measures.status, StatusCode::OK);
    let kinds: Vec<(String, bool)> = measures.body["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_owned(),
                m["applies_to_origin"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(kinds.contains(&("preference".into(), true)), "{kinds:?}");
    let chinese = app
        .get("/api/v1/tariff/8517130000?origin=CN", &app.broker)
        .await;
    assert!(chinese.body["measures"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["kind"] == "preference" && m["applies_to_origin"] == false));
    let bad = app.get("/api/v1/tariff/85x?origin=ZZ", &app.broker).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn payments_are_recorded_by_customs_and_checked() {
    let app = TestApp::sqlite().await;
    let created = app.lodge(&app.broker, &sample()).await;
    let path = format!(
        "/api/v1/declarations/{}/payments",
        created.body["mrn"].as_str().unwrap()
    );
    let pay = |amount: &str| json!({"kind": "guarantee", "amount": amount, "method": "bank guarantee", "reference": "BG-77"});
    assert_eq!(
        app.post(&path, &app.broker, &pay("10")).await.status,
        StatusCode::FORBIDDEN
    );
    let bad = app
        .post(
            &path,
            &app.officer,
            &json!({"kind": "guarantee", "amount": "-1.005", "method": "", "reference": "x"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<String> = bad.field_errors().into_iter().map(|(p, _)| p).collect();
    assert_eq!(pointers, ["/amount", "/method"]);
    let partial = app.post(&path, &app.officer, &pay("1000.00")).await;
    assert_eq!(partial.status, StatusCode::CREATED);
    assert_eq!(partial.body["guaranteed"], "1000.00");
    assert_eq!(
        app.post(
            "/api/v1/declarations/26UZTAS999999999R0/payments",
            &app.officer,
            &pay("1")
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_reassessment_after_inspection_shows_what_is_owed_or_refundable() {
    let app = TestApp::sqlite().await;
    let created = app.lodge(&app.broker, &sample()).await;
    let mrn = created.body["mrn"].as_str().unwrap().to_owned();
    let first = app
        .get(
            &format!("/api/v1/declarations/{mrn}/assessment"),
            &app.officer,
        )
        .await;
    let total = first.body["versions"][0]["assessment"]["total"]
        .as_str()
        .unwrap()
        .to_owned();
    let pay =
        json!({"kind": "payment", "amount": total, "method": "bank transfer", "reference": "PO-9"});
    assert_eq!(
        app.post(
            &format!("/api/v1/declarations/{mrn}/payments"),
            &app.officer,
            &pay
        )
        .await
        .status,
        StatusCode::CREATED
    );

    let path = format!("/api/v1/declarations/{mrn}/reassessment");
    // The inspection finds the laptops are telephones (chapter 85, 5 % in the starter tariff).
    let finding = json!({"reason": "physical inspection: goods are smartphones", "corrections": [{"sequence": 1, "commodity_code": "8517130000"}]});
    assert_eq!(
        app.post(&path, &app.broker, &finding).await.status,
        StatusCode::FORBIDDEN
    );
    let raised = app.post(&path, &app.officer, &finding).await;
    assert_eq!(raised.status, StatusCode::CREATED, "{}", raised.body);
    assert_eq!(raised.body["assessment"]["version"], 2);
    let difference: rust_decimal::Decimal =
        raised.body["difference"].as_str().unwrap().parse().unwrap();
    assert!(difference > rust_decimal::Decimal::ZERO);
    assert_eq!(raised.body["balance"]["due"], raised.body["difference"]);
    assert_eq!(
        raised.body["assessment"]["corrections"][0]["commodity_code"],
        "8517130000"
    );

    // A later finding lowers the price: the balance turns into a refund.
    let lower = json!({"reason": "valuation corrected on documents", "corrections": [{"sequence": 1, "price": "100.00"}, {"sequence": 2, "price": "100.00"}]});
    let lowered = app.post(&path, &app.officer, &lower).await;
    assert_eq!(lowered.status, StatusCode::CREATED, "{}", lowered.body);
    assert_eq!(lowered.body["balance"]["due"], "0.00");
    assert_ne!(lowered.body["balance"]["refundable"], "0.00");
    let versions = app
        .get(
            &format!("/api/v1/declarations/{mrn}/assessment"),
            &app.broker,
        )
        .await;
    assert_eq!(versions.body["versions"].as_array().unwrap().len(), 3);

    let unknown = app
        .post(
            &path,
            &app.officer,
            &json!({"reason": "x", "corrections": [{"sequence": 7}]}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.field_errors()[0].0, "/corrections/0/sequence");
    let wrong_code = app
        .post(
            &path,
            &app.officer,
            &json!({"reason": "x", "corrections": [{"sequence": 1, "commodity_code": "8471"}]}),
        )
        .await;
    assert_eq!(wrong_code.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn items_far_below_the_reference_unit_value_are_flagged() {
    let app = TestApp::sqlite().await;
    let mut mrns = Vec::new();
    for (i, price) in [
        "40000", "41000", "42000", "43000", "44000", "45000", "46000", "5000",
    ]
    .iter()
    .enumerate()
    {
        let mut d = sample();
        d["lrn"] = json!(format!("VAL-{i}"));
        d["items"] = json!([sample()["items"][0].clone()]);
        d["items"][0]["price"] = json!(price);
        let created = app.lodge(&app.broker, &d).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        mrns.push(created.body["mrn"].as_str().unwrap().to_owned());
    }
    app.rebuild_valuation().await;
    let cheap = app
        .get(
            &format!("/api/v1/declarations/{}/valuation", mrns[7]),
            &app.analyst,
        )
        .await;
    assert_eq!(cheap.status, StatusCode::OK, "{}", cheap.body);
    let item = &cheap.body["items"][0];
    assert_eq!(item["undervalued"], true, "{item}");
    assert_eq!(item["reference"]["count"], 8);
    let fair = app
        .get(
            &format!("/api/v1/declarations/{}/valuation", mrns[3]),
            &app.officer,
        )
        .await;
    assert_eq!(fair.body["items"][0]["undervalued"], false);
    // 43,000 against a median between 42,000 and 43,000: just above 1.
    let ratio: f64 = fair.body["items"][0]["ratio"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1.0..1.05).contains(&ratio), "{ratio}");
    let hidden = app
        .get(
            &format!("/api/v1/declarations/{}/valuation", mrns[7]),
            &app.broker,
        )
        .await;
    assert_eq!(hidden.status, StatusCode::FORBIDDEN);
}
