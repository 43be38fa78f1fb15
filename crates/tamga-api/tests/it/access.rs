//! The access table (`tamga_core::role::rules`) against the router it guards: every route the
//! router serves under `/api/` has a rule and every rule a route; the OpenAPI document lists
//! every one of those routes but its own; and every route × every role is answered 403
//! exactly when the table says no.

use std::collections::{BTreeSet, HashMap};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use tamga_core::role::rules::{self, Access};
use tamga_core::role::Role;

use crate::app::TestApp;
use crate::control::post;

on_both_backends!(every_route_every_role);

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// Every (method, route template) the router serves, read from its `Debug` rendering (axum
/// has no other way to list routes): the route ids with their paths, and each id's method
/// router with the methods that have a handler. The router is the one the server runs.
pub fn router_routes(router: &axum::Router) -> BTreeSet<(String, String)> {
    let text = format!("{router:?}");
    let main = text
        .split_once("fallback_router:")
        .map_or(text.as_str(), |(main, _)| main);
    let (routes, node) = main
        .split_once("node: Node")
        .expect("the router's Debug shape");
    // `RouteId(7): "/api/v1/declarations"` in the node's paths.
    let paths: HashMap<&str, &str> = node
        .split("RouteId(")
        .skip(1)
        .filter_map(|chunk| {
            let (id, rest) = chunk.split_once(')')?;
            let path = rest.strip_prefix(": \"")?.split('"').next()?;
            Some((id, path))
        })
        .collect();
    // `RouteId(7): MethodRouter(MethodRouter { get: Route, head: None, ... })` in the routes.
    let mut found = BTreeSet::new();
    for chunk in routes.split("RouteId(").skip(1) {
        let Some((id, rest)) = chunk.split_once(')') else {
            continue;
        };
        if !rest.starts_with(": MethodRouter(") {
            continue;
        }
        let path = paths[id];
        for method in METHODS {
            let served = rest.contains(&format!("{method}: Route"))
                || rest.contains(&format!("{method}: BoxedHandler"));
            if served {
                found.insert((method.to_uppercase(), path.to_owned()));
            }
        }
    }
    found
}

/// The (method, path) pairs the OpenAPI document the router serves lists.
async fn documented(app: &TestApp) -> BTreeSet<(String, String)> {
    let doc = app.get("/api/v1/openapi.json", "").await.body;
    let mut found = BTreeSet::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if operations.get(method).is_some() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

fn api(routes: &BTreeSet<(String, String)>) -> BTreeSet<(String, String)> {
    routes
        .iter()
        .filter(|(_, p)| p.starts_with("/api/"))
        .cloned()
        .collect()
}

#[tokio::test]
async fn every_route_has_a_rule_and_every_rule_a_route() {
    let app = TestApp::sqlite().await;
    let served = api(&router_routes(&app.router));
    assert!(served.len() > 100, "too few routes read: {served:?}");
    let unruled: Vec<_> = served
        .iter()
        .filter(|(m, p)| rules::access(m, p).is_none())
        .collect();
    assert!(
        unruled.is_empty(),
        "routes without an access rule: {unruled:?}"
    );
    let stale: Vec<_> = rules::RULES
        .iter()
        .map(|(key, _)| key.split_once(' ').unwrap())
        .filter(|(m, p)| !served.contains(&(m.to_string(), p.to_string())))
        .collect();
    assert!(stale.is_empty(), "rules without a route: {stale:?}");
}

#[tokio::test]
async fn the_document_lists_every_route_but_itself() {
    let app = TestApp::sqlite().await;
    let served = router_routes(&app.router);
    let mut expected = served.clone();
    expected.remove(&("GET".into(), "/api/v1/openapi.json".into()));
    expected.retain(|(_, p)| p.starts_with("/api/") || p == "/healthz" || p == "/readyz");
    assert_eq!(documented(&app).await, expected);
}

/// A route template with its parameters filled in with values that name nothing, so an
/// admitted caller gets past the gate to a 404 or a 4xx about its input.
fn concrete(path: &str) -> String {
    path.replace("{mrn}", "26UZTAS000000009X0")
        .replace("{code}", "8471300000")
        .replace("{sha256}", &"0".repeat(64))
        .replace("{sender}", "KZ")
        .replace("{grn}", "26UZ0000000000000")
        .replace("{number}", "UZTAS-2026-999999")
        .replace("{name}", "nothing")
        .replace("{id}", "999999")
        .replace("{hold}", "999999")
        .replace("{token_id}", "999999")
        .replace("{mandate}", "999999")
}

async fn every_route_every_role(app: TestApp) {
    let p = post(&app).await;
    let roles = [
        (Role::Declarant, app.broker.clone()),
        (Role::Officer, app.officer.clone()),
        (Role::Analyst, app.analyst.clone()),
        (Role::Lab, p.lab.clone()),
        (Role::Supervisor, p.supervisor.clone()),
        (Role::Admin, p.admin.clone()),
    ];
    let served = api(&router_routes(&app.router));
    for (method, path) in &served {
        let access = rules::access(method, path).unwrap();
        let uri = concrete(path);
        let method: Method = method.parse().unwrap();
        let body = || match method {
            Method::GET => (None, Body::empty()),
            _ => (Some("application/json"), Body::from("{}")),
        };
        let (ct, b) = body();
        let (status, _, bytes) = app.exchange(method.clone(), &uri, None, ct, b).await;
        let anonymous = if access.needs_token() {
            status == StatusCode::UNAUTHORIZED
        } else {
            status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN
        };
        assert!(anonymous, "no token {method} {uri}: {status} {bytes:?}");
        if access == Access::Public {
            continue;
        }
        for (role, token) in &roles {
            let (ct, b) = body();
            let (status, _, bytes) = app.exchange(method.clone(), &uri, Some(token), ct, b).await;
            let refused = status == StatusCode::FORBIDDEN;
            assert_eq!(
                refused,
                !access.allows(*role),
                "{role:?} {method} {uri}: {status} {}",
                String::from_utf8_lossy(&bytes)
            );
            assert!(
                status.is_client_error() || status.is_success(),
                "{role:?} {method} {uri}: {status}"
            );
        }
    }
}

/// A route added without a row in the table is refused to everybody, administrators
/// included, before its handler runs.
#[tokio::test]
async fn a_route_without_a_rule_is_closed_to_everybody() {
    let app = TestApp::sqlite().await;
    let admin = app.user("root", Role::Admin, None).await;
    let extra = axum::Router::new().route(
        "/api/v1/unruled",
        axum::routing::get(|| async { "the handler ran" }),
    );
    let router = tamga_api::router_with(app.state.clone(), extra);
    assert!(router_routes(&router).contains(&("GET".into(), "/api/v1/unruled".into())));
    let request = axum::http::Request::get("/api/v1/unruled")
        .header("authorization", format!("Bearer {admin}"))
        .body(Body::empty())
        .unwrap();
    let answer = tower::ServiceExt::oneshot(router, request).await.unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let user = tamga_store::User {
        id: 1,
        name: "root".into(),
        role: Role::Admin,
        party_id: None,
    };
    let refused = tamga_api::access::caller_for(user, "GET /api/v1/unruled").unwrap_err();
    assert!(refused.to_string().contains("no access rule"), "{refused}");
}
