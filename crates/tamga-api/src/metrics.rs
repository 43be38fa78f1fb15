//! Prometheus metrics: the names every part of tamga records under, the request middleware,
//! and the `/metrics` page. The recorder is process-wide ([`install`]); without it every
//! `metrics` call is a no-op, so tests and commands that never install it pay nothing.
//!
//! Who may read `/metrics`: it is served only on its own listener (`[metrics] listen`), never
//! beside the API. Its figures (declarations accepted per channel and office) tell how often
//! each post sends goods to control, which a trader must not learn; a separate address lets the
//! operator expose it to the monitoring network alone, as is usual for Prometheus scrapes, with
//! no token for Prometheus to hold.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Histogram, seconds, by `route` (the matched route template), `method` and `status`.
pub const REQUEST_SECONDS: &str = "tamga_http_request_duration_seconds";
/// Counter, by `channel` (green, yellow, red, blue) and `office` (UN/LOCODE).
pub const DECLARATIONS_ACCEPTED: &str = "tamga_declarations_accepted_total";
/// Gauge: seconds since the targeting engine in force was built.
pub const ENGINE_SNAPSHOT_AGE: &str = "tamga_engine_snapshot_age_seconds";
/// Gauge: seconds since the latest signed audit checkpoint (absent before the first).
pub const AUDIT_CHECKPOINT_AGE: &str = "tamga_audit_checkpoint_age_seconds";
/// Histogram: writes per SQLite commit (the group commit; SQLite only).
pub const COMMIT_BATCH_SIZE: &str = tamga_store::sqlite::COMMIT_BATCH_SIZE;

/// The label of requests that matched no route (kept as one value, so that scanners cannot
/// make a series per path).
const UNMATCHED: &str = "unmatched";

/// Installs the process-wide Prometheus recorder (once; later calls return the same handle).
pub fn install() -> Result<PrometheusHandle, String> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let seconds = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ];
    let batches = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0];
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.into()), &seconds)
        .and_then(|b| b.set_buckets_for_metric(Matcher::Full(COMMIT_BATCH_SIZE.into()), &batches))
        .and_then(|b| b.install_recorder())
        .map_err(|e| e.to_string())?;
    Ok(HANDLE.get_or_init(|| handle).clone())
}

/// Middleware: times every request and records it under its route template and status.
pub async fn track(matched: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = matched.map_or_else(|| UNMATCHED.to_owned(), |m| m.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(REQUEST_SECONDS, "route" => route, "method" => method, "status" => status)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Counts an accepted declaration.
pub fn accepted(channel: Option<&str>, office: &str) {
    let channel = channel.unwrap_or("none").to_owned();
    metrics::counter!(DECLARATIONS_ACCEPTED, "channel" => channel, "office" => office.to_owned())
        .increment(1);
}

/// The `/metrics` page, for a listener of its own.
pub fn router(state: AppState, handle: PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(page))
        .with_state((state, handle))
}

async fn page(State((state, handle)): State<(AppState, PrometheusHandle)>) -> Response {
    let now = time::OffsetDateTime::now_utc();
    if let Some(built) = state.risk.get().built_at {
        metrics::gauge!(ENGINE_SNAPSHOT_AGE).set(seconds(now - built));
    }
    match state.store.latest_checkpoint().await {
        Ok(Some((at, _))) => metrics::gauge!(AUDIT_CHECKPOINT_AGE).set(seconds(now - at)),
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "cannot read the latest audit checkpoint"),
    }
    let headers = [(
        axum::http::header::CONTENT_TYPE,
        "text/plain; version=0.0.4; charset=utf-8",
    )];
    (headers, handle.render()).into_response()
}

fn seconds(age: time::Duration) -> f64 {
    age.as_seconds_f64().max(0.0)
}
