//! The administrator's screen: every account with its role, party, password state and open
//! web sessions, and ending a user's sessions. Data and the change are the API's handlers.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::PathParam;
use tamga_api::users::AccountView;
use tamga_api::AppState;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users))
        .route("/admin/users/{id}/sessions/revoke", post(revoke))
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
