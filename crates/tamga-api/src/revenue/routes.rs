//! `/declarations/{mrn}/assessment`, `/declarations/{mrn}/payments`, `/tariff/{code}` and
//! `/tariff/calculate`.

use std::str::FromStr;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::dates::{format_date, parse_date};
use tamga_core::draft::{DecimalText, DeclarationDraft};
use tamga_core::tariff::assess::most_specific;
use tamga_core::tariff::{Assessment, Measure, MeasureKind, Origins, Tariff};
use tamga_core::FieldError;
use tamga_store::{AssessmentRecord, Balance, NewPayment, PaymentKind, Scope};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/declarations/{mrn}/assessment", get(assessment))
        .route("/declarations/{mrn}/payments", post(pay))
        .route(
            "/declarations/{mrn}/advance-payment",
            post(super::advance::pay),
        )
        .route("/parties/{id}/advance", get(super::advance::account))
        .route(
            "/parties/{id}/advance/deposits",
            post(super::advance::deposit),
        )
        .route(
            "/declarations/{mrn}/reassessment",
            post(super::reassess::reassess),
        )
        .route(
            "/declarations/{mrn}/valuation",
            get(super::valuation::indicators),
        )
        .route("/tariff/calculate", post(calculate))
        .route("/tariff/{code}", get(measures))
}

/// Every assessment version and the balance against the latest.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentView {
    pub versions: Vec<AssessmentRecord>,
    pub balance: Option<Balance>,
}

/// Get a declaration's assessment: what is owed, explained per item and tax, with the balance.
#[utoipa::path(
    get,
    path = "/api/v1/declarations/{mrn}/assessment",
    tag = "revenue",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    responses(
        (status = 200, description = "Assessment versions and balance", body = AssessmentView),
        (status = 404, description = "No such declaration visible to the caller, or not assessed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn assessment(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
) -> Result<Json<AssessmentView>, ApiError> {
    let scope = Scope::of(&user);
    let versions = state
        .store
        .assessments(&mrn, &scope)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no declaration {mrn:?}")))?;
    if versions.is_empty() {
        return Err(ApiError::NotFound(format!(
            "declaration {mrn} has no assessment (only imports are assessed)"
        )));
    }
    let balance = state.store.balance(&mrn, &scope).await?.flatten();
    Ok(Json(AssessmentView { versions, balance }))
}

/// A payment or guarantee against a declaration's assessment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    pub kind: PaymentKind,
    /// In national currency, e.g. "1250000.00".
    pub amount: DecimalText,
    /// e.g. bank transfer, cash desk, bank guarantee, deposit.
    pub method: String,
    /// The payment order or guarantee number.
    pub reference: String,
}

/// Record a payment or guarantee (customs officers, supervisors and administrators); returns the new balance.
#[utoipa::path(
    post,
    path = "/api/v1/declarations/{mrn}/payments",
    tag = "revenue",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    request_body = PaymentRequest,
    responses(
        (status = 201, description = "Recorded; the new balance", body = Balance),
        (status = 403, description = "Only customs officers, supervisors and administrators record payments", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration, or nothing assessed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad amount or fields", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn pay(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(request): JsonBody<PaymentRequest>,
) -> Result<(StatusCode, Json<Balance>), ApiError> {
    let payment = payment(request, user)?;
    match state
        .store
        .record_payment(&mrn, &Scope::All, payment)
        .await?
    {
        Some(Some(balance)) => Ok((StatusCode::CREATED, Json(balance))),
        Some(None) => Err(ApiError::NotFound(format!(
            "declaration {mrn} has no assessment to pay"
        ))),
        None => Err(ApiError::NotFound(format!("no declaration {mrn:?}"))),
    }
}

/// The largest payment accepted, in national currency (a bound, far above any real one).
const MAX_PAYMENT: i64 = 1_000_000_000_000_000;

fn payment(request: PaymentRequest, by: tamga_store::User) -> Result<NewPayment, ApiError> {
    let mut errors = Vec::new();
    let amount = checked_amount(&request.amount, &mut errors);
    for (pointer, value) in [
        ("/method", &request.method),
        ("/reference", &request.reference),
    ] {
        check_text(pointer, value, &mut errors);
    }
    match amount {
        Some(amount) if errors.is_empty() => Ok(NewPayment {
            kind: request.kind,
            amount,
            method: request.method.trim().to_owned(),
            reference: request.reference.trim().to_owned(),
            by,
            at: tamga_store::sql::now(),
        }),
        _ => Err(ApiError::Invalid(errors)),
    }
}

/// A payment's `/amount`: positive, in cents at most, below [`MAX_PAYMENT`]; a problem is
/// added to `errors` otherwise.
pub(crate) fn checked_amount(raw: &DecimalText, errors: &mut Vec<FieldError>) -> Option<Decimal> {
    let text = raw.0.trim();
    // Digits and one decimal point only: `Decimal::from_str` would also read `1e9` and `1_000`.
    let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let amount = Some(text)
        .filter(|_| plain)
        .and_then(|t| Decimal::from_str(t).ok())
        .filter(|a| *a > Decimal::ZERO && a.scale() <= 2 && *a <= Decimal::from(MAX_PAYMENT));
    if amount.is_none() {
        errors.push(FieldError::new(
            "/amount",
            "invalid_amount",
            "a positive amount of at most 1000000000000000 with at most 2 decimals is required",
        ));
    }
    amount
}

/// A payment's short text (method, payment order number): 1 to 70 characters, no control
/// characters.
pub(crate) fn check_text(pointer: &str, value: &str, errors: &mut Vec<FieldError>) {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > 70 || value.chars().any(char::is_control) {
        errors.push(FieldError::new(
            pointer,
            "invalid_text",
            format!("{pointer} needs 1 to 70 characters"),
        ));
    }
}

/// Assess a declaration without lodging it: the duty and tax calculator. Nothing is stored.
#[utoipa::path(
    post,
    path = "/api/v1/tariff/calculate",
    tag = "revenue",
    security(("bearer" = [])),
    request_body = DeclarationDraft,
    responses(
        (status = 200, description = "What would be owed", body = Assessment),
        (status = 422, description = "Invalid declaration, or not assessable as it stands", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn calculate(
    State(state): State<AppState>,
    Caller(_): Caller,
    JsonBody(draft): JsonBody<DeclarationDraft>,
) -> Result<Json<Assessment>, ApiError> {
    let at = tamga_store::sql::now();
    let declaration =
        tamga_core::validate::validate(&draft, state.reference, at).map_err(ApiError::Invalid)?;
    let revenue = state.revenue.get();
    match super::assess_declaration(&revenue, &declaration, at).map_err(ApiError::Invalid)? {
        Some(assessment) => Ok(Json(assessment)),
        None => Err(ApiError::Invalid(vec![FieldError::new(
            "/type",
            "not_assessable",
            "only import declarations (IM) are assessed",
        )])),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MeasureParams {
    /// The day, YYYY-MM-DD; today when absent.
    date: Option<String>,
    /// Country of origin; when given, each measure says whether it applies.
    origin: Option<String>,
}

/// The measure used in place of `measure`: the most specific of its kind for the origin, or,
/// without an origin, of its kind and origins; none when it does not cover the origin.
fn chosen<'m>(
    in_force: &[&'m Measure],
    measure: &Measure,
    tariff: &Tariff,
    origin: Option<&str>,
) -> Option<&'m Measure> {
    if measure.kind == MeasureKind::Restriction {
        return in_force.iter().copied().find(|m| std::ptr::eq(*m, measure));
    }
    match origin {
        Some(_) if tariff.covers(&measure.origins, origin) => {
            most_specific(in_force, measure.kind, tariff, origin)
        }
        Some(_) => None,
        None => in_force
            .iter()
            .filter(|m| m.kind == measure.kind && m.origins == measure.origins)
            .max_by_key(|m| m.specificity())
            .copied(),
    }
}

/// The measures of the tariff that apply to a commodity code on a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct TariffView {
    pub code: String,
    /// The national tariff line, when the code is one.
    pub description: Option<String>,
    pub date: String,
    pub origin: Option<String>,
    pub measures: Vec<MeasureView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureView {
    /// The code the measure is attached to (a prefix of the requested code).
    pub code: String,
    pub kind: MeasureKind,
    pub origins: Origins,
    pub expression: Option<String>,
    /// Proof of origin (preferences) or licence (restrictions) required.
    pub document: Option<String>,
    pub valid_from: String,
    pub valid_to: Option<String>,
    /// Whether it applies to the given origin (always true without one).
    pub applies_to_origin: bool,
    /// Whether the assessment uses it: the most specific measure of its kind for the origin
    /// (without an origin, of its kind and origins). Every restriction applies.
    pub applies: bool,
    /// The code of the more specific measure of the same kind that is used instead.
    pub overridden_by: Option<String>,
}

/// List the measures in force for a commodity code: duties, preferences, excise, VAT, restrictions.
#[utoipa::path(
    get,
    path = "/api/v1/tariff/{code}",
    tag = "revenue",
    params(("code" = String, Path, description = "2 to 10 digits"), MeasureParams),
    responses(
        (status = 200, description = "Measures in force", body = TariffView),
        (status = 400, description = "Bad code, date or origin", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn measures(
    State(state): State<AppState>,
    PathParam(code): PathParam<String>,
    params: Result<Query<MeasureParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<TariffView>, ApiError> {
    let Query(params) = params.map_err(|e| ApiError::query("query", "invalid", &e.body_text()))?;
    if !(2..=10).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::query(
            "code",
            "invalid",
            "a commodity code is 2 to 10 digits",
        ));
    }
    let date = match params.date.as_deref() {
        // Today in Uzbekistan, as assessments count it.
        None => tamga_store::sql::now()
            .to_offset(tamga_core::refdata::office_utc_offset("UZ"))
            .date(),
        Some(raw) => parse_date(raw)
            .map_err(|_| ApiError::query("date", "invalid", "a date is YYYY-MM-DD"))?,
    };
    let origin = params.origin.as_deref();
    if origin.is_some_and(|o| !state.reference.countries.contains(o)) {
        return Err(ApiError::query(
            "origin",
            "invalid",
            "origin must be an ISO 3166-1 alpha-2 country code",
        ));
    }
    let revenue = state.revenue.get();
    let in_force: Vec<&Measure> = revenue.tariff.measures_for(&code, date).collect();
    let measures = in_force
        .iter()
        .map(|m| MeasureView {
            overridden_by: chosen(&in_force, m, &revenue.tariff, origin)
                .filter(|c| !std::ptr::eq(*c, *m))
                .map(|c| c.code.clone()),
            applies: chosen(&in_force, m, &revenue.tariff, origin)
                .is_some_and(|c| std::ptr::eq(c, *m)),
            code: m.code.clone(),
            kind: m.kind,
            origins: m.origins.clone(),
            expression: m.expression.as_ref().map(ToString::to_string),
            document: m.document.clone(),
            valid_from: format_date(m.valid_from),
            valid_to: m.valid_to.map(format_date),
            applies_to_origin: origin.is_none() || revenue.tariff.covers(&m.origins, origin),
        })
        .collect();
    Ok(Json(TariffView {
        description: revenue
            .tariff
            .lines
            .get(&code)
            .map(|l| l.description.clone()),
        code,
        date: format_date(date),
        origin: params.origin,
        measures,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tariff() -> Tariff {
        tamga_core::tariff::load::parse_tariff(
            "kind,code,origins,expression,document,valid_from,valid_to,description\n\
             group,CIS-FTA,KZ KG,,,,,CIS\n\
             third-country-duty,85,*,10 %,,2020-01-01,,\n\
             third-country-duty,8517,*,5 %,,2020-01-01,,\n\
             preference,85,group:CIS-FTA,0 %,ST1,2020-01-01,,\n\
             anti-dumping,8517,CN,20 %,,2020-01-01,,\n\
             restriction,85,*,,L1,2020-01-01,,\n",
        )
        .unwrap()
    }

    /// For each measure (code, kind): whether it applies and what overrides it.
    fn verdicts(
        tariff: &Tariff,
        origin: Option<&str>,
    ) -> Vec<(String, MeasureKind, bool, Option<String>)> {
        let date = time::macros::date!(2026 - 01 - 01);
        let in_force: Vec<&Measure> = tariff.measures_for("8517130000", date).collect();
        in_force
            .iter()
            .map(|m| {
                let c = chosen(&in_force, m, tariff, origin);
                let applies = c.is_some_and(|c| std::ptr::eq(c, *m));
                let by = c.filter(|c| !std::ptr::eq(*c, *m)).map(|c| c.code.clone());
                (m.code.clone(), m.kind, applies, by)
            })
            .collect()
    }

    #[test]
    fn the_most_specific_measure_applies_and_the_others_say_what_overrides_them() {
        use MeasureKind::*;
        let t = tariff();
        let for_kz = verdicts(&t, Some("KZ"));
        assert!(for_kz.contains(&("85".into(), ThirdCountryDuty, false, Some("8517".into()))));
        assert!(for_kz.contains(&("8517".into(), ThirdCountryDuty, true, None)));
        assert!(for_kz.contains(&("85".into(), Preference, true, None)));
        assert!(
            for_kz.contains(&("8517".into(), AntiDumping, false, None)),
            "not for KZ"
        );
        assert!(for_kz.contains(&("85".into(), Restriction, true, None)));
        let for_cn = verdicts(&t, Some("CN"));
        assert!(for_cn.contains(&("85".into(), Preference, false, None)));
        assert!(for_cn.contains(&("8517".into(), AntiDumping, true, None)));
        let any = verdicts(&t, None);
        assert!(any.contains(&("85".into(), ThirdCountryDuty, false, Some("8517".into()))));
        assert!(any.contains(&("85".into(), Preference, true, None)));
    }
}
