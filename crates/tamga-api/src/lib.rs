//! The HTTP edge of tamga: an axum router over the core and the store.
//!
//! Handlers extract, call the core or the store, and map the result; every error leaves as an
//! RFC 9457 `application/problem+json` document (see [`error`]). Building the router and
//! serving it are separate so that tests can drive the router directly or bind port 0.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tamga_store::Location;
//! let store = tamga_store::connect(&Location::SqliteDir("./tamga-data".into())).await?;
//! let app = tamga_api::router(tamga_api::AppState::new(store, tamga_api::ApiSettings::default()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! tamga_api::serve(listener, app, std::future::pending()).await?;
//! # Ok(()) }
//! ```

use std::future::Future;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tamga_core::refdata::ReferenceData;
use tamga_store::Store;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub mod access;
mod audit;
pub mod auth;

pub mod cargo;
pub mod commodities;
pub mod control;
pub mod declarations;
mod edifact;
pub mod error;
pub mod extract;
pub mod federation;
pub mod forwarded;
pub mod guard;
mod health;
pub mod limits;
pub mod list;
pub mod lodge;
pub mod metrics;
pub mod openapi;
mod openapi_responses;
pub mod parties;
pub mod posts;
pub mod revenue;
pub mod risk;
mod server;
pub mod shape;
pub mod tokens;
pub mod transit;
pub mod users;
pub mod views;
pub mod wco;

pub use control::files::AttachmentSettings;
pub use server::{serve_with, ServerLimits};

/// Settings of the HTTP edge.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// Largest accepted request body, in bytes (attachments have their own limit).
    pub body_limit: usize,
    /// Where uploaded attachments are kept, and their size limit.
    pub attachments: AttachmentSettings,
    /// What the control tasks opened at acceptance are opened with.
    pub control: tamga_control::task::TaskSettings,
    /// Rate limits on failed authentications and on lodgements.
    pub limits: limits::RateLimits,
    /// Who this node is among its neighbours' nodes, its peers, and the exchange's limits.
    pub federation: federation::FederationSettings,
    /// Transit's recovery period and clock.
    pub transit: transit::TransitSettings,
    /// How border posts' crossings are judged.
    pub posts: posts::PostSettings,
    /// The reverse proxies whose `X-Forwarded-For` names the client (none by default).
    pub trusted_proxies: forwarded::TrustedProxies,
}

impl Default for ApiSettings {
    fn default() -> Self {
        Self {
            body_limit: 2 * 1024 * 1024,
            attachments: AttachmentSettings::default(),
            control: tamga_control::task::TaskSettings::default(),
            limits: limits::RateLimits::default(),
            federation: federation::FederationSettings::default(),
            transit: transit::TransitSettings::default(),
            posts: posts::PostSettings::default(),
            trusted_proxies: forwarded::TrustedProxies::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub reference: &'static ReferenceData,
    pub settings: ApiSettings,
    /// The tariff and exchange rates in force, replaced when new ones are imported.
    pub revenue: revenue::RevenueCell,
    /// The targeting engine in force, replaced when profiles, lists or settings change.
    pub risk: risk::RiskCell,
    /// The rate limiters, shared by every request.
    pub limiters: Arc<limits::Limiters>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("store", &self.store.backend())
            .field("settings", &self.settings)
            .finish()
    }
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, settings: ApiSettings) -> Self {
        Self {
            store,
            reference: ReferenceData::embedded(),
            limiters: Arc::new(limits::Limiters::new(settings.limits)),
            settings,
            revenue: revenue::RevenueCell::default(),
            risk: risk::RiskCell::default(),
        }
    }
}

/// The whole application: every route, with request ids, tracing and the body limit.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The application with `pages` (the web UI's routes) beside the API, under the same layers.
/// The UI's handlers call the API's handlers for their data, so a screen and the API answer
/// the same question the same way.
pub fn router_with(state: AppState, pages: Router<AppState>) -> Router {
    let body_limit = state.settings.body_limit;
    let proxies = Arc::new(state.settings.trusted_proxies.clone());
    let api = Router::new()
        .merge(declarations::router())
        .merge(list::router())
        .merge(commodities::router())
        .merge(auth::router())
        .merge(revenue::router())
        .merge(cargo::router())
        .merge(risk::router())
        .merge(parties::router())
        .merge(control::router())
        .merge(users::router())
        .merge(tokens::router())
        .merge(audit::router())
        .merge(federation::router())
        .merge(transit::router())
        .merge(posts::router())
        .merge(openapi::router());
    Router::new()
        .nest("/api/v1", api)
        .merge(health::router())
        .merge(pages)
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::gate,
        ))
        .route_layer(axum::middleware::from_fn(guard::check_params))
        .with_state(state)
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panicked,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(axum::middleware::from_fn_with_state(
            proxies,
            forwarded::resolve,
        ))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

fn request_span(request: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let client = request
        .extensions()
        .get::<forwarded::ClientIp>()
        .map(|forwarded::ClientIp(ip)| ip.to_string());
    let client = client.as_deref().unwrap_or("-");
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), client = %client, request_id = %id, user = tracing::field::Empty)
}

/// Serves `app` on `listener` with the default [`ServerLimits`] until `shutdown` completes,
/// then drains open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, app, ServerLimits::default(), shutdown).await
}
