//! The officer's screens: the worklist of tasks drawn for them (a supervisor sees their
//! offices' tasks), and a task with its steps — start, complete with findings per goods item,
//! endorse. Every step is the API's handler; its refusal is shown on the task's page.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use tamga_api::control::tasks::{self, TaskView};
use tamga_api::error::ApiError;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::AppState;
use tamga_control::task::ControlTask;
use tamga_core::model::GoodsItem;
use tamga_core::role::Role;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/worklist", get(worklist))
        .route("/tasks/{id}", get(show))
        .route(
            "/tasks/{id}/complete",
            post(complete).layer(axum::extract::DefaultBodyLimit::max(FORM_LIMIT)),
        )
        .route("/tasks/{id}/{step}", post(step))
}

/// The largest completion form taken, photos and documents included; each file is held to
/// the attachment size limit by the API.
const FORM_LIMIT: usize = 64 * 1024 * 1024;

/// The finding types an examiner chooses from, and the field each one's new value goes in.
pub const FINDINGS: &[(&str, Option<&str>)] = &[
    ("as_declared", None),
    ("misclassification", Some("commodity_code")),
    ("undervaluation", Some("price")),
    ("origin", Some("origin")),
    ("quantity", Some("net_mass")),
    ("prohibited_or_restricted", None),
    ("counterfeit", None),
    ("drugs", None),
    ("weapons", None),
    ("other", None),
];

/// The sampling form's fields and their labels.
const SAMPLING: &[(&str, &str)] = &[
    ("sample_id", "field-sample"),
    ("item", "field-item"),
    ("seal_number", "field-seal"),
    ("quantity", "field-quantity"),
    ("unit", "result-unit"),
    ("packaging", "field-packaging"),
    ("reason", "field-reason"),
    ("determine", "field-determine"),
    ("objections", "field-objections"),
    ("lab", "field-lab"),
];

#[derive(Template)]
#[template(path = "control/worklist.html")]
struct WorklistPage {
    page: Page,
    tasks: Vec<ControlTask>,
    /// The `after` of the next page of older tasks.
    next: Option<i64>,
}

/// The officer's tasks, or a supervisor's offices' tasks, a page at a time (`?after=`).
async fn worklist(
    State(state): State<AppState>,
    user: WebUser,
    query: Result<Query<tasks::PageQuery>, QueryRejection>,
) -> Result<Response, WebError> {
    let list = if user.user.role == Role::Officer {
        let caller = user.caller_for("GET /api/v1/tasks")?;
        tasks::worklist(State(state), caller, query).await
    } else {
        let query = query.map(|Query(page)| {
            Query(tasks::OfficeQuery {
                after: page.after,
                limit: page.limit,
                ..tasks::OfficeQuery::default()
            })
        });
        let caller = user.caller_for("GET /api/v1/control/tasks")?;
        tasks::office(State(state), caller, query).await
    };
    let list = list.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&WorklistPage {
        page: Page::new(&user, "worklist-title", "/worklist"),
        tasks: list.tasks,
        next: list.next_after,
    }))
}

#[derive(Template)]
#[template(path = "control/task.html")]
struct TaskPage {
    page: Page,
    view: TaskView,
    items: Vec<GoodsItem>,
    findings: &'static [(&'static str, Option<&'static str>)],
    sampling_fields: &'static [(&'static str, &'static str)],
    samples: Vec<String>,
    is_examiner: bool,
    is_chief: bool,
    alert: Option<String>,
}

async fn page_of(
    state: AppState,
    user: &WebUser,
    id: i64,
    alert: Option<String>,
) -> Result<Response, WebError> {
    let view = tasks::one(
        State(state.clone()),
        user.caller_for("GET /api/v1/tasks/{id}")?,
        PathParam(id),
    )
    .await;
    let view = view.map_err(|e| WebError::api(user.tr, e))?.0;
    let samples = state.store.samples_of(&view.task.mrn).await;
    let samples = samples.map_err(|e| WebError::internal(user.tr, e))?;
    let declaration = tamga_api::declarations::get_declaration(
        State(state),
        user.caller_for("GET /api/v1/declarations/{mrn}")?,
        PathParam(view.task.mrn.clone()),
    )
    .await;
    let items = declaration
        .map(|d| d.0.declaration.items)
        .unwrap_or_default();
    let me = tamga_control::UserId(user.user.id);
    Ok(render(&TaskPage {
        page: Page::new(user, "task-title", "/worklist"),
        is_examiner: view.task.examiner == Some(me),
        is_chief: view.task.chief == Some(me),
        view,
        items,
        findings: FINDINGS,
        sampling_fields: SAMPLING,
        samples,
        alert,
    }))
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    page_of(state, &user, id, None).await
}

/// The findings of the completion form, as the API's request: per item its type, the new
/// value where the type has one, and notes.
fn findings_of(fields: &[(String, String)]) -> serde_json::Value {
    let get = |name: String| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    let mut findings = Vec::new();
    for n in 1..=999u16 {
        let Some(kind) = get(format!("type-{n}")) else {
            break;
        };
        let mut finding = serde_json::json!({"item": n, "type": kind});
        let value_field = FINDINGS
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, f)| *f);
        if let (Some(field), Some(value)) = (value_field, get(format!("value-{n}"))) {
            finding[field] = serde_json::Value::from(value);
        }
        if let Some(notes) = get(format!("notes-{n}")).filter(|n| !n.is_empty()) {
            finding["notes"] = serde_json::Value::from(notes);
        }
        findings.push(finding);
    }
    serde_json::json!({ "findings": findings })
}

/// The sampling form as the API's request; numbers stay text when they are not numbers, so
/// the API names the field.
fn sampling_of(fields: &[(String, String)]) -> serde_json::Value {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    };
    let item = get("item").parse::<u16>().map_or_else(
        |_| serde_json::Value::from(get("item")),
        serde_json::Value::from,
    );
    let objections = Some(get("objections")).filter(|o| !o.is_empty());
    serde_json::json!({
        "sample_id": get("sample_id"), "item": item, "seal_number": get("seal_number"),
        "quantity": get("quantity"), "unit": get("unit"), "packaging": get("packaging"),
        "reason": get("reason"), "determine": get("determine"), "objections": objections, "lab": get("lab"),
    })
}

/// One step on a task: start, take a sample, complete or endorse.
async fn step(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, step)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    user.check_csrf(csrf)?;
    let s = State(state.clone());
    let caller = |action: &str| user.api_caller(&format!("POST /api/v1/tasks/{{id}}/{action}"));
    let done = match step.as_str() {
        "start" => match caller("start") {
            Ok(caller) => tasks::start(s, caller, PathParam(id)).await.map(drop),
            Err(e) => Err(e),
        },
        "endorse" => match caller("endorse") {
            Ok(caller) => tasks::endorse(s, caller, PathParam(id)).await.map(drop),
            Err(e) => Err(e),
        },
        "sample" => match (
            caller("samples"),
            serde_json::from_value(sampling_of(&fields)),
        ) {
            (Err(e), _) => Err(e),
            (Ok(caller), Ok(form)) => {
                tamga_api::control::lab::request(s, caller, PathParam(id), JsonBody(form))
                    .await
                    .map(drop)
            }
            (Ok(_), Err(e)) => Err(ApiError::Invalid(vec![tamga_core::FieldError::new(
                "/",
                "invalid",
                e.to_string(),
            )])),
        },
        _ => return Err(WebError::not_found(user.tr)),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}")).into_response()),
        Err(e) => page_of(state, &user, id, Some(WebError::alert(user.tr, e)?)).await,
    }
}

/// Completion with findings per goods item, each with the photos and documents chosen for it
/// (`files-N`): the files are uploaded first, through the API, and the findings name them.
async fn complete(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let upload = crate::upload::read(multipart, user.tr).await?;
    user.check_csrf(&upload.csrf)?;
    let done = match attach_all(&state, &user, &upload.files).await {
        Ok(attached) => {
            let mut request = findings_of(&upload.fields);
            for (item, attachment) in attached {
                if let Some(finding) = request["findings"]
                    .as_array_mut()
                    .and_then(|all| all.get_mut(item.saturating_sub(1)))
                {
                    match finding
                        .get_mut("attachments")
                        .and_then(serde_json::Value::as_array_mut)
                    {
                        Some(list) => list.push(attachment),
                        None => finding["attachments"] = serde_json::json!([attachment]),
                    }
                }
            }
            match serde_json::from_value(request) {
                Ok(request) => tasks::complete(
                    State(state.clone()),
                    user.caller_for("POST /api/v1/tasks/{id}/complete")?,
                    PathParam(id),
                    JsonBody(request),
                )
                .await
                .map(drop),
                Err(e) => Err(ApiError::Invalid(vec![tamga_core::FieldError::new(
                    "/findings",
                    "invalid",
                    e.to_string(),
                )])),
            }
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}")).into_response()),
        Err(e) => page_of(state, &user, id, Some(WebError::alert(user.tr, e)?)).await,
    }
}

/// Uploads each chosen file; gives (goods item, attachment reference) per file.
async fn attach_all(
    state: &AppState,
    user: &WebUser,
    files: &[crate::upload::FilePart],
) -> Result<Vec<(usize, serde_json::Value)>, ApiError> {
    let mut attached = Vec::new();
    for file in files {
        let Some(item) = file
            .field
            .strip_prefix("files-")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let mut headers = axum::http::HeaderMap::new();
        if let Ok(kind) = file.content_type.parse() {
            headers.insert(axum::http::header::CONTENT_TYPE, kind);
        }
        let query = tamga_api::control::attachments::UploadQuery {
            file_name: Some(file.file_name.clone()),
        };
        let caller = user.api_caller("POST /api/v1/attachments")?;
        let (_, uploaded) = tamga_api::control::attachments::upload(
            State(state.clone()),
            caller,
            Ok(Query(query)),
            headers,
            axum::body::Body::from(file.bytes.clone()),
        )
        .await?;
        let reference = serde_json::json!({
            "file_name": uploaded.0.file_name,
            "sha256": uploaded.0.sha256,
            "size": uploaded.0.size,
        });
        attached.push((item, reference));
    }
    Ok(attached)
}
