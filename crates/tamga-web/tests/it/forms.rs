//! The lodgement form, uploads, escaping, the officer's view of a declaration and the
//! analyst's profile editor.

use axum::http::StatusCode;
use serde_json::Value;
use tamga_core::role::Role;

use crate::app::{Web, PASSWORD};

const SAMPLE: &str = include_str!("../../../../examples/declaration.json");

/// A JSON document as the form's fields: (pointer, text) for every scalar.
fn flatten(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| flatten(v, format!("{pointer}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| flatten(v, format!("{pointer}/{i}"), out)),
        Value::String(s) => out.push((pointer, s.clone())),
        other => out.push((pointer, other.to_string())),
    }
}

fn sample_fields(change: impl Fn(&mut Value)) -> Vec<(String, String)> {
    let mut sample: Value = serde_json::from_str(SAMPLE).unwrap();
    change(&mut sample);
    let mut fields = Vec::new();
    flatten(&sample, String::new(), &mut fields);
    let items = sample["items"].as_array().map_or(1, Vec::len);
    fields.push(("items".into(), items.to_string()));
    fields
}

async fn lodge(web: &Web, cookie: &str, mut fields: Vec<(String, String)>) -> crate::app::Page {
    let csrf = web.get("/declarations/new", cookie).await.csrf();
    fields.push(("csrf".into(), csrf));
    fields.push(("action".into(), "lodge".into()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    web.post("/declarations/new", cookie, &borrowed).await
}

/// Every problem is shown next to its field and in the summary; what was typed stays.
async fn the_form_shows_every_problem_and_keeps_the_input(web: Web) {
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    let cookie = web.sign_in("broker", PASSWORD).await.unwrap();
    let bad = sample_fields(|d| {
        d["items"][0]["commodity_code"] = "9999999999".into();
        d["items"][1]["description"] = "".into();
        d["lrn"] = "WEB-LRN-1".into();
    });
    let page = lodge(&web, &cookie, bad).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"error-summary\""));
    assert!(
        page.body.contains("href=\"#f-items-0-commodity_code\""),
        "the summary links the field"
    );
    assert!(
        page.body.contains("id=\"f-items-0-commodity_code-error\""),
        "the problem is next to its field"
    );
    assert!(
        page.body.contains("value=\"WEB-LRN-1\""),
        "what was typed is kept"
    );
    assert!(page.body.contains("value=\"9999999999\""));
    // In Russian the problem says what its code means, followed by the API's own sentence.
    let csrf = web.get("/declarations/new", &cookie).await.csrf();
    let chosen = web
        .post("/language", &cookie, &[("csrf", &csrf), ("lang", "ru")])
        .await;
    assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
    let bad = sample_fields(|d| d["items"][0]["commodity_code"] = "9999999999".into());
    let russian = lodge(&web, &cookie, bad).await;
    assert!(
        russian.body.contains("Неизвестный код товара ("),
        "{}",
        russian.body
    );
    let csrf = web.get("/declarations/new", &cookie).await.csrf();
    web.post("/language", &cookie, &[("csrf", &csrf), ("lang", "en")])
        .await;
    let good = sample_fields(|d| d["lrn"] = "WEB-LRN-1".into());
    let accepted = lodge(&web, &cookie, good).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let shown = web.get(accepted.location(), &cookie).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("WEB-LRN-1") && shown.body.contains("class=\"channel channel-"));
    assert!(
        !shown.body.contains("id=\"why\""),
        "a declarant never sees risk reasons"
    );
}

#[tokio::test]
async fn sqlite_the_form_shows_every_problem_and_keeps_the_input() {
    the_form_shows_every_problem_and_keeps_the_input(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_the_form_shows_every_problem_and_keeps_the_input() {
    the_form_shows_every_problem_and_keeps_the_input(Web::postgres().await).await;
}

#[tokio::test]
async fn items_are_added_and_removed_without_losing_the_others() {
    let web = Web::sqlite().await;
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    let cookie = web.sign_in("broker", PASSWORD).await.unwrap();
    let csrf = web.get("/declarations/new", &cookie).await.csrf();
    let mut fields = sample_fields(|_| {});
    fields.push(("csrf".into(), csrf.clone()));
    fields.push(("action".into(), "remove-item-0".into()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = web.post("/declarations/new", &cookie, &borrowed).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Computer mice, wireless"),
        "item 2 moved up"
    );
    assert!(!page.body.contains("laptops"), "item 1 is gone");
    assert!(page
        .body
        .contains("name=\"/items/0/description\" value=\"Computer mice, wireless\""));
}

/// Text is escaped everywhere: a description that is a script renders as text.
#[tokio::test]
async fn a_script_in_a_description_renders_as_text() {
    let web = Web::sqlite().await;
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    let cookie = web.sign_in("broker", PASSWORD).await.unwrap();
    let fields = sample_fields(|d| {
        d["items"][0]["description"] = "<script>alert(1)</script> laptops".into()
    });
    let accepted = lodge(&web, &cookie, fields).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let page = web.get(accepted.location(), &cookie).await;
    // askama escapes `<` and `>` as numeric character references.
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62; laptops"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<script>alert(1)"));
}

#[tokio::test]
async fn an_uploaded_file_is_lodged_through_the_pipeline() {
    let web = Web::sqlite().await;
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    let cookie = web.sign_in("broker", PASSWORD).await.unwrap();
    let csrf = web.get("/declarations/new", &cookie).await.csrf();
    let boundary = "tamga-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.json\"\r\nContent-Type: application/json\r\n\r\n{SAMPLE}\r\n--{boundary}--\r\n"
    );
    let request = axum::http::Request::post("/declarations/upload")
        .header("cookie", &cookie)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    let response = tower::ServiceExt::oneshot(web.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("href=\"/declarations/26UZTAS"), "{text}");
}

/// The officer reads why a declaration was selected; the analyst writes a profile, fixes its
/// syntax, dry-runs and activates it.
async fn staff_read_reasons_and_analysts_write_profiles(web: Web) {
    web.user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    web.user("analyst1", Role::Analyst, None).await;
    web.user("officer1", Role::Officer, None).await;
    let analyst = web.sign_in("analyst1", PASSWORD).await.unwrap();
    let csrf = web.get("/risk/profiles/new", &analyst).await.csrf();
    let check = web
        .post(
            "/risk/condition-check",
            &analyst,
            &[("condition", "hs in heading(8471) and and")],
        )
        .await;
    assert!(check.body.contains("line 1"), "{}", check.body);
    let check = web
        .post(
            "/risk/condition-check",
            &analyst,
            &[("condition", "hs in heading(8471)")],
        )
        .await;
    assert!(check.body.contains("class=\"ok\""), "{}", check.body);
    let profile = |action: &'static str, condition: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("action", action.into()),
            ("id", "laptops".into()),
            ("title", "Laptops".into()),
            ("condition", condition.into()),
            ("effect", "force".into()),
            ("channel", "red".into()),
            ("reason", "test".into()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| {
        v.iter().map(|(k, s)| (*k, s.clone())).collect::<Vec<_>>()
    };
    let fields = as_refs(&profile("activate", "hs in heading(8471) and"));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = web.post("/risk/profiles/new", &analyst, &borrowed).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("hs in heading(8471) and</textarea>"),
        "the condition typed is kept"
    );
    let fields = as_refs(&profile("dry-run", "hs in heading(8471)"));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dry = web.post("/risk/profiles/new", &analyst, &borrowed).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.body.contains("id=\"dry-run\""));
    let fields = as_refs(&profile("activate", "hs in heading(8471)"));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let created = web.post("/risk/profiles/new", &analyst, &borrowed).await;
    assert_eq!(
        (created.status, created.location()),
        (StatusCode::SEE_OTHER, "/risk/profiles/laptops")
    );
    // The engine picks the profile up (the API handler rebuilt it): the sample goes red.
    let broker = web.sign_in("broker", PASSWORD).await.unwrap();
    let accepted = lodge(&web, &broker, sample_fields(|_| {})).await;
    let path = accepted.location().to_owned();
    let officer = web.sign_in("officer1", PASSWORD).await.unwrap();
    let page = web.get(&path, &officer).await;
    assert!(
        page.body.contains("id=\"why\"") && page.body.contains("Laptops"),
        "{}",
        page.body
    );
    assert!(page.body.contains("channel-red"));
}

#[tokio::test]
async fn sqlite_staff_read_reasons_and_analysts_write_profiles() {
    staff_read_reasons_and_analysts_write_profiles(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_staff_read_reasons_and_analysts_write_profiles() {
    staff_read_reasons_and_analysts_write_profiles(Web::postgres().await).await;
}
