//! The federation over HTTP: signed messages between the tamga nodes of neighbouring
//! administrations. `inbox` receives them (authenticated by signature alone, so it takes no
//! bearer token), `outbox` delivers what this node queued, `alerts` is the analysts' view of
//! high-risk consignment alerts and their feedback, `movements` carries transit movements
//! between administrations, `node` says who this node is.
//!
//! | action | declarant | officer | analyst | lab | supervisor | admin |
//! |---|---|---|---|---|---|---|
//! | send an alert, give feedback | | | ✓ | | | ✓ |
//! | read alerts sent and received, a received envelope | | ✓ | ✓ | | ✓ | ✓ |
//! | read the inbox's refusals and the outbox | | | | | ✓ | ✓ |
//! | read movements announced by other administrations | | ✓ | ✓ | | ✓ | ✓ |
//! | report arrival, control results or an enquiry's reply at one's own office | | ✓ | | | ✓ | |
//!
//! Sending and feedback follow the targeting center's rule in the access table, reading
//! follows its rule for risk information.

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use tamga_core::FieldError;
use tamga_federation::inbox::{Peer, Policy};

use crate::error::ApiError;
use crate::AppState;

pub mod alerts;
pub mod inbox;
pub mod movements;
pub mod node;
pub mod outbox;

/// The federation's settings: who this node is, its peers, and the inbox's and outbox's
/// limits. With no `country` the node takes part in no federation.
#[derive(Debug, Clone)]
pub struct FederationSettings {
    /// This node's country code (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    pub peers: Vec<Peer>,
    /// How far a message's `sent_at` may lie from this node's clock, either way.
    pub window: time::Duration,
    /// Largest message the inbox accepts, in bytes.
    pub max_message_bytes: usize,
    /// The first retry's delay; each further one doubles, up to `retry_max`.
    pub retry_base: std::time::Duration,
    pub retry_max: std::time::Duration,
    /// How often the outbox looks for due messages when it has nothing to do.
    pub poll: std::time::Duration,
    /// How long one delivery attempt may take.
    pub timeout: std::time::Duration,
}

impl Default for FederationSettings {
    fn default() -> Self {
        Self {
            country: None,
            peers: Vec::new(),
            window: time::Duration::minutes(10),
            max_message_bytes: 64 * 1024,
            retry_base: std::time::Duration::from_secs(2),
            retry_max: std::time::Duration::from_secs(600),
            poll: std::time::Duration::from_secs(1),
            timeout: std::time::Duration::from_secs(15),
        }
    }
}

impl FederationSettings {
    /// The inbox's policy, when this node has a country.
    pub fn policy(&self) -> Option<Policy> {
        Some(Policy {
            me: self.country.clone()?,
            window: self.window,
            max_bytes: self.max_message_bytes,
        })
    }

    pub fn peer(&self, country: &str) -> Option<&Peer> {
        self.peers.iter().find(|p| p.country == country)
    }

    /// The delay before attempt `attempts + 1`, after `attempts` failed ones.
    pub fn backoff(&self, attempts: i64) -> std::time::Duration {
        let exponent = u32::try_from(attempts.clamp(0, 30)).unwrap_or(30);
        let delay = self
            .retry_base
            .saturating_mul(2u32.saturating_pow(exponent));
        delay.min(self.retry_max)
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/federation/node", get(node::node))
        .route("/federation/inbox", post(inbox::receive))
        .route("/federation/refusals", get(node::refusals))
        .route("/federation/outbox", get(node::outbox))
        .route(
            "/federation/messages/{sender}/{id}",
            get(node::received_envelope),
        )
        .route("/federation/alerts", post(alerts::send))
        .route("/federation/alerts/sent", get(alerts::sent))
        .route("/federation/alerts/received", get(alerts::received))
        .route(
            "/federation/alerts/received/{sender}/{id}/feedback",
            post(alerts::feedback),
        )
        .route("/federation/movements", get(movements::list))
        .route(
            "/federation/movements/{mrn}/arrival",
            post(movements::arrival),
        )
        .route(
            "/federation/movements/{mrn}/control-results",
            post(movements::control_results),
        )
        .route(
            "/federation/movements/{mrn}/enquiry-reply",
            post(movements::enquiry_reply),
        )
}

/// This node's country, or 404 when it takes part in no federation (there is no federation
/// endpoint to speak of).
pub(crate) fn country(state: &AppState) -> Result<String, ApiError> {
    state
        .settings
        .federation
        .country
        .clone()
        .ok_or_else(|| ApiError::NotFound("this node takes part in no federation".into()))
}

/// A fresh message id: this node's country, the time in milliseconds and 64 random bits.
pub(crate) fn new_id(country: &str) -> String {
    let now = time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
    format!("{country}-{now}-{:016x}", rand::random::<u64>())
}

/// A 422 naming every invalid field.
pub(crate) fn invalid(detail: &str, errors: Vec<FieldError>) -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        detail: detail.to_owned(),
        errors,
    }
}
