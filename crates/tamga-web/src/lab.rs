//! The laboratory's screens: the sample queue (flagged samples marked), and a sample with its
//! chain of custody, its result and report, and the steps a lab user takes — state changes,
//! hand-overs, entering a result, verifying another analyst's result (four eyes), publishing.
//! Every step is the API's handler; a refusal is shown on the sample's page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use tamga_api::control::lab;
use tamga_api::error::ApiError;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::AppState;
use tamga_core::FieldError;
use tamga_store::lab::{SampleSummary, StoredSample};

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lab", get(queue))
        .route("/lab/samples/{id}", get(show))
        .route("/lab/samples/{id}/{step}", post(step))
}

/// The states a lab user moves a sample to by hand (the others follow from results).
pub const MANUAL_STATES: &[&str] = &[
    "collected",
    "in-transit",
    "received",
    "in-analysis",
    "rejected",
    "invalidated",
    "disposed",
    "returned",
];
pub const CONDITIONS: &[&str] = &["intact", "damaged", "seal-broken"];

#[derive(Template)]
#[template(path = "lab/queue.html")]
struct QueuePage {
    page: Page,
    samples: Vec<SampleSummary>,
}

async fn queue(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let query = serde_urlencoded::from_str("")
        .map(Query)
        .map_err(|e| WebError::internal(user.tr, e))?;
    let queue = lab::queue(
        State(state),
        user.caller_for("GET /api/v1/lab/samples")?,
        Ok(query),
    )
    .await;
    let samples = queue.map_err(|e| WebError::api(user.tr, e))?.0.samples;
    Ok(render(&QueuePage {
        page: Page::new(&user, "lab-title", "/lab"),
        samples,
    }))
}

#[derive(Template)]
#[template(path = "lab/sample.html")]
struct SamplePage {
    page: Page,
    s: StoredSample,
    states: &'static [&'static str],
    conditions: &'static [&'static str],
    alert: Option<String>,
}

async fn page_of(
    state: AppState,
    user: &WebUser,
    id: String,
    alert: Option<String>,
) -> Result<Response, WebError> {
    let sample = lab::one(
        State(state),
        user.caller_for("GET /api/v1/lab/samples/{id}")?,
        PathParam(id),
    )
    .await;
    let s = sample.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&SamplePage {
        page: Page::new(user, "sample-title", "/lab"),
        s,
        states: MANUAL_STATES,
        conditions: CONDITIONS,
        alert,
    }))
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    page_of(state, &user, id, None).await
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// The user id of a user name typed in a hand-over form.
async fn user_id(state: &AppState, name: &str, pointer: &str) -> Result<i64, ApiError> {
    match state.store.user_by_name(name).await? {
        Some(user) => Ok(user.id),
        None => Err(ApiError::Invalid(vec![FieldError::new(
            pointer,
            "unknown_user",
            format!("no user named {name:?}"),
        )])),
    }
}

/// The result form as the API's request: up to three parameters, an optional opinion.
fn result_of(fields: &[(String, String)]) -> serde_json::Value {
    let parameters: Vec<_> = (1..=3)
        .filter(|n| !field(fields, &format!("param-name-{n}")).is_empty())
        .map(|n| {
            let unit = field(fields, &format!("param-unit-{n}"));
            serde_json::json!({"name": field(fields, &format!("param-name-{n}")), "value": field(fields, &format!("param-value-{n}")),
                               "unit": (!unit.is_empty()).then_some(unit)})
        })
        .collect();
    let code = field(fields, "opinion-code");
    let opinion = (!code.is_empty()).then(|| serde_json::json!({"commodity_code": code, "reasoning": field(fields, "opinion-reasoning")}));
    serde_json::json!({"method": field(fields, "method"), "parameters": parameters, "conclusion": field(fields, "conclusion"), "opinion": opinion})
}

fn parse<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value)
        .map_err(|e| ApiError::Invalid(vec![FieldError::new("/", "invalid", e.to_string())]))
}

async fn run(
    state: AppState,
    user: &WebUser,
    id: &str,
    step: &str,
    fields: &[(String, String)],
) -> Result<(), ApiError> {
    let (s, path) = (State(state.clone()), PathParam(id.to_owned()));
    let caller =
        |action: &str| user.api_caller(&format!("POST /api/v1/lab/samples/{{id}}/{action}"));
    match step {
        "state" => {
            let reasons: Vec<&str> = Some(field(fields, "reason"))
                .filter(|r| !r.is_empty())
                .into_iter()
                .collect();
            let request =
                parse(serde_json::json!({"state": field(fields, "state"), "reasons": reasons}))?;
            lab::change_state(s, caller("state")?, path, JsonBody(request))
                .await
                .map(drop)
        }
        "handover" => {
            let from = user_id(&state, field(fields, "from"), "/from").await?;
            let to = user_id(&state, field(fields, "to"), "/to").await?;
            let body = serde_json::json!({"from": from, "to": to, "place": field(fields, "place"),
                                          "seal_seen": field(fields, "seal_seen"), "condition": field(fields, "condition")});
            lab::handover(s, caller("handovers")?, path, JsonBody(parse(body)?))
                .await
                .map(drop)
        }
        "result" => lab::result(
            s,
            caller("result")?,
            path,
            JsonBody(parse(result_of(fields))?),
        )
        .await
        .map(drop),
        "verify" => lab::verify(s, caller("verify")?, path).await.map(drop),
        "publish" => lab::publish(s, caller("publish")?, path).await.map(drop),
        _ => Err(ApiError::NotFound(format!("no step {step:?}"))),
    }
}

async fn step(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, step)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.check_csrf(field(&fields, "csrf"))?;
    match run(state.clone(), &user, &id, &step, &fields).await {
        Ok(()) => Ok(Redirect::to(&format!("/lab/samples/{id}")).into_response()),
        Err(e) => page_of(state, &user, id, Some(WebError::alert(user.tr, e)?)).await,
    }
}
