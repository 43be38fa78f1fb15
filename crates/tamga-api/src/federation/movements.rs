//! Transit movements across administrations. The departure node announces a movement to the
//! other administrations on its route when it is released (anticipated arrival, queued by the
//! store in the release's commit) and asks the destination's when its time limit passes
//! (enquiry). There, officers of the office concerned report back: the goods arrived at an
//! office of transit or of destination (arrival advice), and the unloading's outcome (control
//! results). At the departure node these become steps of the movement, taken by the partner
//! administration (`StepActor::Administration`) under transit's rules: an arrival advice from
//! an office of transit is the passage, from the destination the arrival; control results are
//! the unloading permission and remarks and, when the goods conform with seals intact, their
//! release at destination. The write-off stays with the departure office's officers. The
//! destination's officers answer an enquiry (enquiry reply), which stays in the departure
//! node's inbox for its officers to read and, when it states an outcome, is taken there as a
//! step: the goods arrived (`arrival_evidence`: the enquiry ends, or a recovery stops, and the
//! departure office may write off) or were not presented (`non_arrival`: recovery).
//!
//! Steps are applied when a message is accepted and again when a copy comes as a duplicate:
//! a step already taken is refused by the state machine, so a message's effect happens once
//! even when its first application was interrupted.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::codes::Locode;
use tamga_core::transit::lifecycle::StepKind;
use tamga_core::FieldError;
use tamga_federation::body::{
    AnticipatedArrival, ArrivalAdvice, ControlResults, Enquiry, ReplyOutcome,
};
use tamga_federation::inbox::Admitted;
use tamga_federation::{Body, Kind};
use tamga_store::federation::{Outgoing, Received};
use tamga_store::transit::{MovementStep, StepActor, StepDetail, StepOutcome};
use time::format_description::well_known::Rfc3339;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// Takes at the departure node the steps an accepted (or duplicate) message reports.
pub(crate) async fn apply(state: &AppState, admitted: &Admitted) -> Result<(), ApiError> {
    let sender = &admitted.envelope.sender;
    let steps = match &admitted.body {
        Body::ArrivalAdvice(advice) => arrival_steps(state, advice).await?,
        Body::ControlResults(results) => control_steps(results),
        Body::EnquiryReply(reply) => reply_steps(reply),
        _ => return Ok(()),
    };
    let mrn = &admitted.envelope.conversation;
    let actor = StepActor::Administration {
        name: format!("federation:{sender}"),
        country: sender.clone(),
    };
    let now = state.settings.transit.clock.now();
    for (kind, office, detail) in steps {
        let step = MovementStep {
            kind,
            office,
            detail,
            at: now,
        };
        let outcome = state.store.transit_step(mrn, actor.clone(), step).await?;
        match outcome {
            StepOutcome::Done(m) => {
                tracing::info!(%mrn, step = kind.as_str(), state = m.state.as_str(), %sender, "movement step reported by a partner administration");
            }
            StepOutcome::Illegal(e) => {
                tracing::debug!(%mrn, %e, "step taken already or not possible")
            }
            other => {
                tracing::warn!(%mrn, step = kind.as_str(), outcome = ?other, %sender, "a partner administration's step was refused");
                break;
            }
        }
    }
    Ok(())
}

type Step = (StepKind, Option<Locode>, StepDetail);

async fn arrival_steps(state: &AppState, advice: &ArrivalAdvice) -> Result<Vec<Step>, ApiError> {
    let Ok(office) = Locode::parse(&advice.office) else {
        return Ok(Vec::new());
    };
    let movement = state.store.transit_movement(&advice.mrn, None).await?;
    let at_destination = movement.is_some_and(|m| m.destination == office.as_str());
    let kind = if at_destination {
        StepKind::Arrival
    } else {
        StepKind::TransitPassage
    };
    Ok(vec![(kind, Some(office), StepDetail::default())])
}

fn control_steps(results: &ControlResults) -> Vec<Step> {
    let office = Locode::parse(&results.office).ok();
    let remarks = StepDetail {
        conform: Some(results.conform),
        seals_intact: Some(results.seals_intact),
        remarks: Some(results.remarks.clone()).filter(|r| !r.is_empty()),
        ..StepDetail::default()
    };
    let mut steps = vec![
        (
            StepKind::UnloadingPermission,
            office.clone(),
            StepDetail::default(),
        ),
        (StepKind::UnloadingRemarks, office.clone(), remarks),
    ];
    if results.conform && results.seals_intact {
        steps.push((StepKind::GoodsRelease, office, StepDetail::default()));
    }
    steps
}

/// The step a reply's outcome asks for (none for information only); the state machine takes
/// it at the destination office, which the movement names.
fn reply_steps(reply: &Enquiry) -> Vec<Step> {
    let kind = match reply.outcome {
        Some(ReplyOutcome::Arrived) => StepKind::ArrivalEvidence,
        Some(ReplyOutcome::NotArrived) => StepKind::NonArrival,
        None => return Vec::new(),
    };
    let detail = StepDetail {
        remarks: Some(reply.text.clone()).filter(|t| !t.is_empty()),
        ..StepDetail::default()
    };
    vec![(kind, None, detail)]
}

/// A movement announced to this node, with everything received about it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForeignMovement {
    pub mrn: String,
    /// The departure administration.
    pub sender: String,
    pub anticipated: Option<AnticipatedArrival>,
    /// Every message received in the movement's conversation, in order.
    pub messages: Vec<Received>,
}

/// Movements other administrations announced to this node, newest first (customs staff).
#[utoipa::path(get, path = "/api/v1/federation/movements", tag = "federation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Announced movements", body = [ForeignMovement]),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Customs staff only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<ForeignMovement>>, ApiError> {
    let announced = state
        .store
        .federation_inbox(Some(Kind::AnticipatedArrival.as_str()), 1000)
        .await?;
    let mut movements = Vec::new();
    for a in announced.into_iter().rev() {
        movements.push(foreign(&state, &a.sender, &a.conversation).await?);
    }
    Ok(Json(movements))
}

async fn foreign(state: &AppState, sender: &str, mrn: &str) -> Result<ForeignMovement, ApiError> {
    let messages = state
        .store
        .federation_conversation(Some(sender), mrn)
        .await?;
    let anticipated = messages
        .iter()
        .find(|m| m.kind == Kind::AnticipatedArrival.as_str())
        .and_then(|m| serde_json::from_str(&m.body).ok());
    Ok(ForeignMovement {
        mrn: mrn.to_owned(),
        sender: sender.to_owned(),
        anticipated,
        messages,
    })
}

/// The goods of an announced movement arrived at an office of this administration.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalReport {
    /// The office of transit or of destination (UN/LOCODE) where the goods are.
    pub office: String,
}

/// The outcome of unloading at the office of destination.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlReport {
    pub office: String,
    pub conform: bool,
    pub seals_intact: bool,
    #[serde(default)]
    pub remarks: String,
}

/// What was queued for the departure administration.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reported {
    pub id: String,
    pub recipient: String,
    #[serde(rename = "type")]
    pub kind: Kind,
}

/// Reports the arrival of an announced movement's goods at this officer's office (an office of
/// transit or the destination), as an arrival advice to the departure administration.
#[utoipa::path(post, path = "/api/v1/federation/movements/{mrn}/arrival", tag = "federation", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "The movement's MRN")), request_body = ArrivalReport,
    responses(
        (status = 201, description = "Queued for the departure administration", body = Reported),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Officers of that office only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No movement was announced with this MRN", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The office is not on the movement's route here", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn arrival(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(report): JsonBody<ArrivalReport>,
) -> Result<(StatusCode, Json<Reported>), ApiError> {
    let (sender, announced) = announced(&state, &mrn).await?;
    let on_route = announced.offices_of_transit.contains(&report.office)
        || announced.office_of_destination == report.office;
    let office = office_here(&state, &user, &report.office, on_route).await?;
    let now = time::OffsetDateTime::now_utc();
    let advice = ArrivalAdvice {
        mrn: mrn.clone(),
        office: office.as_str().to_owned(),
        arrived_at: now.format(&Rfc3339).unwrap_or_default(),
    };
    let body = serde_json::to_string(&advice).map_err(|e| ApiError::Internal(e.into()))?;
    report_back(&state, &user, &sender, &mrn, Kind::ArrivalAdvice, body).await
}

/// Reports the unloading's outcome at this officer's office of destination, as control results
/// to the departure administration.
#[utoipa::path(post, path = "/api/v1/federation/movements/{mrn}/control-results", tag = "federation", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "The movement's MRN")), request_body = ControlReport,
    responses(
        (status = 201, description = "Queued for the departure administration", body = Reported),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Officers of that office only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No movement was announced with this MRN", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The office is not the movement's destination", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn control_results(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(report): JsonBody<ControlReport>,
) -> Result<(StatusCode, Json<Reported>), ApiError> {
    let (sender, announced) = announced(&state, &mrn).await?;
    let on_route = announced.office_of_destination == report.office;
    let office = office_here(&state, &user, &report.office, on_route).await?;
    let results = ControlResults {
        mrn: mrn.clone(),
        office: office.as_str().to_owned(),
        conform: report.conform,
        seals_intact: report.seals_intact,
        remarks: report.remarks,
    };
    let body = serde_json::to_string(&results).map_err(|e| ApiError::Internal(e.into()))?;
    report_back(&state, &user, &sender, &mrn, Kind::ControlResults, body).await
}

/// The answer to an enquiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnquiryAnswer {
    pub text: String,
    /// What was found: `arrived` (the departure office may write the movement off) or
    /// `not_arrived` (recovery starts there); left out, information only.
    #[serde(default)]
    pub outcome: Option<ReplyOutcome>,
}

/// Answers the departure administration's enquiry about an announced movement (officers of its
/// office of destination).
#[utoipa::path(post, path = "/api/v1/federation/movements/{mrn}/enquiry-reply", tag = "federation", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "The movement's MRN")), request_body = EnquiryAnswer,
    responses(
        (status = 201, description = "Queued for the departure administration", body = Reported),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Officers of the destination only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No movement was announced, or no enquiry received, with this MRN", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A blank or overlong text", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn enquiry_reply(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(answer): JsonBody<EnquiryAnswer>,
) -> Result<(StatusCode, Json<Reported>), ApiError> {
    let (sender, announced) = announced(&state, &mrn).await?;
    office_here(&state, &user, &announced.office_of_destination, true).await?;
    let received = state
        .store
        .federation_conversation(Some(&sender), &mrn)
        .await?;
    if !received.iter().any(|m| m.kind == Kind::Enquiry.as_str()) {
        return Err(ApiError::NotFound(format!(
            "no enquiry about {mrn} was received"
        )));
    }
    let length = answer.text.trim().chars().count();
    if length == 0 || length > 2000 {
        let error = FieldError::new("/text", "invalid", "1 to 2000 characters");
        return Err(super::invalid("the reply is invalid", vec![error]));
    }
    let reply = Enquiry {
        mrn: mrn.clone(),
        text: answer.text,
        outcome: answer.outcome,
    };
    let body = serde_json::to_string(&reply).map_err(|e| ApiError::Internal(e.into()))?;
    report_back(&state, &user, &sender, &mrn, Kind::EnquiryReply, body).await
}

/// The movement's anticipated arrival and who sent it, or the 404 of an unknown MRN.
async fn announced(state: &AppState, mrn: &str) -> Result<(String, AnticipatedArrival), ApiError> {
    let received = state.store.federation_conversation(None, mrn).await?;
    let kind = Kind::AnticipatedArrival.as_str();
    let found = received.into_iter().find(|m| m.kind == kind);
    let found = found.ok_or_else(|| {
        ApiError::NotFound(format!(
            "unknown MRN: no movement {mrn} was announced to this node"
        ))
    })?;
    let body = serde_json::from_str(&found.body).map_err(|e| ApiError::Internal(e.into()))?;
    Ok((found.sender, body))
}

/// The office named, checked: on the movement's route, in this node's country, and one of the
/// officer's own (as transit steps are taken only at one's own office).
async fn office_here(
    state: &AppState,
    user: &tamga_store::User,
    office: &str,
    on_route: bool,
) -> Result<Locode, ApiError> {
    let country = super::country(state)?;
    let parsed = Locode::parse(office)
        .ok()
        .filter(|o| on_route && o.country() == country);
    let Some(office) = parsed else {
        let message = format!("{office} is not an office of {country} on this movement's route");
        let error = FieldError::new("/office", "not_on_route", message);
        return Err(super::invalid(
            "the office is not on the route",
            vec![error],
        ));
    };
    if !crate::control::offices_of(state, user)
        .await?
        .contains(&office)
    {
        return Err(ApiError::Forbidden(format!(
            "only officers of {office} may report this"
        )));
    }
    Ok(office)
}

async fn report_back(
    state: &AppState,
    user: &tamga_store::User,
    recipient: &str,
    mrn: &str,
    kind: Kind,
    body: String,
) -> Result<(StatusCode, Json<Reported>), ApiError> {
    let country = super::country(state)?;
    let id = super::new_id(&country);
    let message = Outgoing {
        id: id.clone(),
        recipient: recipient.to_owned(),
        kind: kind.as_str().to_owned(),
        conversation: mrn.to_owned(),
        body,
    };
    state.store.federation_enqueue(message, &user.name).await?;
    let reported = Reported {
        id,
        recipient: recipient.to_owned(),
        kind,
    };
    Ok((StatusCode::CREATED, Json(reported)))
}
