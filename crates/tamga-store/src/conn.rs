//! A connection of either backend, [`Conn`], and the few ways the operations use it: fetch
//! rows, fetch a scalar, execute. Every operation in [`crate::ops`] is written once against
//! it; the match on the backend happens here and nowhere else. SQL text that differs between
//! the backends comes from [`Conn::dialect`].
//!
//! Parameters travel as a slice of [`Bind`] values, borrowed where the caller already holds
//! the text, and are turned into the backend's arguments in one pass.

use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Arguments, Encode, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection};
use sqlx::{SqlitePool, Type};
use time::{Date, OffsetDateTime};

use crate::audit::ChainHead;
use crate::roster_cache::Drawn;
use crate::sql::Dialect;
use crate::Result;

/// A value to bind to a `$n` placeholder, on either backend.
#[derive(Debug, Clone)]
pub(crate) enum Bind<'a> {
    Str(&'a str),
    OptStr(Option<&'a str>),
    /// Text made for this query (a decimal, a date written as text).
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Bool(bool),
    Date(Date),
    OptDate(Option<Date>),
    Time(OffsetDateTime),
    OptTime(Option<OffsetDateTime>),
}

/// Rows both backends can decode (every `#[derive(sqlx::FromRow)]` type and tuple of
/// plain columns).
pub(crate) trait FromRows:
    Send + Unpin + for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow>
{
}

impl<T> FromRows for T where
    T: Send + Unpin + for<'r> sqlx::FromRow<'r, SqliteRow> + for<'r> sqlx::FromRow<'r, PgRow>
{
}

/// A connection, or a transaction's connection, of either backend.
#[derive(Debug)]
pub(crate) enum Conn<'c> {
    /// With statements to run before the next one, in the same call: the SQLite writer opens
    /// a job's savepoint (and releases the previous job's) this way instead of by a call of its
    /// own ([`crate::sqlite`]'s writer). The writer also lends the audit chain's head as its
    /// batch knows it, so that an audited write need not read it ([`crate::ops::audit`]).
    Sqlite(
        &'c mut SqliteConnection,
        Option<String>,
        Option<&'c mut Option<ChainHead>>,
    ),
    /// With the draws a write transaction made, whose offices' roster tokens move once it
    /// commits ([`crate::roster_cache`]); `None` on a read connection.
    Postgres(&'c mut PgConnection, Option<&'c mut Vec<Drawn>>),
}

/// `sql` after the pending prefix, if one is pending; the prefix is then spent.
fn prefixed<'s>(prefix: &mut Option<String>, sql: &'s str) -> std::borrow::Cow<'s, str> {
    match prefix.take() {
        Some(mut text) => {
            text.push_str(";\n");
            text.push_str(sql);
            std::borrow::Cow::Owned(text)
        }
        None => std::borrow::Cow::Borrowed(sql),
    }
}

impl Conn<'_> {
    /// Which SQL this connection speaks where the backends differ.
    pub(crate) fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(..) => Dialect::Sqlite,
            Conn::Postgres(..) => Dialect::Postgres,
        }
    }

    /// The audit chain head the SQLite writer's batch holds, if this is its connection.
    pub(crate) fn head_cache(&mut self) -> Option<&mut Option<ChainHead>> {
        match self {
            Conn::Sqlite(_, _, cache) => cache.as_deref_mut(),
            Conn::Postgres(..) => None,
        }
    }

    /// Where a PostgreSQL write transaction notes the draws it made.
    pub(crate) fn drawn_offices(&mut self) -> Option<&mut Vec<Drawn>> {
        match self {
            Conn::Sqlite(..) => None,
            Conn::Postgres(_, drawn) => drawn.as_deref_mut(),
        }
    }

    /// Every row `sql` returns.
    pub(crate) async fn all<T: FromRows>(
        &mut self,
        sql: &str,
        binds: &[Bind<'_>],
    ) -> Result<Vec<T>> {
        Ok(match self {
            Conn::Sqlite(c, prefix, _) => {
                let args = arguments::<Sqlite>(binds)?;
                let sql = prefixed(prefix, sql);
                sqlx::query_as_with(&sql, args).fetch_all(&mut **c).await?
            }
            Conn::Postgres(c, _) => {
                let args = arguments::<Postgres>(binds)?;
                sqlx::query_as_with(sql, args).fetch_all(&mut **c).await?
            }
        })
    }

    /// [`Conn::all`], planned for these parameters at every call. PostgreSQL otherwise keeps
    /// a prepared statement's plan and, after five calls, may switch to one generic plan made
    /// without the values: a list by a rare HS chapter then walked a common chapter's way and
    /// took 3 s a page at 2,000,000 declarations, 16 ms planned for its value.
    pub(crate) async fn all_planned_each_time<T: FromRows>(
        &mut self,
        sql: &str,
        binds: &[Bind<'_>],
    ) -> Result<Vec<T>> {
        match self {
            Conn::Sqlite(..) => self.all(sql, binds).await,
            Conn::Postgres(c, _) => {
                let args = arguments::<Postgres>(binds)?;
                let query = sqlx::query_as_with(sql, args).persistent(false);
                Ok(query.fetch_all(&mut **c).await?)
            }
        }
    }

    /// The first row `sql` returns, if any.
    pub(crate) async fn optional<T: FromRows>(
        &mut self,
        sql: &str,
        binds: &[Bind<'_>],
    ) -> Result<Option<T>> {
        Ok(match self {
            Conn::Sqlite(c, prefix, _) => {
                let args = arguments::<Sqlite>(binds)?;
                let sql = prefixed(prefix, sql);
                sqlx::query_as_with(&sql, args)
                    .fetch_optional(&mut **c)
                    .await?
            }
            Conn::Postgres(c, _) => {
                let args = arguments::<Postgres>(binds)?;
                sqlx::query_as_with(sql, args)
                    .fetch_optional(&mut **c)
                    .await?
            }
        })
    }

    /// The first row `sql` returns; no row is an error.
    pub(crate) async fn one<T: FromRows>(&mut self, sql: &str, binds: &[Bind<'_>]) -> Result<T> {
        self.optional(sql, binds)
            .await?
            .ok_or_else(|| sqlx::Error::RowNotFound.into())
    }

    /// The first column of the first row, if there is a row.
    pub(crate) async fn optional_scalar<T>(
        &mut self,
        sql: &str,
        binds: &[Bind<'_>],
    ) -> Result<Option<T>>
    where
        (T,): FromRows,
    {
        Ok(self
            .optional::<(T,)>(sql, binds)
            .await?
            .map(|(value,)| value))
    }

    /// The first column of the first row; no row is an error.
    pub(crate) async fn scalar<T>(&mut self, sql: &str, binds: &[Bind<'_>]) -> Result<T>
    where
        (T,): FromRows,
    {
        Ok(self.one::<(T,)>(sql, binds).await?.0)
    }

    /// Runs `sql` and returns how many rows it changed.
    pub(crate) async fn execute(&mut self, sql: &str, binds: &[Bind<'_>]) -> Result<u64> {
        Ok(match self {
            Conn::Sqlite(c, prefix, _) if prefix.is_some() => {
                let args = arguments::<Sqlite>(binds)?;
                let sql = prefixed(prefix, sql);
                last_rows_affected(c, &sql, args).await?
            }
            Conn::Sqlite(c, ..) => {
                let args = arguments::<Sqlite>(binds)?;
                sqlx::query_with(sql, args)
                    .execute(&mut **c)
                    .await?
                    .rows_affected()
            }
            Conn::Postgres(c, _) => {
                let args = arguments::<Postgres>(binds)?;
                sqlx::query_with(sql, args)
                    .execute(&mut **c)
                    .await?
                    .rows_affected()
            }
        })
    }
}

/// The rows changed by the last statement of a text led by the writer's savepoint statements
/// (SQLite counts stale changes for those, so the sum over the text would be wrong). SQLite is
/// the only driver that runs several statements in one prepared text, which sqlx 0.8 still
/// supports but marks deprecated; should a later sqlx drop it, the writer's prefix goes back
/// to a call of its own (see `sqlite/writer.rs`) and nothing else changes.
#[allow(deprecated)]
async fn last_rows_affected<'q>(
    conn: &mut SqliteConnection,
    sql: &'q str,
    args: sqlx::sqlite::SqliteArguments<'q>,
) -> Result<u64> {
    use futures_util::TryStreamExt;
    let results: Vec<sqlx::sqlite::SqliteQueryResult> = sqlx::query_with(sql, args)
        .execute_many(conn)
        .await
        .try_collect()
        .await?;
    Ok(results
        .last()
        .map_or(0, sqlx::sqlite::SqliteQueryResult::rows_affected))
}

/// The backend's arguments for `binds`, in order.
fn arguments<'q, DB>(binds: &'q [Bind<'q>]) -> Result<DB::Arguments<'q>>
where
    DB: sqlx::Database,
    &'q str: Encode<'q, DB> + Type<DB>,
    Option<&'q str>: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
    Option<i64>: Encode<'q, DB> + Type<DB>,
    bool: Encode<'q, DB> + Type<DB>,
    Date: Encode<'q, DB> + Type<DB>,
    Option<Date>: Encode<'q, DB> + Type<DB>,
    OffsetDateTime: Encode<'q, DB> + Type<DB>,
    Option<OffsetDateTime>: Encode<'q, DB> + Type<DB>,
{
    let mut args = DB::Arguments::<'q>::default();
    args.reserve(binds.len(), binds.len() * 8);
    for bind in binds {
        let added = match bind {
            Bind::Str(v) => args.add(*v),
            Bind::OptStr(v) => args.add(*v),
            Bind::Text(v) => args.add(v.as_str()),
            Bind::OptText(v) => args.add(v.as_deref()),
            Bind::Int(v) => args.add(*v),
            Bind::OptInt(v) => args.add(*v),
            Bind::Bool(v) => args.add(*v),
            Bind::Date(v) => args.add(*v),
            Bind::OptDate(v) => args.add(*v),
            Bind::Time(v) => args.add(*v),
            Bind::OptTime(v) => args.add(*v),
        };
        added.map_err(sqlx::Error::Encode)?;
    }
    Ok(args)
}

/// The read pool of either backend.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    /// A connection for a read; it goes back to the pool when dropped.
    pub(crate) async fn acquire(&self) -> Result<Pooled> {
        Ok(match self {
            Pool::Sqlite(pool) => Pooled::Sqlite(pool.acquire().await?),
            Pool::Postgres(pool) => Pooled::Postgres(pool.acquire().await?),
        })
    }
}

/// A connection taken from a [`Pool`].
#[derive(Debug)]
pub(crate) enum Pooled {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl Pooled {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match self {
            Pooled::Sqlite(c) => Conn::Sqlite(c, None, None),
            Pooled::Postgres(c) => Conn::Postgres(c, None),
        }
    }
}
