//! Bearer-token authentication: `Authorization: Bearer tmg_...`, looked up by its SHA-256.

use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts};
use axum::routing::get;
use axum::{Json, Router};
use tamga_store::{token, User};

use crate::error::{ApiError, Problem};
use crate::AppState;

/// The authenticated user making the request.
#[derive(Debug, Clone)]
pub struct Caller(pub User);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
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
        Ok(Caller(user))
    }
}

/// The caller of an endpoint closed to the laboratory. Lab users see samples and lab reports
/// (`/lab`), reference data (nomenclature, offices, tariff) and the declaration a sample was
/// taken from; never declarations' lists, risk, revenue, notifications, cargo reports, parties,
/// control tasks or attachments. They are refused with 403 before anything else is read, the
/// request body included.
#[derive(Debug, Clone)]
pub struct NotLab(pub User);

impl FromRequestParts<AppState> for NotLab {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Caller(user) = Caller::from_request_parts(parts, state).await?;
        NotLab::check(user)
    }
}

impl NotLab {
    /// The user, unless they are a laboratory user (the web UI's pages use this too).
    pub fn check(user: User) -> Result<NotLab, ApiError> {
        if user.role == tamga_core::role::Role::Lab {
            return Err(ApiError::Forbidden(
                "the laboratory sees samples and lab reports, not this".into(),
            ));
        }
        Ok(NotLab(user))
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
