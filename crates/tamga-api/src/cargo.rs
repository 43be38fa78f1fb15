//! Cargo reports lodged before arrival: JSON, or CUSCAR interchanges (a syntax error gets a
//! CONTRL, 400). Reports are stored once per carrier and reference; customs staff list them
//! for pre-arrival targeting.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tamga_core::cargo::CargoReport;
use tamga_core::role::Role;
use tamga_core::FieldError;
use tamga_store::cargo::{CargoOutcome, NewCargoReport, StoredCargoReport};
use tamga_store::User;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{PathParam, RawBody};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/cargo-reports", get(list).post(lodge))
        .route("/cargo-reports/{id}", get(one))
        .route("/cargo-reports/{id}/risk", get(risk))
}

/// What was made of each report of a submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct CargoAnswer {
    pub reports: Vec<StoredCargoReport>,
}

/// Lodge a cargo report (JSON `CargoReport`, or `application/edifact` CUSCAR messages).
#[utoipa::path(
    post,
    path = "/api/v1/cargo-reports",
    tag = "cargo",
    security(("bearer" = [])),
    request_body = CargoReport,
    responses(
        (status = 201, description = "Stored", body = CargoAnswer),
        (status = 200, description = "Already stored, unchanged", body = CargoAnswer),
        (status = 400, description = "Unreadable body (a CONTRL for EDIFACT)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reference is used by a different report", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid report: every problem listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lodge(
    State(state): State<AppState>,
    Caller(user): Caller,
    crate::limits::ClientAddress(address): crate::limits::ClientAddress,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    state.limiters.lodgement(user.id, address)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/edifact") {
        let stamp = crate::edifact::Stamp::now();
        return match crate::edifact::decode_or_refuse(&body, &stamp) {
            Ok(text) => lodge_cuscar(&state, &user, &text, &stamp).await,
            Err(refusal) => Ok(*refusal),
        };
    }
    let report = crate::extract::parse_json_for::<CargoReport>(
        &body,
        Some(("POST", "/api/v1/cargo-reports")),
    )?;
    tamga_core::cargo::check(&report).map_err(ApiError::Invalid)?;
    let carrier = carrier(&user, None, &report)?;
    let (status, stored) = store(&state, &user, carrier, report).await?;
    Ok((
        status,
        Json(CargoAnswer {
            reports: vec![stored],
        }),
    )
        .into_response())
}

/// Stores one checked report: 201 when new, 200 when the same report came before.
async fn store(
    state: &AppState,
    user: &User,
    carrier: String,
    report: CargoReport,
) -> Result<(StatusCode, StoredCargoReport), ApiError> {
    let new = NewCargoReport {
        carrier,
        report,
        by: user.clone(),
        at: tamga_store::sql::now(),
    };
    match state.store.save_cargo_report(new).await? {
        CargoOutcome::Stored(r) => Ok((StatusCode::CREATED, r)),
        CargoOutcome::Resubmitted(r) => Ok((StatusCode::OK, r)),
        CargoOutcome::ReferenceTaken { id } => Err(ApiError::Conflict {
            detail: format!("the reference is used by cargo report {id}, with different content"),
            existing_mrn: None,
        }),
    }
}

/// CUSCAR messages, answered in kind: a CONTRL for an unreadable interchange, otherwise a
/// CUSRES with one message per CUSCAR (registered with its id, or refused with its errors).
async fn lodge_cuscar(
    state: &AppState,
    user: &User,
    text: &str,
    stamp: &crate::edifact::Stamp,
) -> Result<Response, ApiError> {
    use tamga_edifact::cusres::{self, Verdict};
    let read = match crate::edifact::read_or_refuse(text, stamp) {
        Ok(read) => read,
        Err(refusal) => return Ok(*refusal),
    };
    crate::lodge::check_batch_size(read.messages.len())?;
    let header = crate::edifact::header(&read, text);
    let sender = read.header.as_ref().map(|h| h.sender.clone());
    let mut verdicts = Vec::with_capacity(read.messages.len());
    let mut status = StatusCode::CREATED;
    for message in &read.messages {
        let (reference, verdict, code) = if message.kind() != Some("CUSCAR") {
            let kind = message.kind().unwrap_or("?");
            let error = FieldError::new(
                "/",
                "message_not_supported",
                format!("{kind} is not a cargo report: send CUSCAR"),
            );
            (
                message.reference.clone(),
                Verdict::Rejected {
                    errors: vec![error],
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        } else {
            let report = tamga_edifact::cuscar::to_report(message, sender.as_deref());
            let reference = report.reference.clone();
            match register(state, user, sender.clone(), report).await? {
                Ok((code, stored)) => (
                    reference,
                    Verdict::Registered {
                        id: stored.id.to_string(),
                    },
                    code,
                ),
                Err(errors) => (
                    reference,
                    Verdict::Rejected { errors },
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
            }
        };
        status = crate::lodge::worse_status(status, code);
        verdicts.push((reference, verdict));
    }
    Ok(crate::edifact::edifact(
        status,
        cusres::respond(&header, &verdicts, &stamp.by()),
    ))
}

/// One CUSCAR's report: stored, or refused with findings that go into its CUSRES.
async fn register(
    state: &AppState,
    user: &User,
    sender: Option<String>,
    report: CargoReport,
) -> Result<Result<(StatusCode, StoredCargoReport), Vec<FieldError>>, ApiError> {
    if let Err(errors) = tamga_core::cargo::check(&report) {
        return Ok(Err(errors));
    }
    let carrier = match carrier(user, sender, &report) {
        Ok(carrier) => carrier,
        Err(ApiError::Invalid(errors)) => return Ok(Err(errors)),
        Err(other) => return Err(other),
    };
    match store(state, user, carrier, report).await {
        Ok(stored) => Ok(Ok(stored)),
        Err(ApiError::Conflict { detail, .. }) => Ok(Err(vec![FieldError::new(
            "/reference",
            "reference_taken",
            detail,
        )])),
        Err(other) => Err(other),
    }
}

/// A declarant carrier reports for its own party; customs staff name the carrier.
fn carrier(user: &User, sender: Option<String>, report: &CargoReport) -> Result<String, ApiError> {
    if user.role == Role::Declarant {
        return user
            .party_id
            .clone()
            .ok_or_else(|| ApiError::Forbidden("this account has no party identifier".into()));
    }
    report.carrier.clone().or(sender).ok_or_else(|| {
        ApiError::Invalid(vec![tamga_core::FieldError::new(
            "/carrier",
            "missing",
            "name the carrier of the report",
        )])
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Reports with an id below this one (the last id of the previous page).
    pub before: Option<i64>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// Cargo reports, newest first: every report for customs staff, a carrier's own for a declarant.
#[utoipa::path(
    get,
    path = "/api/v1/cargo-reports",
    tag = "cargo",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, description = "Reports", body = CargoAnswer), (status = 403, description = "A declarant account without a party identifier", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CargoAnswer>, ApiError> {
    let carrier =
        if user.role.sees_all_declarations() {
            None
        } else {
            Some(user.party_id.as_deref().ok_or_else(|| {
                ApiError::Forbidden("this account has no party identifier".into())
            })?)
        };
    let Query(params) = params.map_err(ApiError::from)?;
    let limit = crate::list::page_limit(params.limit, 50, 200)?;
    let reports = state
        .store
        .cargo_reports(carrier, params.before, limit)
        .await?;
    Ok(Json(CargoAnswer { reports }))
}

/// One cargo report: customs staff, or the carrier that lodged it.
#[utoipa::path(
    get,
    path = "/api/v1/cargo-reports/{id}",
    tag = "cargo",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    responses((status = 200, description = "The report", body = StoredCargoReport), (status = 404, description = "No such report visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn one(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<StoredCargoReport>, ApiError> {
    let report = state.store.cargo_report(id).await?;
    let visible = |r: &StoredCargoReport| {
        user.role.sees_all_declarations() || user.party_id.as_deref() == Some(r.carrier.as_str())
    };
    report
        .filter(visible)
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no cargo report {id}")))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConsignmentRisk {
    pub sequence: u32,
    /// green, yellow or red (or blue when forced).
    pub channel: String,
    pub score: i64,
    #[schema(value_type = Object)]
    pub explanation: tamga_risk::explain::Explanation,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CargoRisk {
    pub id: i64,
    pub reference: String,
    /// The engine snapshot that judged.
    pub snapshot: String,
    pub consignments: Vec<ConsignmentRisk>,
}

/// Pre-arrival targeting: each consignment of a cargo report judged by the profiles and
/// watchlists in force (customs staff only; computed now, so it follows the current profiles).
#[utoipa::path(
    get,
    path = "/api/v1/cargo-reports/{id}/risk",
    tag = "cargo",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Report id")),
    responses(
        (status = 200, description = "A risk level per consignment", body = CargoRisk),
        (status = 403, description = "Customs staff only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn risk(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<CargoRisk>, ApiError> {
    let stored = state
        .store
        .cargo_report(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no cargo report {id}")))?;
    let object = format!("cargo-report:{id}");
    let action = "risk.explanation.read";
    state.store.audit_read(&user.name, action, &object).await?;
    let report = &stored.report;
    let office = report.arrival_place.as_deref().unwrap_or("UZTAS");
    let day = crate::risk::office_day(office, tamga_store::sql::now());
    let engine = state.risk.get().engine.clone();
    let consignments = report
        .consignments
        .iter()
        .map(|c| {
            let d = engine.assess_consignment(report, c, day);
            ConsignmentRisk {
                sequence: c.sequence,
                channel: d.channel.as_str().to_owned(),
                score: d.score,
                explanation: d.explanation,
            }
        })
        .collect();
    Ok(Json(CargoRisk {
        id,
        reference: report.reference.clone(),
        snapshot: engine.snapshot().to_owned(),
        consignments,
    }))
}
