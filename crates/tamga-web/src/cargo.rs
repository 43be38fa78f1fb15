//! Cargo reports: a carrier uploads its reports (JSON or a CUSCAR interchange) and follows
//! them; customs staff list every report and see each consignment judged before arrival.
//! Data, the upload and the judgement are the API's handlers.

use askama::Template;
use axum::body::to_bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tamga_api::cargo::{CargoRisk, ListParams};
use tamga_api::extract::{PathParam, RawBody};
use tamga_api::AppState;
use tamga_store::cargo::StoredCargoReport;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cargo-reports", get(list).post(upload))
        .route("/cargo-reports/{id}", get(show))
}

const PAGE_SIZE: u32 = 50;

#[derive(Template)]
#[template(path = "cargo/list.html")]
struct ListPage {
    page: Page,
    reports: Vec<StoredCargoReport>,
    /// The `before` of the next page, when this one is full.
    next: Option<i64>,
    may_lodge: bool,
    /// The answer to an upload: its status line and what customs said.
    answer: Option<Answer>,
}

struct Answer {
    refused: bool,
    lines: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Before {
    before: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(at): Query<Before>,
) -> Result<Response, WebError> {
    list_page(state, &user, at.before, None).await
}

async fn list_page(
    state: AppState,
    user: &WebUser,
    before: Option<i64>,
    answer: Option<Answer>,
) -> Result<Response, WebError> {
    let params = ListParams {
        before,
        limit: Some(PAGE_SIZE),
    };
    let reports = tamga_api::cargo::list(
        State(state),
        user.caller_for("GET /api/v1/cargo-reports")?,
        Ok(Query(params)),
    )
    .await;
    let reports = reports.map_err(|e| WebError::api(user.tr, e))?.0.reports;
    let full = reports.len() == PAGE_SIZE as usize;
    let next = reports.last().filter(|_| full).map(|r| r.id);
    Ok(render(&ListPage {
        page: Page::new(user, "cargo-title", "/cargo-reports"),
        reports,
        next,
        may_lodge: user.user.role.may_lodge(),
        answer,
    }))
}

/// An uploaded file of reports, sent to the API as what it is: EDIFACT when it opens with a
/// service segment, JSON otherwise. One stored JSON report opens its page; anything else is
/// shown above the list (every problem of a refused JSON report, the CUSRES of an interchange).
async fn upload(
    State(state): State<AppState>,
    user: WebUser,
    address: tamga_api::limits::ClientAddress,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let tr = user.tr;
    let crate::upload::Upload {
        csrf, file: bytes, ..
    } = crate::upload::read(multipart, tr).await?;
    user.check_csrf(&csrf)?;
    let edifact = is_edifact(&bytes);
    let mut headers = HeaderMap::new();
    let kind = if edifact {
        "application/edifact"
    } else {
        "application/json"
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    let lodged = tamga_api::cargo::lodge(
        State(state.clone()),
        user.caller_for("POST /api/v1/cargo-reports")?,
        address,
        headers,
        RawBody(bytes.into()),
    )
    .await;
    let response = match lodged {
        Ok(response) => response,
        Err(e) => {
            let lines = vec![WebError::alert(tr, e)?];
            let answer = Answer {
                refused: true,
                lines,
            };
            return list_page(state, &user, None, Some(answer)).await;
        }
    };
    let refused = !response.status().is_success();
    let body = to_bytes(response.into_body(), usize::MAX)
        .await
        .map_err(|e| WebError::internal(tr, e))?;
    if !edifact {
        if let Some(id) = stored_id(&body) {
            return Ok(Redirect::to(&format!("/cargo-reports/{id}")).into_response());
        }
    }
    let text = String::from_utf8_lossy(&body);
    let lines = text.split('\'').map(str::to_owned).collect();
    list_page(state, &user, None, Some(Answer { refused, lines })).await
}

/// Whether a file is an EDIFACT interchange or message: it opens with UNA, UNB or UNH.
fn is_edifact(bytes: &[u8]) -> bool {
    let start = bytes.trim_ascii_start();
    [b"UNA", b"UNB", b"UNH"]
        .iter()
        .any(|tag| start.starts_with(*tag))
}

/// The id of the one report a JSON answer stored.
fn stored_id(body: &[u8]) -> Option<i64> {
    let answer: serde_json::Value = serde_json::from_slice(body).ok()?;
    answer.pointer("/reports/0/id")?.as_i64()
}

#[derive(Template)]
#[template(path = "cargo/show.html")]
struct ShowPage {
    page: Page,
    stored: StoredCargoReport,
    /// The judgement of each consignment, for customs staff.
    risk: Option<CargoRisk>,
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let one = tamga_api::cargo::one(
        State(state.clone()),
        user.caller_for("GET /api/v1/cargo-reports/{id}")?,
        PathParam(id),
    )
    .await;
    let stored = one.map_err(|e| WebError::api(user.tr, e))?.0;
    let risk = if user.user.role.sees_all_declarations() {
        let judged = tamga_api::cargo::risk(
            State(state),
            user.caller_for("GET /api/v1/cargo-reports/{id}/risk")?,
            PathParam(id),
        )
        .await;
        Some(judged.map_err(|e| WebError::api(user.tr, e))?.0)
    } else {
        None
    };
    Ok(render(&ShowPage {
        page: Page::new(&user, "cargo-report-title", "/cargo-reports"),
        stored,
        risk,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edifact_is_told_from_json_by_its_first_segment() {
        assert!(is_edifact(b"UNA:+.? 'UNB+UNOC:3"));
        assert!(is_edifact(b"\r\nUNB+UNOC:3+X"));
        assert!(!is_edifact(br#"{"reference": "UNB"}"#));
        assert!(!is_edifact(b""));
    }
}
