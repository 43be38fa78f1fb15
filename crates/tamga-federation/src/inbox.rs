//! The checks a node's inbox runs on a message before it stores it, in this order: size,
//! the envelope's shape (no unknown field), the id, the recipient, the sender among the
//! configured peers, the signature under that peer's key, the sending time within the window,
//! and the body's shape for its type. Whether the id was seen before is the store's question
//! (accepted once; the same content again is a duplicate, other content a replay).

use tamga_core::FieldError;
use time::{Duration, OffsetDateTime};

use crate::body::Body;
use crate::envelope::Envelope;
use crate::keys::PeerKey;
use crate::Kind;

/// A neighbouring administration's node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// Its country code, as its messages name their sender.
    pub country: String,
    /// Where its API is, e.g. `https://tamga.customs.kz`; its inbox is
    /// `{base_url}/api/v1/federation/inbox`.
    pub base_url: String,
    pub key: PeerKey,
}

/// What the inbox holds messages to.
#[derive(Debug, Clone)]
pub struct Policy {
    /// This node's country code: the only recipient it accepts.
    pub me: String,
    /// How far `sent_at` may lie from the receiver's clock, either way.
    pub window: Duration,
    /// Largest accepted message, in bytes.
    pub max_bytes: usize,
}

/// Why a message was refused: the HTTP status the sender gets, the reason as a field error,
/// and who the message claimed to be (to record the refusal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub error: FieldError,
    pub sender: Option<String>,
    pub id: Option<String>,
}

/// A message that passed every check but the store's.
#[derive(Debug, Clone)]
pub struct Admitted {
    pub envelope: Envelope,
    pub body: Body,
}

/// Runs the checks on the bytes of a received message.
pub fn admit(
    bytes: &[u8],
    policy: &Policy,
    peers: &[Peer],
    now: OffsetDateTime,
) -> Result<Admitted, Box<Refusal>> {
    if bytes.len() > policy.max_bytes {
        let message = format!("a message may have at most {} bytes", policy.max_bytes);
        return Err(Box::new(refuse(413, "", "too_large", message, None)));
    }
    let envelope = parse(bytes)?;
    let claim = |status, pointer: &str, code, message: String| Refusal {
        status,
        error: FieldError::new(pointer, code, message),
        sender: Some(envelope.sender.clone()),
        id: Some(envelope.id.clone()),
    };
    if !valid_id(&envelope.id) {
        let message = "1 to 64 letters, digits, '-', '_', '.' or ':'".to_owned();
        return Err(Box::new(claim(422, "/id", "invalid", message)));
    }
    if envelope.recipient != policy.me {
        let message = format!("this node is {}", policy.me);
        return Err(Box::new(claim(
            422,
            "/recipient",
            "wrong_recipient",
            message,
        )));
    }
    let Some(peer) = peers.iter().find(|p| p.country == envelope.sender) else {
        let message = format!("{} is not a configured peer", envelope.sender);
        return Err(Box::new(claim(403, "/sender", "unknown_peer", message)));
    };
    if !envelope.verify(&peer.key) {
        let message = "the signature does not verify under the sender's key".to_owned();
        return Err(Box::new(claim(403, "/signature", "bad_signature", message)));
    }
    let fresh = envelope
        .sent_at()
        .is_some_and(|at| (now - at).abs() <= policy.window);
    if !fresh {
        let message = format!(
            "sent_at must be within {} seconds of the receiver's clock",
            policy.window.whole_seconds()
        );
        return Err(Box::new(claim(422, "/sent_at", "stale", message)));
    }
    let body = Body::parse(envelope.kind, &envelope.body).map_err(|error| {
        Box::new(Refusal {
            status: 422,
            error,
            sender: Some(envelope.sender.clone()),
            id: Some(envelope.id.clone()),
        })
    })?;
    if !conversation_fits(&envelope, &body) {
        let message = "an alert is its own conversation; a movement's is its MRN".to_owned();
        return Err(Box::new(claim(422, "/conversation", "invalid", message)));
    }
    Ok(Admitted { envelope, body })
}

fn parse(bytes: &[u8]) -> Result<Envelope, Box<Refusal>> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let text = e.inner().to_string();
        let code = if text.starts_with("unknown field") {
            "unknown_field"
        } else {
            "malformed"
        };
        let path = e.path().to_string();
        let pointer = if path == "." {
            String::new()
        } else {
            format!("/{}", path.replace('.', "/"))
        };
        Box::new(refuse(400, &pointer, code, text, None))
    })
}

fn refuse(status: u16, pointer: &str, code: &str, message: String, id: Option<String>) -> Refusal {
    Refusal {
        status,
        error: FieldError::new(pointer, code, message),
        sender: None,
        id,
    }
}

/// Ids are 1 to 64 characters of `[A-Za-z0-9._:-]`.
pub fn valid_id(id: &str) -> bool {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':');
    !id.is_empty() && id.len() <= 64 && id.bytes().all(allowed)
}

fn conversation_fits(envelope: &Envelope, body: &Body) -> bool {
    match (envelope.kind, body.movement()) {
        (Kind::Alert, _) => envelope.conversation == envelope.id,
        (_, Some(mrn)) => envelope.conversation == mrn,
        (_, None) => valid_id(&envelope.conversation),
    }
}
