//! `/tasks/{id}/samples` and `/lab/...`: the examiner takes a sample during the control; the
//! laboratory receives it, analyses it, verifies the result with a second pair of eyes and
//! publishes the report; every hand-over is recorded and checked into custody flags. Lab users
//! see samples and reports, never risk profiles, lists or explanations.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_control::sample::custody::{Condition, Handover};
use tamga_control::sample::result::{turnaround_by_lab, LabResult, Turnaround};
use tamga_control::sample::{SampleRequest, SampleState};
use tamga_control::UserId;
use tamga_core::role::Role;
use tamga_store::lab::{NewSample, SampleOutcome, SampleStep, SampleSummary, StoredSample};
use tamga_store::User;
use utoipa::{IntoParams, ToSchema};

use super::{conflict, invalid, text};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// How long a sample is kept after its final result before it is disposed of or returned.
const RETENTION: time::Duration = time::Duration::days(90);

/// Who may move a sample to a state: examiners collect and send it (the access table's rule
/// for taking samples), the laboratory does the rest (its rule for results). The table's gate
/// on the state endpoint admits both; which state is asked for decides here.
fn may(role: Role, what: &str) -> bool {
    let key = match what {
        "collect" => "POST /api/v1/tasks/{id}/samples",
        _ => "POST /api/v1/lab/samples/{id}/result",
    };
    tamga_core::role::rules::allows(key, role)
}

fn require(user: &User, what: &str) -> Result<(), ApiError> {
    if may(user.role, what) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "the role {} may not {what} samples",
            user.role.as_str()
        )))
    }
}

fn answer(outcome: SampleOutcome, id: &str) -> Result<Json<StoredSample>, ApiError> {
    match outcome {
        SampleOutcome::Done(s) => Ok(Json(*s)),
        SampleOutcome::NotFound => Err(ApiError::NotFound(format!("no sample or task {id}"))),
        SampleOutcome::NotAllocated => Err(ApiError::Forbidden(
            "the task is not allocated to the caller".into(),
        )),
        SampleOutcome::Illegal(e) => Err(conflict(e.to_string())),
        SampleOutcome::Refused(words) => Err(conflict(words)),
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SamplingForm {
    pub sample_id: String,
    /// The goods item sampled.
    pub item: u16,
    pub seal_number: String,
    #[schema(value_type = String)]
    pub quantity: Decimal,
    pub unit: String,
    pub packaging: String,
    pub reason: String,
    /// What the laboratory is asked to determine.
    pub determine: String,
    /// The declarant's objections, if any.
    pub objections: Option<String>,
    /// The laboratory, e.g. RCL-TASHKENT.
    pub lab: String,
}

/// Take a sample during the control (the task's examiner): the sampling form.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/samples", tag = "laboratory", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Task id")),
    request_body = SamplingForm,
    responses(
        (status = 201, description = "The sample, requested", body = Object),
        (status = 403, description = "Not the task's examiner", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such task", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The task is not in progress, or the sample id is used", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn request(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(form): JsonBody<SamplingForm>,
) -> Result<(StatusCode, Json<StoredSample>), ApiError> {
    let task = state
        .store
        .task(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no control task {id}")))?;
    let record = state
        .store
        .declaration(&task.mrn, &tamga_store::Scope::All)
        .await?;
    let declared = record.and_then(|r| {
        r.declaration
            .items
            .into_iter()
            .find(|i| i.sequence == form.item)
    });
    let Some(item) = declared else {
        return Err(invalid(vec![tamga_core::FieldError::new(
            "/item",
            "unknown_item",
            "no such goods item",
        )]));
    };
    let request = SampleRequest {
        sample_id: form.sample_id,
        mrn: task.mrn.clone(),
        task_id: id,
        item: form.item,
        seal_number: form.seal_number,
        quantity: form.quantity,
        unit: form.unit,
        packaging: form.packaging,
        reason: form.reason,
        determine: form.determine,
        declared_code: item.commodity_code,
        objections: form.objections,
        lab: form.lab,
        sampled_by: UserId(user.id),
    };
    let errors = request.validate();
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let outcome = state
        .store
        .request_sample(
            NewSample {
                request,
                at: tamga_store::sql::now(),
            },
            &user,
        )
        .await?;
    answer(outcome, &id.to_string()).map(|json| (StatusCode::CREATED, json))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// The laboratory, e.g. RCL-TASHKENT.
    pub lab: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queue {
    #[schema(value_type = Vec<Object>)]
    pub samples: Vec<SampleSummary>,
}

/// The laboratory's queue, oldest request first, flagged samples marked.
#[utoipa::path(get, path = "/api/v1/lab/samples", tag = "laboratory", security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "The queue", body = Queue),
        (status = 400, description = "An unknown state", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Laboratory, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn queue(
    State(state): State<AppState>,
    Caller(_): Caller,
    query: Result<Query<QueueQuery>, QueryRejection>,
) -> Result<Json<Queue>, ApiError> {
    let Query(query) = query?;
    if query
        .state
        .as_deref()
        .is_some_and(|s| parse_state(s).is_none())
    {
        return Err(ApiError::query(
            "state",
            "unknown_state",
            "a sample state, e.g. received",
        ));
    }
    let samples = state
        .store
        .lab_queue(query.lab.as_deref(), query.state.as_deref())
        .await?;
    Ok(Json(Queue { samples }))
}

fn parse_state(raw: &str) -> Option<SampleState> {
    use tamga_control::transition::Lifecycle;
    SampleState::ALL.into_iter().find(|s| s.as_str() == raw)
}

/// One sample with its custody chain and flags, result and report. Officers see the samples
/// of their own tasks.
#[utoipa::path(get, path = "/api/v1/lab/samples/{id}", tag = "laboratory", security(("bearer" = [])),
    params(("id" = String, Path, description = "Sample id")),
    responses(
        (status = 200, description = "The sample", body = Object),
        (status = 403, description = "Declarants and analysts never see samples", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sample visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn one(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<StoredSample>, ApiError> {
    let not_found = || ApiError::NotFound(format!("no sample {id}"));
    let sample = state.store.sample(&id).await?.ok_or_else(not_found)?;
    if user.role == Role::Officer {
        let task = state.store.task(sample.sample.request.task_id).await?;
        if !task.is_some_and(|t| t.is_allocated_to(UserId(user.id))) {
            return Err(not_found());
        }
    }
    Ok(Json(sample))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateRequest {
    /// collected, in-transit, received, in-analysis, rejected, invalidated, disposed, returned.
    pub state: String,
    /// Required to reject or invalidate.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// Move a sample along its lifecycle: the examiner collects and ships it, the laboratory
/// receives, analyses, rejects, invalidates (a retest is requested) and disposes of it.
#[utoipa::path(post, path = "/api/v1/lab/samples/{id}/state", tag = "laboratory", security(("bearer" = [])),
    params(("id" = String, Path, description = "Sample id")),
    request_body = StateRequest,
    responses(
        (status = 200, description = "The sample", body = Object),
        (status = 403, description = "Not this role's step", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sample", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Illegal step: the current state and the allowed ones", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown state or an invalid reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn change_state(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(request): JsonBody<StateRequest>,
) -> Result<Json<StoredSample>, ApiError> {
    let Some(to) = parse_state(&request.state) else {
        return Err(invalid(vec![tamga_core::FieldError::new(
            "/state",
            "unknown_state",
            "a sample state",
        )]));
    };
    let what = if matches!(to, SampleState::Collected | SampleState::InTransit) {
        "collect"
    } else {
        "analyse"
    };
    require(&user, what)?;
    let mut errors = Vec::new();
    let reasons: Vec<String> = request
        .reasons
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            text(&format!("/reasons/{i}"), r, 1000)
                .map_err(|e| errors.push(e))
                .ok()
        })
        .collect();
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    let step = match to {
        SampleState::Rejected => SampleStep::Reject(reasons),
        SampleState::Invalidated => SampleStep::Invalidate(reasons),
        SampleState::Disposed | SampleState::Returned => SampleStep::End(to, RETENTION),
        _ => SampleStep::Move(to),
    };
    answer(state.store.sample_step(&id, &user, step).await?, &id)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    /// The user handing over.
    pub from: i64,
    /// The user receiving.
    pub to: i64,
    pub place: String,
    /// The seal number the receiver reads on the bag.
    pub seal_seen: String,
    /// intact, damaged or seal-broken.
    #[schema(value_type = String)]
    pub condition: Condition,
}

/// Record a hand-over of the sample; the chain is checked and its flags shown on the sample.
#[utoipa::path(post, path = "/api/v1/lab/samples/{id}/handovers", tag = "laboratory", security(("bearer" = [])),
    params(("id" = String, Path, description = "Sample id")),
    request_body = HandoverRequest,
    responses(
        (status = 200, description = "The sample with its custody flags", body = Object),
        (status = 403, description = "Officers, supervisors and the laboratory only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sample", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The sample is disposed of or returned", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn handover(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(request): JsonBody<HandoverRequest>,
) -> Result<Json<StoredSample>, ApiError> {
    let place = text("/place", &request.place, 200);
    let seal = text("/seal_seen", &request.seal_seen, 20);
    let (place, seal_seen) = match (place, seal) {
        (Ok(p), Ok(s)) => (p, s),
        (p, s) => return Err(invalid(p.err().into_iter().chain(s.err()).collect())),
    };
    let h = Handover {
        from: UserId(request.from),
        to: UserId(request.to),
        at: tamga_store::sql::now(),
        place,
        seal_seen,
        condition: request.condition,
    };
    answer(
        state
            .store
            .sample_step(&id, &user, SampleStep::Handover(h))
            .await?,
        &id,
    )
}

/// Enter the analysis result (a lab user); the sample waits for another lab user's check.
#[utoipa::path(post, path = "/api/v1/lab/samples/{id}/result", tag = "laboratory", security(("bearer" = [])),
    params(("id" = String, Path, description = "Sample id")),
    request_body(content = Object, description = r#"{"method": "...", "parameters": [{"name", "value", "unit"}], "conclusion": "...", "opinion": {"commodity_code": "...", "reasoning": "..."}}"#),
    responses(
        (status = 200, description = "The sample, to be verified", body = Object),
        (status = 403, description = "The laboratory only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sample", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in analysis", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn result(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(result): JsonBody<LabResult>,
) -> Result<Json<StoredSample>, ApiError> {
    let errors = result.validate();
    if !errors.is_empty() {
        return Err(invalid(errors));
    }
    answer(
        state
            .store
            .sample_step(&id, &user, SampleStep::Enter(result))
            .await?,
        &id,
    )
}

/// Verify the result: a lab user other than the analyst who entered it.
#[utoipa::path(post, path = "/api/v1/lab/samples/{id}/verify", tag = "laboratory", security(("bearer" = [])),
    params(("id" = String, Path, description = "Sample id")),
    responses(
        (status = 200, description = "Verified", body = Object),
        (status = 403, description = "The laboratory only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sample", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not to be verified, or the caller entered the result", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<StoredSample>, ApiError> {
    answer(
        state
            .store
            .sample_step(&id, &user, SampleStep::Verify)
            .await?,
        &id,
    )
}

/// Publish the verified report to the declaration and the task; a classification opinion that
/// differs from the declared code proposes a misclassification finding to the examiner.
#[utoipa::path(post, path = "/api/v1/lab/samples/{id}/publish", tag = "laboratory", security(("bearer" = [])),
    params(("id" = String, Path, description = "Sample id")),
    responses(
        (status = 200, description = "Published", body = Object),
        (status = 403, description = "The laboratory only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sample", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not verified", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn publish(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<StoredSample>, ApiError> {
    answer(
        state
            .store
            .sample_step(&id, &user, SampleStep::Publish)
            .await?,
        &id,
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TurnaroundView {
    /// Per laboratory: samples published, mean, median and longest received → published.
    #[schema(value_type = Object)]
    pub labs: std::collections::BTreeMap<String, Turnaround>,
}

/// Turnaround (received → published) per laboratory over the samples in the queue.
#[utoipa::path(get, path = "/api/v1/lab/turnaround", tag = "laboratory", security(("bearer" = [])),
    responses(
        (status = 200, description = "Turnaround per laboratory", body = TurnaroundView),
        (status = 403, description = "Laboratory, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn turnaround(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<TurnaroundView>, ApiError> {
    let samples = state.store.lab_queue(None, None).await?;
    let labs = turnaround_by_lab(samples.iter().map(|s| &s.sample));
    Ok(Json(TurnaroundView { labs }))
}
