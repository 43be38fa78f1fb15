//! What callers pass to and get from the federation's store operations: the outbox of
//! messages to peers, the inbox of messages from them, and the refusals the inbox gave.
//! Envelopes, signatures and checks are `tamga-federation`'s; the store holds rows.

use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The name of the federation's Ed25519 key seed in `node_secrets`.
pub const SIGNING_KEY: &str = "federation-signing-key";

/// A message to queue for a peer. It is signed when sent, not when queued, so that a copy
/// sent after a long outage carries a fresh `sent_at`.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: String,
    pub recipient: String,
    /// The message type's wire name.
    pub kind: String,
    pub conversation: String,
    /// The body's JSON text.
    pub body: String,
}

/// A queued message due for delivery: the first unsettled one of its conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub seq: i64,
    pub id: String,
    pub recipient: String,
    pub kind: String,
    pub conversation: String,
    pub body: String,
    pub attempts: i64,
}

/// What became of a delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The peer acknowledged it (accepted now or before).
    Delivered,
    /// The peer refused it for good, with its reason; later messages of the conversation go on.
    Refused(String),
    /// Not delivered (peer unreachable, or it failed): try again at `next_attempt_ms`.
    Retry { error: String, next_attempt_ms: i64 },
}

/// An outbox message as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OutboxEntry {
    pub id: String,
    pub recipient: String,
    pub kind: String,
    pub conversation: String,
    /// `pending`, `delivered` or `refused`.
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A message the inbox admitted, to store once.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub sender: String,
    pub id: String,
    pub kind: String,
    pub conversation: String,
    pub body: String,
    pub sent_at: String,
    /// SHA-256 of the content (every field but `sent_at` and the signature).
    pub digest: String,
    /// The envelope as it arrived.
    pub envelope: String,
}

/// What the inbox did with an admitted message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// Stored now.
    Accepted,
    /// The same content came before: acknowledged again, nothing stored.
    Duplicate,
    /// The id came before with other content: refused.
    Replay,
}

/// A refusal the inbox gave, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Refusal {
    pub sender: Option<String>,
    pub message_id: Option<String>,
    pub status: i64,
    pub code: String,
    pub pointer: String,
    pub message: String,
}

/// A message in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Received {
    pub sender: String,
    pub id: String,
    pub kind: String,
    pub conversation: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

/// A high-risk consignment alert this node received, with the feedback its analysts sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedAlert {
    pub alert: Received,
    /// The feedback message queued back to the sender, if any.
    pub feedback: Option<OutboxEntry>,
    pub feedback_body: Option<String>,
}

/// An alert this node sent, its delivery and the feedback that came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentAlert {
    pub alert: OutboxEntry,
    pub body: String,
    pub feedback: Option<Received>,
}

/// Why feedback could not be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedbackOutcome {
    Queued,
    /// No alert with that sender and id was received.
    UnknownAlert,
    /// Feedback on that alert was given already.
    AlreadyGiven,
}
