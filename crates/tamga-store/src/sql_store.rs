//! [`SqlStore`], the one implementation of [`Store`](crate::Store), on either backend. Reads
//! take a pooled connection; writes go through [`SqlStore::write`], which runs them in the
//! SQLite writer's group commit or in a PostgreSQL transaction, and answers only after the
//! commit. Each operation itself is in [`crate::ops`].

use std::future::Future;
use std::pin::Pin;

use tokio::sync::mpsc;

use crate::conn::{Conn, Pool, Pooled};
use crate::roster_cache::Drawn;
use crate::{Result, StoreError};

mod audit;
mod store;

/// A write's future, borrowing the connection it runs on.
pub(crate) type WriteFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A store on SQLite ([`crate::sqlite::SqliteStore::open`]) or PostgreSQL
/// ([`crate::postgres::PgStore::connect`]).
#[derive(Debug, Clone)]
pub struct SqlStore {
    read: Pool,
    writer: Writer,
    /// What draws keep between transactions (the secret, rosters checked by token).
    control: std::sync::Arc<crate::roster_cache::ControlCache>,
}

/// Where writes go.
#[derive(Debug, Clone)]
enum Writer {
    /// The single writer task's queue (group commit).
    Sqlite(mpsc::Sender<Box<dyn crate::sqlite::Job>>),
    /// A pool of which each write takes a connection for its own transaction.
    Postgres(sqlx::PgPool),
}

impl SqlStore {
    pub(crate) fn sqlite(
        read: sqlx::SqlitePool,
        jobs: mpsc::Sender<Box<dyn crate::sqlite::Job>>,
    ) -> Self {
        Self {
            read: Pool::Sqlite(read),
            writer: Writer::Sqlite(jobs),
            control: Default::default(),
        }
    }

    pub(crate) fn postgres(pool: sqlx::PgPool) -> Self {
        Self {
            read: Pool::Postgres(pool.clone()),
            writer: Writer::Postgres(pool),
            control: Default::default(),
        }
    }

    /// A connection for reads.
    async fn read(&self) -> Result<Pooled> {
        self.read.acquire().await
    }

    /// Runs `op` in a transaction and answers once it has committed. A failed `op` writes
    /// nothing.
    async fn write<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a mut Conn<'_>) -> WriteFuture<'a, Result<T>> + Send + 'static,
    {
        match &self.writer {
            Writer::Sqlite(jobs) => crate::sqlite::write(jobs, op).await,
            Writer::Postgres(pool) => {
                let mut drawn = Vec::new();
                let mut tx = pool.begin().await?;
                // On an error the transaction is dropped, which rolls it back.
                let done = match op(&mut Conn::Postgres(&mut tx, Some(&mut drawn))).await {
                    Ok(value) => tx.commit().await.map(|()| value).map_err(Into::into),
                    Err(e) => Err(e),
                };
                if drawn.is_empty() {
                    return done;
                }
                match done {
                    Ok(value) => {
                        self.publish_draws(pool, &drawn).await;
                        Ok(value)
                    }
                    Err(e) => {
                        self.control.forget(drawn.iter().map(String::as_str));
                        Err(e)
                    }
                }
            }
        }
    }

    /// Moves the roster tokens of the offices where a committed transaction drew (PostgreSQL, see
    /// [`crate::roster_cache`]). The draw is committed whatever happens here, so a failure is
    /// logged, not answered: this process then reads the roster again, and other servers see
    /// the draw's workloads at the office's next change.
    async fn publish_draws(&self, pool: &sqlx::PgPool, draws: &[Drawn]) {
        if let Err(e) = self.control.publish(pool, draws).await {
            self.control.forget(draws.iter().map(String::as_str));
            tracing::warn!(error = %e, ?draws, "roster tokens not moved after a draw");
        }
    }

    /// What draws keep in the process, with the allocation secret once it is committed (read
    /// on a read connection, which sees only committed data).
    async fn control(&self) -> Result<std::sync::Arc<crate::roster_cache::ControlCache>> {
        if self.control.should_look() {
            let name = crate::control::ALLOCATION_SECRET;
            let stored = crate::ops::secrets::stored(&mut self.read().await?.conn(), name).await?;
            if let Some(secret) = stored {
                self.control.keep_secret(secret);
            }
        }
        Ok(self.control.clone())
    }

    /// Fails unless the database answers (and, for SQLite, its writer runs).
    async fn ping(&self) -> Result<()> {
        use sqlx::Connection;
        if let Writer::Sqlite(jobs) = &self.writer {
            if jobs.is_closed() {
                return Err(StoreError::WriterGone);
            }
        }
        match self.read().await? {
            Pooled::Sqlite(mut c) => c.ping().await?,
            Pooled::Postgres(mut c) => c.ping().await?,
        }
        Ok(())
    }
}
