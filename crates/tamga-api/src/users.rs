//! `/users`: the administrator's view of the accounts — roles, whether a web password is set,
//! open web sessions — creating an account, changing its role, and ending a user's sessions.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tamga_core::account;
use tamga_core::role::Role;
use tamga_store::{token, NewUser};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::views::UserView;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{id}/role", put(set_role))
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

/// A new account: a name, a role, and the party a declarant acts for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    #[schema(example = "broker2")]
    pub name: String,
    pub role: Role,
    /// The party (TIN or EORI) a declarant acts for; absent for every other role.
    #[schema(example = "UZ305123456")]
    pub party_id: Option<String>,
}

/// The account made, with its first API token: the secret is in this answer and nowhere else.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedAccount {
    pub user: UserView,
    /// `tmg_...`: send it as `Authorization: Bearer <token>`.
    pub token: String,
}

/// Create an account with its first API token. A web password is set separately.
#[utoipa::path(post, path = "/api/v1/users", operation_id = "create_user", tag = "users", security(("bearer" = [])),
    request_body = NewAccount,
    responses(
        (status = 201, description = "Created; the token is shown only now", body = CreatedAccount),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every problem of the account", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(account): JsonBody<NewAccount>,
) -> Result<(StatusCode, Json<CreatedAccount>), ApiError> {
    let party = account.party_id.as_deref();
    account::check_given(Some(&account.name), account.role, party).map_err(ApiError::Invalid)?;
    let secret = token::generate();
    let new = NewUser {
        name: account.name,
        role: account.role,
        party_id: account.party_id,
        token_hash: token::hash(&secret),
    };
    let created = state.store.create_user_as(new, &user.name).await?;
    let answer = CreatedAccount {
        user: created.into(),
        token: secret,
    };
    Ok((StatusCode::CREATED, Json(answer)))
}

/// A user's new role, and the party when the role is declarant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
    #[schema(example = "UZ305123456")]
    pub party_id: Option<String>,
}

/// Change a user's role (and party). It applies to the user's next request, on every server,
/// through their tokens and web sessions alike; it is recorded in the audit log.
#[utoipa::path(put, path = "/api/v1/users/{id}/role", operation_id = "set_user_role", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = RoleChange,
    responses(
        (status = 200, description = "The account as it is now", body = UserView),
        (status = 400, description = "The user id is not a number", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Administrators only, and not on their own account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every problem of the change", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_role(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(change): JsonBody<RoleChange>,
) -> Result<Json<UserView>, ApiError> {
    if id == user.id {
        // An administrator who demotes themselves may leave nobody to undo it.
        return Err(ApiError::Forbidden(
            "an administrator cannot change their own role".into(),
        ));
    }
    let party = change.party_id.as_deref();
    account::check_role(change.role, party).map_err(ApiError::Invalid)?;
    let accounts = state.store.users(tamga_store::sql::now()).await?;
    let target = accounts.iter().find(|a| a.user.id == id);
    if target.is_some_and(|a| a.user.role == Role::Post) {
        let message = "a post's gate account keeps its role; make a new account instead";
        return Err(ApiError::Invalid(vec![tamga_core::FieldError::new(
            "/role",
            "not_allowed",
            message,
        )]));
    }
    let changed = state
        .store
        .set_role(id, change.role, party, &user.name)
        .await?;
    let changed = changed.ok_or_else(|| ApiError::NotFound(format!("no user with id {id}")))?;
    Ok(Json(changed.into()))
}
