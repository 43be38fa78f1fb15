//! Transit over HTTP (NCTS phase 5): movements opened by TR declarations and their steps
//! (`movements`), the customs staff's transit view — movements by office and state, overdue
//! movements, seal discrepancies, the overdue sweep (`view`) — and guarantee accounts with the
//! holder's balance query (`guarantees`). The state machine and who may take a step are
//! `tamga_core::transit`'s; the store applies them under a lock on the movement.
//!
//! | action | declarant | officer | analyst | lab | supervisor | admin |
//! |---|---|---|---|---|---|---|
//! | see movements | own | ✓ | ✓ | | ✓ | ✓ |
//! | take a step | holder's steps on own | at own office | | | at own office | |
//! | transit view (offices, overdue, discrepancies) | | ✓ | ✓ | | ✓ | ✓ |
//! | run the overdue sweep | | | | | ✓ | ✓ |
//! | open a guarantee account | | | | | | ✓ |
//! | read a guarantee's balance | with its access code | ✓ | ✓ | | ✓ | ✓ |
//!
//! An officer's offices are those of the roster sections they belong to
//! ([`crate::control::offices_of`]).

use std::sync::Arc;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use tamga_core::FieldError;
use time::{Duration, OffsetDateTime};

use crate::error::ApiError;
use crate::AppState;

pub mod guarantees;
pub(crate) mod lodge;
pub mod movements;
pub mod view;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/transit/movements", get(view::list))
        .route("/transit/movements/{mrn}", get(movements::one))
        .route("/transit/movements/{mrn}/steps", post(movements::step))
        .route("/transit/overdue", get(view::overdue))
        .route("/transit/discrepancies", get(view::discrepancies))
        .route("/transit/sweep", post(view::sweep))
        .route("/transit/guarantees", post(guarantees::create))
        .route("/transit/guarantees/{grn}", get(guarantees::balance))
}

/// What transit runs with: the recovery period after an enquiry, and the clock (a test sets
/// its own to pass a time limit).
#[derive(Clone)]
pub struct TransitSettings {
    /// How long an enquiry stands before recovery starts (NCTS: seven months).
    pub recovery_after: Duration,
    pub clock: Clock,
}

impl Default for TransitSettings {
    fn default() -> Self {
        Self {
            recovery_after: Duration::days(213),
            clock: Clock::default(),
        }
    }
}

impl std::fmt::Debug for TransitSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransitSettings")
            .field("recovery_after", &self.recovery_after)
            .field("clock", &self.clock)
            .finish()
    }
}

/// The time transit's steps and sweep take as "now".
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>);

impl Default for Clock {
    fn default() -> Self {
        Self(Arc::new(OffsetDateTime::now_utc))
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Clock").field(&self.now()).finish()
    }
}

impl Clock {
    /// A clock `offset` ahead of the real one.
    pub fn shifted(offset: Duration) -> Self {
        Self(Arc::new(move || OffsetDateTime::now_utc() + offset))
    }

    pub fn now(&self) -> OffsetDateTime {
        (self.0)()
    }
}

/// The 404 of an MRN no movement has (or one a trader may not see), as NCTS answers an
/// unknown MRN.
pub(crate) fn unknown_mrn(mrn: &str) -> ApiError {
    let message = format!("unknown MRN {mrn}: no transit movement has this MRN");
    ApiError::BadRequest {
        status: StatusCode::NOT_FOUND,
        detail: message.clone(),
        errors: vec![FieldError::new("/path/mrn", "unknown_mrn", message)],
    }
}
