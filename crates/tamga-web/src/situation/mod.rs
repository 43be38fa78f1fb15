//! The Situation Center, the supervisor's screen: a map of the region with every customs post,
//! each post's figures of the day beside it in a table, a feed of red alerts, and one page per
//! post with its last 24 hours, recent declarations and officers. The figures region refreshes
//! itself when the server's watcher ([`live`]) sees a change in the database. Supervisors and
//! administrators only: the access table's rule for an office's control tasks.

use std::convert::Infallible;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::{Stream, StreamExt};
use tamga_api::AppState;
use tamga_core::refdata::ReferenceData;
use tokio_stream::wrappers::BroadcastStream;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

mod charts;
pub mod live;
pub mod map;
mod views;

use live::Live;
use views::{Figures, PostFigures};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/situation", get(index))
        .route("/situation/figures", get(figures))
        .route("/situation/events", get(events))
        .route("/situation/{office}", get(post))
        .route("/situation/{office}/figures", get(post_figures))
        .layer(Extension(Arc::new(Live::default())))
}

/// Refuses every role but supervisors and administrators with a 403 page.
fn oversee(user: &WebUser) -> Result<(), WebError> {
    user.caller_for("GET /api/v1/control/tasks").map(drop)
}

#[derive(Template)]
#[template(path = "situation/index.html")]
struct IndexPage {
    page: Page,
    figures: String,
}

#[derive(Template)]
#[template(path = "situation/post.html")]
struct PostPage {
    page: Page,
    code: String,
    name: String,
    figures: String,
}

/// A template rendered to text, for a page that embeds it or a fragment htmx swaps in.
fn text(user: &WebUser, template: &impl Template) -> Result<String, WebError> {
    template
        .render()
        .map_err(|e| WebError::internal(user.tr, e))
}

async fn overview(state: &AppState, user: &WebUser) -> Result<String, WebError> {
    oversee(user)?;
    let now = tamga_store::sql::now();
    let data = state.store.situation(now).await;
    let data = data.map_err(|e| WebError::internal(user.tr, e))?;
    text(user, &Figures::new(user.tr, data, now))
}

async fn index(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let figures = overview(&state, &user).await?;
    Ok(render(&IndexPage {
        page: Page::new(&user, "situation-title", "/situation"),
        figures,
    }))
}

async fn figures(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    Ok(Html(overview(&state, &user).await?).into_response())
}

/// A post's figures; an unknown office is a 404.
async fn post_view(state: &AppState, user: &WebUser, code: &str) -> Result<String, WebError> {
    oversee(user)?;
    if !ReferenceData::embedded().offices.contains(code) {
        return Err(WebError::not_found(user.tr));
    }
    let now = tamga_store::sql::now();
    let fail = |e| WebError::internal(user.tr, e);
    let all = state.store.situation(now).await.map_err(fail)?;
    let detail = state.store.situation_of_post(code, now).await;
    let detail = detail.map_err(|e| WebError::internal(user.tr, e))?;
    text(user, &PostFigures::new(user.tr, code, &all, detail, now))
}

async fn post(
    State(state): State<AppState>,
    user: WebUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let figures = post_view(&state, &user, &code).await?;
    let name = ReferenceData::embedded()
        .offices
        .get(&code)
        .map_or_else(String::new, |o| o.name.clone());
    Ok(render(&PostPage {
        page: Page::new(&user, "situation-post-title", "/situation"),
        code,
        name,
        figures,
    }))
}

async fn post_figures(
    State(state): State<AppState>,
    user: WebUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    Ok(Html(post_view(&state, &user, &code).await?).into_response())
}

/// Server-Sent Events: an `update` event whenever the database changes.
async fn events(
    State(state): State<AppState>,
    Extension(live): Extension<Arc<Live>>,
    user: WebUser,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, WebError> {
    oversee(&user)?;
    let receiver = live.subscribe(state.store.clone()).await;
    let receiver = receiver.map_err(|e| WebError::internal(user.tr, e))?;
    let stream = BroadcastStream::new(receiver).map(|change| {
        // A lagging subscriber missed some changes: one update covers them all.
        let n = change.map_or_else(|_| "lagged".to_owned(), |n| n.to_string());
        Ok(Event::default().event("update").data(n))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}
