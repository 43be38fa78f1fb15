//! The single SQLite writer: group commit of queued writes.
//!
//! A write is a [`Job`]: an operation on the connection and the channel its caller waits on.
//! The writer takes every job that is queued, runs each inside its own savepoint of one
//! transaction, commits once, and only then answers the callers.

use std::future::Future;
use std::pin::Pin;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use crate::conn::Conn;
use crate::sql_store::WriteFuture;
use crate::{Result, StoreError};

/// The most writes one transaction commits together.
const MAX_BATCH: usize = 512;

/// A future borrowing the write connection; it runs on the writer's own thread.
pub(super) type LocalFuture<'c, T> = Pin<Box<dyn Future<Output = T> + 'c>>;

/// A queued write.
pub(crate) trait Job: Send {
    fn run<'c>(self: Box<Self>, conn: &'c mut SqliteConnection) -> LocalFuture<'c, Done>;
    /// Answers without running: the batch it was in cannot be written.
    fn refuse(self: Box<Self>, why: &str);
}

/// An operation and where its result goes.
pub(super) struct Op<T, F> {
    pub reply: oneshot::Sender<Result<T>>,
    pub op: F,
}

impl<T, F> Job for Op<T, F>
where
    T: Send + 'static,
    F: for<'a> FnOnce(&'a mut Conn<'_>) -> WriteFuture<'a, Result<T>> + Send + 'static,
{
    fn run<'c>(self: Box<Self>, conn: &'c mut SqliteConnection) -> LocalFuture<'c, Done> {
        let Op { reply, op } = *self;
        Box::pin(async move {
            let result = op(&mut Conn::Sqlite(conn)).await;
            Done {
                failed: result.is_err(),
                answer: Box::new(move |failure: Option<&str>| {
                    let result = match failure {
                        Some(why) => Err(StoreError::NotWritten(why.to_owned())),
                        None => result,
                    };
                    // A caller that went away no longer needs its answer.
                    let _ = reply.send(result);
                }),
            }
        })
    }

    fn refuse(self: Box<Self>, why: &str) {
        let _ = self.reply.send(Err(StoreError::NotWritten(why.to_owned())));
    }
}

/// Answers a caller once the batch is over: with its result, or with why nothing was written.
type Answer = Box<dyn FnOnce(Option<&str>) + Send>;

/// A job that has run and waits for the commit before its caller is answered.
pub(crate) struct Done {
    failed: bool,
    answer: Answer,
}

/// Opens the write connection, migrates, and runs the writer on a thread of its own until
/// every sender is gone. Returns once the database is ready for writes.
pub(super) async fn start(
    options: SqliteConnectOptions,
    jobs: mpsc::Receiver<Box<dyn Job>>,
) -> Result<()> {
    let (ready, is_ready) = oneshot::channel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| StoreError::Corrupt(format!("cannot start the writer: {e}")))?;
    std::thread::Builder::new()
        .name("tamga-sqlite-writer".into())
        .spawn(move || {
            runtime.block_on(async move {
                match open(&options).await {
                    Ok(conn) => {
                        let _ = ready.send(Ok(()));
                        run(conn, jobs).await;
                    }
                    Err(e) => drop(ready.send(Err(e))),
                }
            });
        })
        .map_err(|e| StoreError::Corrupt(format!("cannot start the writer: {e}")))?;
    is_ready.await.map_err(|_| StoreError::WriterGone)?
}

async fn open(options: &SqliteConnectOptions) -> Result<SqliteConnection> {
    let mut conn = options.connect().await?;
    sqlx::migrate!("./migrations/sqlite").run(&mut conn).await?;
    Ok(conn)
}

async fn run(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Box<dyn Job>>) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&mut conn, batch).await;
    }
}

async fn commit_batch(conn: &mut SqliteConnection, batch: Vec<Box<dyn Job>>) {
    if let Err(e) = sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await {
        let why = e.to_string();
        tracing::error!(error = %why, "cannot begin a write transaction");
        batch.into_iter().for_each(|job| job.refuse(&why));
        return;
    }
    let mut done = Vec::with_capacity(batch.len());
    let mut broken: Option<String> = None;
    for job in batch {
        if let Some(why) = &broken {
            job.refuse(why);
            continue;
        }
        let (finished, closed) = run_in_savepoint(conn, job).await;
        done.extend(finished);
        broken = closed.err().map(|e| e.to_string());
    }
    let failure = match broken {
        // A savepoint could not be opened or closed: SQLite may have rolled back the whole
        // transaction on its own, so nothing of this batch is trusted to be written.
        Some(why) => {
            tracing::error!(error = %why, "write transaction broken; rolling back the batch");
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            Some(why)
        }
        None => commit(conn).await,
    };
    done.into_iter()
        .for_each(|d| (d.answer)(failure.as_deref()));
}

/// Commits the batch; on failure rolls back and returns why.
async fn commit(conn: &mut SqliteConnection) -> Option<String> {
    match sqlx::raw_sql("COMMIT").execute(&mut *conn).await {
        Ok(_) => None,
        Err(e) => {
            tracing::error!(error = %e, "commit failed; rolling back the batch");
            // Best effort: the transaction may already be gone.
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            Some(e.to_string())
        }
    }
}

/// Runs one job inside a savepoint, so that its failure leaves the rest of the batch intact.
/// The second value is an error when the savepoint could not be opened or closed.
async fn run_in_savepoint(
    conn: &mut SqliteConnection,
    job: Box<dyn Job>,
) -> (Option<Done>, Result<(), sqlx::Error>) {
    if let Err(e) = sqlx::raw_sql("SAVEPOINT job").execute(&mut *conn).await {
        job.refuse(&e.to_string());
        return (None, Err(e));
    }
    let done = job.run(conn).await;
    let end = if done.failed {
        "ROLLBACK TO job; RELEASE job"
    } else {
        "RELEASE job"
    };
    let closed = sqlx::raw_sql(end).execute(&mut *conn).await.map(|_| ());
    (Some(done), closed)
}
