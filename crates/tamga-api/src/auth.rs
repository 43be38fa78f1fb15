//! Bearer-token authentication: `Authorization: Bearer tmg_...`, looked up by its SHA-256.

use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts};
use axum::routing::get;
use axum::{Json, Router};
use tamga_store::{token, User};

use crate::error::{ApiError, Problem};
use crate::AppState;

/// The authenticated user making the request, admitted by the access table
/// ([`crate::access`]): the gate authenticates and checks the role before the handler runs
/// and leaves the caller in the request's extensions, where this extractor finds it. Outside
/// the crate a `Caller` is made only by [`crate::access::caller_for`], under the same table.
#[derive(Debug, Clone)]
pub struct Caller(pub(crate) User);

impl Caller {
    /// The user.
    pub fn user(&self) -> &User {
        &self.0
    }

    /// The user of a bearer token (`Authorization: Bearer tmg_...`), failures counted by the
    /// authentication limiter.
    pub(crate) async fn authenticate(parts: &Parts, state: &AppState) -> Result<User, ApiError> {
        let value = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or(ApiError::Unauthorized(
                "send an API token as 'Authorization: Bearer <token>'",
            ))?;
        let presented = value.as_bytes();
        let keys = [
            crate::limits::address_key(crate::limits::client_address(parts)),
            format!("token:{}", token::hash(&String::from_utf8_lossy(presented))),
        ];
        state.limiters.before_auth(&keys)?;
        let failed = |why| {
            state
                .limiters
                .auth_failed(&keys, ApiError::Unauthorized(why))
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| t.starts_with(token::PREFIX))
            .ok_or_else(|| failed("the Authorization header must be 'Bearer tmg_...'"))?;
        let user = state
            .store
            .user_by_token(&token::hash(token))
            .await?
            .ok_or_else(|| failed("the API token is not valid"))?;
        tracing::Span::current().record("user", user.id);
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or_else(|| parts.uri.path(), |uri| uri.path());
        // posts: a gate's token reports crossings and opens nothing else.
        if user.role == tamga_core::role::Role::Post
            && !crate::posts::post_may_ask(&parts.method, path)
        {
            return Err(crate::posts::post_refused());
        }
        Ok(user)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(caller.clone());
        }
        // Only a route the gate let through without a token (a public one) gets here: such
        // a handler has no business asking for a caller, so it is treated as any user's.
        Ok(Caller(Self::authenticate(parts, state).await?))
    }
}

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/me", get(me))
}

/// Who the token belongs to.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = crate::views::UserView),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn me(
    State(_): State<AppState>,
    Caller(user): Caller,
) -> Json<crate::views::UserView> {
    Json(crate::views::UserView::from(user))
}
