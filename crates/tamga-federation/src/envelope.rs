//! The envelope of a message and the bytes its signature covers.
//!
//! On the wire a message is one JSON object with exactly the fields of [`Envelope`]; its
//! `body` is a JSON *string* holding the body's JSON text, so the signed bytes are the bytes
//! of that string and survive any re-formatting of the envelope around them.
//!
//! The canonical bytes ([`Envelope::canonical`]) are the ASCII tag `tamga-federation/1`
//! followed by one zero byte, then seven fields in this order, each as its length in bytes
//! (a 4-byte big-endian unsigned integer) followed by its UTF-8 bytes: `id`, `sender`,
//! `recipient`, `sent_at` (exactly as sent), `type` (its wire name), `conversation`, `body`.
//! A length prefix makes the encoding injective: no two different envelopes share their
//! canonical bytes, whatever their fields contain. The signature is Ed25519 over these bytes,
//! base64 (standard alphabet, padded) in `signature`.
//!
//! The *content* of a message is the same encoding without `sent_at` under the tag
//! `tamga-federation-content/1`; its SHA-256 ([`Envelope::content_digest`]) is what the
//! receiver compares when an id comes again: a resend after a lost acknowledgement carries a
//! newer `sent_at` and the same content (a duplicate), a replay with other content is refused.

use base64::Engine;
use ed25519_dalek::{Signature, Signer, Verifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::keys::{NodeKey, PeerKey};
use crate::Kind;

const SIGNED_TAG: &[u8] = b"tamga-federation/1\0";
const CONTENT_TAG: &[u8] = b"tamga-federation-content/1\0";

/// A signed message as it travels between nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Unique id chosen by the sender (a UUID-like string, 1 to 64 characters).
    pub id: String,
    /// The sending administration's ISO 3166-1 alpha-2 country code.
    pub sender: String,
    /// The receiving administration's country code.
    pub recipient: String,
    /// When this copy was signed and sent, RFC 3339 in UTC.
    pub sent_at: String,
    #[serde(rename = "type")]
    pub kind: Kind,
    /// The movement's MRN or the alert's id: messages of one conversation are delivered in
    /// the order they were written.
    pub conversation: String,
    /// The body's JSON text.
    pub body: String,
    /// Ed25519 signature over the canonical bytes, base64.
    pub signature: String,
}

/// What a sender writes before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsigned {
    pub id: String,
    pub sender: String,
    pub recipient: String,
    pub kind: Kind,
    pub conversation: String,
    pub body: String,
}

impl Unsigned {
    /// The envelope signed by `key` as sent at `now`.
    pub fn sign(self, key: &NodeKey, now: OffsetDateTime) -> Envelope {
        let mut envelope = Envelope {
            id: self.id,
            sender: self.sender,
            recipient: self.recipient,
            sent_at: timestamp(now),
            kind: self.kind,
            conversation: self.conversation,
            body: self.body,
            signature: String::new(),
        };
        let signature = key.signing().sign(&envelope.canonical());
        envelope.signature = base64::engine::general_purpose::STANDARD.encode(signature.to_bytes());
        envelope
    }
}

/// `now` as RFC 3339 with second precision, as envelopes carry it.
pub fn timestamp(now: OffsetDateTime) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339).unwrap_or_default()
}

impl Envelope {
    /// The bytes the signature covers (see the module documentation).
    pub fn canonical(&self) -> Vec<u8> {
        let fields = [
            self.id.as_str(),
            self.sender.as_str(),
            self.recipient.as_str(),
            self.sent_at.as_str(),
            self.kind.as_str(),
            self.conversation.as_str(),
            self.body.as_str(),
        ];
        encode(SIGNED_TAG, &fields)
    }

    /// SHA-256 of the content (every field but `sent_at` and the signature), hex.
    pub fn content_digest(&self) -> String {
        let fields = [
            self.id.as_str(),
            self.sender.as_str(),
            self.recipient.as_str(),
            self.kind.as_str(),
            self.conversation.as_str(),
            self.body.as_str(),
        ];
        let digest = Sha256::digest(encode(CONTENT_TAG, &fields));
        hex::encode(digest)
    }

    /// Does the signature verify under `key`?
    pub fn verify(&self, key: &PeerKey) -> bool {
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&self.signature) else {
            return false;
        };
        let Ok(signature) = Signature::from_slice(&bytes) else {
            return false;
        };
        key.verifying()
            .verify(&self.canonical(), &signature)
            .is_ok()
    }

    /// `sent_at` read as a time, if it is RFC 3339.
    pub fn sent_at(&self) -> Option<OffsetDateTime> {
        OffsetDateTime::parse(&self.sent_at, &Rfc3339).ok()
    }

    /// The envelope as JSON text (what is sent and what `tamga federation verify` reads).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn encode(tag: &[u8], fields: &[&str]) -> Vec<u8> {
    let len = tag.len() + fields.iter().map(|f| 4 + f.len()).sum::<usize>();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(tag);
    for field in fields {
        // Fields are bounded far below 4 GiB by the inbox's size limit; a longer one would
        // not fit the prefix, so it is cut off at the prefix's maximum and cannot verify.
        let n = u32::try_from(field.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&n.to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsigned() -> Unsigned {
        Unsigned {
            id: "m-1".into(),
            sender: "UZ".into(),
            recipient: "KZ".into(),
            kind: Kind::Alert,
            conversation: "m-1".into(),
            body: r#"{"reason":"x"}"#.into(),
        }
    }

    #[test]
    fn canonical_bytes_are_length_prefixed_in_order() {
        let e = unsigned().sign(&NodeKey::from_seed([7; 32]), OffsetDateTime::UNIX_EPOCH);
        let bytes = e.canonical();
        let mut expected = b"tamga-federation/1\0".to_vec();
        for f in ["m-1", "UZ", "KZ", "1970-01-01T00:00:00Z", "alert", "m-1"] {
            expected.extend_from_slice(&(f.len() as u32).to_be_bytes());
            expected.extend_from_slice(f.as_bytes());
        }
        expected.extend_from_slice(&14u32.to_be_bytes());
        expected.extend_from_slice(br#"{"reason":"x"}"#);
        assert_eq!(bytes, expected);
    }

    #[test]
    fn a_signature_covers_every_field() {
        let key = NodeKey::from_seed([7; 32]);
        let e = unsigned().sign(&key, OffsetDateTime::UNIX_EPOCH);
        assert!(e.verify(&key.public()));
        let mut altered = e.clone();
        altered.body = r#"{"reason":"y"}"#.into();
        assert!(!altered.verify(&key.public()));
        let mut moved = e.clone();
        moved.recipient = "TJ".into();
        assert!(!moved.verify(&key.public()));
        // Moving a byte from one field to the next changes the length prefixes.
        let mut shifted = e.clone();
        shifted.id = "m-1U".into();
        shifted.sender = "Z".into();
        assert!(!shifted.verify(&key.public()));
        assert!(!e.verify(&NodeKey::from_seed([8; 32]).public()));
    }

    #[test]
    fn the_content_digest_ignores_only_the_sending_time() {
        let key = NodeKey::from_seed([7; 32]);
        let first = unsigned().sign(&key, OffsetDateTime::UNIX_EPOCH);
        let later = unsigned().sign(&key, OffsetDateTime::now_utc());
        assert_eq!(first.content_digest(), later.content_digest());
        let mut other = unsigned();
        other.body = "{}".into();
        assert_ne!(
            first.content_digest(),
            other
                .sign(&key, OffsetDateTime::UNIX_EPOCH)
                .content_digest()
        );
    }
}
