//! `/users/{id}/tokens`: an administrator lists a user's API tokens (never a secret), issues a
//! new one (its secret shown once) and revokes one. Tokens are looked up in the database on
//! every request, so a revoked token is answered 401 at once by every server.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use tamga_store::token::{self, Revocation, TokenInfo};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::PathParam;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/users/{id}/tokens", get(list).post(issue))
        .route("/users/{id}/tokens/{token_id}/revoke", post(revoke))
}

/// An API token as an administrator sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub user_id: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    /// When it was revoked; absent while it is in force.
    #[serde(
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<OffsetDateTime>,
    /// Who revoked it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<String>,
}

impl From<TokenInfo> for TokenView {
    fn from(t: TokenInfo) -> Self {
        Self {
            id: t.id,
            user_id: t.user_id,
            created_at: t.created_at,
            revoked_at: t.revoked_at,
            revoked_by: t.revoked_by,
        }
    }
}

/// A new token: its secret is in this answer and nowhere else.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    #[serde(flatten)]
    pub info: TokenView,
    /// `tmg_...`: send it as `Authorization: Bearer <token>`.
    pub token: String,
}

fn no_user(id: i64) -> ApiError {
    ApiError::NotFound(format!("no user with id {id}"))
}

/// A user's API tokens, oldest first, revoked ones included.
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", operation_id = "list_tokens", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The tokens", body = Vec<TokenView>),
        (status = 400, description = "The user id is not a number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _: Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    let tokens = state
        .store
        .tokens_of(id)
        .await?
        .ok_or_else(|| no_user(id))?;
    Ok(Json(tokens.into_iter().map(TokenView::from).collect()))
}

/// Issue a new API token to a user (recorded in the audit log); its secret is shown only in
/// this answer.
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", operation_id = "issue_token", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 201, description = "Issued", body = IssuedToken),
        (status = 400, description = "The user id is not a number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    PathParam(id): PathParam<i64>,
) -> Result<(StatusCode, Json<IssuedToken>), ApiError> {
    let secret = token::generate();
    let by = &caller.0.name;
    let info = state
        .store
        .issue_token(id, &token::hash(&secret), by)
        .await?;
    let info = info.ok_or_else(|| no_user(id))?;
    let issued = IssuedToken {
        info: info.into(),
        token: secret,
    };
    Ok((StatusCode::CREATED, Json(issued)))
}

/// Revoke one of a user's API tokens (recorded in the audit log): every server answers it 401
/// from now on. Revoking a revoked token changes nothing and answers its revocation.
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens/{token_id}/revoke", operation_id = "revoke_token", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id"), ("token_id" = i64, Path, description = "Token id")),
    responses(
        (status = 200, description = "Revoked (now or before)", body = TokenView),
        (status = 400, description = "An id is not a number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The user has no such token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    PathParam((id, token_id)): PathParam<(i64, i64)>,
) -> Result<Json<TokenView>, ApiError> {
    match state
        .store
        .revoke_token(id, token_id, &caller.0.name)
        .await?
    {
        Revocation::Revoked(info) | Revocation::AlreadyRevoked(info) => Ok(Json(info.into())),
        Revocation::NotFound => Err(ApiError::NotFound(format!(
            "user {id} has no token with id {token_id}"
        ))),
    }
}
