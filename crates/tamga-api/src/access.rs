//! The gate in front of every API endpoint: the core's access table
//! ([`tamga_core::role::rules`]), keyed by the matched route and method.
//!
//! [`gate`] is a route layer over the whole router. For a route under `/api/` it finds the
//! route's rule; an endpoint without one is refused to everybody (so a new endpoint is closed
//! until the table names who may call it). A public endpoint passes without a token; otherwise
//! the caller is authenticated once, refused with 403 if the table does not admit its role —
//! before the handler reads anything, its body included — and handed to the handler as its
//! [`Caller`]. The web UI calls handlers directly, not through the router, and gets its
//! `Caller` from [`caller_for`], which asks the same table by the same key.

use axum::extract::{MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tamga_core::role::rules::{self, Access};
use tamga_store::User;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

/// The route layer that applies the access table to every API request.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(path) = request.extensions().get::<MatchedPath>().cloned() else {
        return next.run(request).await;
    };
    if !path.as_str().starts_with("/api/") {
        return next.run(request).await; // the web UI's pages and the probes: not the API
    }
    // axum answers HEAD with the GET handler, so HEAD passes the GET gate.
    let method = match request.method().as_str() {
        "HEAD" => "GET".to_owned(),
        other => other.to_owned(),
    };
    let Some(access) = rules::access(&method, path.as_str()) else {
        if routed_for_other_methods(path.as_str()) {
            // A method the route does not take: no handler runs, the router answers 405.
            return next.run(request).await;
        }
        tracing::error!(%method, path = path.as_str(), "an endpoint without an access rule");
        return ApiError::Forbidden(format!(
            "{method} {} has no access rule, so nobody may call it",
            path.as_str()
        ))
        .into_response();
    };
    if !access.needs_token() {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    match admit(&parts, &state, &method, path.as_str(), access).await {
        Ok(caller) => {
            parts.extensions.insert(caller);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(refused) => refused.into_response(),
    }
}

/// Whether the route has rows for some method (the access test keeps rows and routes equal).
fn routed_for_other_methods(path: &str) -> bool {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .any(|m| rules::access(m, path).is_some())
}

async fn admit(
    parts: &Parts,
    state: &AppState,
    method: &str,
    path: &str,
    access: Access,
) -> Result<Caller, ApiError> {
    let user = Caller::authenticate(parts, state).await?;
    check(user, method, path, access)
}

fn check(user: User, method: &str, path: &str, access: Access) -> Result<Caller, ApiError> {
    if access.allows(user.role) {
        Ok(Caller(user))
    } else {
        Err(ApiError::Forbidden(format!(
            "the role {} may not call {method} {path}",
            user.role.as_str()
        )))
    }
}

/// The caller of the endpoint named by `key` (`"GET /api/v1/risk/profiles"`), if the access
/// table admits `user`'s role to it: how the web UI calls a handler under the API's rules.
pub fn caller_for(user: User, key: &str) -> Result<Caller, ApiError> {
    let (method, path) = key.split_once(' ').unwrap_or((key, ""));
    match rules::access(method, path) {
        Some(access) => check(user, method, path, access),
        None => Err(ApiError::Forbidden(format!(
            "{key} has no access rule, so nobody may call it"
        ))),
    }
}

/// Whether `user` may call the endpoint named by `key`: what a page asks before offering a
/// button whose request it would otherwise see refused.
pub fn may(user: &User, key: &str) -> bool {
    rules::allows(key, user.role)
}
