//! `GET /declarations/{mrn}/valuation`: each item's declared unit value against the reference
//! for its subheading and origin. For customs staff only: it is a risk indicator.

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use tamga_core::tariff::valuation::{self, Indicator};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::PathParam;
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ValuationView {
    /// The assessment version whose customs values are compared.
    pub assessment_version: i64,
    pub items: Vec<Indicator>,
}

/// Undervaluation indicators of a declaration's items.
#[utoipa::path(
    get,
    path = "/api/v1/declarations/{mrn}/valuation",
    tag = "revenue",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    responses(
        (status = 200, description = "One indicator per assessed item", body = ValuationView),
        (status = 403, description = "Declarants do not see risk indicators", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration, or never assessed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn indicators(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(mrn): PathParam<String>,
) -> Result<Json<ValuationView>, ApiError> {
    let (record, versions) = super::reassess::assessed(&state, &mrn).await?;
    let Some(latest) = versions.last() else {
        return Err(ApiError::NotFound(format!(
            "no assessed declaration {mrn:?}"
        )));
    };
    let declaration = super::reassess::current_declaration(
        &state,
        &record.declaration,
        record.accepted_at,
        &versions,
    )?;
    let items = valuation::indicators(
        &declaration,
        &latest.assessment,
        &state.revenue.get().valuation,
    );
    Ok(Json(ValuationView {
        assessment_version: latest.version,
        items,
    }))
}
