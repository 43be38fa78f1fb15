//! Passwords: Argon2id hashes in PHC string form (the `argon2` crate's defaults, OWASP's
//! minimum: 19 MiB, 2 passes), checked against a policy before they are hashed.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// The longest password accepted (hashing cost stays bounded).
pub const MAX_LENGTH: usize = 256;

/// Why a new password is refused: a Fluent message id.
pub fn policy(name: &str, password: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Some("password-too-short")
    } else if length > MAX_LENGTH {
        Some("password-too-long")
    } else if password.chars().any(char::is_control) {
        Some("password-control")
    } else if password.eq_ignore_ascii_case(name) {
        Some("password-is-name")
    } else {
        None
    }
}

/// The Argon2id PHC string of `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Whether `password` matches the stored hash. With no stored hash the work is still done
/// (against a fixed hash), so the answer's timing does not tell whether the user exists.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("tamga-no-such-user").unwrap_or_default());
    let Ok(parsed) = PasswordHash::new(stored.unwrap_or(dummy)) else {
        return false;
    };
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    matches && stored.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&stored)));
        assert!(!verify("correct horse batterx", Some(&stored)));
        assert!(!verify("tamga-no-such-user", None));
    }

    #[test]
    fn the_policy_names_what_is_wrong() {
        assert_eq!(policy("ali", "short"), Some("password-too-short"));
        assert_eq!(policy("ali", &"x".repeat(300)), Some("password-too-long"));
        assert_eq!(
            policy("officer-one1", "OFFICER-ONE1"),
            Some("password-is-name")
        );
        assert_eq!(
            policy("ali", "tab\tinside-password"),
            Some("password-control")
        );
        assert_eq!(policy("ali", "a long enough one"), None);
    }
}
