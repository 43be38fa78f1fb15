//! Intelligent border posts over HTTP: the gate equipment of a post (a `post` account bound to
//! its office) reports crossings; customs staff read them with their matches and alerts.
//!
//! | action | declarant | officer | analyst | lab | supervisor | admin | post |
//! |---|---|---|---|---|---|---|---|
//! | report a crossing (`POST /crossings`) | | | | | | | at its office |
//! | read crossings and their alerts | | own offices | ✓ | | own offices | ✓ | |
//!
//! A `post` account may do nothing else: [`crate::auth::Caller`] refuses it every other
//! request with 403 before the handler runs ([`post_may_ask`]). An officer's offices are those
//! of their roster sections ([`crate::control::offices_of`]).

use axum::http::Method;
use axum::routing::{get, post};
use axum::Router;
use rust_decimal::Decimal;
use tamga_core::role::Role;
use tamga_store::User;

use crate::error::ApiError;
use crate::AppState;

pub mod crossings;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/crossings", post(crossings::report).get(crossings::list))
        .route("/crossings/{id}", get(crossings::one))
}

/// How crossings are judged (`[posts]` in the settings).
#[derive(Debug, Clone)]
pub struct PostSettings {
    /// How far (percent) the load weighed may stray from the declared gross mass.
    pub weight_tolerance_percent: Decimal,
    /// Days a declaration, transit movement or cargo report stays expected at a post.
    pub expected_days: u32,
}

impl Default for PostSettings {
    fn default() -> Self {
        Self {
            weight_tolerance_percent: Decimal::TEN,
            expected_days: 30,
        }
    }
}

/// Whether a `post` account may make this request: only reporting a crossing. The path is
/// the one the API's router sees, with or without its `/api/v1` prefix.
pub fn post_may_ask(method: &Method, path: &str) -> bool {
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    method == Method::POST && path.trim_end_matches('/') == "/crossings"
}

/// The 403 of a post account asking for anything else.
pub fn post_refused() -> ApiError {
    ApiError::Forbidden(
        "a post's gate equipment reports crossings (POST /api/v1/crossings) and nothing else"
            .into(),
    )
}

/// Which offices' crossings `user` may read: `None` for all (analysts, administrators), or
/// their roster offices (officers, supervisors); 403 for everyone else.
pub async fn readable_offices(
    state: &AppState,
    user: &User,
) -> Result<Option<Vec<String>>, ApiError> {
    match user.role {
        Role::Analyst | Role::Admin => Ok(None),
        Role::Officer | Role::Supervisor => {
            let offices = crate::control::offices_of(state, user).await?;
            Ok(Some(
                offices.iter().map(|o| o.as_str().to_owned()).collect(),
            ))
        }
        _ => Err(ApiError::Forbidden(
            "crossings are for customs staff of the post's office".into(),
        )),
    }
}
