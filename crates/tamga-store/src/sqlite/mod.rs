//! The embedded SQLite backend: `tamga.db` in the data directory, WAL journal,
//! `synchronous=FULL` so that an acknowledged commit survives a crash or power loss.
//!
//! Reads use a small pool. Every write goes through one writer task ([`writer`]) that takes
//! whatever requests are queued, applies each inside its own savepoint of one transaction and
//! commits them together: one fsync for many lodgements (group commit). No caller is answered
//! before the commit that holds its write has returned.

use std::path::Path;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::ConnectOptions;
use tokio::sync::{mpsc, oneshot};

use crate::conn::Conn;
use crate::sql_store::{SqlStore, WriteFuture};
use crate::{Result, StoreError};

pub mod backup;
mod writer;

pub(crate) use writer::Job;
use writer::Op;
pub use writer::{COMMIT_BATCH_SIZE, MAX_BATCH};

/// The database file inside the data directory.
pub const FILE_NAME: &str = "tamga.db";

/// A [`SqlStore`] opened on SQLite with [`SqlStore::open`].
pub type SqliteStore = SqlStore;

impl SqlStore {
    /// Opens `dir/tamga.db` (SQLite), creating the directory and the file and applying
    /// migrations.
    pub async fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::DataDir {
            path: dir.to_owned(),
            source,
        })?;
        let options = SqliteConnectOptions::new()
            .filename(dir.join(FILE_NAME))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            // Savepoints journal every page they touch: keep that journal in memory, not in
            // a temporary file. (The WAL, which makes commits durable, is unaffected.)
            .pragma("temp_store", "memory")
            .log_statements(tracing::log::LevelFilter::Trace);
        // Held by the writer's thread as long as the store lives: `tamga restore` refuses to
        // replace a database somebody holds.
        let lock = backup::hold(dir).map_err(|e| StoreError::DataDir {
            path: dir.to_owned(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let (tx, rx) = mpsc::channel(4096);
        writer::start(options.clone(), rx, lock).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqlStore::sqlite(read, tx))
    }
}

/// Queues a write for the writer and waits for its committed result.
pub(crate) async fn write<T, F>(jobs: &mpsc::Sender<Box<dyn Job>>, op: F) -> Result<T>
where
    T: Send + 'static,
    F: for<'a> FnOnce(&'a mut Conn<'_>) -> WriteFuture<'a, Result<T>> + Send + 'static,
{
    let (reply, answer) = oneshot::channel();
    jobs.send(Box::new(Op { reply, op }))
        .await
        .map_err(|_| StoreError::WriterGone)?;
    answer.await.map_err(|_| StoreError::WriterGone)?
}
