//! The decision of a declaration, inspection outcomes, and the hit-rate statistics.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_risk::feedback::{statistics_from_tallies, DayTally, Outcome, Statistics, TallySubject};
use tamga_store::risk::StoredOutcome;
use tamga_store::Scope;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

use super::{invalid, sees_explanations};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeView {
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
    #[schema(value_type = Object)]
    pub outcome: serde_json::Value,
}

/// The channel, and for customs staff the score, the explanation and the inspection outcomes.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionView {
    pub mrn: String,
    /// green, yellow, red or blue.
    pub channel: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random: Option<bool>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub decided_at: OffsetDateTime,
    /// Customs staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub explanation: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<Vec<OutcomeView>>,
}

/// The risk decision taken at acceptance. A declarant sees only the channel.
#[utoipa::path(get, path = "/api/v1/declarations/{mrn}/risk", tag = "risk", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    responses(
        (status = 200, description = "The decision", body = DecisionView),
        (status = 404, description = "No such declaration visible to the caller, or not risk-assessed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn decision(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
) -> Result<Json<DecisionView>, ApiError> {
    let not_found = || ApiError::NotFound(format!("no risk-assessed declaration {mrn:?}"));
    if state
        .store
        .declaration(&mrn, &Scope::of(&user))
        .await?
        .is_none()
    {
        return Err(not_found());
    }
    let d = state
        .store
        .risk_decision(&mrn)
        .await?
        .ok_or_else(not_found)?;
    let staff = sees_explanations(&user);
    if staff {
        let action = "risk.explanation.read";
        state.store.audit_read(&user.name, action, &d.mrn).await?;
    }
    let json = |text: &str| serde_json::from_str(text).unwrap_or(serde_json::Value::Null);
    Ok(Json(DecisionView {
        mrn: d.mrn,
        channel: d.channel,
        score: staff.then_some(d.score),
        random: staff.then_some(d.random),
        decided_at: d.decided_at,
        explanation: staff.then(|| json(&d.document)),
        outcomes: staff.then(|| {
            d.outcomes
                .iter()
                .map(|o| OutcomeView {
                    recorded_by: o.recorded_by.clone(),
                    recorded_at: o.recorded_at,
                    outcome: json(&o.document),
                })
                .collect()
        }),
    }))
}

/// Record what an inspection found: no findings, or findings typed misclassification,
/// undervaluation, origin, prohibited_goods, quantity or other, with the extra revenue.
#[utoipa::path(post, path = "/api/v1/declarations/{mrn}/inspection", tag = "risk", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    request_body(content = Object, description = r#"{"findings": [{"type": "undervaluation", "note": "..."}], "extra_revenue": "1500.00", "notes": "..."}"#),
    responses(
        (status = 201, description = "Recorded: the outcome as stored", body = OutcomeView),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_inspection(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(outcome): JsonBody<Outcome>,
) -> Result<(StatusCode, Json<OutcomeView>), ApiError> {
    let mut errors = Vec::new();
    if outcome.extra_revenue.is_sign_negative()
        || outcome.extra_revenue > rust_decimal::Decimal::from(1_000_000_000_000_i64)
    {
        errors.push(FieldError::new(
            "/extra_revenue",
            "out_of_range",
            "from 0 to 1,000,000,000,000",
        ));
    }
    if outcome.findings.len() > 50 {
        errors.push(FieldError::new(
            "/findings",
            "too_many",
            "at most 50 findings",
        ));
    }
    let long = |s: &Option<String>| s.as_ref().is_some_and(|s| s.len() > 4000);
    for (i, f) in outcome.findings.iter().enumerate() {
        if long(&f.note) {
            errors.push(FieldError::new(
                format!("/findings/{i}/note"),
                "too_long",
                "at most 4,000 characters",
            ));
        }
    }
    if long(&outcome.notes) {
        errors.push(FieldError::new(
            "/notes",
            "too_long",
            "at most 4,000 characters",
        ));
    }
    if !errors.is_empty() {
        return Err(invalid("outcome", errors));
    }
    let stored = StoredOutcome {
        recorded_by: user.name.clone(),
        recorded_at: tamga_store::sql::now(),
        document: serde_json::to_string(&outcome).map_err(|e| ApiError::Internal(e.into()))?,
    };
    let view = OutcomeView {
        recorded_by: stored.recorded_by.clone(),
        recorded_at: stored.recorded_at,
        outcome: serde_json::to_value(&outcome).map_err(|e| ApiError::Internal(e.into()))?,
    };
    match state.store.record_outcome(&mrn, stored).await? {
        Some(()) => Ok((StatusCode::CREATED, Json(view))),
        None => Err(ApiError::NotFound(format!("no declaration {mrn:?}"))),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Start (RFC 3339), included; default 30 days before `to`.
    pub from: Option<String>,
    /// End (RFC 3339), excluded; default now.
    pub to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatisticsView {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub to: OffsetDateTime,
    /// `all` (every decided declaration: decided, inspected, hits, hit_rate, revenue_found,
    /// findings by type), and `random` (the baseline) and per-profile tallies of the same with
    /// `selections` (the declarations each selected) in place of `decided`.
    #[schema(value_type = Object)]
    pub statistics: Statistics,
}

fn instant(
    raw: Option<&str>,
    pointer: &str,
    errors: &mut Vec<FieldError>,
) -> Option<OffsetDateTime> {
    let raw = raw?;
    OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339)
        .map_err(|_| {
            errors.push(FieldError::new(
                pointer,
                "invalid_time",
                "an RFC 3339 time, e.g. 2026-11-01T00:00:00Z",
            ))
        })
        .ok()
}

/// Per-profile selections, inspections, hits, hit rates and revenue found in a time window,
/// beside the random selections' hit rate. The window is counted in whole days of decision
/// (the office's local day): the days of `from` and of the instant before `to`, and every day
/// between. The figures are kept as decisions and outcomes are recorded, so reading them costs
/// the days in the window, not the declarations.
#[utoipa::path(get, path = "/api/v1/risk/statistics", tag = "risk", security(("bearer" = [])),
    params(Window),
    responses(
        (status = 200, description = "Tallies", body = StatisticsView),
        (status = 400, description = "Bad window", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn statistics(
    State(state): State<AppState>,
    Caller(_): Caller,
    window: Result<Query<Window>, QueryRejection>,
) -> Result<Json<StatisticsView>, ApiError> {
    let Query(window) = window?;
    let mut errors = Vec::new();
    let to = instant(window.to.as_deref(), "/query/to", &mut errors)
        .unwrap_or_else(tamga_store::sql::now);
    let from = instant(window.from.as_deref(), "/query/from", &mut errors)
        .unwrap_or(to - time::Duration::days(30));
    if from >= to {
        errors.push(FieldError::new(
            "/query/from",
            "empty_window",
            "must be before `to`",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: "the time window is invalid".into(),
            errors,
        });
    }
    // Tallies are kept per office-local day (`office_day`: UTC+5, or UTC+6 in Kyrgyzstan), so
    // the window's days are the local days it overlaps; its UTC days missed the evening's
    // lodgements in Tashkent, which fall on the next local day.
    let local = |at: time::OffsetDateTime, country| {
        at.to_offset(tamga_core::refdata::office_utc_offset(country))
            .date()
    };
    let first = local(from, "UZ");
    let last = local(to - time::Duration::microseconds(1), "KG");
    let days = state.store.tallies(first, last).await?;
    Ok(Json(StatisticsView {
        from,
        to,
        statistics: statistics_from_tallies(days.into_iter().filter_map(day_tally)),
    }))
}

/// A kept tally as the engine's statistics count it (an unknown kind or finding type, which
/// this version never writes, is left out rather than miscounted).
fn day_tally(row: tamga_store::risk::TallyRow) -> Option<DayTally> {
    let subject = match row.kind.as_str() {
        "all" => TallySubject::All,
        "random" => TallySubject::Random,
        "profile" => TallySubject::Profile(row.profile),
        _ => return None,
    };
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let findings = row
        .outcomes
        .findings
        .iter()
        .filter_map(|(kind, n)| {
            let kind = serde_json::from_value(serde_json::Value::String(kind.clone())).ok()?;
            Some((kind, count(*n)))
        })
        .collect();
    Some(DayTally {
        subject,
        decided: count(row.decided),
        inspected: count(row.outcomes.inspected),
        hits: count(row.outcomes.hits),
        revenue: row.outcomes.revenue,
        findings,
    })
}
