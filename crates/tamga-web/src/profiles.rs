//! The analyst's screens: risk profiles listed, written in an editor that checks the condition
//! as it is typed (the API's `/risk/conditions/check`, errors at line and column), dry-run
//! against recent declarations and activated; each profile's version history. Every answer is
//! the API handler's.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::error::ApiError;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::risk::dry_run::DryRunView;
use tamga_api::risk::profiles::ProfileVersion;
use tamga_api::AppState;
use tamga_core::FieldError;

use crate::error::WebError;
use crate::page::{render, render_status, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/risk/profiles", get(list))
        .route("/risk/profiles/new", get(blank).post(submit))
        .route("/risk/profiles/{id}", get(history))
        .route("/risk/condition-check", post(check))
}

#[derive(Template)]
#[template(path = "risk/profiles.html")]
struct ListPage {
    page: Page,
    profiles: Vec<ProfileVersion>,
}

async fn list(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let profiles = tamga_api::risk::profiles::list_profiles(
        State(state),
        user.caller_for("GET /api/v1/risk/profiles")?,
    )
    .await;
    let profiles = profiles.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&ListPage {
        page: Page::new(&user, "profiles-title", "/risk/profiles"),
        profiles,
    }))
}

/// The editor's fields, kept as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub condition: String,
    #[serde(default)]
    pub effect: String,
    #[serde(default)]
    pub weight: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub reason: String,
}

impl ProfileForm {
    /// The API's profile request.
    fn request(&self) -> serde_json::Value {
        let effect = if self.effect == "force" {
            serde_json::json!({"force": self.channel})
        } else {
            let weight = self.weight.trim().parse::<i64>().map_or_else(
                |_| serde_json::Value::from(self.weight.trim()),
                serde_json::Value::from,
            );
            serde_json::json!({"weight": weight})
        };
        serde_json::json!({
            "id": self.id.trim(),
            "title": self.title,
            "rationale": self.rationale,
            "condition": self.condition,
            "effect": effect,
            "reason": self.reason,
        })
    }
}

#[derive(Template)]
#[template(path = "risk/editor.html")]
struct EditorPage {
    page: Page,
    form: ProfileForm,
    problems: Vec<FieldError>,
    dry_run: Option<DryRunView>,
    channels: &'static [&'static str],
}

const CHANNELS: &[&str] = &["yellow", "red", "blue", "green"];

fn editor(
    user: &WebUser,
    status: StatusCode,
    form: ProfileForm,
    problems: Vec<FieldError>,
    dry_run: Option<DryRunView>,
) -> Response {
    let page = EditorPage {
        page: Page::new(user, "profile-new-title", "/risk/profiles"),
        form,
        problems,
        dry_run,
        channels: CHANNELS,
    };
    render_status(status, &page)
}

async fn blank(user: WebUser) -> Response {
    let form = ProfileForm {
        effect: "weight".into(),
        weight: "30".into(),
        channel: "red".into(),
        ..ProfileForm::default()
    };
    editor(&user, StatusCode::OK, form, Vec::new(), None)
}

/// The problems of a refused request, and its status.
fn refusal(user: &WebUser, error: ApiError) -> Result<(StatusCode, Vec<FieldError>), WebError> {
    match error {
        ApiError::Invalid(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, errors)),
        ApiError::BadRequest {
            status,
            errors,
            detail,
        } if errors.is_empty() => Ok((status, vec![FieldError::new("/", "invalid", detail)])),
        ApiError::BadRequest { status, errors, .. } => Ok((status, errors)),
        ApiError::Conflict { detail, .. } => Ok((
            StatusCode::CONFLICT,
            vec![FieldError::new("/id", "conflict", detail)],
        )),
        other => Err(WebError::api(user.tr, other)),
    }
}

/// Dry run or activation of the profile in the editor.
async fn submit(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<ProfileForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    if form.action == "dry-run" {
        let request = serde_json::from_value(serde_json::json!({"profile": form.request()}));
        let answer = match request {
            Ok(request) => {
                tamga_api::risk::dry_run::dry_run(
                    State(state),
                    user.caller_for("POST /api/v1/risk/profiles/dry-run")?,
                    JsonBody(request),
                )
                .await
            }
            Err(e) => Err(ApiError::Invalid(vec![FieldError::new(
                "/",
                "invalid",
                e.to_string(),
            )])),
        };
        return match answer {
            Ok(view) => Ok(editor(
                &user,
                StatusCode::OK,
                form,
                Vec::new(),
                Some(view.0),
            )),
            Err(e) => refusal(&user, e)
                .map(|(status, problems)| editor(&user, status, form, problems, None)),
        };
    }
    let answer = match serde_json::from_value(form.request()) {
        Ok(request) => {
            tamga_api::risk::profiles::create_profile(
                State(state),
                user.caller_for("POST /api/v1/risk/profiles")?,
                JsonBody(request),
            )
            .await
        }
        Err(e) => Err(ApiError::Invalid(vec![FieldError::new(
            "/",
            "invalid",
            e.to_string(),
        )])),
    };
    match answer {
        Ok((_, created)) => {
            Ok(Redirect::to(&format!("/risk/profiles/{}", created.0.profile.id)).into_response())
        }
        Err(e) => {
            refusal(&user, e).map(|(status, problems)| editor(&user, status, form, problems, None))
        }
    }
}

#[derive(Template)]
#[template(path = "risk/check.html")]
struct CheckFragment {
    t: crate::i18n::Tr,
    canonical: Option<String>,
    problems: Vec<FieldError>,
}

#[derive(Deserialize)]
struct CheckForm {
    #[serde(default)]
    condition: String,
}

/// The condition checked as it is typed: its canonical form, or where it stops making sense.
async fn check(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<CheckForm>,
) -> Result<Response, WebError> {
    let request = serde_json::from_value(serde_json::json!({"condition": form.condition}));
    let request = request.map_err(|e| WebError::internal(user.tr, e))?;
    let answer = tamga_api::risk::lists::check_condition(
        State(state),
        user.caller_for("POST /api/v1/risk/conditions/check")?,
        JsonBody(request),
    )
    .await;
    let fragment = match answer {
        Ok(view) => CheckFragment {
            t: user.tr,
            canonical: Some(view.0.canonical),
            problems: Vec::new(),
        },
        Err(e) => CheckFragment {
            t: user.tr,
            canonical: None,
            problems: refusal(&user, e)?.1,
        },
    };
    Ok(render(&fragment))
}

#[derive(Template)]
#[template(path = "risk/history.html")]
struct HistoryPage {
    page: Page,
    versions: Vec<ProfileVersion>,
}

async fn history(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let versions = tamga_api::risk::profiles::profile_history(
        State(state),
        user.caller_for("GET /api/v1/risk/profiles/{id}")?,
        PathParam(id),
    )
    .await;
    let versions = versions.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&HistoryPage {
        page: Page::new(&user, "profile-history-title", "/risk/profiles"),
        versions,
    }))
}
