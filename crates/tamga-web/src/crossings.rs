//! The staff's border-post screens: the crossings at an office — newest first, filtered by
//! alert — with what each matched and the alerts it raised, and one crossing in full. The data
//! is the API's `posts::crossings` handlers', so who may read which office is the API's rule.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tamga_api::extract::PathParam;
use tamga_api::posts::crossings::{self, CrossingsQuery};
use tamga_api::AppState;
use tamga_core::crossing::AlertKind;
use tamga_store::crossings::StoredCrossing;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/crossings", get(list))
        .route("/crossings/{id}", get(show))
}

/// The filter form: an office and an alert kind (`any`, or one kind; empty for all).
#[derive(Debug, Default, Deserialize)]
struct Filter {
    office: Option<String>,
    alert: Option<String>,
}

#[derive(Template)]
#[template(path = "crossings/list.html")]
struct ListPage {
    page: Page,
    /// The offices the user may choose (their roster offices; empty: any, typed).
    offices: Vec<String>,
    office: String,
    alert: String,
    alerts: Vec<&'static str>,
    crossings: Vec<StoredCrossing>,
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(filter): Query<Filter>,
) -> Result<Response, WebError> {
    let mine = tamga_api::posts::readable_offices(&state, &user.user).await;
    let offices = mine
        .map_err(|e| WebError::api(user.tr, e))?
        .unwrap_or_default();
    let office = filter
        .office
        .filter(|o| !o.is_empty())
        .or_else(|| offices.first().cloned());
    let alert = filter.alert.filter(|a| !a.is_empty());
    let crossings = match &office {
        Some(_) => {
            let query = CrossingsQuery {
                office: office.clone(),
                alert: alert.clone(),
                ..CrossingsQuery::default()
            };
            let found = crossings::list(
                State(state),
                user.caller_for("GET /api/v1/crossings")?,
                Ok(Query(query)),
            )
            .await;
            found.map_err(|e| WebError::api(user.tr, e))?.0.crossings
        }
        None => Vec::new(),
    };
    Ok(render(&ListPage {
        page: Page::new(&user, "crossings-title", "/crossings"),
        offices,
        office: office.unwrap_or_default(),
        alert: alert.unwrap_or_default(),
        alerts: AlertKind::ALL.iter().map(|k| k.as_str()).collect(),
        crossings,
    }))
}

#[derive(Template)]
#[template(path = "crossings/crossing.html")]
struct CrossingPage {
    page: Page,
    crossing: StoredCrossing,
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let found = crossings::one(
        State(state),
        user.caller_for("GET /api/v1/crossings/{id}")?,
        PathParam(id),
    )
    .await;
    let crossing = found.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&CrossingPage {
        page: Page::new(&user, "crossing-title", "/crossings"),
        crossing,
    }))
}
