//! API tokens after a user's creation: more tokens, the list an administrator sees, and
//! revocation. A token is looked up by its hash on every request (see `users::user_by_token`),
//! so a revocation holds at once on every server sharing the database.

use time::OffsetDateTime;

use super::audit::{self, Change};
use crate::conn::{Bind, Conn};
use crate::token::{Revocation, TokenInfo};
use crate::Result;

type TokenRow = (
    i64,
    i64,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<String>,
);

const COLUMNS: &str = "id, user_id, created_at, revoked_at, revoked_by";

fn info((id, user_id, created_at, revoked_at, revoked_by): TokenRow) -> TokenInfo {
    TokenInfo {
        id,
        user_id,
        created_at,
        revoked_at,
        revoked_by,
    }
}

async fn user_exists(conn: &mut Conn<'_>, user_id: i64) -> Result<bool> {
    let found: Option<i64> = conn
        .optional_scalar("SELECT id FROM users WHERE id = $1", &[Bind::Int(user_id)])
        .await?;
    Ok(found.is_some())
}

/// Gives user `user_id` one more token (its hash); `None` when there is no such user.
pub(crate) async fn issue_token(
    conn: &mut Conn<'_>,
    user_id: i64,
    token_hash: &str,
    by: &str,
) -> Result<Option<TokenInfo>> {
    if !user_exists(conn, user_id).await? {
        return Ok(None);
    }
    let insert = format!(
        "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3) \
         RETURNING {COLUMNS}"
    );
    let binds = [
        Bind::Str(token_hash),
        Bind::Int(user_id),
        Bind::Time(crate::sql::now()),
    ];
    let token = info(conn.one::<TokenRow>(&insert, &binds).await?);
    // The entry names the token by its id; its digest covers the id, never the hash.
    let object = format!("user:{user_id}");
    let detail = format!("token {}", token.id);
    audit::record(
        conn,
        Change::new(by, "token.issue", &object, detail.as_bytes()),
    )
    .await?;
    Ok(Some(token))
}

/// A user's tokens, oldest first; `None` when there is no such user.
pub(crate) async fn tokens_of(conn: &mut Conn<'_>, user_id: i64) -> Result<Option<Vec<TokenInfo>>> {
    if !user_exists(conn, user_id).await? {
        return Ok(None);
    }
    let select = format!("SELECT {COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY id");
    let rows: Vec<TokenRow> = conn.all(&select, &[Bind::Int(user_id)]).await?;
    Ok(Some(rows.into_iter().map(info).collect()))
}

/// Revokes token `token_id` of user `user_id`, recording who did; a token revoked before is
/// left as it was (and no entry is written: nothing changed).
pub(crate) async fn revoke_token(
    conn: &mut Conn<'_>,
    user_id: i64,
    token_id: i64,
    by: &str,
) -> Result<Revocation> {
    let update = format!(
        "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 \
         WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL RETURNING {COLUMNS}"
    );
    let binds = [
        Bind::Time(crate::sql::now()),
        Bind::Str(by),
        Bind::Int(token_id),
        Bind::Int(user_id),
    ];
    if let Some(row) = conn.optional::<TokenRow>(&update, &binds).await? {
        let object = format!("user:{user_id}");
        let detail = format!("token {token_id}");
        let change = Change::new(by, "token.revoke", &object, detail.as_bytes());
        audit::record(conn, change).await?;
        return Ok(Revocation::Revoked(info(row)));
    }
    let select = format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1 AND user_id = $2");
    let found: Option<TokenRow> = conn
        .optional(&select, &[Bind::Int(token_id), Bind::Int(user_id)])
        .await?;
    Ok(match found {
        Some(row) => Revocation::AlreadyRevoked(info(row)),
        None => Revocation::NotFound,
    })
}
