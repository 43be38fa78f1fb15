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
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
