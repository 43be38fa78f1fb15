//! Mandates over HTTP: a party (the path's identifier) lets a representative act for it,
//! directly or indirectly, from one day to another. Granting and revoking are for
//! administrators; a revoked mandate stays on record with its last day.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::dates::parse_date;
use tamga_core::party::{MandateTerms, Representation};
use tamga_core::FieldError;
use tamga_store::parties::{GrantOutcome, MandateRecord, NewMandate, Revocation, RevokeOutcome};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use super::{not_registered, require_reader};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// A mandate to grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MandateRequest {
    /// The representative's party identifier (it must be registered).
    #[schema(example = "UZ207654321")]
    pub representative: Option<String>,
    /// direct or indirect.
    #[schema(example = "direct")]
    pub representation: Option<String>,
    /// YYYY-MM-DD, the first day it applies; today when left out.
    #[schema(example = "2026-01-01")]
    pub valid_from: Option<String>,
    /// YYYY-MM-DD, the last day it applies; left out, it runs until revoked.
    #[schema(example = "2026-12-31")]
    pub valid_until: Option<String>,
}

/// A revocation.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeRequest {
    /// YYYY-MM-DD, the first day the mandate no longer applies; today when left out.
    pub effective: Option<String>,
}

/// A mandate: `party` lets `representative` act for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct MandateView {
    pub id: i64,
    pub party: String,
    pub representative: String,
    pub representation: String,
    #[schema(value_type = String, format = Date)]
    #[serde(with = "tamga_core::dates::iso")]
    pub valid_from: Date,
    /// The last day it applies; absent while it runs until revoked.
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_until: Option<String>,
    pub granted_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub granted_at: OffsetDateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_by: Option<String>,
    #[serde(
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<OffsetDateTime>,
}

impl From<MandateRecord> for MandateView {
    fn from(m: MandateRecord) -> Self {
        MandateView {
            id: m.id,
            party: m.party_id,
            representative: m.representative_id,
            representation: m.representation,
            valid_from: m.valid_from,
            valid_until: m.valid_until.map(tamga_core::dates::format_date),
            granted_by: m.granted_by,
            granted_at: m.granted_at,
            revoked_by: m.revoked_by,
            revoked_at: m.revoked_at,
        }
    }
}

/// The mandates a party gave or holds, oldest first. Staff read any party's; a declarant
/// only its own party's.
#[utoipa::path(get, path = "/api/v1/parties/{id}/mandates", tag = "parties", security(("bearer" = [])),
    params(("id" = String, Path, description = "The party's identifier")),
    responses(
        (status = 200, description = "Mandates given or held", body = [MandateView]),
        (status = 404, description = "Not registered, or not the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_mandates(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<Vec<MandateView>>, ApiError> {
    require_reader(&user, &id)?;
    if state.store.party(&id).await?.is_none() {
        return Err(not_registered(&id));
    }
    let mandates = state.store.mandates(Some(&id)).await?;
    Ok(Json(mandates.into_iter().map(Into::into).collect()))
}

/// Grant a mandate from the party in the path to a representative.
#[utoipa::path(post, path = "/api/v1/parties/{id}/mandates", tag = "parties", security(("bearer" = [])),
    params(("id" = String, Path, description = "The identifier of the party giving the mandate")),
    request_body = MandateRequest,
    responses(
        (status = 201, description = "Granted", body = MandateView),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The party is not registered", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A mandate of this kind between these parties covers some of these days", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field; an unregistered representative", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn grant_mandate(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(request): JsonBody<MandateRequest>,
) -> Result<(StatusCode, Json<MandateView>), ApiError> {
    let today = tamga_store::sql::now().date();
    let (representative, terms) = checked(&request, today).map_err(ApiError::Invalid)?;
    if representative == id {
        let message = "a party acts for itself without a mandate";
        let error = FieldError::new("/representative", "self_mandate", message);
        return Err(ApiError::Invalid(vec![error]));
    }
    let new = NewMandate {
        party_id: id.clone(),
        representative_id: representative.clone(),
        representation: terms.representation.as_str().to_owned(),
        valid_from: terms.valid_from,
        valid_until: terms.valid_until,
        by: user.name.clone(),
        at: tamga_store::sql::now(),
    };
    match state.store.grant_mandate(new).await? {
        GrantOutcome::Granted(m) => Ok((StatusCode::CREATED, Json(m.into()))),
        GrantOutcome::UnknownParties(unknown) if unknown.contains(&id) => Err(not_registered(&id)),
        GrantOutcome::UnknownParties(_) => Err(ApiError::Invalid(vec![FieldError::new(
            "/representative",
            "party_not_registered",
            format!("{representative} is not a registered party"),
        )])),
        GrantOutcome::Overlaps(existing) => Err(ApiError::Conflict {
            detail: format!(
                "mandate {} already lets {representative} represent {id} ({}) on some of these days",
                existing.id, existing.representation
            ),
            existing_mrn: None,
        }),
    }
}

/// The representative and the terms, or every invalid field.
fn checked(
    request: &MandateRequest,
    today: Date,
) -> Result<(String, MandateTerms), Vec<FieldError>> {
    let mut errors = Vec::new();
    let representative = match request
        .representative
        .as_deref()
        .map(tamga_core::codes::PartyId::parse)
    {
        None => missing(&mut errors, "/representative"),
        Some(Ok(id)) => Some(id.as_str().to_owned()),
        Some(Err(e)) => {
            errors.push(FieldError::new("/representative", e.code, e.message));
            None
        }
    };
    let representation = match request.representation.as_deref() {
        None => missing(&mut errors, "/representation"),
        Some(raw) => Representation::parse(raw).or_else(|| {
            let message = "the representation is direct or indirect";
            errors.push(FieldError::new(
                "/representation",
                "representation_unknown",
                message,
            ));
            None
        }),
    };
    let valid_from = date(&mut errors, "/valid_from", request.valid_from.as_deref());
    let valid_until = date(&mut errors, "/valid_until", request.valid_until.as_deref());
    let (Some(representative), Some(representation), Some(from), Some(until)) =
        (representative, representation, valid_from, valid_until)
    else {
        return Err(errors);
    };
    let terms = MandateTerms {
        representation,
        valid_from: from.unwrap_or(today),
        valid_until: until,
    };
    terms.check()?;
    Ok((representative, terms))
}

fn missing<T>(errors: &mut Vec<FieldError>, pointer: &str) -> Option<T> {
    errors.push(FieldError::new(
        pointer,
        "missing",
        format!("{pointer} is required"),
    ));
    None
}

/// An optional date: `Some(None)` when absent, `None` (and a finding) when unreadable.
fn date(errors: &mut Vec<FieldError>, pointer: &str, raw: Option<&str>) -> Option<Option<Date>> {
    let Some(raw) = raw else {
        return Some(None);
    };
    match parse_date(raw) {
        Ok(day) => Some(Some(day)),
        Err(_) => {
            let message = format!("{pointer} must be a date written YYYY-MM-DD");
            errors.push(FieldError::new(pointer, "invalid_date", message));
            None
        }
    }
}

/// Revoke a mandate: from its effective day on it no longer applies; it stays on record.
#[utoipa::path(post, path = "/api/v1/parties/{id}/mandates/{mandate}/revoke", tag = "parties", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The identifier of the party that gave the mandate"),
        ("mandate" = i64, Path, description = "The mandate's id"),
    ),
    request_body = RevokeRequest,
    responses(
        (status = 200, description = "Revoked", body = MandateView),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mandate given by this party", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Revoked before", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unreadable date", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn revoke_mandate(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam((id, mandate)): PathParam<(String, i64)>,
    JsonBody(request): JsonBody<RevokeRequest>,
) -> Result<Json<MandateView>, ApiError> {
    let mut errors = Vec::new();
    let effective = date(&mut errors, "/effective", request.effective.as_deref())
        .ok_or(ApiError::Invalid(errors))?;
    let at = tamga_store::sql::now();
    let revocation = Revocation {
        party_id: id.clone(),
        mandate_id: mandate,
        effective: effective.unwrap_or(at.date()),
        by: user.name.clone(),
        at,
    };
    match state.store.revoke_mandate(revocation).await? {
        RevokeOutcome::Revoked(m) => Ok(Json(m.into())),
        RevokeOutcome::AlreadyRevoked(m) => Err(ApiError::Conflict {
            detail: format!(
                "mandate {mandate} was revoked by {} already",
                m.revoked_by.unwrap_or_default()
            ),
            existing_mrn: None,
        }),
        RevokeOutcome::Unknown => Err(ApiError::NotFound(format!(
            "{id} gave no mandate {mandate}"
        ))),
    }
}
