//! A node's Ed25519 key pair and its peers' public keys, written as base64 (standard
//! alphabet, padded) of the 32-byte public key in settings and on the command line.

use base64::Engine;
use ed25519_dalek::{SigningKey, VerifyingKey};

/// This node's signing key, made from the 32-byte seed kept in the store's `node_secrets`.
#[derive(Clone)]
pub struct NodeKey(SigningKey);

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("NodeKey").field(&self.public()).finish()
    }
}

impl NodeKey {
    pub fn from_seed(seed: [u8; 32]) -> Self {
        NodeKey(SigningKey::from_bytes(&seed))
    }

    /// The key from a stored seed, which must be 32 bytes.
    pub fn from_slice(seed: &[u8]) -> Option<Self> {
        let seed: [u8; 32] = seed.try_into().ok()?;
        Some(Self::from_seed(seed))
    }

    pub fn public(&self) -> PeerKey {
        PeerKey(self.0.verifying_key())
    }

    pub(crate) fn signing(&self) -> &SigningKey {
        &self.0
    }
}

/// A public key: a peer's, or this node's as the peers configure it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PeerKey(VerifyingKey);

impl std::fmt::Debug for PeerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PeerKey({})", self.to_base64())
    }
}

/// Why a configured public key cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the public key is not base64")]
    NotBase64,
    #[error("the public key has {0} bytes, not 32")]
    Length(usize),
    #[error("the bytes are not an Ed25519 public key")]
    NotAPoint,
}

impl PeerKey {
    pub fn parse(text: &str) -> Result<Self, KeyError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .map_err(|_| KeyError::NotBase64)?;
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::Length(bytes.len()))?;
        VerifyingKey::from_bytes(&array)
            .map(PeerKey)
            .map_err(|_| KeyError::NotAPoint)
    }

    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.0.as_bytes())
    }

    pub(crate) fn verifying(&self) -> &VerifyingKey {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_key_round_trips_through_base64() {
        let key = NodeKey::from_seed([3; 32]).public();
        assert_eq!(PeerKey::parse(&key.to_base64()), Ok(key));
        assert_eq!(PeerKey::parse("AAAA"), Err(KeyError::Length(3)));
        assert_eq!(PeerKey::parse("not base64!"), Err(KeyError::NotBase64));
    }
}
