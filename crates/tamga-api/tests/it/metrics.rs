//! `/metrics` names every series the dashboard reads once a declaration is lodged.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::app::{sample, TestApp};
use tamga_api::metrics;

/// The line of `page` for `name` whose labels include every one of `labels`.
fn series<'a>(page: &'a str, name: &str, labels: &[&str]) -> Option<&'a str> {
    page.lines().find(|line| {
        line.strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(['{', ' ']))
            && labels.iter().all(|l| line.contains(l))
    })
}

/// Declarations accepted at UZTAS (the sample's office), over every channel.
fn accepted(page: &str) -> u64 {
    page.lines()
        .filter(|l| l.starts_with(metrics::DECLARATIONS_ACCEPTED))
        .filter(|l| l.contains("office=\"UZTAS\"") && l.contains("channel=\""))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum()
}

async fn scrape(app: &TestApp, handle: metrics_exporter_prometheus::PrometheusHandle) -> String {
    let router = metrics::router(app.state.clone(), handle);
    let request = Request::get("/metrics").body(Body::empty()).unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

async fn every_series_after_a_lodgement(app: TestApp) {
    let handle = metrics::install().unwrap();
    app.state.risk.refresh(&*app.state.store).await.unwrap();
    app.state.store.audit_checkpoint().await.unwrap();
    // The recorder is the process's: count from what it holds already.
    let before = scrape(&app, handle.clone()).await;
    let accepted_before = accepted(&before);
    let lodged = app.lodge(&app.broker, &sample()).await;
    assert_eq!(lodged.status, StatusCode::CREATED, "{:?}", lodged.body);
    let page = scrape(&app, handle).await;
    let bucket = format!("{}_bucket", metrics::REQUEST_SECONDS);
    let request = [
        "route=\"/api/v1/declarations\"",
        "method=\"POST\"",
        "status=\"201\"",
    ];
    assert!(series(&page, &bucket, &request).is_some(), "{page}");
    assert_eq!(accepted(&page), accepted_before + 1, "{page}");
    for name in [metrics::ENGINE_SNAPSHOT_AGE, metrics::AUDIT_CHECKPOINT_AGE] {
        let line = series(&page, name, &[]).unwrap_or_else(|| panic!("{name}: {page}"));
        let age: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
        assert!((0.0..60.0).contains(&age), "{line}");
    }
    if app.state.store.backend() == "sqlite" {
        let batches = format!("{}_count", metrics::COMMIT_BATCH_SIZE);
        assert!(series(&page, &batches, &[]).is_some(), "{page}");
    }
}

#[tokio::test]
async fn sqlite_every_series_after_a_lodgement() {
    every_series_after_a_lodgement(TestApp::sqlite().await).await;
}

#[tokio::test]
async fn postgres_every_series_after_a_lodgement() {
    every_series_after_a_lodgement(TestApp::postgres().await).await;
}

/// The dashboard in the repository reads only series tamga records.
#[test]
fn the_dashboard_reads_the_recorded_names() {
    let dashboard = include_str!("../../../../ops/grafana/tamga.json");
    let known = [
        metrics::REQUEST_SECONDS,
        metrics::DECLARATIONS_ACCEPTED,
        metrics::ENGINE_SNAPSHOT_AGE,
        metrics::AUDIT_CHECKPOINT_AGE,
        metrics::COMMIT_BATCH_SIZE,
    ];
    let mut used = 0;
    for (at, _) in dashboard.match_indices("tamga_") {
        let name: String = dashboard[at..]
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        let base = ["_bucket", "_count", "_sum"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .unwrap_or(&name);
        assert!(
            known.contains(&base),
            "the dashboard reads {name}, which nobody records"
        );
        used += 1;
    }
    assert!(used >= known.len());
}
