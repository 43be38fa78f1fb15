//! Paying online: customs credits a bank transfer on a party's advance account page (a refused
//! one keeps what was typed), the trader reads its account and pays a declaration from it on the
//! declaration's page, and the green declaration is released. On SQLite and PostgreSQL.

use axum::http::StatusCode;
use tamga_core::role::Role;
use tamga_store::parties::NewParty;

use crate::app::{lodge, Web, PASSWORD};

async fn a_trader_pays_online(web: Web) {
    let broker = web
        .user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    web.user("officer1", Role::Officer, None).await;
    web.store
        .create_party(NewParty {
            id: "UZ305123456".into(),
            name: "Samarqand Savdo MChJ".into(),
            country: "UZ".into(),
            address: None,
            aeo: None,
            by: "test".into(),
            at: tamga_store::sql::now(),
        })
        .await
        .unwrap();
    let mrn = lodge(&web.router, &broker, "ADV-1").await;
    let declarant = web.sign_in("broker", PASSWORD).await.unwrap();
    let path = format!("/declarations/{mrn}");
    let seen = web.get(&path, &declarant).await;
    let pay_form = format!("action=\"{path}/advance-payment\"");
    assert!(seen.body.contains(&pay_form), "{}", seen.body);
    let csrf = seen.csrf();
    let short = web
        .post(
            &format!("{path}/advance-payment"),
            &declarant,
            &[("csrf", &csrf), ("amount", "")],
        )
        .await;
    assert_eq!(short.status, StatusCode::OK, "{}", short.body);
    // The pages are in Uzbek unless the user chose another language.
    assert!(
        short.body.contains("mablagʻ yetarli emas"),
        "{}",
        short.body
    );

    let own = web.get("/advance", &declarant).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("UZ305123456") && own.body.contains("Hozircha yozuvlar yoʻq"));
    assert!(
        !own.body.contains("/advance/UZ305123456/deposits"),
        "traders cannot credit"
    );

    let officer = web.sign_in("officer1", PASSWORD).await.unwrap();
    let look_up = web.get("/advance?party=UZ305123456", &officer).await;
    assert_eq!(look_up.location(), "/advance/UZ305123456");
    let unknown = web.get("/advance?party=UZ%2030", &officer).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let account = web.get("/advance/UZ305123456", &officer).await;
    let csrf = account.csrf();
    let deposits = "/advance/UZ305123456/deposits";
    let typed = [
        ("csrf", csrf.as_str()),
        ("amount", "1e9"),
        ("reference", "PO 118"),
    ];
    let refused = web.post(deposits, &officer, &typed).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused.body.contains("/amount") && refused.body.contains("value=\"PO 118\""));
    let good = [
        ("csrf", csrf.as_str()),
        ("amount", "900000000.00"),
        ("reference", "PO 118"),
    ];
    let credited = web.post(deposits, &officer, &good).await;
    assert_eq!(credited.status, StatusCode::SEE_OTHER, "{}", credited.body);
    let twice = web.post(deposits, &officer, &good).await;
    assert_eq!(
        twice.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        twice.body
    );

    let seen = web.get(&path, &declarant).await;
    assert!(seen.body.contains("900000000.00"), "the balance is offered");
    let csrf = seen.csrf();
    let paid = web
        .post(
            &format!("{path}/advance-payment"),
            &declarant,
            &[("csrf", &csrf), ("amount", "")],
        )
        .await;
    assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
    let after = web.get(&path, &declarant).await;
    assert!(
        after.body.contains("advance account"),
        "the payment's method"
    );
    assert!(!after.body.contains(&pay_form), "nothing is due");
    let record = web
        .store
        .declaration(&mrn, &tamga_store::Scope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.status.as_str(), "released");
    let ledger = web.get("/advance", &declarant).await;
    assert!(
        ledger
            .body
            .contains(&format!("href=\"/declarations/{mrn}\"")),
        "{}",
        ledger.body
    );
}

#[tokio::test]
async fn sqlite_a_trader_pays_online() {
    a_trader_pays_online(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_a_trader_pays_online() {
    a_trader_pays_online(Web::postgres().await).await;
}
