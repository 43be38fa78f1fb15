//! `POST /declarations/{mrn}/reassessment`: after inspection, an officer corrects what was
//! declared (commodity code, origin, price, masses, quantity) and tamga assesses again under
//! the tariff and rates of the acceptance date. The new version replaces the old one for the
//! balance, which then shows what is still owed or what is refundable; every version stays.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::draft::DeclarationDraft;
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
    /// `{"sequence": 1, "commodity_code": "...", "origin": "...", "price": "...", "net_mass": "...",
    /// "gross_mass": "...", "supplementary_quantity": {...}}` per item; absent fields keep what
    /// was declared.
    #[schema(value_type = Vec<Object>)]
    pub corrections: Vec<ItemCorrection>,
}

/// New values for one goods item; absent fields keep what was declared. The one shape shared
/// with the corrections control findings imply, so the two cannot drift.
pub use tamga_control::finding::ItemCorrection;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReassessmentView {
    pub assessment: AssessmentRecord,
    pub previous_total: Decimal,
    /// New total minus previous total: positive is owed, negative refundable.
    pub difference: Decimal,
    pub balance: Balance,
}

/// Re-assess a declaration with corrected item data (officers, supervisors and administrators).
#[utoipa::path(
    post,
    path = "/api/v1/declarations/{mrn}/reassessment",
    tag = "revenue",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    request_body = ReassessmentRequest,
    responses(
        (status = 201, description = "The new assessment version and balance", body = ReassessmentView),
        (status = 403, description = "Only customs officers, supervisors and administrators re-assess", body = Problem, content_type = "application/problem+json"),
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
    let reason = request.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 1000 || reason.chars().any(char::is_control) {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "/reason",
            "invalid_text",
            "a reason of 1 to 1000 characters is required",
        )]));
    }
    let not_found = || ApiError::NotFound(format!("no assessed declaration {mrn:?}"));
    let (record, versions) = assessed(&state, &mrn).await?;
    let assessment = reassessed(&state, &record, &versions, &request.corrections)?;
    let corrections = serde_json::to_value(&request.corrections).unwrap_or_default();
    let new = NewAssessment {
        assessment,
        by: user,
        at: tamga_store::sql::now(),
        reason,
        corrections,
    };
    let done = state
        .store
        .add_assessment(&mrn, &Scope::All, new)
        .await?
        .ok_or_else(not_found)?;
    tracing::info!(%mrn, version = done.record.version, "re-assessed");
    let difference = done.record.assessment.total - done.previous_total;
    let view = ReassessmentView {
        assessment: done.record,
        previous_total: done.previous_total,
        difference,
        balance: done.balance,
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// The assessment of the declaration with every earlier correction and then `corrections`,
/// under the tariff and rates of its acceptance date; errors point at `corrections`.
pub(crate) fn reassessed(
    state: &AppState,
    record: &tamga_store::DeclarationRecord,
    versions: &[AssessmentRecord],
    corrections: &[ItemCorrection],
) -> Result<tamga_core::tariff::Assessment, ApiError> {
    // Earlier corrections stand: replay them, then apply the new ones.
    let mut all = earlier_corrections(versions);
    let first_new = all.len();
    all.extend(corrections.iter().cloned());
    let draft = corrected(&record.declaration, &all).map_err(|e| renumber(e, first_new))?;
    let declaration = tamga_core::validate::validate(&draft, state.reference, record.accepted_at)
        .map_err(ApiError::Invalid)?;
    super::assess_declaration(&state.revenue.get(), &declaration, record.accepted_at)
        .map_err(ApiError::Invalid)?
        .ok_or_else(|| ApiError::NotFound(format!("declaration {} is not assessed", record.mrn)))
}

/// A declaration and its assessment versions (at least one), or 404.
pub(crate) async fn assessed(
    state: &AppState,
    mrn: &str,
) -> Result<(tamga_store::DeclarationRecord, Vec<AssessmentRecord>), ApiError> {
    let not_found = || ApiError::NotFound(format!("no assessed declaration {mrn:?}"));
    let record = state
        .store
        .declaration(mrn, &Scope::All)
        .await?
        .ok_or_else(not_found)?;
    let versions = state
        .store
        .assessments(mrn, &Scope::All)
        .await?
        .unwrap_or_default();
    if versions.is_empty() {
        return Err(not_found());
    }
    Ok((record, versions))
}

/// The corrections of every earlier version, oldest first.
pub(crate) fn earlier_corrections(versions: &[AssessmentRecord]) -> Vec<ItemCorrection> {
    versions
        .iter()
        .filter_map(|v| v.corrections.clone())
        .filter_map(|c| serde_json::from_value::<Vec<ItemCorrection>>(c).ok())
        .flatten()
        .collect()
}

/// Points errors about the replayed list at the request's own corrections.
fn renumber(error: ApiError, first_new: usize) -> ApiError {
    let ApiError::Invalid(errors) = error else {
        return error;
    };
    let shift = |e: FieldError| {
        let Some(rest) = e.pointer.strip_prefix("/corrections/") else {
            return e;
        };
        let (index, tail) = rest.split_once('/').unwrap_or((rest, ""));
        match index.parse::<usize>() {
            Ok(i) if i >= first_new => FieldError {
                pointer: format!("/corrections/{}/{tail}", i - first_new),
                ..e
            },
            _ => e,
        }
    };
    ApiError::Invalid(errors.into_iter().map(shift).collect())
}

/// The declaration as the latest assessment sees it: with every recorded correction.
pub(crate) fn current_declaration(
    state: &AppState,
    declaration: &tamga_core::Declaration,
    accepted_at: time::OffsetDateTime,
    versions: &[AssessmentRecord],
) -> Result<tamga_core::Declaration, ApiError> {
    let corrections = earlier_corrections(versions);
    if corrections.is_empty() {
        return Ok(declaration.clone());
    }
    let draft = corrected(declaration, &corrections)?;
    tamga_core::validate::validate(&draft, state.reference, accepted_at).map_err(|errors| {
        ApiError::Internal(format!("stored corrections no longer validate: {errors:?}").into())
    })
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
