//! `/users`: the administrator's view of the accounts — roles, whether a web password is set,
//! open web sessions — and ending a user's sessions.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::PathParam;
use crate::views::UserView;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/{id}/sessions/revoke", post(revoke_sessions))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub user: UserView,
    /// Whether a web password is set (API tokens are separate).
    pub has_password: bool,
    /// Whether the password must be changed at the next sign-in.
    pub must_change: bool,
    /// Web sessions neither expired nor revoked.
    pub open_sessions: i64,
}

/// Every account, by name.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, description = "The accounts", body = Vec<AccountView>),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<AccountView>>, ApiError> {
    let users = state.store.users(tamga_store::sql::now()).await?;
    Ok(Json(
        users
            .into_iter()
            .map(|u| AccountView {
                user: UserView::from(u.user),
                has_password: u.has_password,
                must_change: u.must_change,
                open_sessions: u.open_sessions,
            })
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Revoked {
    /// How many sessions were open and are now ended.
    pub revoked: u64,
}

/// End every web session of a user (their API tokens are not affected).
#[utoipa::path(post, path = "/api/v1/users/{id}/sessions/revoke", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "Ended", body = Revoked),
        (status = 400, description = "The user id is not a number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_sessions(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<Revoked>, ApiError> {
    let revoked = state.store.revoke_sessions_of(id, &user.name).await?;
    Ok(Json(Revoked { revoked }))
}
