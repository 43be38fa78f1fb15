//! Users and their API tokens.

use crate::conn::{Bind, Conn};
use crate::records::{NewUser, User};
use crate::rows::UserRow;
use crate::sql;
use tamga_core::role::Role;

use super::audit::Change;
use crate::{Result, StoreError};

pub(crate) async fn user_count(conn: &mut Conn<'_>) -> Result<i64> {
    conn.scalar(sql::COUNT_USERS, &[]).await
}

/// Creates a user holding one token; a used name is a `Conflict`.
pub(crate) async fn create_user(conn: &mut Conn<'_>, user: NewUser, by: &str) -> Result<User> {
    let at = sql::now();
    let binds = [
        Bind::Str(&user.name),
        Bind::Str(user.role.as_str()),
        Bind::OptStr(user.party_id.as_deref()),
        Bind::Time(at),
    ];
    let id: Option<i64> = conn.optional_scalar(sql::INSERT_USER, &binds).await?;
    let id = id.ok_or_else(|| StoreError::Conflict(format!("a user named {:?}", user.name)))?;
    let token = [Bind::Str(&user.token_hash), Bind::Int(id), Bind::Time(at)];
    conn.execute(sql::INSERT_TOKEN, &token).await?;
    // A user is created with its first token: one change, one entry.
    let object = format!("user:{}", user.name);
    let detail = format!(
        "{:?} {:?} token {}",
        user.role, user.party_id, user.token_hash
    );
    let change = Change::new(by, "user.create", &object, detail.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(User {
        id,
        name: user.name,
        role: user.role,
        party_id: user.party_id,
    })
}

/// Changes a user's role and party; `None` when no user has that id. One change, one entry.
pub(crate) async fn set_role(
    conn: &mut Conn<'_>,
    user_id: i64,
    role: Role,
    party_id: Option<&str>,
    by: &str,
) -> Result<Option<User>> {
    let update = "UPDATE users SET role = $1, party_id = $2 WHERE id = $3 \
                  RETURNING id, name, role, party_id";
    let binds = [
        Bind::Str(role.as_str()),
        Bind::OptStr(party_id),
        Bind::Int(user_id),
    ];
    let row: Option<UserRow> = conn.optional(update, &binds).await?;
    let Some(user) = row.map(UserRow::into_user).transpose()? else {
        return Ok(None);
    };
    let object = format!("user:{}", user.name);
    let detail = format!("{role:?} {party_id:?}");
    super::audit::record(
        conn,
        Change::new(by, "user.role", &object, detail.as_bytes()),
    )
    .await?;
    Ok(Some(user))
}

pub(crate) async fn user_by_token(conn: &mut Conn<'_>, token_hash: &str) -> Result<Option<User>> {
    let row: Option<UserRow> = conn
        .optional(sql::SELECT_USER_BY_TOKEN, &[Bind::Str(token_hash)])
        .await?;
    row.map(UserRow::into_user).transpose()
}

/// The user with this name, if any.
pub(crate) async fn user_by_name(conn: &mut Conn<'_>, name: &str) -> Result<Option<User>> {
    let select = "SELECT id, name, role, party_id FROM users WHERE name = $1";
    let row: Option<UserRow> = conn.optional(select, &[Bind::Str(name)]).await?;
    row.map(UserRow::into_user).transpose()
}
