//! Lodging a declaration from the browser: a form whose fields are named by the JSON pointers
//! of the declaration draft, so the pipeline's findings land next to their fields; or a file
//! upload (JSON, EDIFACT, WCO DM XML). Both go through the one lodgement pipeline.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use tamga_api::limits::ClientAddress;
use tamga_api::lodge::{authorise, intake, Lodger, Mode, Verdict};
use tamga_api::AppState;
use tamga_core::FieldError;

mod draft;

use draft::MAX_ITEMS;
pub use draft::{Draft, HEADER, ITEM};

use crate::error::WebError;
use crate::page::{render_status, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/declarations/new", get(blank).post(submit))
        .route("/declarations/upload", post(upload))
        .route("/commodities/suggest", get(suggest))
}

#[derive(Template)]
#[template(path = "declarations/new.html")]
struct LodgePage {
    page: Page,
    draft: Draft,
    header: &'static [(&'static str, &'static str, &'static str)],
    item_fields: &'static [(&'static str, &'static str)],
    results: Vec<(String, Result<String, Vec<FieldError>>)>,
}

fn form_page(
    user: &WebUser,
    status: StatusCode,
    draft: Draft,
    results: Vec<(String, Result<String, Vec<FieldError>>)>,
) -> Response {
    let page = LodgePage {
        page: Page::new(user, "lodge-title", "/declarations/new"),
        draft,
        header: HEADER,
        item_fields: ITEM,
        results,
    };
    render_status(status, &page)
}

async fn blank(user: WebUser) -> Result<Response, WebError> {
    authorise(&user.user).map_err(|e| WebError::api(user.tr, e))?;
    let mut draft = Draft {
        items: 1,
        ..Draft::default()
    };
    draft.values.insert("/type".into(), "IM".into());
    draft.values.insert("/additional_type".into(), "A".into());
    if let Some(party) = &user.user.party_id {
        draft.values.insert("/declarant/id".into(), party.clone());
    }
    Ok(form_page(&user, StatusCode::OK, draft, Vec::new()))
}

/// The form as posted: its fields by pointer, the number of items and what the user asked.
fn read_form(fields: Vec<(String, String)>) -> (Draft, String, String) {
    let (mut csrf, mut action, mut items) = (String::new(), String::from("lodge"), 1usize);
    let mut values = BTreeMap::new();
    for (name, value) in fields {
        match name.as_str() {
            "csrf" => csrf = value,
            "action" => action = value,
            "items" => items = value.parse().unwrap_or(1).clamp(1, MAX_ITEMS),
            pointer if pointer.starts_with('/') => {
                values.insert(pointer.to_owned(), value);
            }
            _ => {}
        }
    }
    (
        Draft {
            values,
            items,
            errors: Vec::new(),
        },
        csrf,
        action,
    )
}

/// Removes item `n`, moving the later items up.
fn remove_item(draft: &mut Draft, n: usize) {
    if draft.items <= 1 || n >= draft.items {
        return;
    }
    let moved: BTreeMap<String, String> = std::mem::take(&mut draft.values)
        .into_iter()
        .filter_map(|(pointer, value)| {
            let Some(rest) = pointer.strip_prefix("/items/") else {
                return Some((pointer, value));
            };
            let (index, field) = rest.split_once('/')?;
            let index: usize = index.parse().ok()?;
            let index = match index.cmp(&n) {
                std::cmp::Ordering::Less => index,
                std::cmp::Ordering::Equal => return None,
                std::cmp::Ordering::Greater => index - 1,
            };
            Some((format!("/items/{index}/{field}"), value))
        })
        .collect();
    draft.values = moved;
    draft.items -= 1;
}

async fn submit(
    State(state): State<AppState>,
    user: WebUser,
    ClientAddress(address): ClientAddress,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (mut draft, csrf, action) = read_form(fields);
    user.check_csrf(&csrf)?;
    if action == "add-item" {
        draft.items = (draft.items + 1).min(MAX_ITEMS);
        return Ok(form_page(&user, StatusCode::OK, draft, Vec::new()));
    }
    if let Some(n) = action
        .strip_prefix("remove-item-")
        .and_then(|n| n.parse().ok())
    {
        remove_item(&mut draft, n);
        return Ok(form_page(&user, StatusCode::OK, draft, Vec::new()));
    }
    authorise(&user.user).map_err(|e| WebError::api(user.tr, e))?;
    let limited = state.limiters.lodgement(user.user.id, address);
    limited.map_err(|e| WebError::api(user.tr, e))?;
    let text = draft.to_json().to_string();
    let units = intake::json(&text).map_err(|e| {
        WebError::page(
            StatusCode::BAD_REQUEST,
            user.tr,
            "error-refused-title",
            e.to_string(),
        )
    })?;
    let lodger = Lodger::new(&state, Mode::Commit);
    let verdicts = lodger
        .lodge_all(&user.user, &units)
        .await
        .map_err(|e| WebError::internal(user.tr, e))?;
    match verdicts.into_iter().next() {
        Some(Verdict::Accepted(record) | Verdict::Resubmitted(record)) => {
            Ok(Redirect::to(&format!("/declarations/{}", record.mrn)).into_response())
        }
        Some(verdict) => {
            draft.errors = user.tr.problems(verdict.problems());
            Ok(form_page(&user, verdict.status(), draft, Vec::new()))
        }
        None => Err(WebError::internal(user.tr, "the pipeline gave no verdict")),
    }
}

/// A file of declarations: each one's MRN or problems, listed under the form.
async fn upload(
    State(state): State<AppState>,
    user: WebUser,
    ClientAddress(address): ClientAddress,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let tr = user.tr;
    let crate::upload::Upload {
        csrf, file: bytes, ..
    } = crate::upload::read(multipart, tr).await?;
    user.check_csrf(&csrf)?;
    authorise(&user.user).map_err(|e| WebError::api(tr, e))?;
    let limited = state.limiters.lodgement(user.user.id, address);
    limited.map_err(|e| WebError::api(tr, e))?;
    let units = intake::read(&bytes).map_err(|detail| {
        WebError::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            tr,
            "upload-refused",
            detail,
        )
    })?;
    let lodger = Lodger::new(&state, Mode::Commit);
    let verdicts = lodger
        .lodge_all(&user.user, &units)
        .await
        .map_err(|e| WebError::internal(tr, e))?;
    let results = units
        .iter()
        .zip(verdicts)
        .map(|(unit, verdict)| {
            let outcome = match verdict {
                Verdict::Accepted(record) | Verdict::Resubmitted(record) => Ok(record.mrn),
                other => Err(tr.problems(other.problems())),
            };
            (unit.reference.clone(), outcome)
        })
        .collect();
    let draft = Draft {
        items: 1,
        ..Draft::default()
    };
    Ok(form_page(&user, StatusCode::OK, draft, results))
}

#[derive(Template)]
#[template(path = "declarations/suggest.html")]
struct Suggestions {
    items: Vec<tamga_core::refdata::HsEntry>,
}

/// Commodity codes for what is typed so far (code digits or description words), as the
/// options of the field's datalist. The query's one parameter is the field itself.
async fn suggest(
    State(state): State<AppState>,
    _user: WebUser,
    axum::extract::Query(params): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let typed = params
        .into_iter()
        .next()
        .map(|(_, v)| v)
        .unwrap_or_default();
    let typed = typed.trim();
    if typed.chars().count() < 2 {
        return render_status(StatusCode::OK, &Suggestions { items: Vec::new() });
    }
    let query = serde_urlencoded::from_str(
        &serde_urlencoded::to_string([("q", typed), ("limit", "15")]).unwrap_or_default(),
    );
    let items = match query {
        Ok(query) => tamga_api::commodities::search(State(state), Ok(axum::extract::Query(query)))
            .await
            .map(|found| found.0.items)
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    render_status(StatusCode::OK, &Suggestions { items })
}
