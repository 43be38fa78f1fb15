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
pub(crate) async fn lodge(
    State(state): State<AppState>,
    Caller(user): Caller,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    if !user.role.may_lodge() {
        return Err(ApiError::Forbidden(format!(
            "the role {} may not lodge cargo reports",
            user.role.as_str()
        )));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let reports: Vec<(Option<String>, CargoReport)> =
        if content_type.starts_with("application/edifact") {
            let text = tamga_edifact::charset::decode(&body).into_owned();
            match tamga_edifact::interchange::read(&text) {
                Ok(read) => {
                    let sender = read.header.as_ref().map(|h| h.sender.clone());
                    let cuscars = read.messages.iter().filter(|m| m.kind() == Some("CUSCAR"));
                    cuscars
                        .map(|m| {
                            (
                                sender.clone(),
                                tamga_edifact::cuscar::to_report(m, sender.as_deref()),
                            )
                        })
                        .collect()
                }
                Err(error) => {
                    return Err(ApiError::BadRequest {
                        status: StatusCode::BAD_REQUEST,
                        detail: format!("EDIFACT: {error}"),
                        errors: Vec::new(),
                    })
                }
            }
        } else {
            vec![(None, crate::extract::parse_json::<CargoReport>(&body)?)]
        };
    crate::declarations::check_batch_size(reports.len())?;
    let mut stored = Vec::with_capacity(reports.len());
    let mut status = StatusCode::OK;
    for (sender, report) in reports {
        tamga_core::cargo::check(&report).map_err(ApiError::Invalid)?;
        let carrier = carrier(&user, sender, &report)?;
        let new = NewCargoReport {
            carrier,
            report,
            by: user.clone(),
            at: tamga_store::sql::now(),
        };
        match state.store.save_cargo_report(new).await? {
            CargoOutcome::Stored(r) => {
                status = StatusCode::CREATED;
                stored.push(r);
            }
            CargoOutcome::Resubmitted(r) => stored.push(r),
            CargoOutcome::ReferenceTaken { id } => {
                return Err(ApiError::Conflict {
                    detail: format!(
                        "the reference is used by cargo report {id}, with different content"
                    ),
                    existing_mrn: None,
                });
            }
        }
    }
    Ok((status, Json(CargoAnswer { reports: stored })).into_response())
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
#[serde(deny_unknown_fields)]
pub(crate) struct ListParams {
    /// Reports with an id below this one (the last id of the previous page).
    before: Option<i64>,
    /// 1 to 200 (default 50).
    limit: Option<u32>,
}

/// Cargo reports, newest first (customs staff).
#[utoipa::path(
    get,
    path = "/api/v1/cargo-reports",
    tag = "cargo",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, description = "Reports", body = CargoAnswer), (status = 403, description = "Customs staff only", body = Problem, content_type = "application/problem+json"))
)]
pub(crate) async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CargoAnswer>, ApiError> {
    if !user.role.sees_all_declarations() {
        return Err(ApiError::Forbidden(
            "cargo reports are listed for customs staff".into(),
        ));
    }
    let Query(params) = params.map_err(ApiError::from)?;
    let limit = params.limit.unwrap_or(50).clamp(1, 200);
    Ok(Json(CargoAnswer {
        reports: state.store.cargo_reports(params.before, limit).await?,
    }))
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
pub(crate) async fn one(
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
