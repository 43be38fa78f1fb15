//! The administrator's screen: every account with its role, party, password state and open
//! web sessions, and ending a user's sessions; a user's API tokens and revoking one. Data and
//! the changes are the API's handlers.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::PathParam;
use tamga_api::tokens::TokenView;
use tamga_api::users::AccountView;
use tamga_api::AppState;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users))
        .route("/admin/users/{id}/sessions/revoke", post(revoke))
        .route("/admin/users/{id}/tokens", get(tokens))
        .route(
            "/admin/users/{id}/tokens/{token_id}/revoke",
            post(revoke_token),
        )
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    accounts: Vec<AccountView>,
}

async fn users(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let accounts = tamga_api::users::list(State(state), user.caller()).await;
    let accounts = accounts.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&UsersPage {
        page: Page::new(&user, "users-title", "/admin/users"),
        accounts,
    }))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn revoke(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let done = tamga_api::users::revoke_sessions(State(state), user.caller(), PathParam(id)).await;
    let _ended = done.map_err(|e| WebError::api(user.tr, e))?;
    Ok(Redirect::to("/admin/users").into_response())
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct TokensPage {
    page: Page,
    user_id: i64,
    tokens: Vec<TokenView>,
}

async fn tokens(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let tokens = tamga_api::tokens::list(State(state), user.caller(), PathParam(id)).await;
    let tokens = tokens.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&TokensPage {
        page: Page::new(&user, "tokens-title", "/admin/users"),
        user_id: id,
        tokens,
    }))
}

async fn revoke_token(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, token_id)): Path<(i64, i64)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let ids = PathParam((id, token_id));
    let done = tamga_api::tokens::revoke(State(state), user.caller(), ids).await;
    let _revoked = done.map_err(|e| WebError::api(user.tr, e))?;
    Ok(Redirect::to(&format!("/admin/users/{id}/tokens")).into_response())
}
