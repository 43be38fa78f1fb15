//! `/transit/movements/{mrn}`: one movement with its history, and its steps. The handler
//! and a federation inbox call the same store operation, [`tamga_store::Store::transit_step`].

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tamga_core::codes::Locode;
use tamga_core::role::Role;
use tamga_core::transit::access::Refusal;
use tamga_core::transit::lifecycle::StepKind;
use tamga_core::FieldError;
use tamga_store::transit::{Movement, MovementStep, StepActor, StepDetail, StepOutcome};
use tamga_store::User;
use utoipa::ToSchema;

use super::unknown_mrn;
use crate::auth::Caller;
use crate::control::{conflict, invalid, offices_of, text};
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// The holder filter of a trader: their user id and party.
pub(crate) fn holder_of(user: &User) -> Option<(i64, Option<String>)> {
    (user.role == Role::Declarant).then(|| (user.id, user.party_id.clone()))
}

/// One movement with its history (staff: any; a declarant: their own).
#[utoipa::path(get, path = "/api/v1/transit/movements/{mrn}", tag = "transit", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "The movement's MRN")),
    responses(
        (status = 200, description = "The movement, its particulars and history", body = Movement),
        (status = 403, description = "Not for the laboratory", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown MRN", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn one(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
) -> Result<Json<Movement>, ApiError> {
    let movement = state.store.transit_movement(&mrn, holder_of(&user)).await?;
    movement.map(Json).ok_or_else(|| unknown_mrn(&mrn))
}

/// A step asked for: its name and what it carries.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepRequest {
    /// control_decision, release, no_release, transit_passage, incident, arrival,
    /// unloading_permission, unloading_remarks, goods_release, write_off, or the replies to an
    /// enquiry: arrival_evidence, non_arrival.
    #[schema(example = "release")]
    pub step: String,
    /// The office of transit passed (transit_passage) or where an incident is recorded.
    pub office: Option<String>,
    /// no_release: why (required).
    pub reason: Option<String>,
    /// incident: where it happened (required).
    pub location: Option<String>,
    /// incident: what happened (required).
    pub description: Option<String>,
    /// unloading_remarks: whether the goods conform to the declaration (required).
    pub conform: Option<bool>,
    /// unloading_remarks: whether the seals were found intact (required).
    pub seals_intact: Option<bool>,
    /// unloading_remarks, control_decision or non_arrival: free text; arrival_evidence: the
    /// evidence of the goods' arrival (required).
    pub remarks: Option<String>,
}

/// The step and its detail, or every problem with the request.
pub fn parse_step(
    r: &StepRequest,
) -> Result<(StepKind, Option<Locode>, StepDetail), Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = StepKind::parse(&r.step).filter(|k| !k.by_system());
    if kind.is_none() {
        errors.push(FieldError::new(
            "/step",
            "invalid_code",
            format!("{:?} is not a step one may ask for", r.step),
        ));
    }
    let office = r.office.as_deref().and_then(|o| match Locode::parse(o) {
        Ok(code) => Some(code),
        Err(e) => {
            errors.push(FieldError::new("/office", e.code, e.message));
            None
        }
    });
    let mut detail = StepDetail::default();
    let mut field = |name: &str, value: Option<&str>, wanted: bool, max: usize| -> Option<String> {
        match (value, wanted) {
            (Some(v), true) => text(&format!("/{name}"), v, max)
                .map_err(|e| errors.push(e))
                .ok(),
            (None, true) if name != "remarks" => {
                errors.push(FieldError::new(
                    format!("/{name}"),
                    "missing",
                    format!("/{name} is required for this step"),
                ));
                None
            }
            (Some(_), false) => {
                errors.push(FieldError::new(
                    format!("/{name}"),
                    "not_allowed",
                    format!("/{name} does not belong to this step"),
                ));
                None
            }
            _ => None,
        }
    };
    let is = |k: StepKind| kind == Some(k);
    detail.reason = field("reason", r.reason.as_deref(), is(StepKind::NoRelease), 512);
    detail.location = field(
        "location",
        r.location.as_deref(),
        is(StepKind::Incident),
        256,
    );
    detail.description = field(
        "description",
        r.description.as_deref(),
        is(StepKind::Incident),
        2000,
    );
    let evidence = is(StepKind::ArrivalEvidence);
    let remarks_step = is(StepKind::UnloadingRemarks)
        || is(StepKind::ControlDecision)
        || evidence
        || is(StepKind::NonArrival);
    detail.remarks = field("remarks", r.remarks.as_deref(), remarks_step, 2000);
    if evidence && r.remarks.is_none() {
        errors.push(FieldError::new(
            "/remarks",
            "missing",
            "/remarks is required: the evidence of the goods' arrival",
        ));
    }
    let unloading = is(StepKind::UnloadingRemarks);
    for (name, value) in [("conform", r.conform), ("seals_intact", r.seals_intact)] {
        match (value, unloading) {
            (None, true) => errors.push(FieldError::new(
                format!("/{name}"),
                "missing",
                format!("/{name} is required for unloading remarks"),
            )),
            (Some(_), false) if kind.is_some() => errors.push(FieldError::new(
                format!("/{name}"),
                "not_allowed",
                format!("/{name} belongs to unloading remarks only"),
            )),
            _ => {}
        }
    }
    detail.conform = r.conform.filter(|_| unloading);
    detail.seals_intact = r.seals_intact.filter(|_| unloading);
    let names_office = is(StepKind::TransitPassage) || is(StepKind::Incident);
    if office.is_some() && kind.is_some() && !names_office {
        errors.push(FieldError::new(
            "/office",
            "not_allowed",
            "only a transit passage or an incident names an office",
        ));
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok((kind, office, detail)),
        _ => Err(errors),
    }
}

/// Who the caller is to the movement's steps.
async fn actor(state: &AppState, user: &User) -> Result<StepActor, ApiError> {
    match user.role {
        Role::Officer | Role::Supervisor => Ok(StepActor::Officer {
            name: user.name.clone(),
            offices: offices_of(state, user).await?,
        }),
        Role::Declarant => Ok(StepActor::Trader {
            name: user.name.clone(),
            user_id: user.id,
            party_id: user.party_id.clone(),
        }),
        other => Err(ApiError::Forbidden(format!(
            "the role {} takes no steps of transit movements",
            other.as_str()
        ))),
    }
}

/// The answer to a step's outcome.
pub fn answer(mrn: &str, outcome: StepOutcome) -> Result<Movement, ApiError> {
    match outcome {
        StepOutcome::Done(movement) => Ok(*movement),
        StepOutcome::UnknownMrn => Err(unknown_mrn(mrn)),
        StepOutcome::Illegal(e) => Err(conflict(e.to_string())),
        StepOutcome::Refused(Refusal::Forbidden(why)) => Err(ApiError::Forbidden(why)),
        StepOutcome::Refused(Refusal::WrongOffice(why)) => Err(invalid(vec![FieldError::new(
            "/office",
            "wrong_office",
            why,
        )])),
        StepOutcome::Guarantee(why) => Err(conflict(why)),
    }
}

/// Take a step of a movement: officers of the office concerned; the holder for arrival
/// notification, unloading remarks, incidents and the replies to an enquiry.
#[utoipa::path(post, path = "/api/v1/transit/movements/{mrn}/steps", tag = "transit", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "The movement's MRN")),
    request_body = StepRequest,
    responses(
        (status = 200, description = "The movement after the step", body = Movement),
        (status = 403, description = "Not an officer of the office concerned, or not a holder's step", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown MRN", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not possible in the current state (named), or a guarantee does not cover the release", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field, or a wrong office", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn step(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(request): JsonBody<StepRequest>,
) -> Result<Json<Movement>, ApiError> {
    let actor = actor(&state, &user).await?;
    let (kind, office, detail) = parse_step(&request).map_err(invalid)?;
    let step = MovementStep {
        kind,
        office,
        detail,
        at: state.settings.transit.clock.now(),
    };
    let outcome = state.store.transit_step(&mrn, actor, step).await?;
    answer(&mrn, outcome).map(Json)
}
