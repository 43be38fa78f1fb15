//! API tokens: 32 random bytes, shown once as `tmg_` + base64url, stored only as a SHA-256
//! hash. A fast hash is right here because the token itself carries 256 bits of entropy; a
//! slow password hash would only slow down every request.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const PREFIX: &str = "tmg_";

/// A new random token, to be shown to its holder once.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The hash stored for `token`: lower-case hex SHA-256.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// An API token as an administrator sees it: never its secret nor its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: i64,
    pub user_id: i64,
    pub created_at: time::OffsetDateTime,
    pub revoked_at: Option<time::OffsetDateTime>,
    /// Who revoked it.
    pub revoked_by: Option<String>,
}

/// What revoking a token did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// Revoked now.
    Revoked(TokenInfo),
    /// It was revoked before (when, by whom): nothing changed.
    AlreadyRevoked(TokenInfo),
    /// The user has no token with this id (or there is no such user).
    NotFound,
}
