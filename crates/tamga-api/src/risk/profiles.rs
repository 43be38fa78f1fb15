//! Profile management for analysts: create, update (a new version), deactivate, history, and
//! a dry run against the latest accepted declarations before activation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_risk::engine::ProfileError;
use tamga_risk::profile::{valid_id, Scope};
use tamga_risk::{Effect, Profile};
use tamga_store::risk::{kind, Expected, StoredDocument};
use time::Date;
use utoipa::ToSchema;

use super::{check_reason, invalid};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// A profile as analysts write it. `effect` is `{"weight": 30}` or `{"force": "red"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// Required when creating: 1–64 lowercase letters, digits, `-`, `_`, `.`.
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub rationale: String,
    /// Defaults to the caller.
    pub owner: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_from: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_to: Option<String>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub scope: Scope,
    /// The condition in the profile language, e.g. `hs in chapter(93) and origin in list("high-risk-origins")`.
    pub condition: String,
    #[schema(value_type = Object)]
    pub effect: Effect,
    /// Defaults to true.
    pub active: Option<bool>,
    /// Why the change is made; kept with the version. Optional for dry runs only.
    #[serde(default)]
    pub reason: String,
    /// For updates: the version being replaced (optimistic concurrency).
    pub expected_version: Option<u32>,
}

/// One version of a profile with who changed it and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileVersion {
    #[schema(value_type = Object)]
    pub profile: Profile,
    pub changed_by: String,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub changed_at: time::OffsetDateTime,
}

fn version_of(doc: StoredDocument) -> Result<ProfileVersion, ApiError> {
    let mut profile: Profile = serde_json::from_str(&doc.document)
        .map_err(|e| ApiError::Internal(format!("stored profile {}: {e}", doc.name).into()))?;
    profile.version = doc.version;
    Ok(ProfileVersion {
        profile,
        changed_by: doc.changed_by,
        reason: doc.reason,
        changed_at: doc.changed_at,
    })
}

fn date(raw: Option<&str>, pointer: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let raw = raw?;
    tamga_core::dates::parse_date(raw)
        .map_err(|_| {
            errors.push(FieldError::new(
                pointer,
                "invalid_date",
                "expected YYYY-MM-DD",
            ))
        })
        .ok()
}

/// Checks a request and turns it into a profile (version 0 until stored).
pub fn profile_of(
    state: &AppState,
    id: &str,
    r: ProfileRequest,
    owner: &str,
) -> Result<Profile, Vec<FieldError>> {
    let mut errors = Vec::new();
    if !valid_id(id) {
        errors.push(FieldError::new(
            "/id",
            "invalid_id",
            "1 to 64 lowercase letters, digits, '-', '_' or '.'",
        ));
    }
    if r.title.trim().is_empty() || r.title.len() > 200 {
        errors.push(FieldError::new(
            "/title",
            "required",
            "a title of 1 to 200 characters",
        ));
    }
    if r.rationale.len() > 4000 {
        errors.push(FieldError::new(
            "/rationale",
            "too_long",
            "at most 4,000 characters",
        ));
    }
    let valid_from = date(r.valid_from.as_deref(), "/valid_from", &mut errors);
    let valid_to = date(r.valid_to.as_deref(), "/valid_to", &mut errors);
    if let (Some(from), Some(to)) = (valid_from, valid_to) {
        if from > to {
            errors.push(FieldError::new(
                "/valid_to",
                "before_start",
                "ends before valid_from",
            ));
        }
    }
    check_scope(state, &r.scope, &mut errors);
    if let Effect::Weight(w) = r.effect {
        if !(-1000..=1000).contains(&w) {
            errors.push(FieldError::new(
                "/effect/weight",
                "out_of_range",
                "a weight from -1000 to 1000",
            ));
        }
    }
    let profile = Profile {
        id: id.to_owned(),
        version: 0,
        title: r.title,
        rationale: r.rationale,
        owner: r.owner.unwrap_or_else(|| owner.to_owned()),
        valid_from,
        valid_to,
        scope: r.scope,
        condition: r.condition,
        effect: r.effect,
        active: r.active.unwrap_or(true),
    };
    if let Err(e) = state.risk.get().engine.compile(profile.clone()) {
        errors.push(condition_error(&e));
    }
    if errors.is_empty() {
        Ok(profile)
    } else {
        Err(errors)
    }
}

fn check_scope(state: &AppState, scope: &Scope, errors: &mut Vec<FieldError>) {
    for (i, office) in scope.offices.iter().enumerate() {
        if !state.reference.offices.contains(office) {
            errors.push(FieldError::new(
                format!("/scope/offices/{i}"),
                "unknown_office",
                format!("{office:?} is not a customs office"),
            ));
        }
    }
    for (i, t) in scope.declaration_types.iter().enumerate() {
        if tamga_core::model::DeclarationType::parse(t).is_none() {
            errors.push(FieldError::new(
                format!("/scope/declaration_types/{i}"),
                "invalid_code",
                "one of IM, EX, TR",
            ));
        }
    }
}

pub fn condition_error(e: &ProfileError) -> FieldError {
    match e {
        ProfileError::Parse(p) => FieldError::new("/condition", "syntax", p.to_string()),
        ProfileError::Compile(c) => FieldError::new("/condition", "list", c.to_string()),
    }
}

async fn save(
    state: &AppState,
    profile: &Profile,
    expected: Expected,
    by: &str,
    reason: &str,
) -> Result<ProfileVersion, ApiError> {
    let document = serde_json::to_string(profile).map_err(|e| ApiError::Internal(e.into()))?;
    let doc = super::lists::save(
        state,
        kind::PROFILE,
        &profile.id,
        document,
        expected,
        by,
        reason,
    )
    .await?;
    version_of(doc)
}

/// Create a risk profile (version 1).
#[utoipa::path(post, path = "/api/v1/risk/profiles", tag = "risk", security(("bearer" = [])),
    request_body = ProfileRequest,
    responses(
        (status = 201, description = "Created", body = ProfileVersion),
        (status = 403, description = "Analysts and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The id is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field, the condition's with line and column", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_profile(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<ProfileRequest>,
) -> Result<(StatusCode, Json<ProfileVersion>), ApiError> {
    let id = request.id.clone().unwrap_or_default();
    let reason = request.reason.clone();
    let mut errors = Vec::new();
    check_reason(&reason, &mut errors);
    let profile = profile_of(&state, &id, request, &user.name);
    let profile = match profile {
        Ok(p) if errors.is_empty() => p,
        Ok(_) => return Err(invalid("profile", errors)),
        Err(mut e) => {
            e.append(&mut errors);
            return Err(invalid("profile", e));
        }
    };
    let saved = save(&state, &profile, Expected::New, &user.name, &reason).await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// Replace a profile by a new version; the old versions stay, and past decisions keep naming them.
#[utoipa::path(put, path = "/api/v1/risk/profiles/{id}", tag = "risk", security(("bearer" = [])),
    params(("id" = String, Path, description = "Profile id")),
    request_body = ProfileRequest,
    responses(
        (status = 200, description = "The new version", body = ProfileVersion),
        (status = 409, description = "expected_version is not the latest", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_profile(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(request): JsonBody<ProfileRequest>,
) -> Result<Json<ProfileVersion>, ApiError> {
    let mut errors = Vec::new();
    check_reason(&request.reason, &mut errors);
    if request.id.as_deref().is_some_and(|i| i != id) {
        errors.push(FieldError::new(
            "/id",
            "mismatch",
            "differs from the id in the path",
        ));
    }
    let expected = request
        .expected_version
        .map_or(Expected::Any, Expected::Version);
    let reason = request.reason.clone();
    let profile = profile_of(&state, &id, request, &user.name).map_err(|mut e| {
        e.append(&mut errors.clone());
        invalid("profile", e)
    })?;
    if !errors.is_empty() {
        return Err(invalid("profile", errors));
    }
    if latest(&state, &id).await?.is_none() {
        return Err(ApiError::NotFound(format!("no profile {id:?}")));
    }
    Ok(Json(
        save(&state, &profile, expected, &user.name, &reason).await?,
    ))
}

async fn latest(state: &AppState, id: &str) -> Result<Option<ProfileVersion>, ApiError> {
    let docs = state
        .store
        .documents(kind::PROFILE, Some(id), false)
        .await?;
    docs.into_iter().next().map(version_of).transpose()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    pub reason: String,
}

/// Deactivate a profile: a new version that no longer fires.
#[utoipa::path(post, path = "/api/v1/risk/profiles/{id}/deactivate", tag = "risk", security(("bearer" = [])),
    params(("id" = String, Path, description = "Profile id")),
    request_body = ReasonRequest,
    responses((status = 200, description = "The new, inactive version", body = ProfileVersion)))]
pub async fn deactivate_profile(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(request): JsonBody<ReasonRequest>,
) -> Result<Json<ProfileVersion>, ApiError> {
    let mut errors = Vec::new();
    check_reason(&request.reason, &mut errors);
    if !errors.is_empty() {
        return Err(invalid("request", errors));
    }
    let current = latest(&state, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no profile {id:?}")))?;
    let mut profile = current.profile;
    let expected = Expected::Version(profile.version);
    profile.active = false;
    Ok(Json(
        save(&state, &profile, expected, &user.name, &request.reason).await?,
    ))
}

/// Every version of a profile, oldest first, with who changed it and why.
#[utoipa::path(get, path = "/api/v1/risk/profiles/{id}", tag = "risk", security(("bearer" = [])),
    params(("id" = String, Path, description = "Profile id")),
    responses((status = 200, description = "The versions", body = [ProfileVersion])))]
pub async fn profile_history(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<Vec<ProfileVersion>>, ApiError> {
    let docs = state
        .store
        .documents(kind::PROFILE, Some(&id), true)
        .await?;
    if docs.is_empty() {
        return Err(ApiError::NotFound(format!("no profile {id:?}")));
    }
    Ok(Json(
        docs.into_iter().map(version_of).collect::<Result<_, _>>()?,
    ))
}

/// The latest version of every profile, active or not.
#[utoipa::path(get, path = "/api/v1/risk/profiles", tag = "risk", security(("bearer" = [])),
    responses((status = 200, description = "Latest versions", body = [ProfileVersion])))]
pub async fn list_profiles(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<ProfileVersion>>, ApiError> {
    let docs = state.store.documents(kind::PROFILE, None, false).await?;
    Ok(Json(
        docs.into_iter().map(version_of).collect::<Result<_, _>>()?,
    ))
}
