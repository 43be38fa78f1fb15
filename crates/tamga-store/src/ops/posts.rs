//! Border posts' gate equipment accounts (`post` users bound to their office) and the
//! crossings they reported, read back.

use tamga_core::role::Role;

use crate::conn::{Bind, Conn};
use crate::crossings::{CrossingQuery, StoredCrossing};
use crate::records::{NewUser, User};
use crate::sql::Dialect;
use crate::{Result, StoreError};

/// Creates a `post` user bound to `office`, in one commit: the user's entry, then the
/// binding's.
pub(crate) async fn create_post_user(
    conn: &mut Conn<'_>,
    user: NewUser,
    office: &str,
) -> Result<User> {
    if user.role != Role::Post {
        return Err(StoreError::Corrupt(
            "only a post user is bound to an office".into(),
        ));
    }
    let user = super::users::create_user(conn, user, crate::SYSTEM_ACTOR).await?;
    conn.execute(
        "INSERT INTO post_gates (user_id, office) VALUES ($1, $2)",
        &[Bind::Int(user.id), Bind::Str(office)],
    )
    .await?;
    let object = format!("user:{}", user.name);
    let change =
        super::audit::Change::new(crate::SYSTEM_ACTOR, "post.bind", &object, office.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(user)
}

/// The office a post user's equipment stands at.
pub(crate) async fn post_office(conn: &mut Conn<'_>, user_id: i64) -> Result<Option<String>> {
    conn.optional_scalar(
        "SELECT office FROM post_gates WHERE user_id = $1",
        &[Bind::Int(user_id)],
    )
    .await
}

/// One crossing.
pub(crate) async fn crossing(conn: &mut Conn<'_>, id: i64) -> Result<Option<StoredCrossing>> {
    let sql = format!(
        "SELECT id, {} FROM crossings WHERE id = $1",
        conn.dialect().json_column("document")
    );
    let row: Option<(i64, String)> = conn.optional(&sql, &[Bind::Int(id)]).await?;
    row.map(from_row).transpose()
}

/// Crossings by office and alert, newest first.
pub(crate) async fn crossings(
    conn: &mut Conn<'_>,
    q: &CrossingQuery,
) -> Result<Vec<StoredCrossing>> {
    let document = match conn.dialect() {
        Dialect::Sqlite => "c.document",
        Dialect::Postgres => "c.document::text",
    };
    let mut sql = format!("SELECT c.id, {document} FROM crossings c WHERE c.id < $1");
    let before = q.before.unwrap_or(i64::MAX);
    let limit = i64::from(q.limit);
    let mut binds = vec![Bind::Int(before), Bind::Int(limit)];
    if let Some(office) = &q.office {
        binds.push(Bind::Str(office));
        sql.push_str(&format!(" AND c.office = ${}", binds.len()));
    }
    match &q.alert {
        None => {}
        Some(None) => sql.push_str(" AND c.alerts > 0"),
        Some(Some(kind)) => {
            binds.push(Bind::Str(kind.as_str()));
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM crossing_alerts a WHERE a.crossing_id = c.id \
                 AND a.kind = ${})",
                binds.len()
            ));
        }
    }
    sql.push_str(" ORDER BY c.id DESC LIMIT $2");
    let rows: Vec<(i64, String)> = conn.all(&sql, &binds).await?;
    rows.into_iter().map(from_row).collect()
}

fn from_row((id, document): (i64, String)) -> Result<StoredCrossing> {
    let mut crossing: StoredCrossing = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("crossing {id}: {e}")))?;
    crossing.id = id;
    Ok(crossing)
}
