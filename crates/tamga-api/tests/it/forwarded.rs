//! `[server] trusted_proxies`: behind a trusted proxy, the client address that rate limits
//! count is the right-most untrusted address of `X-Forwarded-For`; an untrusted peer's header
//! changes nothing.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use crate::app::TestApp;

/// A failed authentication from `peer`, forwarded for `forwarded` (if any); the status.
async fn guess(app: &TestApp, peer: &str, forwarded: Option<&str>, n: usize) -> StatusCode {
    let mut request = Request::get("/api/v1/me")
        .header("authorization", format!("Bearer tmg_guess{n}"))
        .body(Body::empty())
        .unwrap();
    let peer: SocketAddr = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    if let Some(xff) = forwarded {
        request
            .headers_mut()
            .insert("x-forwarded-for", xff.parse().unwrap());
    }
    app.router.clone().oneshot(request).await.unwrap().status()
}

async fn limited_app(proxies: &[&str]) -> TestApp {
    let proxies = tamga_api::forwarded::TrustedProxies::parse(proxies).unwrap();
    TestApp::sqlite().await.reconfigured(|s| {
        s.limits.auth_failures_per_minute = 1;
        s.limits.auth_failure_burst = 2;
        s.trusted_proxies = proxies;
    })
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_counted_apart() {
    let app = limited_app(&["10.0.0.0/8"]).await;
    let proxy = "10.0.0.1";
    // The client made up the first address; the proxy appended the one it saw.
    let first = Some("6.6.6.6, 203.0.113.9");
    for n in 0..2 {
        assert_eq!(guess(&app, proxy, first, n).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        guess(&app, proxy, first, 2).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Changing the made-up part does not help: the right-most untrusted address counts.
    let invented = Some("7.7.7.7, 203.0.113.9");
    assert_eq!(
        guess(&app, proxy, invented, 3).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client behind the same proxy has its own budget.
    let other = Some("203.0.113.10");
    assert_eq!(guess(&app, proxy, other, 4).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_untrusted_peer_cannot_choose_its_address() {
    // No proxies trusted (the default): the header is ignored, the peer is counted.
    let app = limited_app(&[]).await;
    let peer = "198.51.100.2";
    for n in 0..2 {
        let xff = format!("203.0.113.{n}");
        assert_eq!(
            guess(&app, peer, Some(&xff), n).await,
            StatusCode::UNAUTHORIZED
        );
    }
    let xff = Some("203.0.113.77");
    assert_eq!(
        guess(&app, peer, xff, 2).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // A peer that is not the trusted proxy, with proxies configured: the same.
    let app = limited_app(&["10.0.0.0/8"]).await;
    for n in 0..2 {
        let xff = format!("203.0.113.{n}");
        assert_eq!(
            guess(&app, peer, Some(&xff), n).await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        guess(&app, peer, xff, 2).await,
        StatusCode::TOO_MANY_REQUESTS
    );
}
