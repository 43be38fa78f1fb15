//! `POST /declarations/{mrn}/reassessment`: after inspection, an officer corrects what was
//! declared (commodity code, origin, price, masses, quantity) and tamga assesses again under
//! the tariff and rates of the acceptance date. The new version replaces the old one for the
//! balance, which then shows what is still owed or what is refundable; every version stays.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::draft::{DecimalText, DeclarationDraft, QuantityDraft};
use tamga_core::role::Role;
use tamga_core::FieldError;
use tamga_store::{AssessmentRecord, Balance, NewAssessment, Scope};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassessmentRequest {
    /// Why: the inspection finding, recorded with the new version.
    pub reason: String,
    pub corrections: Vec<ItemCorrection>,
}

/// New values for one goods item; absent fields keep what was declared.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemCorrection {
    pub sequence: i64,
    pub commodity_code: Option<String>,
    pub origin: Option<String>,
    pub price: Option<DecimalText>,
    pub net_mass: Option<DecimalText>,
    pub gross_mass: Option<DecimalText>,
    pub supplementary_quantity: Option<QuantityDraft>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReassessmentView {
    pub assessment: AssessmentRecord,
    pub previous_total: Decimal,
    /// New total minus previous total: positive is owed, negative refundable.
    pub difference: Decimal,
    pub balance: Balance,
}

/// Re-assess a declaration with corrected item data (officers and supervisors).
#[utoipa::path(
    post,
    path = "/api/v1/declarations/{mrn}/reassessment",
    tag = "revenue",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    request_body = ReassessmentRequest,
    responses(
        (status = 201, description = "The new assessment version and balance", body = ReassessmentView),
        (status = 403, description = "Only customs officers and supervisors re-assess", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration, or never assessed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Corrections invalid or not assessable", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn reassess(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(request): JsonBody<ReassessmentRequest>,
) -> Result<(StatusCode, Json<ReassessmentView>), ApiError> {
    if !matches!(user.role, Role::Officer | Role::Supervisor | Role::Admin) {
        return Err(ApiError::Forbidden(
            "only customs officers and supervisors re-assess".into(),
        ));
    }
    let reason = request.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 1000 || reason.chars().any(char::is_control) {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "/reason",
            "invalid_text",
            "a reason of 1 to 1000 characters is required",
        )]));
    }
    let not_found = || ApiError::NotFound(format!("no assessed declaration {mrn:?}"));
    let record = state
        .store
        .declaration(&mrn, &Scope::All)
        .await?
        .ok_or_else(not_found)?;
    let versions = state
        .store
        .assessments(&mrn, &Scope::All)
        .await?
        .unwrap_or_default();
    let previous = versions.last().ok_or_else(not_found)?.assessment.total;
    let draft = corrected(&record.declaration, &request.corrections)?;
    let declaration = tamga_core::validate::validate(&draft, state.reference, record.accepted_at)
        .map_err(ApiError::Invalid)?;
    let assessment =
        super::assess_declaration(&state.revenue.get(), &declaration, record.accepted_at)
            .map_err(ApiError::Invalid)?
            .ok_or_else(not_found)?;
    let corrections = serde_json::to_value(&request.corrections).unwrap_or_default();
    let new = NewAssessment {
        assessment,
        by: user,
        at: tamga_store::sql::now(),
        reason,
        corrections,
    };
    let (assessment, balance) = state
        .store
        .add_assessment(&mrn, &Scope::All, new)
        .await?
        .ok_or_else(not_found)?;
    tracing::info!(%mrn, version = assessment.version, "re-assessed");
    let difference = assessment.assessment.total - previous;
    Ok((
        StatusCode::CREATED,
        Json(ReassessmentView {
            assessment,
            previous_total: previous,
            difference,
            balance,
        }),
    ))
}

/// The declaration as a draft, with the corrections applied.
fn corrected(
    declaration: &tamga_core::Declaration,
    corrections: &[ItemCorrection],
) -> Result<DeclarationDraft, ApiError> {
    let value = serde_json::to_value(declaration).map_err(|e| ApiError::Internal(Box::new(e)))?;
    let mut draft: DeclarationDraft =
        serde_json::from_value(value).map_err(|e| ApiError::Internal(Box::new(e)))?;
    let mut errors = Vec::new();
    for (j, correction) in corrections.iter().enumerate() {
        let Some(item) = draft
            .items
            .iter_mut()
            .find(|i| i.sequence == Some(correction.sequence))
        else {
            errors.push(FieldError::new(
                format!("/corrections/{j}/sequence"),
                "unknown_item",
                format!("the declaration has no goods item {}", correction.sequence),
            ));
            continue;
        };
        let c = correction.clone();
        item.commodity_code = c.commodity_code.or(item.commodity_code.take());
        item.origin = c.origin.or(item.origin.take());
        item.price = c.price.or(item.price.take());
        item.net_mass = c.net_mass.or(item.net_mass.take());
        item.gross_mass = c.gross_mass.or(item.gross_mass.take());
        item.supplementary_quantity = c
            .supplementary_quantity
            .or(item.supplementary_quantity.take());
    }
    if errors.is_empty() {
        Ok(draft)
    } else {
        Err(ApiError::Invalid(errors))
    }
}
