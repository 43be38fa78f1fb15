//! The administrator's screens: every account with its role, party, password state and open
//! web sessions, and ending a user's sessions; the customs offices tamga knows. Account changes
//! (creating a user, a role, API tokens) are in `accounts`. Data and the changes are the API's handlers.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::PathParam;
use tamga_api::users::AccountView;
use tamga_api::AppState;
use tamga_core::role::Role;

use crate::accounts::AccountForm;
use crate::error::WebError;
use crate::page::{render, Page};
use crate::problems::Problems;
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users))
        .route("/admin/users/{id}/sessions/revoke", post(revoke))
        .route("/admin/offices", get(offices))
}

#[derive(Template)]
#[template(path = "admin/users.html")]
pub(crate) struct UsersPage {
    pub page: Page,
    pub accounts: Vec<AccountView>,
    pub roles: &'static [Role],
    pub form: AccountForm,
    pub problems: Problems,
}

async fn users(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    crate::accounts::users_page(state, &user, AccountForm::default(), Problems::default()).await
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
    let done = tamga_api::users::revoke_sessions(
        State(state),
        user.caller_for("POST /api/v1/users/{id}/sessions/revoke")?,
        PathParam(id),
    )
    .await;
    let _ended = done.map_err(|e| WebError::api(user.tr, e))?;
    Ok(Redirect::to("/admin/users").into_response())
}

#[derive(Debug, Default, Deserialize)]
struct OfficeFilter {
    #[serde(default)]
    country: String,
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "admin/offices.html")]
struct OfficesPage {
    page: Page,
    countries: Vec<String>,
    offices: Vec<tamga_core::refdata::Office>,
    filter: OfficeFilter,
}

/// The customs offices (reference data compiled into tamga from UN/LOCODE), by country and by
/// a part of their code or name.
async fn offices(
    State(state): State<AppState>,
    user: WebUser,
    Query(filter): Query<OfficeFilter>,
) -> Result<Response, WebError> {
    let all = tamga_api::commodities::offices(State(state)).await.0;
    let mut countries: Vec<String> = all.iter().map(|o| o.country.clone()).collect();
    countries.dedup();
    countries.sort();
    countries.dedup();
    let q = filter.q.trim().to_lowercase();
    let offices = all
        .into_iter()
        .filter(|o| filter.country.is_empty() || o.country == filter.country)
        .filter(|o| {
            q.is_empty() || o.code.to_lowercase().contains(&q) || o.name.to_lowercase().contains(&q)
        })
        .collect();
    Ok(render(&OfficesPage {
        page: Page::new(&user, "offices-title", "/admin/offices"),
        countries,
        offices,
        filter,
    }))
}
