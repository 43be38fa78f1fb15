//! Who this node is (for peers checking their configuration), and the supervisors' views of
//! the exchange: the inbox's refusals, the outbox, a received envelope as it arrived.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use tamga_federation::keys::NodeKey;
use tamga_store::federation::{OutboxEntry, Refusal};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::PathParam;
use crate::AppState;

/// This node as its peers configure it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NodeIdentity {
    pub country: String,
    /// Its Ed25519 public key, base64.
    pub public_key: String,
}

/// This node's country and public key (public: peers check what they configured).
#[utoipa::path(get, path = "/api/v1/federation/node", tag = "federation",
    responses(
        (status = 200, description = "This node", body = NodeIdentity),
        (status = 404, description = "This node takes part in no federation", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn node(State(state): State<AppState>) -> Result<Json<NodeIdentity>, ApiError> {
    let country = super::country(&state)?;
    let (seed, _) = state.store.federation_signing_key().await?;
    let key = NodeKey::from_slice(&seed)
        .ok_or_else(|| ApiError::Internal("the federation key is not 32 bytes".into()))?;
    Ok(Json(NodeIdentity {
        country,
        public_key: key.public().to_base64(),
    }))
}

/// The latest 200 refusals the inbox gave, newest first (supervisors and administrators).
#[utoipa::path(get, path = "/api/v1/federation/refusals", tag = "federation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Refusals", body = [Refusal]),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn refusals(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<Refusal>>, ApiError> {
    Ok(Json(state.store.federation_refusals(200).await?))
}

/// The latest 200 messages of the outbox, newest first, with their delivery state.
#[utoipa::path(get, path = "/api/v1/federation/outbox", tag = "federation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Outbox", body = [OutboxEntry]),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn outbox(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<OutboxEntry>>, ApiError> {
    Ok(Json(state.store.federation_outbox(200).await?))
}

/// A received message's envelope exactly as it arrived, to save and check offline with
/// `tamga federation verify FILE`.
#[utoipa::path(get, path = "/api/v1/federation/messages/{sender}/{id}", tag = "federation", security(("bearer" = [])),
    params(("sender" = String, Path, description = "The sender's country code"),
           ("id" = String, Path, description = "The message id")),
    responses(
        (status = 200, description = "The envelope", body = tamga_federation::Envelope),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Customs staff outside the laboratory only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such message", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn received_envelope(
    State(state): State<AppState>,
    Caller(_): Caller,
    PathParam((sender, id)): PathParam<(String, String)>,
) -> Result<impl IntoResponse, ApiError> {
    let envelope = state.store.federation_envelope(&sender, &id).await?;
    let envelope =
        envelope.ok_or_else(|| ApiError::NotFound(format!("no message {id} from {sender}")))?;
    Ok(([(header::CONTENT_TYPE, "application/json")], envelope))
}
