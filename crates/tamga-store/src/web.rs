//! What the web UI's sign-in passes to and gets from the store: passwords and sessions.

use time::OffsetDateTime;

use crate::records::User;

/// A user as the login form sees them: the stored Argon2id hash, if a password was set.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
    pub must_change: bool,
}

/// A session to open: the SHA-256 of the cookie value and its CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id_hash: String,
    pub user_id: i64,
    pub csrf: String,
    pub expires_at: OffsetDateTime,
}

/// A session in force (neither expired nor revoked) with its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: OffsetDateTime,
    pub must_change: bool,
    /// The user's chosen language, if they chose one.
    pub language: Option<String>,
}

/// A user as the administrator's screen lists them.
#[derive(Debug, Clone)]
pub struct UserSummary {
    pub user: User,
    pub has_password: bool,
    pub must_change: bool,
    /// Sessions neither revoked nor expired.
    pub open_sessions: i64,
}
