//! `/control/officers`: who may be drawn (officers of an office's sections in groups), their
//! shifts, conflicts with parties and suspensions; `/declarations/{mrn}/holds`: holds on goods,
//! each blocking release until lifted with a reason.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_control::allocation::{Conflict, Group, Officer, Shift};
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use tamga_core::FieldError;
use tamga_store::control::{HoldRecord, RosterChange, SuspendOutcome};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use super::{conflict, invalid, text};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerList {
    #[schema(value_type = Vec<Object>)]
    pub officers: Vec<Officer>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfficersQuery {
    /// UN/LOCODE of the office.
    pub office: Option<String>,
}

/// The officers of an office's sections (supervisors and administrators).
#[utoipa::path(get, path = "/api/v1/control/officers", tag = "control", security(("bearer" = [])),
    params(OfficersQuery),
    responses(
        (status = 200, description = "Officers with group and suspension", body = OfficerList),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn officers(
    State(state): State<AppState>,
    Caller(_): Caller,
    query: Result<Query<OfficersQuery>, QueryRejection>,
) -> Result<Json<OfficerList>, ApiError> {
    let Query(query) = query?;
    let officers = state.store.officers(query.office.as_deref()).await?;
    Ok(Json(OfficerList { officers }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerRequest {
    pub office: String,
    pub section: String,
    /// examiner (G1) or chief-examiner (G2).
    pub group: String,
}

fn officer_of(id: i64, r: &OfficerRequest) -> Result<Officer, ApiError> {
    let mut errors = Vec::new();
    let office = Locode::parse(&r.office)
        .map_err(|_| {
            errors.push(FieldError::new(
                "/office",
                "invalid_locode",
                "a UN/LOCODE, e.g. UZTAS",
            ))
        })
        .ok();
    let section = text("/section", &r.section, 100)
        .map_err(|e| errors.push(e))
        .ok();
    let group = Group::parse(&r.group);
    if group.is_none() {
        errors.push(FieldError::new(
            "/group",
            "unknown_group",
            "examiner or chief-examiner",
        ));
    }
    match (office, section, group) {
        (Some(office), Some(section), Some(group)) if errors.is_empty() => Ok(Officer {
            id: UserId(id),
            office,
            section,
            group,
            suspended: false,
        }),
        _ => Err(invalid(errors)),
    }
}

fn roster_answer(change: RosterChange, id: i64) -> Result<StatusCode, ApiError> {
    match change {
        RosterChange::Saved => Ok(StatusCode::NO_CONTENT),
        RosterChange::UnknownOfficer => {
            Err(ApiError::NotFound(format!("no officer {id} in a section")))
        }
        RosterChange::NotStaff => Err(invalid(vec![FieldError::new(
            "/id",
            "not_an_officer",
            "only officers and supervisors inspect",
        )])),
    }
}

/// Put a user in a section and group of an office (supervisors and administrators).
#[utoipa::path(put, path = "/api/v1/control/officers/{id}", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = OfficerRequest,
    responses(
        (status = 204, description = "Saved"),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_officer(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(request): JsonBody<OfficerRequest>,
) -> Result<StatusCode, ApiError> {
    let officer = officer_of(id, &request)?;
    roster_answer(state.store.set_officer(officer).await?, id)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftRequest {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub start: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub end: OffsetDateTime,
}

/// Add a shift: the officer is on duty from `start` to `end` (supervisors and administrators).
#[utoipa::path(post, path = "/api/v1/control/officers/{id}/shifts", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = ShiftRequest,
    responses(
        (status = 204, description = "Saved"),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such officer in a section", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The end is not after the start", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_shift(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(request): JsonBody<ShiftRequest>,
) -> Result<StatusCode, ApiError> {
    if request.end <= request.start || request.end - request.start > time::Duration::days(2) {
        return Err(invalid(vec![FieldError::new(
            "/end",
            "bad_shift",
            "after the start, at most 48 hours later",
        )]));
    }
    let shift = Shift {
        officer: UserId(id),
        start: request.start,
        end: request.end,
    };
    roster_answer(state.store.add_shift(shift).await?, id)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictRequest {
    /// The party's identifier (TIN, EORI...).
    pub party: String,
}

/// Record that an officer is linked to a party: never drawn for its declarations.
#[utoipa::path(post, path = "/api/v1/control/officers/{id}/conflicts", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = ConflictRequest,
    responses(
        (status = 204, description = "Saved"),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such officer in a section", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid party identifier", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_conflict(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(request): JsonBody<ConflictRequest>,
) -> Result<StatusCode, ApiError> {
    let party = PartyId::parse(&request.party).map_err(|_| {
        invalid(vec![FieldError::new(
            "/party",
            "invalid_party",
            "a party identifier",
        )])
    })?;
    let conflict = Conflict {
        officer: UserId(id),
        party,
    };
    roster_answer(state.store.add_conflict(conflict).await?, id)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspensionRequest {
    pub suspended: bool,
}

/// Suspend an examiner, or lift the suspension (supervisors); refused while a task of theirs
/// is allocated or in progress.
#[utoipa::path(post, path = "/api/v1/control/officers/{id}/suspension", tag = "control", security(("bearer" = [])),
    params(("id" = i64, Path, description = "User id")),
    request_body = SuspensionRequest,
    responses(
        (status = 204, description = "Saved"),
        (status = 403, description = "Supervisors only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such officer in a section", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The officer still has open tasks", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn suspend(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
    JsonBody(request): JsonBody<SuspensionRequest>,
) -> Result<StatusCode, ApiError> {
    match state
        .store
        .suspend_officer(id, &user, request.suspended)
        .await?
    {
        SuspendOutcome::Done => Ok(StatusCode::NO_CONTENT),
        SuspendOutcome::UnknownOfficer => {
            Err(ApiError::NotFound(format!("no officer {id} in a section")))
        }
        SuspendOutcome::Refused(e) => Err(conflict(e.to_string())),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoldList {
    #[schema(value_type = Vec<Object>)]
    pub holds: Vec<HoldRecord>,
}

/// The holds on a declaration's goods, lifted or not (customs staff of control).
#[utoipa::path(get, path = "/api/v1/declarations/{mrn}/holds", tag = "control", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    responses(
        (status = 200, description = "The holds", body = HoldList),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn holds(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(mrn): PathParam<String>,
) -> Result<Json<HoldList>, ApiError> {
    let holds = state
        .store
        .holds(&mrn)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no declaration {mrn}")))?;
    Ok(Json(HoldList { holds }))
}

/// Hold the goods, with a reason: release is refused until the hold is lifted.
#[utoipa::path(post, path = "/api/v1/declarations/{mrn}/holds", tag = "control", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    request_body = super::tasks::ReasonRequest,
    responses(
        (status = 201, description = "The hold", body = Object),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or invalid reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn place_hold(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(request): JsonBody<super::tasks::ReasonRequest>,
) -> Result<(StatusCode, Json<HoldRecord>), ApiError> {
    let reason = text("/reason", &request.reason, 1000).map_err(|e| invalid(vec![e]))?;
    let hold = state.store.place_hold(&mrn, &user, &reason).await?;
    let hold = hold.ok_or_else(|| ApiError::NotFound(format!("no declaration {mrn}")))?;
    Ok((StatusCode::CREATED, Json(hold)))
}

/// Lift a hold, with a reason.
#[utoipa::path(post, path = "/api/v1/declarations/{mrn}/holds/{hold}/lift", tag = "control", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number"), ("hold" = i64, Path, description = "Hold id")),
    request_body = super::tasks::ReasonRequest,
    responses(
        (status = 204, description = "Lifted"),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such hold in force", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing or invalid reason", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn lift_hold(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam((mrn, hold)): PathParam<(String, i64)>,
    JsonBody(request): JsonBody<super::tasks::ReasonRequest>,
) -> Result<StatusCode, ApiError> {
    let reason = text("/reason", &request.reason, 1000).map_err(|e| invalid(vec![e]))?;
    if state.store.lift_hold(&mrn, hold, &user, &reason).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound(format!(
            "no hold {hold} in force on {mrn}"
        )))
    }
}
