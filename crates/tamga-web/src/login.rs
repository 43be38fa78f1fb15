//! Signing in and out, the forced password change, and the language switch.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Form, Router};
use serde::Deserialize;
use std::sync::Arc;
use tamga_api::error::ApiError;
use tamga_api::limits::{address_key, ClientAddress};
use tamga_api::AppState;
use tamga_store::{token, web::NewSession};
use time::Duration;

use crate::error::WebError;
use crate::i18n::{Lang, Tr};
use crate::page::{home, render_status, Page};
use crate::password;
use crate::session::{
    self, Signed, WebSettings, WebUser, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/password", get(password_form).post(change_password))
        .route("/language", post(language))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    csrf: String,
    next: String,
    name: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Next {
    next: Option<String>,
}

/// Only a path of this site: never an open redirect to another.
fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .map(str::to_owned)
}

async fn root(user: WebUser) -> Redirect {
    Redirect::to(home(user.user.role))
}

fn login_page(
    tr: Tr,
    settings: &WebSettings,
    next: String,
    name: String,
    error: Option<String>,
) -> Response {
    let csrf = session::random_token();
    let cookie = session::set_cookie(settings, LOGIN_CSRF_COOKIE, &csrf, 3600);
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    let page = LoginPage {
        page: Page::anonymous(tr, "login-title"),
        csrf,
        next,
        name,
        error,
    };
    ([(header::SET_COOKIE, cookie)], render_status(status, &page)).into_response()
}

async fn login_form(
    headers: HeaderMap,
    Extension(settings): Extension<Arc<WebSettings>>,
    Query(query): Query<Next>,
) -> Response {
    let tr = Tr(session::language(&headers, None));
    let next = safe_next(query.next.as_deref()).unwrap_or_default();
    login_page(tr, &settings, next, String::new(), None)
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Extension(settings): Extension<Arc<WebSettings>>,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let tr = Tr(session::language(&headers, None));
    let expected = session::cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !session::same_token(&form.csrf, expected) {
        return Err(WebError::csrf(tr));
    }
    // Password guessing is limited like the API's token guessing: per client address and per
    // user name, by the same limiter and budget.
    let keys = [address_key(address), format!("login:{}", form.name.trim())];
    state
        .limiters
        .before_auth(&keys)
        .map_err(|e| WebError::api(tr, e))?;
    let credentials = state.store.credentials(form.name.trim()).await;
    let credentials = credentials.map_err(|e| WebError::internal(tr, e))?;
    let stored = credentials
        .as_ref()
        .and_then(|c| c.password_hash.as_deref());
    let matches = password::verify(&form.password, stored);
    let Some(credentials) = credentials.filter(|_| matches) else {
        tracing::info!(name = %form.name.trim(), "web sign-in refused");
        let refused = ApiError::Unauthorized("wrong user name or password");
        let refused = state.limiters.auth_failed(&keys, refused);
        if matches!(refused, ApiError::TooManyRequests { .. }) {
            return Err(WebError::api(tr, refused));
        }
        let error = Some(tr.get("login-failed"));
        return Ok(login_page(tr, &settings, form.next, form.name, error));
    };
    let cookie = open_session(&state, &settings, credentials.user.id, tr).await?;
    let to = if credentials.must_change {
        "/password".to_owned()
    } else {
        safe_next(Some(&form.next)).unwrap_or_else(|| home(credentials.user.role).to_owned())
    };
    Ok((
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, to)],
    )
        .into_response())
}

/// Opens a session for `user_id`; the `Set-Cookie` value that carries it.
async fn open_session(
    state: &AppState,
    settings: &WebSettings,
    user_id: i64,
    tr: Tr,
) -> Result<String, WebError> {
    let value = session::random_token();
    let hours = i64::from(settings.session_hours);
    let session = NewSession {
        id_hash: token::hash(&value),
        user_id,
        csrf: session::random_token(),
        expires_at: tamga_store::sql::now() + Duration::hours(hours),
    };
    state
        .store
        .open_session(session)
        .await
        .map_err(|e| WebError::internal(tr, e))?;
    let max_age = u64::from(settings.session_hours) * 3600;
    Ok(session::set_cookie(
        settings,
        SESSION_COOKIE,
        &value,
        max_age,
    ))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    let revoked = state.store.revoke_session(&signed.id_hash).await;
    revoked.map_err(|e| WebError::internal(signed.tr, e))?;
    let cookie = session::set_cookie(&signed.settings, SESSION_COOKIE, "", 0);
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    page: Page,
    must_change: bool,
    min: usize,
    error: Option<String>,
}

fn password_page(signed: &Signed, error: Option<String>) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = PasswordPage {
        page: Page::new(signed, "password-title", "/password"),
        must_change: signed.must_change,
        min: password::MIN_LENGTH,
        error,
    };
    render_status(status, &page)
}

async fn password_form(signed: Signed) -> Response {
    password_page(&signed, None)
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    confirm: String,
}

/// A new password replaces the old one and every session with it; this browser gets a new one.
async fn change_password(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    signed.check_csrf(&form.csrf)?;
    let tr = signed.tr;
    let credentials = state
        .store
        .credentials(&signed.user.name)
        .await
        .map_err(|e| WebError::internal(tr, e))?;
    let stored = credentials
        .as_ref()
        .and_then(|c| c.password_hash.as_deref());
    let problem = if !password::verify(&form.current, stored) {
        Some("password-current-wrong")
    } else if form.new != form.confirm {
        Some("password-mismatch")
    } else if form.new == form.current {
        Some("password-unchanged")
    } else {
        password::policy(&signed.user.name, &form.new)
    };
    if let Some(id) = problem {
        return Ok(password_page(&signed, Some(tr.get(id))));
    }
    let hash = password::hash(&form.new).map_err(|e| WebError::internal(tr, e))?;
    let set = state
        .store
        .set_password(&signed.user.name, &hash, false)
        .await;
    set.map_err(|e| WebError::internal(tr, e))?;
    let cookie = open_session(&state, &signed.settings, signed.user.id, tr).await?;
    let to = home(signed.user.role).to_owned();
    Ok((
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, to)],
    )
        .into_response())
}

#[derive(Deserialize)]
struct LanguageForm {
    lang: String,
    #[serde(default)]
    csrf: String,
}

/// Switches the language: kept with the user when signed in, and in a cookie either way.
async fn language(
    State(state): State<AppState>,
    headers: HeaderMap,
    signed: Option<Signed>,
    Extension(settings): Extension<Arc<WebSettings>>,
    Form(form): Form<LanguageForm>,
) -> Result<Response, WebError> {
    let lang = Lang::parse(&form.lang).unwrap_or(Lang::Uz);
    if let Some(signed) = &signed {
        signed.check_csrf(&form.csrf)?;
        let saved = state.store.set_language(signed.user.id, lang.code()).await;
        saved.map_err(|e| WebError::internal(signed.tr, e))?;
    }
    let cookie = session::set_cookie(&settings, LANG_COOKIE, lang.code(), 365 * 24 * 3600);
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| {
            r.find("://")
                .and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_owned()))
        })
        .and_then(|path| safe_next(Some(&path)))
        .unwrap_or_else(|| "/".to_owned());
    Ok((
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, cookie), (header::LOCATION, back)],
    )
        .into_response())
}
