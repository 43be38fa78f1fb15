//! The party registry over HTTP: administrators register and change parties and grant and
//! revoke mandates; customs staff read them all; a declarant reads its own party and the
//! mandates it gave or holds. Input is checked by [`tamga_core::party`], so the CLI and the
//! API refuse the same things.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tamga_core::party::PartyInput;
use tamga_core::role::Role;
use tamga_store::parties::{NewParty, PartyRecord};
use tamga_store::User;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

pub mod mandates;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/parties", get(list_parties).post(create_party))
        .route("/parties/{id}", get(get_party).put(update_party))
        .route(
            "/parties/{id}/mandates",
            get(mandates::list_mandates).post(mandates::grant_mandate),
        )
        .route(
            "/parties/{id}/mandates/{mandate}/revoke",
            post(mandates::revoke_mandate),
        )
}

/// A party to register (`POST`) or its new details (`PUT`, where `id` is left out).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyRequest {
    /// TIN or EORI-style identifier; taken from the path on `PUT`.
    #[schema(example = "UZ305123456")]
    pub id: Option<String>,
    pub name: Option<String>,
    #[schema(example = "UZ")]
    pub country: Option<String>,
    pub address: Option<String>,
    /// AEOC, AEOS or AEOF; left out for none.
    #[schema(example = "AEOF")]
    pub aeo: Option<String>,
}

/// A registered party.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartyView {
    pub id: String,
    pub name: String,
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aeo: Option<String>,
    pub changed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub changed_at: time::OffsetDateTime,
}

impl From<PartyRecord> for PartyView {
    fn from(p: PartyRecord) -> Self {
        PartyView {
            changed_at: p.changed_at,
            id: p.id,
            name: p.name,
            country: p.country,
            address: p.address,
            aeo: p.aeo,
            changed_by: p.changed_by,
        }
    }
}

/// Register a party.
#[utoipa::path(post, path = "/api/v1/parties", tag = "parties", security(("bearer" = [])),
    request_body = PartyRequest,
    responses(
        (status = 201, description = "Registered", body = PartyView),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The identifier is registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_party(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<PartyRequest>,
) -> Result<(StatusCode, Json<PartyView>), ApiError> {
    let id = request.id.clone().unwrap_or_default();
    let party = checked(&state, &user, &id, &request)?;
    let created = state.store.create_party(party).await?;
    crate::risk::rebuild(&state).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Change a registered party's name, country, address or AEO status.
#[utoipa::path(put, path = "/api/v1/parties/{id}", tag = "parties", security(("bearer" = [])),
    params(("id" = String, Path, description = "The party's identifier")),
    request_body = PartyRequest,
    responses(
        (status = 200, description = "Changed", body = PartyView),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_party(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(request): JsonBody<PartyRequest>,
) -> Result<Json<PartyView>, ApiError> {
    if request.id.as_deref().is_some_and(|given| given != id) {
        return Err(ApiError::Invalid(vec![tamga_core::FieldError::new(
            "/id",
            "id_mismatch",
            format!("the body names another party than the path ({id})"),
        )]));
    }
    let party = checked(&state, &user, &id, &request)?;
    let updated = state.store.update_party(party).await?;
    let updated = updated.ok_or_else(|| not_registered(&id))?;
    // The AEO status is what targeting reads, so the engine takes it in at once.
    crate::risk::rebuild(&state).await?;
    Ok(Json(updated.into()))
}

/// Registered parties: all of them for customs staff, its own for a declarant.
#[utoipa::path(get, path = "/api/v1/parties", tag = "parties", security(("bearer" = [])),
    responses((status = 200, description = "Parties by identifier", body = [PartyView])))]
pub async fn list_parties(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<Json<Vec<PartyView>>, ApiError> {
    let parties = match own_party(&user) {
        None => state.store.parties(false).await?,
        Some(id) => state.store.party(id).await?.into_iter().collect(),
    };
    Ok(Json(parties.into_iter().map(Into::into).collect()))
}

/// One registered party; a declarant sees only its own.
#[utoipa::path(get, path = "/api/v1/parties/{id}", tag = "parties", security(("bearer" = [])),
    params(("id" = String, Path, description = "The party's identifier")),
    responses(
        (status = 200, description = "The party", body = PartyView),
        (status = 404, description = "Not registered, or not the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_party(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<PartyView>, ApiError> {
    require_reader(&user, &id)?;
    let party = state.store.party(&id).await?;
    party
        .map(|p| Json(p.into()))
        .ok_or_else(|| not_registered(&id))
}

fn checked(
    state: &AppState,
    user: &User,
    id: &str,
    request: &PartyRequest,
) -> Result<NewParty, ApiError> {
    let input = PartyInput {
        id,
        name: request.name.as_deref(),
        country: request.country.as_deref(),
        address: request.address.as_deref(),
        aeo: request.aeo.as_deref(),
    };
    let party = input.check(state.reference).map_err(ApiError::Invalid)?;
    Ok(NewParty {
        id: party.id.as_str().to_owned(),
        name: party.name,
        country: party.country,
        address: party.address,
        aeo: party.aeo.map(|a| a.as_str().to_owned()),
        by: user.name.clone(),
        at: tamga_store::sql::now(),
    })
}

/// The party a declarant is confined to; `None` for customs staff, who read every party.
fn own_party(user: &User) -> Option<&str> {
    match user.role {
        Role::Declarant => Some(user.party_id.as_deref().unwrap_or("")),
        _ => None,
    }
}

/// Staff read any party; a declarant only its own (another is answered as unknown, so the
/// registry's contents do not leak).
pub(crate) fn require_reader(user: &User, id: &str) -> Result<(), ApiError> {
    match own_party(user) {
        Some(own) if own != id => Err(not_registered(id)),
        _ => Ok(()),
    }
}

pub(crate) fn not_registered(id: &str) -> ApiError {
    ApiError::NotFound(format!("no registered party {id}"))
}
