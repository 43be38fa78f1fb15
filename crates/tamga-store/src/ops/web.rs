//! Passwords and web sessions.

use time::OffsetDateTime;

use super::audit::{self, Change};
use crate::conn::{Bind, Conn};
use crate::records::User;
use crate::rows::UserRow;
use crate::web::{Credentials, NewSession, Session, UserSummary};
use crate::Result;

const SELECT_CREDENTIALS: &str = "SELECT id, name, role, party_id, password_hash, \
     password_must_change FROM users WHERE name = $1";
const SELECT_SESSION: &str = "SELECT u.id, u.name, u.role, u.party_id, s.csrf, s.expires_at, \
     u.password_must_change, u.language FROM web_sessions s JOIN users u ON u.id = s.user_id \
     WHERE s.id_hash = $1 AND s.revoked_at IS NULL";

type CredentialRow = (i64, String, String, Option<String>, Option<String>, bool);
type SessionRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    OffsetDateTime,
    bool,
    Option<String>,
);

fn user(id: i64, name: String, role: String, party_id: Option<String>) -> Result<User> {
    UserRow {
        id,
        name,
        role,
        party_id,
    }
    .into_user()
}

/// The user named `name` with their password hash, if such a user exists.
pub(crate) async fn credentials(conn: &mut Conn<'_>, name: &str) -> Result<Option<Credentials>> {
    let row: Option<CredentialRow> = conn
        .optional(SELECT_CREDENTIALS, &[Bind::Str(name)])
        .await?;
    row.map(|(id, name, role, party, hash, must_change)| {
        Ok(Credentials {
            user: user(id, name, role, party)?,
            password_hash: hash,
            must_change,
        })
    })
    .transpose()
}

/// Sets a user's password hash; `false` when no user has that name. Setting a password
/// revokes the user's open sessions, so a changed password shuts out whoever had the old one.
pub(crate) async fn set_password(
    conn: &mut Conn<'_>,
    name: &str,
    hash: &str,
    must_change: bool,
) -> Result<bool> {
    let update = "UPDATE users SET password_hash = $1, password_must_change = $2 \
                  WHERE name = $3 RETURNING id";
    let binds = [Bind::Str(hash), Bind::Bool(must_change), Bind::Str(name)];
    let Some(id) = conn.optional_scalar::<i64>(update, &binds).await? else {
        return Ok(false);
    };
    // A password to be changed is one an administrator set on the server; otherwise the user
    // changed their own.
    let actor = if must_change { "tamga admin" } else { name };
    let object = format!("user:{id}");
    audit::record(
        conn,
        Change::new(actor, "user.password", &object, b"password set"),
    )
    .await?;
    revoke_sessions_of(conn, id, actor).await?;
    Ok(true)
}

/// Stores the language a user chose for the UI.
pub(crate) async fn set_language(conn: &mut Conn<'_>, user_id: i64, language: &str) -> Result<()> {
    let update = "UPDATE users SET language = $1 WHERE id = $2";
    conn.execute(update, &[Bind::Str(language), Bind::Int(user_id)])
        .await?;
    Ok(())
}

pub(crate) async fn open_session(conn: &mut Conn<'_>, session: NewSession) -> Result<()> {
    let insert = "INSERT INTO web_sessions (id_hash, user_id, csrf, created_at, expires_at) \
                  VALUES ($1, $2, $3, $4, $5)";
    let binds = [
        Bind::Str(&session.id_hash),
        Bind::Int(session.user_id),
        Bind::Str(&session.csrf),
        Bind::Time(crate::sql::now()),
        Bind::Time(session.expires_at),
    ];
    conn.execute(insert, &binds).await?;
    let object = format!("user:{}", session.user_id);
    let change = Change::new(&object, "session.open", &object, session.id_hash.as_bytes());
    audit::record(conn, change).await
}

/// The session in force (not revoked, not expired) with this hash at `now`.
pub(crate) async fn session(
    conn: &mut Conn<'_>,
    id_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<Session>> {
    // Expiry is compared here, not in SQL: SQLite keeps times as text of varying precision.
    let row: Option<SessionRow> = conn.optional(SELECT_SESSION, &[Bind::Str(id_hash)]).await?;
    row.filter(|row| row.5 > now)
        .map(
            |(id, name, role, party, csrf, expires_at, must_change, language)| {
                Ok(Session {
                    user: user(id, name, role, party)?,
                    csrf,
                    expires_at,
                    must_change,
                    language,
                })
            },
        )
        .transpose()
}

/// Revokes one session (sign-out); `false` when it was not in force.
pub(crate) async fn revoke_session(conn: &mut Conn<'_>, id_hash: &str) -> Result<bool> {
    let update = "UPDATE web_sessions SET revoked_at = $1 WHERE id_hash = $2 \
                  AND revoked_at IS NULL RETURNING user_id";
    let binds = [Bind::Time(crate::sql::now()), Bind::Str(id_hash)];
    let Some(user_id) = conn.optional_scalar::<i64>(update, &binds).await? else {
        return Ok(false);
    };
    let object = format!("user:{user_id}");
    let change = Change::new(&object, "session.close", &object, id_hash.as_bytes());
    audit::record(conn, change).await?;
    Ok(true)
}

/// Revokes every open session of a user (`by` says who); how many were open.
pub(crate) async fn revoke_sessions_of(conn: &mut Conn<'_>, user_id: i64, by: &str) -> Result<u64> {
    let update =
        "UPDATE web_sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL";
    let revoked = conn
        .execute(update, &[Bind::Time(crate::sql::now()), Bind::Int(user_id)])
        .await?;
    let object = format!("user:{user_id}");
    let detail = revoked.to_string();
    let change = Change::new(by, "session.revoke-all", &object, detail.as_bytes());
    audit::record(conn, change).await?;
    Ok(revoked)
}

type SummaryRow = (i64, String, String, Option<String>, bool, bool, i64);

/// Every user, by name, with their password state and open sessions at `now`.
pub(crate) async fn users(conn: &mut Conn<'_>, now: OffsetDateTime) -> Result<Vec<UserSummary>> {
    let select = "SELECT u.id, u.name, u.role, u.party_id, u.password_hash IS NOT NULL, \
         u.password_must_change, (SELECT COUNT(*) FROM web_sessions s WHERE s.user_id = u.id \
         AND s.revoked_at IS NULL AND s.expires_at > $1) FROM users u ORDER BY u.name";
    let rows: Vec<SummaryRow> = conn.all(select, &[Bind::Time(now)]).await?;
    rows.into_iter()
        .map(
            |(id, name, role, party, has_password, must_change, open_sessions)| {
                Ok(UserSummary {
                    user: user(id, name, role, party)?,
                    has_password,
                    must_change,
                    open_sessions,
                })
            },
        )
        .collect()
}
