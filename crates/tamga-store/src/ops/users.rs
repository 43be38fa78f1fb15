//! Users and their API tokens.

use crate::conn::{Bind, Conn};
use crate::records::{NewUser, User};
use crate::rows::UserRow;
use crate::sql;
use crate::{Result, StoreError, SYSTEM_ACTOR};

pub(crate) async fn user_count(conn: &mut Conn<'_>) -> Result<i64> {
    conn.scalar(sql::COUNT_USERS, &[]).await
}

/// Creates a user holding one token; a used name is a `Conflict`.
pub(crate) async fn create_user(conn: &mut Conn<'_>, user: NewUser) -> Result<User> {
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
    let change = super::audit::Change::new(SYSTEM_ACTOR, "user.create", &object, detail.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(User {
        id,
        name: user.name,
        role: user.role,
        party_id: user.party_id,
    })
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
