//! The Situation Center: figures of lodged declarations on both backends, the rule that only
//! supervisors and administrators see it, and live updates by Server-Sent Events, including
//! a lodgement made through another server sharing the PostgreSQL database.

use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::Value;
use tamga_core::role::Role;
use tower::ServiceExt;

use crate::app::{lodge, Web, PASSWORD};

/// A JSON request to the API of `router`; the status and the answer.
async fn api(
    router: &Router,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(format!("/api/v1{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Pays what a declaration owes; a green one is released by the payment.
async fn pay(router: &Router, officer: &str, mrn: &str) -> Value {
    let path = format!("/declarations/{mrn}/assessment");
    let (_, assessment) = api(router, Method::GET, &path, officer, None).await;
    let due = assessment["balance"]["due"].clone();
    let payment = serde_json::json!({"kind": "payment", "amount": due, "method": "bank transfer", "reference": "SIT-PAY"});
    let path = format!("/declarations/{mrn}/payments");
    let (status, answer) = api(router, Method::POST, &path, officer, Some(payment)).await;
    assert!(status.is_success(), "{status} {answer}");
    let (_, view) = api(
        router,
        Method::GET,
        &format!("/declarations/{mrn}"),
        officer,
        None,
    )
    .await;
    view
}

async fn supervisor_and_broker(web: &Web) -> (String, String) {
    web.user("chief", Role::Supervisor, None).await;
    let token = web
        .user("broker", Role::Declarant, Some("UZ305123456"))
        .await;
    (web.sign_in("chief", PASSWORD).await.unwrap(), token)
}

async fn figures_of_lodged_declarations(web: Web) {
    let (chief, broker) = supervisor_and_broker(&web).await;
    let mut mrns = Vec::new();
    for n in 1..=3 {
        mrns.push(lodge(&web.router, &broker, &format!("SIT-{n}")).await);
    }
    let officer = web.user("officer1", Role::Officer, None).await;
    let view = pay(&web.router, &officer, &mrns[0]).await;
    assert_eq!(
        view["status"], "released",
        "the green sample is released once paid: {view}"
    );
    let now = tamga_store::sql::now();
    let overview = web.store.situation(now).await.unwrap();
    let post = overview.posts.iter().find(|p| p.office == "UZTAS").unwrap();
    assert_eq!((post.today, post.last_hour), (3, 3), "{post:?}");
    assert_eq!(post.green + post.yellow + post.red, 3, "{post:?}");
    assert_eq!(post.releases_today, 1, "{post:?}");
    let median = post.median_release_seconds.unwrap();
    assert!(
        (0..60).contains(&median),
        "released seconds after acceptance: {median}"
    );
    let page = web.get("/situation", &chief).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("data-live-url=\"/situation/events\""));
    assert!(page.body.contains("<a href=\"/situation/UZTAS\">UZTAS</a>"));
    assert!(
        page.body.contains("<path class=\"land\""),
        "the map is drawn"
    );
    let row = page
        .body
        .split("/situation/UZTAS\">UZTAS</a>")
        .nth(1)
        .unwrap();
    assert!(
        row.contains("<td class=\"num\">3</td><td class=\"num\">3</td>"),
        "{row}"
    );
    let detail = web.get("/situation/UZTAS", &chief).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    for mrn in &mrns {
        assert!(detail
            .body
            .contains(&format!("href=\"/declarations/{mrn}\"")));
    }
    assert!(
        detail.body.contains("class=\"bar lodged\""),
        "the hourly chart has a bar"
    );
    let fragment = web.get("/situation/UZTAS/figures", &chief).await;
    assert!(
        fragment.body.starts_with("<p class=\"hint\""),
        "a fragment, not a page"
    );
    let unknown = web.get("/situation/XXXXX", &chief).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sqlite_figures_of_lodged_declarations() {
    figures_of_lodged_declarations(Web::sqlite().await).await;
}

#[tokio::test]
async fn postgres_figures_of_lodged_declarations() {
    figures_of_lodged_declarations(Web::postgres().await).await;
}

#[tokio::test]
async fn only_supervisors_and_administrators_see_it() {
    let web = Web::sqlite().await;
    let roles = [
        ("officer1", Role::Officer, None),
        ("broker", Role::Declarant, Some("UZ305123456")),
        ("analyst1", Role::Analyst, None),
        ("lab1", Role::Lab, None),
    ];
    for (name, role, party) in roles {
        web.user(name, role, party).await;
        let cookie = web.sign_in(name, PASSWORD).await.unwrap();
        for path in [
            "/situation",
            "/situation/figures",
            "/situation/events",
            "/situation/UZTAS",
            "/situation/UZTAS/figures",
        ] {
            let page = web.get(path, &cookie).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{name} {path}");
        }
    }
    web.user("admin1", Role::Admin, None).await;
    let admin = web.sign_in("admin1", PASSWORD).await.unwrap();
    assert_eq!(web.get("/situation", &admin).await.status, StatusCode::OK);
}

/// Opens the event stream of `router` as `cookie`'s user.
async fn subscribe(router: &Router, cookie: &str) -> Body {
    let request = Request::builder()
        .uri("/situation/events")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()[header::CONTENT_TYPE].to_str().unwrap();
    assert!(kind.starts_with("text/event-stream"), "{kind}");
    response.into_body()
}

/// Waits at most `limit` for an `update` event.
async fn update_within(body: &mut Body, limit: Duration) -> bool {
    let mut seen = String::new();
    let wait = async {
        while let Some(Ok(frame)) = body.frame().await {
            if let Some(data) = frame.data_ref() {
                seen.push_str(&String::from_utf8_lossy(data));
            }
            if seen.contains("event: update") {
                return true;
            }
        }
        false
    };
    tokio::time::timeout(limit, wait).await.unwrap_or(false)
}

#[tokio::test]
async fn sqlite_the_stream_tells_of_a_lodgement() {
    let web = Web::sqlite().await;
    let (chief, broker) = supervisor_and_broker(&web).await;
    let mut events = subscribe(&web.router, &chief).await;
    assert!(
        !update_within(&mut events, Duration::from_millis(1500)).await,
        "quiet"
    );
    lodge(&web.router, &broker, "SSE-1").await;
    assert!(update_within(&mut events, Duration::from_secs(2)).await);
}

/// Two servers on one database: the lodgement goes through the second, the supervisor
/// listens to the first.
#[tokio::test]
async fn postgres_the_stream_tells_of_a_lodgement_through_another_server() {
    let web = Web::postgres().await;
    let (chief, broker) = supervisor_and_broker(&web).await;
    let other = web.second_server().await;
    let mut events = subscribe(&web.router, &chief).await;
    lodge(&other, &broker, "SSE-2").await;
    assert!(update_within(&mut events, Duration::from_secs(2)).await);
}
