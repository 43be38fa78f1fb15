//! The selectivity settings: thresholds and random rates per office, AEO reduction, weights.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_risk::selectivity::Selectivity;
use tamga_store::risk::{kind, Expected};
use utoipa::ToSchema;

use super::lists::save;
use super::{check_reason, invalid};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct SelectivityView {
    /// 0 while the defaults apply.
    pub version: u32,
    #[schema(value_type = Object)]
    pub settings: Selectivity,
}

/// The selectivity settings in force: thresholds and random rates per office, AEO reduction,
/// watchlist and model weights.
#[utoipa::path(get, path = "/api/v1/risk/selectivity", tag = "risk", security(("bearer" = [])),
    responses((status = 200, description = "Settings", body = SelectivityView)))]
pub async fn get_selectivity(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<SelectivityView>, ApiError> {
    let docs = state
        .store
        .documents(kind::SELECTIVITY, None, false)
        .await?;
    let version = docs.first().map_or(0, |d| d.version);
    let settings = state.risk.get().engine.selectivity().clone();
    Ok(Json(SelectivityView { version, settings }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectivityRequest {
    #[schema(value_type = Object)]
    pub settings: Selectivity,
    pub reason: String,
    pub expected_version: Option<u32>,
}

/// Replace the selectivity settings (a new version).
#[utoipa::path(put, path = "/api/v1/risk/selectivity", tag = "risk", security(("bearer" = [])),
    request_body = SelectivityRequest,
    responses(
        (status = 200, description = "The new version", body = SelectivityView),
        (status = 422, description = "Every invalid setting", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn put_selectivity(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<SelectivityRequest>,
) -> Result<Json<SelectivityView>, ApiError> {
    let mut errors = Vec::new();
    check_reason(&request.reason, &mut errors);
    for (pointer, message) in request.settings.problems() {
        errors.push(FieldError::new(
            format!("/settings{pointer}"),
            "invalid_setting",
            message,
        ));
    }
    for office in request.settings.offices.keys() {
        if !state.reference.offices.contains(office) {
            errors.push(FieldError::new(
                format!("/settings/offices/{office}"),
                "unknown_office",
                "not a customs office",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(invalid("settings", errors));
    }
    let expected = request
        .expected_version
        .map_or(Expected::Any, Expected::Version);
    let document =
        serde_json::to_string(&request.settings).map_err(|e| ApiError::Internal(e.into()))?;
    let doc = save(
        &state,
        kind::SELECTIVITY,
        "selectivity",
        document,
        expected,
        &user.name,
        &request.reason,
    )
    .await?;
    Ok(Json(SelectivityView {
        version: doc.version,
        settings: request.settings,
    }))
}
