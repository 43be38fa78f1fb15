//! The web UI of tamga: server-rendered pages from the same binary as the API, for every role.
//!
//! Each screen's handler asks the API's own handler for its data (so a page and the API
//! cannot disagree on a rule), renders an askama template in the user's language (Fluent
//! messages in Uzbek, Russian and English) and needs no JavaScript to work; htmx, embedded
//! like every asset, adds checking as you type. Users sign in with a password (Argon2id) and
//! get an HttpOnly, SameSite=Strict session cookie; every form carries a CSRF token.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use tamga_store::Location;
//! let store = tamga_store::connect(&Location::SqliteDir("./tamga-data".into())).await?;
//! let state = tamga_api::AppState::new(store, tamga_api::ApiSettings::default());
//! let pages = tamga_web::router(tamga_web::WebSettings::default());
//! let app = tamga_api::router_with(state, pages);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! tamga_api::serve(listener, app, std::future::pending()).await?;
//! # Ok(()) }
//! ```

use std::sync::Arc;

use axum::http::{header, HeaderValue};
use axum::{Extension, Router};
use tamga_api::AppState;

mod accounts;
mod admin;
mod advance;
mod assets;
mod cargo;
pub mod control;
mod crossings;
mod declarations;
mod error;
pub mod fmt;
mod holds;
pub mod i18n;
pub mod lab;
mod lists;
mod lodge;
mod login;
mod page;
mod parties;
pub mod password;
mod payments;
mod problems;
mod profiles;
mod selectivity;
mod session;
pub mod situation;
mod statistics;
mod transit;
mod upload;
mod watchlists;

pub use session::WebSettings;

/// Every page of the UI, to be served beside the API (`tamga_api::router_with`).
pub fn router(settings: WebSettings) -> Router<AppState> {
    Router::new()
        .merge(assets::router())
        .merge(login::router())
        .merge(declarations::router())
        .merge(lodge::router())
        .merge(cargo::router())
        .merge(control::router())
        .merge(profiles::router())
        .merge(lists::router())
        .merge(watchlists::router())
        .merge(selectivity::router())
        .merge(lab::router())
        .merge(statistics::router())
        .merge(admin::router())
        .merge(accounts::router())
        .merge(parties::router())
        .merge(advance::router())
        .merge(situation::router())
        .merge(transit::router())
        .merge(crossings::router())
        .layer(Extension(Arc::new(settings)))
        .layer(axum::middleware::map_response(security_headers))
}

/// Headers every page carries: no framing, no sniffing, scripts and styles from this site only.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    let policy =
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}
