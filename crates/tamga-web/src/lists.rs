//! The analyst's named lists (countries, commodity prefixes, parties, offices, containers,
//! codes) that profiles test membership of: every list, and a list written as one entry per
//! line, saved as a new version with a reason. Each refused entry is named by its line.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::error::ApiError;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::risk::lists::ListView;
use tamga_api::AppState;

use crate::error::WebError;
use crate::page::{render, render_status, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/risk/lists", get(all).post(save_new))
        .route("/risk/lists/{name}", get(one).post(save))
}

/// The list kinds, as the API names them.
const KINDS: &[&str] = &[
    "countries",
    "commodities",
    "parties",
    "offices",
    "containers",
    "codes",
];

#[derive(Template)]
#[template(path = "risk/lists.html")]
struct ListsPage {
    page: Page,
    lists: Vec<ListView>,
    may_edit: bool,
    kinds: &'static [&'static str],
    form: ListForm,
}

/// The list form's fields as typed; entries one per line.
#[derive(Debug, Default, Deserialize)]
struct ListForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    entries: String,
    #[serde(default)]
    reason: String,
    /// The version the analyst edited; empty for a new list.
    #[serde(default)]
    expected_version: String,
}

#[derive(Template)]
#[template(path = "risk/list.html")]
struct ListPage {
    page: Page,
    list: Option<ListView>,
    may_edit: bool,
    kinds: &'static [&'static str],
    form: ListForm,
    /// Every problem: (where, message).
    problems: Vec<(String, String)>,
}

async fn fetch(state: &AppState, user: &WebUser) -> Result<Vec<ListView>, WebError> {
    let lists = tamga_api::risk::lists::lists(
        State(state.clone()),
        user.caller_for("GET /api/v1/risk/lists")?,
    )
    .await;
    Ok(lists.map_err(|e| WebError::api(user.tr, e))?.0)
}

fn may_edit(user: &WebUser) -> bool {
    user.may("PUT /api/v1/risk/lists/{name}")
}

async fn all(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let lists = fetch(&state, &user).await?;
    Ok(render(&ListsPage {
        page: Page::new(&user, "lists-title", "/risk/lists"),
        lists,
        may_edit: may_edit(&user),
        kinds: KINDS,
        form: ListForm {
            kind: "countries".into(),
            ..ListForm::default()
        },
    }))
}

async fn one(
    State(state): State<AppState>,
    user: WebUser,
    Path(name): Path<String>,
) -> Result<Response, WebError> {
    let list = fetch(&state, &user)
        .await?
        .into_iter()
        .find(|l| l.name == name)
        .ok_or_else(|| WebError::not_found(user.tr))?;
    let form = ListForm {
        name: list.name.clone(),
        kind: kind_name(&list),
        entries: list.entries.join("\n"),
        expected_version: list.version.to_string(),
        ..ListForm::default()
    };
    Ok(render(&ListPage {
        page: Page::new(&user, "list-title", "/risk/lists"),
        list: Some(list),
        may_edit: may_edit(&user),
        kinds: KINDS,
        form,
        problems: Vec::new(),
    }))
}

fn kind_name(list: &ListView) -> String {
    serde_json::to_value(list.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

async fn save_new(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<ListForm>,
) -> Result<Response, WebError> {
    let name = form.name.trim().to_owned();
    store(state, user, name, form).await
}

async fn save(
    State(state): State<AppState>,
    user: WebUser,
    Path(name): Path<String>,
    Form(form): Form<ListForm>,
) -> Result<Response, WebError> {
    store(state, user, name, form).await
}

/// Saves the list through the API; a refusal shows the form as typed with every problem, an
/// entry's problem named by its line.
async fn store(
    state: AppState,
    user: WebUser,
    name: String,
    form: ListForm,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let (entries, lines) = entries_of(&form.entries);
    let expected = form.expected_version.trim().parse::<u32>().ok();
    let request = serde_json::json!({
        "kind": form.kind,
        "entries": entries,
        "reason": form.reason,
        "expected_version": expected,
    });
    let saved = match serde_json::from_value(request) {
        Ok(request) => {
            tamga_api::risk::lists::put_list(
                State(state.clone()),
                user.caller_for("PUT /api/v1/risk/lists/{name}")?,
                PathParam(name.clone()),
                JsonBody(request),
            )
            .await
        }
        Err(_) => {
            let problem = ("/kind".to_owned(), user.tr.get("list-kind-unknown"));
            return refused(&state, &user, name, form, vec![problem]).await;
        }
    };
    match saved {
        Ok(view) => Ok(Redirect::to(&format!("/risk/lists/{}", view.0.name)).into_response()),
        Err(ApiError::BadRequest { errors, .. }) | Err(ApiError::Invalid(errors)) => {
            let problems = errors
                .into_iter()
                .map(|e| (where_is(&e.pointer, &lines, &user), user.tr.problem(&e)))
                .collect();
            refused(&state, &user, name, form, problems).await
        }
        Err(e) => {
            let problem = (String::new(), WebError::alert(user.tr, e)?);
            refused(&state, &user, name, form, vec![problem]).await
        }
    }
}

/// The entries of a text, one per non-blank line, with each entry's line number.
fn entries_of(text: &str) -> (Vec<String>, Vec<usize>) {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| (line.trim().to_owned(), n + 1))
        .unzip()
}

/// Where a problem is, in the form's words: an entry by its line, a field by its label.
fn where_is(pointer: &str, lines: &[usize], user: &WebUser) -> String {
    if let Some(index) = pointer.strip_prefix("/entries/") {
        if let Some(line) = index.parse::<usize>().ok().and_then(|i| lines.get(i)) {
            return user.tr.arg("list-entry-line", "line", line);
        }
    }
    pointer.to_owned()
}

async fn refused(
    state: &AppState,
    user: &WebUser,
    name: String,
    form: ListForm,
    problems: Vec<(String, String)>,
) -> Result<Response, WebError> {
    let list = fetch(state, user)
        .await?
        .into_iter()
        .find(|l| l.name == name);
    let form = ListForm { name, ..form };
    let page = ListPage {
        page: Page::new(user, "list-title", "/risk/lists"),
        list,
        may_edit: may_edit(user),
        kinds: KINDS,
        form,
        problems,
    };
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

#[cfg(test)]
mod tests {
    use super::entries_of;

    #[test]
    fn entries_keep_the_line_they_were_typed_on() {
        let (entries, lines) = entries_of("UZ\n\n  KZ \r\nTJ");
        assert_eq!(entries, ["UZ", "KZ", "TJ"]);
        assert_eq!(lines, [1, 3, 4]);
    }
}
