//! `/seizures` and `/cases`: officers record seizures, each opening an offence case or joining
//! one; the case takes notes and moves through its states; a seizure is exported in the shape of
//! the WCO CEN simplified form, without personal data unless a supervisor states the exchange
//! is lawful (`?lawful=true`).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_control::case::{CaseState, OffenceCase};
use tamga_control::seizure::Seizure;
use tamga_control::transition::Lifecycle;
use tamga_core::role::Role;
use tamga_store::lab::{CaseOutcome, CaseStep, StoredSeizure};
use utoipa::{IntoParams, ToSchema};

use super::{conflict, invalid};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeizureRequest {
    /// The seizure: date, office, category, description, commodity_code, quantity, unit,
    /// concealment, conveyance, route, persons, companies, photos, mrn, notes.
    #[schema(value_type = Object)]
    pub seizure: Seizure,
    /// The case to join; a new case is opened without it.
    pub case: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SeizureView {
    #[schema(value_type = Object)]
    pub seizure: StoredSeizure,
    #[schema(value_type = Object)]
    pub case: OffenceCase,
}

fn answer(outcome: CaseOutcome) -> Result<(Option<StoredSeizure>, OffenceCase), ApiError> {
    match outcome {
        CaseOutcome::Done { seizure, case } => Ok((seizure.map(|s| *s), *case)),
        CaseOutcome::UnknownCase => Err(ApiError::NotFound("no such offence case".into())),
        CaseOutcome::Illegal(e) => Err(conflict(e.to_string())),
        CaseOutcome::Refused(words) => Err(conflict(words)),
    }
}

/// Record a seizure (officers, supervisors and administrators); it opens or joins a case.
#[utoipa::path(post, path = "/api/v1/seizures", tag = "enforcement", security(("bearer" = [])),
    request_body = SeizureRequest,
    responses(
        (status = 201, description = "The seizure and its case", body = SeizureView),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case to join", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A photo over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn record(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<SeizureRequest>,
) -> Result<(StatusCode, Json<SeizureView>), ApiError> {
    let today = time::OffsetDateTime::now_utc().date();
    let limits = super::attachments::limits(&state);
    let mut errors = request.seizure.validate(today, &limits);
    for e in &mut errors {
        e.pointer = format!("/seizure{}", e.pointer);
    }
    super::attachments::refuse(errors)?;
    let mut references = Vec::new();
    for (j, photo) in request.seizure.photos.iter().enumerate() {
        references.push((format!("/seizure/photos/{j}"), photo));
    }
    super::attachments::check_uploaded(&state, references).await?;
    let outcome = state
        .store
        .record_seizure(request.seizure, &user, request.case.as_deref())
        .await?;
    let (seizure, case) = answer(outcome)?;
    let seizure = seizure.ok_or_else(|| ApiError::Internal("a seizure was not returned".into()))?;
    Ok((StatusCode::CREATED, Json(SeizureView { seizure, case })))
}

/// One seizure with its case.
#[utoipa::path(get, path = "/api/v1/seizures/{id}", tag = "enforcement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Seizure id")),
    responses(
        (status = 200, description = "The seizure and its case", body = SeizureView),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such seizure", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<SeizureView>, ApiError> {
    let seizure = state
        .store
        .seizure(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no seizure {id}")))?;
    let case = state.store.offence_case(&seizure.case_number).await?;
    let case = case.ok_or_else(|| ApiError::Internal("a seizure without its case".into()))?;
    Ok(Json(SeizureView { seizure, case }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CenQuery {
    /// The exchange has a legal basis: include personal data (supervisors only).
    #[serde(default)]
    pub lawful: bool,
}

/// The seizure in the shape of the WCO CEN simplified form (documented in `tamga-control`'s
/// `case::cen`): persons only as a count and nationalities, and no conveyance identification,
/// unless `lawful=true` by a supervisor.
#[utoipa::path(get, path = "/api/v1/seizures/{id}/cen", tag = "enforcement", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Seizure id"), CenQuery),
    responses(
        (status = 200, description = "The CEN form", body = Object),
        (status = 403, description = "Staff only; personal data only for supervisors", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such seizure", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn cen(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
    query: Result<Query<CenQuery>, QueryRejection>,
) -> Result<Json<tamga_control::case::cen::CenSeizure>, ApiError> {
    let Query(query) = query?;
    if query.lawful && user.role != Role::Supervisor {
        return Err(ApiError::Forbidden(
            "only a supervisor states that an exchange of personal data is lawful".into(),
        ));
    }
    let seizure = state
        .store
        .seizure(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no seizure {id}")))?;
    tracing::info!(seizure = id, lawful = query.lawful, "CEN export");
    Ok(Json(tamga_control::case::cen::export(
        &seizure.seizure,
        query.lawful,
    )))
}

/// An offence case: state, seizures, declarations, parties, officers and notes.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "enforcement", security(("bearer" = [])),
    params(("number" = String, Path, description = "Case number")),
    responses(
        (status = 200, description = "The case", body = Object),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn case(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(number): PathParam<String>,
) -> Result<Json<OffenceCase>, ApiError> {
    let case = state.store.offence_case(&number).await?;
    Ok(Json(case.ok_or_else(|| {
        ApiError::NotFound(format!("no offence case {number}"))
    })?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseChange {
    /// A note to add.
    pub note: Option<String>,
    /// under-investigation, referred or closed.
    pub state: Option<String>,
}

/// Add a note to a case, or move it on (officers, supervisors and administrators).
#[utoipa::path(post, path = "/api/v1/cases/{number}", tag = "enforcement", security(("bearer" = [])),
    params(("number" = String, Path, description = "Case number")),
    request_body = CaseChange,
    responses(
        (status = 200, description = "The case", body = Object),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Illegal state change, or the case is closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of note and state, an invalid note or state", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn change(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(number): PathParam<String>,
    JsonBody(change): JsonBody<CaseChange>,
) -> Result<Json<OffenceCase>, ApiError> {
    let step = match (change.note, change.state) {
        (Some(note), None) => {
            CaseStep::Note(super::text("/note", &note, 4000).map_err(|e| invalid(vec![e]))?)
        }
        (None, Some(s)) => match CaseState::ALL.into_iter().find(|c| c.as_str() == s) {
            Some(to) => CaseStep::Move(to),
            None => {
                return Err(invalid(vec![tamga_core::FieldError::new(
                    "/state",
                    "unknown_state",
                    "under-investigation, referred or closed",
                )]))
            }
        },
        _ => {
            return Err(invalid(vec![tamga_core::FieldError::new(
                "/note",
                "one_of",
                "give either a note or a state",
            )]))
        }
    };
    let (_, case) = answer(state.store.case_step(&number, &user, step).await?)?;
    Ok(Json(case))
}
