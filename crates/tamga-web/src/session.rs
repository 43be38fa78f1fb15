//! Sign-in sessions: an HttpOnly, SameSite=Strict cookie (Secure when served over TLS) whose
//! value is a random token; the store keeps only its SHA-256 with the user, the CSRF token,
//! and the expiry. Sessions expire and can be revoked (sign-out, a password change, an admin).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, HeaderMap};
use base64::Engine;
use rand::RngCore;
use tamga_api::AppState;
use tamga_store::{token, User};

use crate::error::WebError;
use crate::i18n::{Lang, Tr};

pub const SESSION_COOKIE: &str = "tamga_session";
pub const LANG_COOKIE: &str = "tamga_lang";
/// The pre-sign-in CSRF cookie of the login form (double submit).
pub const LOGIN_CSRF_COOKIE: &str = "tamga_login_csrf";

/// Settings of the web UI.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// How long a session lasts from sign-in.
    pub session_hours: u32,
    /// Mark cookies `Secure` (set when tamga is served over TLS, directly or by a proxy).
    pub secure_cookies: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            session_hours: 12,
            secure_cookies: false,
        }
    }
}

/// A fresh random token (256 bits, URL-safe base64).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The value of cookie `name` in the request, if sent.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value with tamga's attributes; `max_age` 0 deletes the cookie.
pub fn set_cookie(settings: &WebSettings, name: &str, value: &str, max_age: u64) -> String {
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// Equality that takes the same time wherever the first difference is.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The language of a request: the user's choice, else the language cookie, else the browser's.
pub fn language(headers: &HeaderMap, chosen: Option<&str>) -> Lang {
    chosen
        .and_then(Lang::parse)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
        .or_else(|| {
            let accept = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
            Lang::from_accept(accept)
        })
        .unwrap_or(Lang::Uz)
}

/// A signed-in user, whatever the state of their password.
#[derive(Debug, Clone)]
pub struct Signed {
    pub user: User,
    pub csrf: String,
    pub tr: Tr,
    pub id_hash: String,
    pub must_change: bool,
    pub settings: Arc<WebSettings>,
}

impl Signed {
    /// The API's caller for this user on the endpoint named by `key`
    /// (`"GET /api/v1/risk/profiles"`), under the API's access table: a role the table does not
    /// admit is refused with a 403 page, as the API refuses it.
    pub fn caller_for(&self, key: &str) -> Result<tamga_api::auth::Caller, WebError> {
        tamga_api::access::caller_for(self.user.clone(), key).map_err(|e| WebError::api(self.tr, e))
    }

    /// The same caller with the API's refusal as a value, for a page that shows it in place
    /// (an alert, a part of the page left out) rather than as a 403 page.
    pub fn api_caller(
        &self,
        key: &str,
    ) -> Result<tamga_api::auth::Caller, tamga_api::error::ApiError> {
        tamga_api::access::caller_for(self.user.clone(), key)
    }

    /// Whether the access table admits this user to the endpoint named by `key` (to offer a
    /// button only to those whose request would pass).
    pub fn may(&self, key: &str) -> bool {
        tamga_api::access::may(&self.user, key)
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        if same_token(sent, &self.csrf) {
            Ok(())
        } else {
            Err(WebError::csrf(self.tr))
        }
    }
}

pub fn settings_of(parts: &Parts) -> Arc<WebSettings> {
    parts
        .extensions
        .get::<Arc<WebSettings>>()
        .cloned()
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let tr = Tr(language(&parts.headers, None));
        let sign_in = || WebError::sign_in(parts);
        let value = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(sign_in)?;
        let id_hash = token::hash(value);
        let now = tamga_store::sql::now();
        let session = state.store.session(&id_hash, now).await;
        let session = session.map_err(|e| WebError::internal(tr, e))?;
        let session = session.ok_or_else(sign_in)?;
        // posts: a gate's account reports crossings through the API and has no web session.
        if session.user.role == tamga_core::role::Role::Post {
            return Err(sign_in());
        }
        tracing::Span::current().record("user", session.user.id);
        Ok(Signed {
            tr: Tr(language(&parts.headers, session.language.as_deref())),
            user: session.user,
            csrf: session.csrf,
            id_hash,
            must_change: session.must_change,
            settings: settings_of(parts),
        })
    }
}

/// `Option<Signed>`: `None` when nobody is signed in (a page that works either way).
impl axum::extract::OptionalFromRequestParts<AppState> for Signed {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, WebError> {
        match <Signed as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(signed) => Ok(Some(signed)),
            Err(WebError::Redirect { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

/// A signed-in user whose password needs no change: every screen but the password form.
#[derive(Debug, Clone)]
pub struct WebUser(pub Signed);

impl FromRequestParts<AppState> for WebUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let signed = Signed::from_request_parts(parts, state).await?;
        if signed.must_change {
            return Err(WebError::redirect(parts, "/password"));
        }
        Ok(WebUser(signed))
    }
}

impl std::ops::Deref for WebUser {
    type Target = Signed;

    fn deref(&self) -> &Signed {
        &self.0
    }
}
