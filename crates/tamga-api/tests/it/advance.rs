//! Paying online from an advance account: customs credits a trader's bank transfer, the trader
//! pays a declaration from the balance and a green declaration is released at once; every
//! refusal is named, on both backends.

use axum::http::StatusCode;
use serde_json::json;

use crate::app::{sample, TestApp};
use crate::parties::{admin, register};

on_both_backends!(
    a_trader_pays_online_from_its_advance_account,
    advance_accounts_refuse_what_they_must,
);

const ACCOUNT: &str = "/api/v1/parties/UZ305123456/advance";
const DEPOSITS: &str = "/api/v1/parties/UZ305123456/advance/deposits";

/// The broker's party registered and one of its declarations lodged: its MRN and what is due.
async fn lodged(app: &TestApp) -> (String, String) {
    let root = admin(app).await;
    register(app, &root, "UZ305123456", "Samarqand Savdo MChJ", "UZ").await;
    let created = app.lodge(&app.broker, &sample()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let mrn = created.body["mrn"].as_str().unwrap().to_owned();
    let assessment = app
        .get(
            &format!("/api/v1/declarations/{mrn}/assessment"),
            &app.broker,
        )
        .await;
    let due = assessment.body["balance"]["due"]
        .as_str()
        .unwrap()
        .to_owned();
    (mrn, due)
}

async fn a_trader_pays_online_from_its_advance_account(app: TestApp) {
    let (mrn, due) = lodged(&app).await;
    let empty = app.get(ACCOUNT, &app.broker).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert_eq!(empty.body["balance"], "0");
    assert_eq!(empty.body["entries"], json!([]));

    let transfer = json!({"amount": "250000000.00", "reference": "PO 2026/118"});
    assert_eq!(
        app.post(DEPOSITS, &app.broker, &transfer).await.status,
        StatusCode::FORBIDDEN,
        "a trader cannot credit itself"
    );
    let credited = app.post(DEPOSITS, &app.officer, &transfer).await;
    assert_eq!(credited.status, StatusCode::CREATED, "{}", credited.body);
    assert_eq!(credited.body["kind"], "deposit");
    assert_eq!(credited.body["balance"], "250000000.00");
    assert_eq!(credited.body["recorded_by"], "officer");
    let twice = app.post(DEPOSITS, &app.officer, &transfer).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);

    let pay = format!("/api/v1/declarations/{mrn}/advance-payment");
    let paid = app.post(&pay, &app.broker, &json!({})).await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.body);
    assert_eq!(paid.body["balance"]["due"], "0.00");
    assert_eq!(paid.body["balance"]["paid"], due.as_str());
    assert_eq!(
        paid.body["balance"]["payments"][0]["method"],
        "advance account"
    );
    let left = "250000000.00".parse::<rust_decimal::Decimal>().unwrap()
        - due.parse::<rust_decimal::Decimal>().unwrap();
    assert_eq!(paid.body["account_balance"], left.to_string());

    let declaration = app
        .get(&format!("/api/v1/declarations/{mrn}"), &app.broker)
        .await;
    assert_eq!(
        declaration.body["status"], "released",
        "{}",
        declaration.body
    );
    let ledger = app.get(ACCOUNT, &app.officer).await;
    assert_eq!(ledger.body["balance"], left.to_string());
    let kinds: Vec<&str> = ledger.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["payment", "deposit"], "newest first");
    assert_eq!(ledger.body["entries"][0]["mrn"], mrn.as_str());
    assert_eq!(ledger.body["entries"][0]["amount"], due.as_str());

    let again = app.post(&pay, &app.broker, &json!({})).await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "nothing is due any more"
    );
}

async fn advance_accounts_refuse_what_they_must(app: TestApp) {
    let (mrn, due) = lodged(&app).await;
    let pay = format!("/api/v1/declarations/{mrn}/advance-payment");
    let short = app.post(&pay, &app.broker, &json!({})).await;
    assert_eq!(short.status, StatusCode::CONFLICT, "{}", short.body);
    assert_eq!(short.body["amount_due"], due.as_str());

    let unknown = json!({"amount": "10", "reference": "PO-1"});
    let nobody = "/api/v1/parties/UZ000000001/advance/deposits";
    assert_eq!(
        app.post(nobody, &app.officer, &unknown).await.status,
        StatusCode::NOT_FOUND
    );
    let bad = app
        .post(
            DEPOSITS,
            &app.officer,
            &json!({"amount": "-1.005", "reference": " "}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let pointers: Vec<String> = bad.field_errors().into_iter().map(|(p, _)| p).collect();
    assert_eq!(pointers, ["/amount", "/reference"]);
    let control = json!({"amount": "1", "reference": "PO\u{0}1"});
    let nul = app.post(DEPOSITS, &app.officer, &control).await;
    assert_eq!(nul.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", nul.body);
    assert_eq!(nul.field_errors()[0].0, "/reference");
    let small = json!({"amount": "1.00", "reference": "PO-2"});
    assert_eq!(
        app.post(DEPOSITS, &app.officer, &small).await.status,
        StatusCode::CREATED
    );

    let above = app
        .post(&pay, &app.broker, &json!({"amount": "999999999999"}))
        .await;
    assert_eq!(
        above.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        above.body
    );
    assert_eq!(
        above.field_errors()[0],
        ("/amount".to_owned(), "above_due".to_owned())
    );
    for nonsense in ["lots", "1e2", "1_000", "-0.50", ".", "0"] {
        let refused = app
            .post(&pay, &app.broker, &json!({ "amount": nonsense }))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{nonsense}"
        );
    }
    let partly = app
        .post(&pay, &app.broker, &json!({"amount": "0.50"}))
        .await;
    assert_eq!(partly.status, StatusCode::CREATED, "{}", partly.body);
    assert_eq!(partly.body["account_balance"], "0.50");
    assert_eq!(
        app.post(&pay, &app.broker, &json!({"amount": "0.51"}))
            .await
            .status,
        StatusCode::CONFLICT,
        "the account holds 0.50"
    );

    assert_eq!(
        app.post(&pay, &app.stranger, &json!({})).await.status,
        StatusCode::NOT_FOUND,
        "another trader's declaration"
    );
    assert_eq!(
        app.post(&pay, &app.officer, &json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let missing = "/api/v1/declarations/26UZTAS999999999R0/advance-payment";
    assert_eq!(
        app.post(missing, &app.broker, &json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(ACCOUNT, &app.stranger).await.status,
        StatusCode::NOT_FOUND,
        "another trader's account"
    );
    assert_eq!(
        app.get(ACCOUNT, &app.analyst).await.status,
        StatusCode::FORBIDDEN
    );
}
