//! High-risk consignment alerts between targeting centers: an analyst sends one to a peer,
//! the peer's analysts read what they received and give feedback, which travels back as a
//! signed message of its own and appears beside the alert at its sender.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_federation::body::{Alert, AlertFeedback};
use tamga_store::federation::{FeedbackOutcome, Outgoing, Received, ReceivedAlert, SentAlert};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// An alert to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendAlert {
    /// The receiving administration's country code (a configured peer).
    pub recipient: String,
    pub alert: Alert,
}

/// An alert this node sent, its delivery and the feedback on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentAlertView {
    pub id: String,
    pub recipient: String,
    /// `pending`, `delivered` or `refused` (by the peer, with `last_error`).
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub alert: Alert,
    pub feedback: Option<FeedbackView>,
}

/// Feedback on an alert: given here (with its delivery state) or received from the peer.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    pub id: String,
    #[serde(flatten)]
    pub feedback: AlertFeedback,
    /// For feedback given here: `pending`, `delivered` or `refused`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// An alert received from a peer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceivedAlertView {
    pub sender: String,
    pub id: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    pub alert: Alert,
    pub feedback: Option<FeedbackView>,
}

/// Sends a high-risk consignment alert to a peer administration (analysts).
#[utoipa::path(post, path = "/api/v1/federation/alerts", tag = "federation", security(("bearer" = [])),
    request_body = SendAlert,
    responses(
        (status = 201, description = "Queued for delivery", body = SentAlertView),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Analysts and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "This node takes part in no federation", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn send(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<SendAlert>,
) -> Result<(StatusCode, Json<SentAlertView>), ApiError> {
    let country = super::country(&state)?;
    let mut errors = request.alert.problems("/alert");
    if state.settings.federation.peer(&request.recipient).is_none() {
        let message = format!("{} is not a configured peer", request.recipient);
        errors.insert(0, FieldError::new("/recipient", "unknown_peer", message));
    }
    if !errors.is_empty() {
        return Err(super::invalid("the alert is invalid", errors));
    }
    let id = super::new_id(&country);
    let body = serde_json::to_string(&request.alert).map_err(|e| ApiError::Internal(e.into()))?;
    let message = Outgoing {
        id: id.clone(),
        recipient: request.recipient.clone(),
        kind: "alert".into(),
        conversation: id.clone(),
        body,
    };
    state.store.federation_enqueue(message, &user.name).await?;
    let view = SentAlertView {
        id,
        recipient: request.recipient,
        state: "pending".into(),
        attempts: 0,
        last_error: None,
        created_at: OffsetDateTime::now_utc(),
        alert: request.alert,
        feedback: None,
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// Alerts this node sent, newest first, with the feedback received (customs staff).
#[utoipa::path(get, path = "/api/v1/federation/alerts/sent", tag = "federation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Alerts sent", body = [SentAlertView]),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Customs staff outside the laboratory only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sent(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<SentAlertView>>, ApiError> {
    let alerts = state.store.federation_alerts_sent().await?;
    alerts
        .into_iter()
        .map(sent_view)
        .collect::<Result<_, _>>()
        .map(Json)
}

fn sent_view(sent: SentAlert) -> Result<SentAlertView, ApiError> {
    let feedback = sent.feedback.map(received_feedback).transpose()?;
    let a = sent.alert;
    Ok(SentAlertView {
        alert: read(&sent.body)?,
        id: a.id,
        recipient: a.recipient,
        state: a.state,
        attempts: a.attempts,
        last_error: a.last_error,
        created_at: a.created_at,
        feedback,
    })
}

fn received_feedback(r: Received) -> Result<FeedbackView, ApiError> {
    Ok(FeedbackView {
        feedback: read(&r.body)?,
        id: r.id,
        state: None,
    })
}

fn read<T: for<'de> Deserialize<'de>>(body: &str) -> Result<T, ApiError> {
    serde_json::from_str(body).map_err(|e| ApiError::Internal(e.into()))
}

/// Alerts received from peers, newest first, with the feedback given on each (customs staff).
#[utoipa::path(get, path = "/api/v1/federation/alerts/received", tag = "federation", security(("bearer" = [])),
    responses(
        (status = 200, description = "Alerts received", body = [ReceivedAlertView]),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Customs staff outside the laboratory only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn received(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<ReceivedAlertView>>, ApiError> {
    let alerts = state.store.federation_alerts_received().await?;
    alerts
        .into_iter()
        .map(received_view)
        .collect::<Result<_, _>>()
        .map(Json)
}

fn received_view(r: ReceivedAlert) -> Result<ReceivedAlertView, ApiError> {
    let feedback = match (r.feedback, r.feedback_body) {
        (Some(entry), Some(body)) => Some(FeedbackView {
            id: entry.id,
            feedback: read(&body)?,
            state: Some(entry.state),
        }),
        _ => None,
    };
    Ok(ReceivedAlertView {
        alert: read(&r.alert.body)?,
        sender: r.alert.sender,
        id: r.alert.id,
        received_at: r.alert.received_at,
        feedback,
    })
}

/// Gives feedback on a received alert, sent back to its sender as a signed message (analysts;
/// once per alert).
#[utoipa::path(post, path = "/api/v1/federation/alerts/received/{sender}/{id}/feedback", tag = "federation", security(("bearer" = [])),
    params(("sender" = String, Path, description = "The alert's sender"),
           ("id" = String, Path, description = "The alert's id")),
    request_body = AlertFeedback,
    responses(
        (status = 201, description = "Queued for delivery", body = FeedbackView),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Analysts and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such alert received", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Feedback was given already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn feedback(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam((sender, alert_id)): PathParam<(String, String)>,
    JsonBody(feedback): JsonBody<AlertFeedback>,
) -> Result<(StatusCode, Json<FeedbackView>), ApiError> {
    let country = super::country(&state)?;
    let errors = feedback.problems("");
    if !errors.is_empty() {
        return Err(super::invalid("the feedback is invalid", errors));
    }
    let id = super::new_id(&country);
    let body = serde_json::to_string(&feedback).map_err(|e| ApiError::Internal(e.into()))?;
    let message = Outgoing {
        id: id.clone(),
        recipient: sender.clone(),
        kind: "alert_feedback".into(),
        conversation: alert_id.clone(),
        body,
    };
    match state.store.federation_feedback(message, &user.name).await? {
        FeedbackOutcome::Queued => {
            let view = FeedbackView {
                id,
                feedback,
                state: Some("pending".into()),
            };
            Ok((StatusCode::CREATED, Json(view)))
        }
        FeedbackOutcome::UnknownAlert => Err(ApiError::NotFound(format!(
            "no alert {alert_id} was received from {sender}"
        ))),
        FeedbackOutcome::AlreadyGiven => Err(ApiError::Conflict {
            detail: format!("feedback on alert {alert_id} was given already"),
            existing_mrn: None,
        }),
    }
}
