//! The administrator's changes to accounts: creating a user (with its first API token shown
//! once, and an initial web password to be changed at the first sign-in), a user's page with
//! their role and API tokens, changing the role, issuing and revoking a token. Every rule is
//! the API handler's; this module only turns forms into its requests and its answers into pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::tokens::TokenView;
use tamga_api::users::{AccountView, NewAccount, RoleChange};
use tamga_api::AppState;
use tamga_core::role::Role;

use crate::error::WebError;
use crate::page::{render, render_status, Page};
use crate::password;
use crate::problems::Problems;
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users/new", post(create))
        .route("/admin/users/{id}/tokens", get(user_page).post(issue))
        .route("/admin/users/{id}/role", post(change_role))
        .route(
            "/admin/users/{id}/tokens/{token_id}/revoke",
            post(revoke_token),
        )
}

/// The new-user form as typed; kept when it is refused.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct AccountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    password: String,
}

impl AccountForm {
    /// The form's role, or a problem at `/role` naming what was chosen.
    fn role(&self) -> Result<Role, Problems> {
        Role::parse(&self.role)
            .ok_or_else(|| Problems::one("/role", "invalid", format!("{:?}", self.role)))
    }

    fn party(&self) -> Option<String> {
        let party = self.party.trim();
        (!party.is_empty()).then(|| party.to_owned())
    }
}

/// The users page with the new-user form as typed and its problems.
pub(crate) async fn users_page(
    state: AppState,
    user: &WebUser,
    form: AccountForm,
    problems: Problems,
) -> Result<Response, WebError> {
    let accounts =
        tamga_api::users::list(State(state), user.caller_for("GET /api/v1/users")?).await;
    let accounts = accounts.map_err(|e| WebError::api(user.tr, e))?.0;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = crate::admin::UsersPage {
        page: Page::new(user, "users-title", "/admin/users"),
        accounts,
        roles: tamga_core::account::ASSIGNABLE,
        form,
        problems,
    };
    Ok(render_status(status, &page))
}

#[derive(Template)]
#[template(path = "admin/created.html")]
struct CreatedPage {
    page: Page,
    account: tamga_api::views::UserView,
    token: String,
    password_set: bool,
}

async fn create(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let role = match form.role() {
        Ok(role) => role,
        Err(problems) => return users_page(state, &user, form, problems).await,
    };
    let initial = form.password.clone();
    if let Some(refusal) = (!initial.is_empty())
        .then(|| password::policy(&form.name, &initial))
        .flatten()
    {
        let problems = Problems::one("/password", "policy", user.tr.get(refusal));
        return users_page(state, &user, form, problems).await;
    }
    let request = NewAccount {
        name: form.name.clone(),
        role,
        party_id: form.party(),
    };
    let created = tamga_api::users::create(
        State(state.clone()),
        user.caller_for("POST /api/v1/users")?,
        JsonBody(request),
    );
    let created = match created.await {
        Ok((_, created)) => created.0,
        Err(e) => {
            let problems = Problems::of(e, user.tr)?;
            return users_page(state, &user, form, problems).await;
        }
    };
    if !initial.is_empty() {
        let hash = password::hash(&initial).map_err(|e| WebError::internal(user.tr, e))?;
        let name = &created.user.name;
        let set = state.store.set_password(name, &hash, true).await;
        set.map_err(|e| WebError::internal(user.tr, e))?;
    }
    Ok(render(&CreatedPage {
        page: Page::new(&user, "users-created-title", "/admin/users"),
        account: created.user,
        token: created.token,
        password_set: !initial.is_empty(),
    }))
}

#[derive(Template)]
#[template(path = "admin/tokens.html")]
struct UserPage {
    page: Page,
    account: AccountView,
    tokens: Vec<TokenView>,
    roles: &'static [Role],
    form: AccountForm,
    problems: Problems,
    /// A token just issued: its secret, shown this once.
    issued: Option<String>,
}

/// One user's page: their role (and the form to change it) and their API tokens.
async fn user_page_with(
    state: AppState,
    user: &WebUser,
    id: i64,
    form: Option<AccountForm>,
    problems: Problems,
    issued: Option<String>,
) -> Result<Response, WebError> {
    let accounts =
        tamga_api::users::list(State(state.clone()), user.caller_for("GET /api/v1/users")?).await;
    let accounts = accounts.map_err(|e| WebError::api(user.tr, e))?.0;
    let account = accounts.into_iter().find(|a| a.user.id == id);
    let account = account.ok_or_else(|| WebError::not_found(user.tr))?;
    let tokens = tamga_api::tokens::list(
        State(state),
        user.caller_for("GET /api/v1/users/{id}/tokens")?,
        PathParam(id),
    )
    .await;
    let tokens = tokens.map_err(|e| WebError::api(user.tr, e))?.0;
    let form = form.unwrap_or_else(|| AccountForm {
        role: account.user.role.as_str().to_owned(),
        party: account.user.party_id.clone().unwrap_or_default(),
        ..AccountForm::default()
    });
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = user.tr.arg("user-title", "name", &account.user.name);
    let mut page = Page::new(user, "tokens-title", "/admin/users");
    page.title = title;
    Ok(render_status(
        status,
        &UserPage {
            page,
            account,
            tokens,
            roles: tamga_core::account::ASSIGNABLE,
            form,
            problems,
            issued,
        },
    ))
}

async fn user_page(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    user_page_with(state, &user, id, None, Problems::default(), None).await
}

async fn change_role(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<AccountForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let role = match form.role() {
        Ok(role) => role,
        Err(problems) => return user_page_with(state, &user, id, Some(form), problems, None).await,
    };
    let change = RoleChange {
        role,
        party_id: form.party(),
    };
    let caller = user.caller_for("PUT /api/v1/users/{id}/role")?;
    let done = tamga_api::users::set_role(
        State(state.clone()),
        caller,
        PathParam(id),
        JsonBody(change),
    );
    match done.await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/users/{id}/tokens")).into_response()),
        Err(e) => {
            let problems = Problems::of(e, user.tr)?;
            user_page_with(state, &user, id, Some(form), problems, None).await
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn issue(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let issued = tamga_api::tokens::issue(
        State(state.clone()),
        user.caller_for("POST /api/v1/users/{id}/tokens")?,
        PathParam(id),
    )
    .await;
    let issued = issued.map_err(|e| WebError::api(user.tr, e))?.1 .0;
    user_page_with(
        state,
        &user,
        id,
        None,
        Problems::default(),
        Some(issued.token),
    )
    .await
}

async fn revoke_token(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, token_id)): Path<(i64, i64)>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let ids = PathParam((id, token_id));
    let done = tamga_api::tokens::revoke(
        State(state),
        user.caller_for("POST /api/v1/users/{id}/tokens/{token_id}/revoke")?,
        ids,
    )
    .await;
    let _revoked = done.map_err(|e| WebError::api(user.tr, e))?;
    Ok(Redirect::to(&format!("/admin/users/{id}/tokens")).into_response())
}
