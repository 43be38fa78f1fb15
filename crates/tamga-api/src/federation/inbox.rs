//! The inbox: a peer POSTs a signed envelope. No bearer token: the sender is authenticated by
//! its signature under the key configured for it. A message is stored once; the same content
//! again is acknowledged as a duplicate; anything refused (too large, unreadable, an unknown
//! field, another recipient, an unknown peer, a bad signature, outside the time window, a
//! replayed id with other content) gets a problem document naming the field and a stable
//! `code`, and is recorded in `federation_refusals` and the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use tamga_core::FieldError;
use tamga_federation::inbox::{admit, Admitted, Refusal};
use tamga_store::federation::{self as stored, Incoming, Receipt};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
use crate::extract::RawBody;
use crate::AppState;

/// The inbox's acknowledgement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InboxReceipt {
    pub id: String,
    /// `accepted` (stored now) or `duplicate` (the same content was accepted before).
    pub outcome: &'static str,
}

/// Receives a signed message from a peer node (authenticated by its signature).
#[utoipa::path(post, path = "/api/v1/federation/inbox", tag = "federation",
    request_body(content = tamga_federation::Envelope, content_type = "application/json"),
    responses(
        (status = 200, description = "Accepted now or before", body = InboxReceipt),
        (status = 400, description = "Unreadable, or an unknown field", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Unknown peer or bad signature", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Replay: the id came before with other content", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Stale, another recipient, or a bad body", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This node takes part in no federation", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn receive(
    State(state): State<AppState>,
    body: Result<RawBody, ApiError>,
) -> Result<Json<InboxReceipt>, ApiError> {
    let settings = &state.settings.federation;
    let policy = settings
        .policy()
        .ok_or_else(|| ApiError::NotFound("this node takes part in no federation".into()))?;
    let bytes = match body {
        Ok(RawBody(bytes)) => bytes,
        Err(ApiError::TooLarge(_)) => {
            let message = format!("a message may have at most {} bytes", policy.max_bytes);
            let error = FieldError::new("", "too_large", message);
            return Err(refused(&state, refusal(413, error)).await);
        }
        Err(other) => return Err(other),
    };
    let now = OffsetDateTime::now_utc();
    let admitted = match admit(&bytes, &policy, &settings.peers, now) {
        Ok(admitted) => admitted,
        Err(r) => return Err(refused(&state, *r).await),
    };
    let incoming = incoming(&admitted, &bytes);
    let id = incoming.id.clone();
    let receipt = state.store.federation_receive(incoming).await?;
    if receipt != Receipt::Replay {
        super::movements::apply(&state, &admitted).await?;
    }
    match receipt {
        Receipt::Accepted => {
            tracing::info!(sender = %admitted.envelope.sender, id = %id, kind = admitted.envelope.kind.as_str(), "federation message accepted");
            Ok(Json(InboxReceipt {
                id,
                outcome: "accepted",
            }))
        }
        Receipt::Duplicate => Ok(Json(InboxReceipt {
            id,
            outcome: "duplicate",
        })),
        Receipt::Replay => {
            tracing::warn!(sender = %admitted.envelope.sender, id = %id, "federation replay refused");
            let message = "this id was accepted before with other content";
            Err(problem(409, FieldError::new("/id", "replay", message)))
        }
    }
}

fn incoming(admitted: &Admitted, bytes: &[u8]) -> Incoming {
    let e = &admitted.envelope;
    Incoming {
        sender: e.sender.clone(),
        id: e.id.clone(),
        kind: e.kind.as_str().to_owned(),
        conversation: e.conversation.clone(),
        body: e.body.clone(),
        sent_at: e.sent_at.clone(),
        digest: e.content_digest(),
        envelope: String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn refusal(status: u16, error: FieldError) -> Refusal {
    Refusal {
        status,
        error,
        sender: None,
        id: None,
    }
}

/// Records a refusal (logged if it cannot be) and makes the sender's problem document.
async fn refused(state: &AppState, r: Refusal) -> ApiError {
    tracing::warn!(sender = ?r.sender, id = ?r.id, code = %r.error.code, pointer = %r.error.pointer, "federation message refused");
    let record = stored::Refusal {
        sender: r.sender.map(|s| s.chars().take(64).collect()),
        message_id: r.id.map(|s| s.chars().take(128).collect()),
        status: i64::from(r.status),
        code: r.error.code.clone(),
        pointer: r.error.pointer.chars().take(256).collect(),
        message: r.error.message.chars().take(1024).collect(),
    };
    if let Err(e) = state.store.federation_refuse(record).await {
        tracing::error!(error = %e, "a federation refusal could not be recorded");
    }
    problem(r.status, r.error)
}

fn problem(status: u16, error: FieldError) -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        detail: error.message.clone(),
        errors: vec![error],
    }
}
