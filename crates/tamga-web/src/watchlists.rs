//! The analyst's watchlists: those loaded, a new version imported from the UN, OFAC or an
//! analysts' file, and a name screened against them. Data and changes are the API's handlers.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::risk::watchlists::{ImportParams, ScreenView, WatchlistView, IMPORT_LIMIT};
use tamga_api::AppState;

use crate::error::WebError;
use crate::page::{render_status, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/risk/watchlists", get(show))
        .route(
            "/risk/watchlists/import",
            post(import).layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route("/risk/screen", post(screen))
}

#[derive(Template)]
#[template(path = "risk/watchlists.html")]
struct WatchlistsPage {
    page: Page,
    watchlists: Vec<WatchlistView>,
    may_import: bool,
    import: ImportTyped,
    screen: ScreenTyped,
    hits: Option<ScreenView>,
    /// Every problem of a refused import or screening.
    alert: Option<String>,
}

#[derive(Debug, Default)]
struct ImportTyped {
    name: String,
    format: String,
    reason: String,
}

#[derive(Debug, Default, Deserialize)]
struct ScreenTyped {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    threshold: String,
}

#[derive(Debug, Default, Deserialize)]
struct Imported {
    imported: Option<String>,
}

struct Shown {
    import: ImportTyped,
    screen: ScreenTyped,
    hits: Option<ScreenView>,
    alert: Option<String>,
    status: StatusCode,
}

impl Default for Shown {
    fn default() -> Self {
        Shown {
            import: ImportTyped::default(),
            screen: ScreenTyped::default(),
            hits: None,
            alert: None,
            status: StatusCode::OK,
        }
    }
}

async fn page(state: AppState, user: &WebUser, shown: Shown) -> Result<Response, WebError> {
    let watchlists = tamga_api::risk::watchlists::watchlists(
        State(state),
        user.caller_for("GET /api/v1/risk/watchlists")?,
    )
    .await;
    let watchlists = watchlists.map_err(|e| WebError::api(user.tr, e))?.0;
    let may_import = user.may("PUT /api/v1/risk/watchlists/{name}");
    let page = WatchlistsPage {
        page: Page::new(user, "watchlists-title", "/risk/watchlists"),
        watchlists,
        may_import,
        import: shown.import,
        screen: shown.screen,
        hits: shown.hits,
        alert: shown.alert,
    };
    Ok(render_status(shown.status, &page))
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Query(done): Query<Imported>,
) -> Result<Response, WebError> {
    let alert = done
        .imported
        .map(|name| user.tr.arg("watchlist-imported", "name", name));
    let shown = Shown {
        alert,
        ..Shown::default()
    };
    page(state, &user, shown).await
}

/// A new version of a watchlist from an uploaded file; a refusal names every problem and keeps
/// what was typed (the file must be chosen again, as browsers do).
async fn import(
    State(state): State<AppState>,
    user: WebUser,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let upload = crate::upload::read(multipart, user.tr).await?;
    user.check_csrf(&upload.csrf)?;
    let typed = ImportTyped {
        name: upload.field("name").trim().to_owned(),
        format: upload.field("format"),
        reason: upload.field("reason"),
    };
    let params = serde_json::json!({"format": typed.format, "reason": typed.reason});
    let Ok(params) = serde_json::from_value::<ImportParams>(params) else {
        return refused(state, &user, typed, user.tr.get("watchlist-format-unknown")).await;
    };
    let imported = tamga_api::risk::watchlists::import(
        State(state.clone()),
        user.caller_for("PUT /api/v1/risk/watchlists/{name}")?,
        PathParam(typed.name.clone()),
        Ok(Query(params)),
        Ok(upload.file.into()),
    )
    .await;
    match imported {
        Ok(view) => {
            let query =
                serde_urlencoded::to_string([("imported", &view.0.name)]).unwrap_or_default();
            Ok(Redirect::to(&format!("/risk/watchlists?{query}")).into_response())
        }
        Err(e) => {
            let alert = WebError::alert(user.tr, e)?;
            refused(state, &user, typed, alert).await
        }
    }
}

async fn refused(
    state: AppState,
    user: &WebUser,
    import: ImportTyped,
    alert: String,
) -> Result<Response, WebError> {
    let shown = Shown {
        import,
        alert: Some(alert),
        status: StatusCode::UNPROCESSABLE_ENTITY,
        ..Shown::default()
    };
    page(state, user, shown).await
}

/// A name screened against the loaded watchlists; the hits are listed under the form.
async fn screen(
    State(state): State<AppState>,
    user: WebUser,
    Form(typed): Form<ScreenTyped>,
) -> Result<Response, WebError> {
    user.check_csrf(&typed.csrf)?;
    let threshold = typed.threshold.trim();
    let threshold = if threshold.is_empty() {
        Ok(None)
    } else {
        threshold.parse::<f64>().map(Some)
    };
    let Ok(threshold) = threshold else {
        let shown = Shown {
            alert: Some(user.tr.get("watchlist-threshold-invalid")),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            screen: typed,
            ..Shown::default()
        };
        return page(state, &user, shown).await;
    };
    let request = serde_json::json!({"name": typed.name, "threshold": threshold});
    let request = serde_json::from_value(request).map_err(|e| WebError::internal(user.tr, e))?;
    let screened = tamga_api::risk::watchlists::screen(
        State(state.clone()),
        user.caller_for("POST /api/v1/risk/screen")?,
        JsonBody(request),
    )
    .await;
    let shown = match screened {
        Ok(view) => Shown {
            hits: Some(view.0),
            screen: typed,
            ..Shown::default()
        },
        Err(e) => Shown {
            alert: Some(WebError::alert(user.tr, e)?),
            status: StatusCode::UNPROCESSABLE_ENTITY,
            screen: typed,
            ..Shown::default()
        },
    };
    page(state, &user, shown).await
}
