//! The screens added beside the main paths: payments and holds on a declaration, cargo
//! reports, the analyst's named lists, watchlists and selectivity, the administrator's party
//! registry and offices. On SQLite and PostgreSQL.

use axum::http::StatusCode;
use tamga_core::role::Role;

use crate::app::{lodge, Web, PASSWORD};

/// An officer records a payment (a refused one keeps what was typed), holds the goods and
/// lifts the hold; the declarant reads the balance and how to pay.
async fn payments_and_holds(web: Web) {
    let broker = web
        .user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    web.user("officer1", Role::Officer, None).await;
    let mrn = lodge(&web.router, &broker, "PAY-1").await;
    let declarant = web.sign_in("broker", PASSWORD).await.unwrap();
    let seen = web.get(&format!("/declarations/{mrn}"), &declarant).await;
    assert!(seen.body.contains(&mrn) && seen.body.contains("id=\"payments\""));
    assert!(!seen
        .body
        .contains("action=\"/declarations/{mrn}/payments\""));
    assert!(!seen.body.contains("id=\"holds\""), "holds are for staff");
    assert!(
        !seen.body.contains("id=\"valuation\""),
        "indicators are for staff"
    );

    let officer = web.sign_in("officer1", PASSWORD).await.unwrap();
    let path = format!("/declarations/{mrn}");
    let csrf = web.get(&path, &officer).await.csrf();
    let pay = format!("{path}/payments");
    let bad = [
        ("csrf", csrf.as_str()),
        ("kind", "payment"),
        ("amount", "12.345"),
        ("method", "cash desk"),
        ("reference", "PO-77"),
    ];
    let refused = web.post(&pay, &officer, &bad).await;
    assert_eq!(refused.status, StatusCode::OK, "{}", refused.body);
    assert!(refused.body.contains("/amount"), "{}", refused.body);
    assert!(refused.body.contains("value=\"12.345\"") && refused.body.contains("value=\"PO-77\""));
    let good = [
        ("csrf", csrf.as_str()),
        ("kind", "guarantee"),
        ("amount", "100.00"),
        ("method", "bank guarantee"),
        ("reference", "BG-2026-1"),
    ];
    let recorded = web.post(&pay, &officer, &good).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = web.get(&path, &officer).await;
    assert!(page.body.contains("BG-2026-1") && page.body.contains("100.00"));
    assert!(
        page.body.contains("id=\"valuation\""),
        "staff read the valuation indicators"
    );

    let hold = format!("{path}/holds");
    let placed = web
        .post(
            &hold,
            &officer,
            &[("csrf", &csrf), ("reason", "seal broken")],
        )
        .await;
    assert_eq!(placed.status, StatusCode::SEE_OTHER, "{}", placed.body);
    let page = web.get(&path, &officer).await;
    assert!(page.body.contains("seal broken"));
    let holds = web.store.holds(&mrn).await.unwrap().unwrap();
    let lift = format!("{path}/holds/{}/lift", holds[0].id);
    let empty = web
        .post(&lift, &officer, &[("csrf", &csrf), ("reason", " ")])
        .await;
    assert!(empty.body.contains("/reason"), "a reason is required");
    let lifted = web
        .post(&lift, &officer, &[("csrf", &csrf), ("reason", "resealed")])
        .await;
    assert_eq!(lifted.status, StatusCode::SEE_OTHER);
    assert!(web.get(&path, &officer).await.body.contains("resealed"));
    let xml = web
        .get(&format!("{path}/notifications.xml"), &declarant)
        .await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(xml.body.contains("<Notifications"), "{}", xml.body);
}

#[tokio::test]
async fn sqlite_payments_and_holds() {
    payments_and_holds(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_payments_and_holds() {
    payments_and_holds(Web::postgres().await).await;
}

/// A carrier uploads a JSON cargo report and sees it; a refused one lists its problems;
/// customs staff see every report with each consignment judged.
async fn cargo_reports(web: Web) {
    web.user("carrier", Role::Declarant, Some("KZ990011")).await;
    web.user("analyst1", Role::Analyst, None).await;
    let carrier = web.sign_in("carrier", PASSWORD).await.unwrap();
    let csrf = web.get("/cargo-reports", &carrier).await.csrf();
    let bad = br#"{"reference": "M-9", "consignments": [{"sequence": 1, "containers": ["CSQU3054384"]}]}"#;
    let refused = web
        .upload(
            "/cargo-reports",
            &carrier,
            &[("csrf", &csrf)],
            &[("file", "m9.json", "application/json", bad)],
        )
        .await;
    assert!(
        refused.body.contains("/consignments/0/containers/0"),
        "{}",
        refused.body
    );
    let good = br#"{"reference": "M-9", "arrival_place": "UZTAS", "consignments": [{"sequence": 1, "containers": ["CSQU3054383"], "goods": [{"sequence": 1, "description": "<script>x</script>"}]}]}"#;
    let stored = web
        .upload(
            "/cargo-reports",
            &carrier,
            &[("csrf", &csrf)],
            &[("file", "m9.json", "application/json", good)],
        )
        .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let report = web.get(stored.location(), &carrier).await;
    assert!(report.body.contains("CSQU3054383"));
    assert!(report.body.contains("&#60;script&#62;x"), "text is escaped");
    assert!(!report.body.contains("<script>x"));
    assert!(
        !report.body.contains("channel-"),
        "a carrier sees no judgement"
    );
    let list = web.get("/cargo-reports", &carrier).await;
    assert!(list.body.contains("M-9"));
    let analyst = web.sign_in("analyst1", PASSWORD).await.unwrap();
    let judged = web.get(stored.location(), &analyst).await;
    assert!(judged.body.contains("channel-"), "{}", judged.body);
}

#[tokio::test]
async fn sqlite_cargo_reports() {
    cargo_reports(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_cargo_reports() {
    cargo_reports(Web::postgres().await).await;
}

/// An analyst writes a named list (a bad entry is named by its line), imports a watchlist and
/// screens a name, and changes the selectivity settings (a bad number and an API refusal are
/// shown at their fields).
async fn analysts_lists_watchlists_and_selectivity(web: Web) {
    web.user("analyst1", Role::Analyst, None).await;
    web.user("officer1", Role::Officer, None).await;
    let analyst = web.sign_in("analyst1", PASSWORD).await.unwrap();
    let csrf = web.get("/risk/lists", &analyst).await.csrf();
    let list = |entries: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("name", "risky-origins".to_owned()),
            ("kind", "countries".to_owned()),
            ("entries", entries.to_owned()),
            ("reason", "intelligence 2026/11".to_owned()),
            ("expected_version", String::new()),
        ]
    };
    let fields = list("AF\n\nZZZ\nIR");
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = web.post("/risk/lists", &analyst, &borrowed).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("3-qator"),
        "the line, in Uzbek: {}",
        refused.body
    );
    assert!(
        refused.body.contains("AF\n\nZZZ\nIR"),
        "what was typed is kept"
    );
    let fields = list("AF\nIR");
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = web.post("/risk/lists", &analyst, &borrowed).await;
    assert_eq!(
        (saved.status, saved.location()),
        (StatusCode::SEE_OTHER, "/risk/lists/risky-origins")
    );
    assert!(web
        .get("/risk/lists", &analyst)
        .await
        .body
        .contains("risky-origins"));

    let csv = "id,kind,name,aliases,country,remarks\nW-1,individual,Ivan Petrovich Sidorov,Sidorov Ivan,RU,test\n";
    let imported = web
        .upload(
            "/risk/watchlists/import",
            &analyst,
            &[
                ("csrf", &csrf),
                ("name", "analysts"),
                ("format", "csv"),
                ("reason", "weekly list"),
            ],
            &[("file", "analysts.csv", "text/csv", csv.as_bytes())],
        )
        .await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    let page = web.get(imported.location(), &analyst).await;
    assert!(page.body.contains("analysts") && page.body.contains("weekly list"));
    let broken = web
        .upload(
            "/risk/watchlists/import",
            &analyst,
            &[
                ("csrf", &csrf),
                ("name", "Bad Name"),
                ("format", "csv"),
                ("reason", "x"),
            ],
            &[("file", "a.csv", "text/csv", b"not,a,list\n")],
        )
        .await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        broken.body.contains("/name") && broken.body.contains("/file"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("value=\"Bad Name\""));
    let officer = web.sign_in("officer1", PASSWORD).await.unwrap();
    let officer_csrf = web.get("/risk/watchlists", &officer).await.csrf();
    let hits = web
        .post(
            "/risk/screen",
            &officer,
            &[
                ("csrf", &officer_csrf),
                ("name", "Sidorov Ivan Petrovich"),
                ("threshold", ""),
            ],
        )
        .await;
    assert!(
        hits.body.contains("id=\"screen-hits\"") && hits.body.contains("W-1"),
        "{}",
        hits.body
    );

    let page = web.get("/risk/selectivity", &analyst).await;
    assert!(
        page.body.contains("name=\"r0-red_at\" value=\"60\""),
        "{}",
        page.body
    );
    let base = |red: &str, office: &str, random: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("version", "0".into()),
            ("rows", "2".into()),
            ("r0-office", String::new()),
            ("r0-yellow_at", "30".into()),
            ("r0-red_at", red.into()),
            ("r0-random_red", "0.01".into()),
            ("r0-random_yellow", "0.02".into()),
            ("r0-random_blue", "0".into()),
            ("r0-red_capacity_per_day", String::new()),
            ("r0-priority_at", String::new()),
            ("r1-office", office.into()),
            ("r1-yellow_at", "20".into()),
            ("r1-red_at", "50".into()),
            ("r1-random_red", random.into()),
            ("r1-random_yellow", "0".into()),
            ("r1-random_blue", "0".into()),
            ("r1-red_capacity_per_day", "40".into()),
            ("r1-priority_at", String::new()),
            ("aeo_reduction", "20".into()),
            ("aeo_register", "aeo-register".into()),
            ("watchlist_threshold", "0.9".into()),
            ("watchlist_weight", "60".into()),
            ("model_weight", "50".into()),
            ("reason", "border posts' capacity".into()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let web = &web;
        let analyst = analyst.clone();
        async move {
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            web.post("/risk/selectivity", &analyst, &borrowed).await
        }
    };
    let not_number = send(base("sixty", "UZTAS", "0.05")).await;
    assert_eq!(not_number.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_number.body.contains("href=\"#r0-red_at\""),
        "{}",
        not_number.body
    );
    assert!(not_number.body.contains("value=\"sixty\""));
    let out_of_range = send(base("60", "UZTAS", "1.5")).await;
    assert_eq!(
        out_of_range.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        out_of_range.body
    );
    assert!(
        out_of_range.body.contains("href=\"#r1-random_red\""),
        "{}",
        out_of_range.body
    );
    let unknown = send(base("60", "XXQQQ", "0.05")).await;
    assert!(
        unknown.body.contains("href=\"#r1-office\""),
        "{}",
        unknown.body
    );
    let saved = send(base("60", "UZTAS", "0.05")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = web.get("/risk/selectivity", &analyst).await;
    assert!(
        page.body.contains("value=\"UZTAS\"")
            && page
                .body
                .contains("name=\"r1-red_capacity_per_day\" value=\"40\"")
    );
    let read_only = web.get("/risk/selectivity", &officer).await;
    assert!(read_only.body.contains("readonly") && !read_only.body.contains("name=\"reason\""));
}

#[tokio::test]
async fn sqlite_analysts_lists_watchlists_and_selectivity() {
    analysts_lists_watchlists_and_selectivity(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_analysts_lists_watchlists_and_selectivity() {
    analysts_lists_watchlists_and_selectivity(Web::postgres().await).await;
}

/// An administrator registers parties (problems at their fields, input kept), grants a
/// mandate and revokes it, and reads the offices.
async fn admins_registry(web: Web) {
    web.user("root", Role::Admin, None).await;
    let admin = web.sign_in("root", PASSWORD).await.unwrap();
    let csrf = web.get("/admin/parties", &admin).await.csrf();
    let party = |id: &'static str, country: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("id", id.into()),
            ("name", "Samarqand Savdo MChJ".into()),
            ("country", country.into()),
            ("address", "Registon 1".into()),
            ("aeo", String::new()),
        ]
    };
    let borrow =
        |f: &[(&'static str, String)]| f.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let bad = borrow(&party("UZ301111111", "QQ"));
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = web.post("/admin/parties", &admin, &bad).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("id=\"party-country-error\""),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("value=\"Registon 1\""));
    for (id, name) in [("UZ301111111", "a"), ("UZ302222222", "b")] {
        let _ = name;
        let good = borrow(&party(id, "UZ"));
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let created = web.post("/admin/parties", &admin, &good).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    }
    let path = "/admin/parties/UZ301111111";
    let grant = format!("{path}/mandates");
    let unknown = web
        .post(
            &grant,
            &admin,
            &[
                ("csrf", &csrf),
                ("representative", "UZ309999999"),
                ("representation", "direct"),
                ("valid_from", ""),
                ("valid_until", ""),
            ],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unknown.body.contains("value=\"UZ309999999\""),
        "{}",
        unknown.body
    );
    let granted = web
        .post(
            &grant,
            &admin,
            &[
                ("csrf", &csrf),
                ("representative", "UZ302222222"),
                ("representation", "indirect"),
                ("valid_from", ""),
                ("valid_until", ""),
            ],
        )
        .await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    let page = web.get(path, &admin).await;
    assert!(page.body.contains("UZ302222222"));
    let mandates = web.store.mandates(Some("UZ301111111")).await.unwrap();
    let revoke = format!("{path}/mandates/{}/revoke", mandates[0].id);
    let revoked = web
        .post(&revoke, &admin, &[("csrf", &csrf), ("effective", "")])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.body);
    let again = web
        .post(&revoke, &admin, &[("csrf", &csrf), ("effective", "")])
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "revoked before: {}",
        again.body
    );
    let offices = web.get("/admin/offices?country=UZ&q=tas", &admin).await;
    assert!(offices.body.contains("UZTAS"), "{}", offices.body);
    assert!(!offices.body.contains("KZALA"));
}

#[tokio::test]
async fn sqlite_admins_registry() {
    admins_registry(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_admins_registry() {
    admins_registry(Web::postgres().await).await;
}
