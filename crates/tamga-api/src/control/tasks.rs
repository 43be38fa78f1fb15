//! `/tasks`: an officer's worklist and the steps of a control task; `/control/tasks`: an
//! office's tasks for its supervisor. Officers see only the tasks drawn for them, never the
//! unallocated ones, so nobody can pick a task.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_control::allocation::Group;
use tamga_control::finding::{self, AttachmentLimits, Finding};
use tamga_control::task::{may_see, ControlTask, TaskState, Viewer};
use tamga_control::UserId;
use tamga_store::control::{StoredDraw, TaskEvent, TaskOutcome, TaskPage, TaskQuery, TaskStep};
use tamga_store::{NewAssessment, User};
use utoipa::{IntoParams, ToSchema};

use super::{conflict, invalid, offices_of, text};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::list::page_limit;
use crate::AppState;

/// A control task as staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    /// The task: type, office, state, officers, timestamps.
    #[schema(value_type = Object)]
    pub task: ControlTask,
    /// The channel's explanation, for staff only.
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
    /// Seconds from opening to the start of the control, once started.
    pub time_to_start: Option<i64>,
    /// Seconds from opening to completion, once completed.
    pub time_to_complete: Option<i64>,
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<TaskEvent>,
    /// What the examiner found, once completed.
    #[schema(value_type = Option<Vec<Object>>)]
    pub findings: Option<serde_json::Value>,
    /// Misclassifications proposed by published laboratory reports, for the examiner to
    /// confirm by completing the task with them.
    #[schema(value_type = Vec<Object>)]
    pub proposed_findings: Vec<Finding>,
    /// The recorded draws, for supervisors and administrators.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub draws: Option<Vec<StoredDraw>>,
}

/// One page of tasks, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    #[schema(value_type = Vec<Object>)]
    pub tasks: Vec<ControlTask>,
    /// The `after` of the next page, when there is one.
    pub next_after: Option<i64>,
}

impl From<TaskPage> for TaskList {
    fn from(page: TaskPage) -> TaskList {
        TaskList {
            tasks: page.tasks,
            next_after: page.next_after,
        }
    }
}

/// Tasks on a page when the query names no `limit`, and the most it may name.
const DEFAULT_LIMIT: u32 = 100;
const MAX_LIMIT: u32 = 500;

/// Where a page of tasks starts, and its size.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The `next_after` of the previous page.
    pub after: Option<i64>,
    /// Tasks on the page, 1 to 500 (default 100).
    pub limit: Option<u32>,
}

/// The tasks drawn for the caller, as examiner or chief, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "control", security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "The caller's tasks", body = TaskList),
        (status = 400, description = "An unreadable query or a limit out of range", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Officers and supervisors only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn worklist(
    State(state): State<AppState>,
    Caller(user): Caller,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Json<TaskList>, ApiError> {
    let Query(query) = query?;
    let limit = page_limit(query.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let page = state.store.worklist(user.id, query.after, limit).await?;
    Ok(Json(page.into()))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfficeQuery {
    /// UN/LOCODE of the office; a supervisor may ask only for their own.
    pub office: Option<String>,
    /// open, allocated, in-progress, completed or cancelled.
    pub state: Option<String>,
    /// The `next_after` of the previous page.
    pub after: Option<i64>,
    /// Tasks on the page, 1 to 500 (default 100).
    pub limit: Option<u32>,
}

/// The tasks of the supervisor's office (any office for administrators), newest first, by page.
#[utoipa::path(get, path = "/api/v1/control/tasks", tag = "control", security(("bearer" = [])),
    params(OfficeQuery),
    responses(
        (status = 200, description = "The office's tasks", body = TaskList),
        (status = 400, description = "An unknown state or a limit out of range", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supervisors of the office and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn office(
    State(state): State<AppState>,
    Caller(user): Caller,
    query: Result<Query<OfficeQuery>, QueryRejection>,
) -> Result<Json<TaskList>, ApiError> {
    let Query(query) = query?;
    let task_state = match query.state.as_deref() {
        None => None,
        Some(s) => Some(TaskState::parse(s).ok_or_else(|| {
            ApiError::query(
                "state",
                "unknown_state",
                "open, allocated, in-progress, completed or cancelled",
            )
        })?),
    };
    let limit = page_limit(query.limit, DEFAULT_LIMIT, MAX_LIMIT)?;
    let mut office = query.office.clone();
    if user.role != tamga_core::role::Role::Admin {
        let mine = offices_of(&state, &user).await?;
        let Some(own) = mine.first() else {
            return Err(ApiError::Forbidden(
                "the supervisor oversees no office".into(),
            ));
        };
        if office.as_deref().is_some_and(|o| o != own.as_str()) {
            return Err(ApiError::Forbidden(
                "supervisors see the tasks of their own office".into(),
            ));
        }
        office = Some(own.as_str().to_owned());
    }
    let query = TaskQuery {
        office,
        state: task_state,
        after: query.after,
        limit,
    };
    Ok(Json(state.store.office_tasks(&query).await?.into()))
}

/// The task if `user` may see it; 404 otherwise, so nobody learns of others' tasks.
pub(crate) async fn visible(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<ControlTask, ApiError> {
    let not_found = || ApiError::NotFound(format!("no control task {id}"));
    let task = state.store.task(id).await?.ok_or_else(not_found)?;
    let offices = offices_of(state, user).await?;
    let viewer = Viewer {
        role: user.role,
        id: UserId(user.id),
        offices: &offices,
    };
    if may_see(&task, &viewer) {
        Ok(task)
    } else {
        Err(not_found())
    }
}

/// One task with the channel's explanation, its history and findings.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    responses(
        (status = 200, description = "The task", body = TaskView),
        (status = 403, description = "Customs control staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn one(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<TaskView>, ApiError> {
    let task = visible(&state, &user, id).await?;
    let object = format!("task:{id}");
    let action = "risk.explanation.read";
    state.store.audit_read(&user.name, action, &object).await?;
    view(&state, &user, task).await.map(Json)
}

async fn view(state: &AppState, user: &User, task: ControlTask) -> Result<TaskView, ApiError> {
    let json = |t: &str| serde_json::from_str(t).unwrap_or(serde_json::Value::String(t.into()));
    let history = state.store.task_events(task.id).await?;
    let findings = state.store.task_findings(task.id).await?.map(|f| json(&f));
    // The draws are shown to those who oversee an office's tasks (the access table's rule).
    let draws = if crate::access::may(user, "GET /api/v1/control/tasks") {
        Some(state.store.task_draws(task.id).await?)
    } else {
        None
    };
    let mut proposed_findings = Vec::new();
    for id in state.store.samples_of(&task.mrn).await? {
        let sample = state.store.sample(&id).await?;
        proposed_findings.extend(sample.and_then(|s| s.proposed_finding));
    }
    Ok(TaskView {
        proposed_findings,
        explanation: json(&task.explanation),
        time_to_start: task.time_to_start().map(|d| d.whole_seconds()),
        time_to_complete: task.time_to_complete().map(|d| d.whole_seconds()),
        history,
        findings,
        draws,
        task,
    })
}

/// Runs a step and renders the task, or the refusal: 404, 403 (not the task's officer) or 409
/// naming the current state and the allowed ones.
async fn run(
    state: &AppState,
    user: &User,
    id: i64,
    step: TaskStep,
) -> Result<Json<TaskView>, ApiError> {
    match state.store.task_step(id, user, step).await? {
        TaskOutcome::Done(task) => view(state, user, *task).await.map(Json),
        TaskOutcome::NotFound => Err(ApiError::NotFound(format!("no control task {id}"))),
        TaskOutcome::NotAllocated => Err(ApiError::Forbidden(
            "the task is not allocated to the caller".into(),
        )),
        TaskOutcome::Illegal(e) => Err(conflict(e.to_string())),
        TaskOutcome::Refused(words) => Err(conflict(words)),
    }
}

/// Start the control (the allocated examiner); the declaration goes under control.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/start", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    responses(
        (status = 200, description = "Started", body = TaskView),
        (status = 403, description = "Not the task's examiner", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allocated: the current state and the allowed ones", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn start(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<TaskView>, ApiError> {
    let task = visible(&state, &user, id).await?;
    run(&state, &user, task.id, TaskStep::Start).await
}

/// Endorse the release of a completed physical examination (the allocated chief).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/endorse", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    responses(
        (status = 200, description = "Endorsed", body = TaskView),
        (status = 403, description = "Not the task's chief examiner", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not completed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn endorse(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<TaskView>, ApiError> {
    let task = visible(&state, &user, id).await?;
    run(&state, &user, task.id, TaskStep::Endorse).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// Per goods item: `{"item": 1, "type": "misclassification", "commodity_code": "...",
    /// "notes": "...", "attachments": [{"file_name", "sha256", "size"}]}`; types as_declared,
    /// misclassification, undervaluation, origin, quantity, prohibited, ipr, drugs, weapons, other.
    #[schema(value_type = Vec<Object>)]
    pub findings: Vec<Finding>,
    pub notes: Option<String>,
}

/// Complete the control with its findings (the allocated examiner). Findings that change a
/// code, value, origin or quantity store a re-assessment with the difference owed, and the
/// inspection outcome feeds the profiles' hit rates, all in one transaction.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/complete", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    request_body = CompleteRequest,
    responses(
        (status = 200, description = "Completed", body = TaskView),
        (status = 403, description = "Not the task's examiner", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in progress", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "An attachment over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid finding field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn complete(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(request): JsonBody<CompleteRequest>,
) -> Result<Json<TaskView>, ApiError> {
    let task = visible(&state, &user, id).await?;
    let (record, versions) = crate::revenue::reassess::assessed(&state, &task.mrn).await?;
    let current = crate::revenue::reassess::current_declaration(
        &state,
        &record.declaration,
        record.accepted_at,
        &versions,
    )?;
    check_findings(&request, &current, super::attachments::limits(&state))?;
    let references = super::attachments::of_findings(&request.findings);
    super::attachments::check_uploaded(&state, references).await?;
    let reassessment = match finding::reassessment(&request.findings) {
        Some(r) => {
            let assessment =
                crate::revenue::reassess::reassessed(&state, &record, &versions, &r.corrections)?;
            let corrections = serde_json::to_value(&r.corrections).unwrap_or_default();
            let at = tamga_store::sql::now();
            Some(Box::new(NewAssessment {
                assessment,
                by: user.clone(),
                at,
                reason: r.reason,
                corrections,
            }))
        }
        None => None,
    };
    let previous = versions
        .last()
        .map_or(Decimal::ZERO, |v| v.assessment.total);
    let extra = reassessment.as_ref().map_or(Decimal::ZERO, |r| {
        (r.assessment.total - previous).max(Decimal::ZERO)
    });
    let outcome = serde_json::json!({
        "findings": finding::outcome_findings(&request.findings),
        "extra_revenue": extra.to_string(),
        "notes": request.notes,
    });
    let findings =
        serde_json::to_string(&request.findings).map_err(|e| ApiError::Internal(Box::new(e)))?;
    let step = TaskStep::Complete {
        findings,
        outcome: outcome.to_string(),
        reassessment,
    };
    run(&state, &user, task.id, step).await
}

/// Every problem of the findings: 413 when an attachment is over the limit, else 422.
fn check_findings(
    request: &CompleteRequest,
    declaration: &tamga_core::Declaration,
    limits: AttachmentLimits,
) -> Result<(), ApiError> {
    let mut errors = finding::validate(&request.findings, declaration, &limits);
    if let Some(notes) = &request.notes {
        errors.extend(text("/notes", notes, 4000).err());
    }
    super::attachments::refuse(errors)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    pub reason: String,
}

/// Cancel a task, with a reason (supervisors and administrators).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/cancel", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Cancelled", body = TaskView),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already completed or cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or invalid reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(request): JsonBody<ReasonRequest>,
) -> Result<Json<TaskView>, ApiError> {
    let task = visible(&state, &user, id).await?;
    let reason = text("/reason", &request.reason, 1000).map_err(|e| invalid(vec![e]))?;
    run(&state, &user, task.id, TaskStep::Cancel { reason }).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReallocateRequest {
    /// examiner or chief-examiner.
    #[schema(value_type = String)]
    pub group: Group,
    pub reason: String,
}

/// Replace the task's examiner (or chief) by a new random draw, with a reason (supervisors).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reallocate", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    request_body = ReallocateRequest,
    responses(
        (status = 200, description = "Reallocated", body = TaskView),
        (status = 403, description = "Supervisors only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allocated, or nobody else eligible on duty", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or invalid reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reallocate(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(request): JsonBody<ReallocateRequest>,
) -> Result<Json<TaskView>, ApiError> {
    let task = visible(&state, &user, id).await?;
    let reason = text("/reason", &request.reason, 1000).map_err(|e| invalid(vec![e]))?;
    let step = TaskStep::Reallocate {
        group: request.group,
        reason,
    };
    run(&state, &user, task.id, step).await
}

/// Draw the officers of a task left open because nobody was on duty (supervisors).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/allocate", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    responses(
        (status = 200, description = "Allocated", body = TaskView),
        (status = 403, description = "Supervisors only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not open, or still nobody eligible on duty", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn allocate(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<TaskView>, ApiError> {
    let task = visible(&state, &user, id).await?;
    run(&state, &user, task.id, TaskStep::Allocate).await
}
