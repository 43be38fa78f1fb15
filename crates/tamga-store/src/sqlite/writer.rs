//! The single SQLite writer: group commit of queued writes.
//!
//! A write is a [`Job`]: an operation on the connection and the channel its caller waits on.
//! The writer takes every job that is queued, runs each inside its own savepoint of one
//! transaction, commits once, and only then answers the callers.
//!
//! Every call on the connection is a hand-off to its thread and back, and those hand-offs,
//! not SQLite, bounded lodgement. So a job's savepoint is opened (and the previous job's
//! released) by statements that go ahead of the job's first statement in the same call, and
//! the last release goes with the commit. A job's savepoint is named apart from the previous
//! job's, so a failed job is rolled back to exactly its own; when that is impossible (its
//! savepoint was never opened) the whole batch is rolled back and every caller told so.

use std::future::Future;
use std::pin::Pin;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use crate::audit::ChainHead;
use crate::conn::Conn;
use crate::sql_store::WriteFuture;
use crate::{Result, StoreError};

/// The most writes one transaction commits together.
pub const MAX_BATCH: usize = 512;

/// The histogram of writes per SQLite commit.
pub const COMMIT_BATCH_SIZE: &str = "tamga_sqlite_commit_batch_size";

/// A future borrowing the write connection; it runs on the writer's own thread.
pub(super) type LocalFuture<'c, T> = Pin<Box<dyn Future<Output = T> + 'c>>;

/// A queued write.
pub(crate) trait Job: Send {
    /// Runs the job; `prefix` goes ahead of its first statement, `head` is the audit chain's
    /// head as this batch knows it. The answer says whether the prefix was spent (the job ran
    /// a statement).
    fn run<'c>(
        self: Box<Self>,
        conn: &'c mut SqliteConnection,
        prefix: String,
        head: &'c mut Option<ChainHead>,
    ) -> LocalFuture<'c, (Done, bool)>;
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
    fn run<'c>(
        self: Box<Self>,
        conn: &'c mut SqliteConnection,
        prefix: String,
        head: &'c mut Option<ChainHead>,
    ) -> LocalFuture<'c, (Done, bool)> {
        let Op { reply, op } = *self;
        Box::pin(async move {
            let mut conn = Conn::Sqlite(conn, Some(prefix), Some(head));
            let result = op(&mut conn).await;
            let spent = matches!(conn, Conn::Sqlite(_, None, _));
            let done = Done {
                failed: result.is_err(),
                answer: Box::new(move |failure: Option<&str>| {
                    let result = match failure {
                        Some(why) => Err(StoreError::NotWritten(why.to_owned())),
                        None => result,
                    };
                    // A caller that went away no longer needs its answer.
                    let _ = reply.send(result);
                }),
            };
            (done, spent)
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
    lock: std::fs::File,
) -> Result<()> {
    let (ready, is_ready) = oneshot::channel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| StoreError::Corrupt(format!("cannot start the writer: {e}")))?;
    std::thread::Builder::new()
        .name("tamga-sqlite-writer".into())
        .spawn(move || {
            // The data directory's lock lasts as long as the writer.
            let _lock = lock;
            runtime.block_on(async move {
                match open(&options).await {
                    Ok(conn) => {
                        let _ = ready.send(Ok(()));
                        // Both on this thread's runtime; the checkpoints end with the writer.
                        tokio::select! {
                            () = run(conn, jobs) => {}
                            () = checkpoints(options) => {}
                        }
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
    // The WAL is copied into the database by `checkpoints`, beside the writer; a commit
    // checkpoints only past `FALLBACK_CHECKPOINT_PAGES`. The page cache holds the indexes every
    // lodgement touches (SQLite's default of 2 MB made a growing database read them back).
    let pragmas = format!(
        "PRAGMA wal_autocheckpoint = {FALLBACK_CHECKPOINT_PAGES}; \
         PRAGMA cache_size = -{WRITER_CACHE_KIB}"
    );
    sqlx::raw_sql(&pragmas).execute(&mut conn).await?;
    Ok(conn)
}

/// How often the WAL is checkpointed beside the writer.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// WAL pages (4 KiB) past which a commit checkpoints after all. Under a load without pauses
/// the WAL is never wholly copied when the writer starts its next transaction, so it could
/// not start over from its beginning: this bounds it (at 16 MiB), and by then `checkpoints`
/// has copied most of it, so the commit's share is small.
const FALLBACK_CHECKPOINT_PAGES: u32 = 4_096;

/// The writer's page cache, in KiB.
const WRITER_CACHE_KIB: u32 = 64 * 1024;

/// Copies committed WAL frames into the database file every [`CHECKPOINT_EVERY`] until the
/// writer ends, on a connection of its own (so on another thread than the writer's) and
/// passively: it never waits for the writer or a reader, and what it cannot copy yet is copied
/// at a later turn. Otherwise SQLite checkpoints inside a commit every 1,000 pages, on the
/// writer's path: the profile of `tamga bench submit` put 6 % of the server's time there.
async fn checkpoints(options: SqliteConnectOptions) {
    // A checkpoint waits for the disk; under load it may take seconds, which is no news.
    let quiet = std::time::Duration::from_secs(60);
    let options = options.log_slow_statements(tracing::log::LevelFilter::Debug, quiet);
    let mut conn = match options.connect().await {
        Ok(conn) => conn,
        Err(e) => {
            tracing::warn!(error = %e, "no checkpoint connection; commits checkpoint instead");
            return std::future::pending().await;
        }
    };
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let done = sqlx::raw_sql("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut conn)
            .await;
        if let Err(e) = done {
            tracing::debug!(error = %e, "checkpoint postponed");
        }
    }
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
        // The group commit's size: how many writes share one fsync (see `tamga-api`'s
        // `metrics` for the name's meaning on the dashboard).
        metrics::histogram!(COMMIT_BATCH_SIZE).record(batch.len() as f64);
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
    let mut savepoints = Savepoints::default();
    let mut broken: Option<String> = None;
    for job in batch {
        if let Some(why) = &broken {
            job.refuse(why);
            continue;
        }
        let (finished, closed) = savepoints.run(conn, job).await;
        done.push(finished);
        broken = closed.err().map(|e| e.to_string());
    }
    let failure = match broken {
        // A savepoint could not be opened or rolled back: SQLite may have rolled back the
        // whole transaction on its own, so nothing of this batch is trusted to be written.
        Some(why) => {
            tracing::error!(error = %why, "write transaction broken; rolling back the batch");
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            Some(why)
        }
        None => commit(conn, savepoints.release()).await,
    };
    done.into_iter()
        .for_each(|d| (d.answer)(failure.as_deref()));
}

/// Commits the batch (after `release`, the last job's savepoint); on failure rolls back and
/// returns why.
async fn commit(conn: &mut SqliteConnection, release: String) -> Option<String> {
    match sqlx::raw_sql(&format!("{release}COMMIT"))
        .execute(&mut *conn)
        .await
    {
        Ok(_) => None,
        Err(e) => {
            tracing::error!(error = %e, "commit failed; rolling back the batch");
            // Best effort: the transaction may already be gone.
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            Some(e.to_string())
        }
    }
}

/// The savepoints of one batch: the next job's number, and the last job's savepoint, still
/// open; and the audit chain's head as the batch's jobs left it. The head is read once per
/// batch, by its first audited job: while the batch's transaction holds SQLite's write lock
/// nobody else can move it, and a new batch reads it again (another process, such as a
/// `tamga admin` command, may have written in between).
#[derive(Debug, Default)]
struct Savepoints {
    next: usize,
    open: Option<String>,
    head: Option<ChainHead>,
}

impl Savepoints {
    /// The statements that close the open savepoint, if any, ahead of what follows.
    fn release(&mut self) -> String {
        self.open
            .take()
            .map_or_else(String::new, |name| format!("RELEASE {name};\n"))
    }

    /// Runs one job inside a savepoint of its own, so that its failure leaves the rest of the
    /// batch intact. The second value is an error when its savepoint could not be rolled back.
    async fn run(
        &mut self,
        conn: &mut SqliteConnection,
        job: Box<dyn Job>,
    ) -> (Done, Result<(), sqlx::Error>) {
        // Two names, taken in turn, tell a job's savepoint from the one before it; that is all
        // a rollback needs (an older one is released already), and the statements that carry
        // them stay few enough for the connection's statement cache.
        let name = format!("job{}", self.next % 2);
        self.next += 1;
        let pending = self.open.clone();
        let prefix = format!("{}SAVEPOINT {name}", self.release());
        let head = self.head.clone();
        let (done, spent) = job.run(conn, prefix, &mut self.head).await;
        if !spent {
            // The job ran no statement: nothing was opened, released or written.
            self.open = pending;
            self.head = head;
            return (done, Ok(()));
        }
        if !done.failed {
            self.open = Some(name);
            return (done, Ok(()));
        }
        // The job's writes are undone, its audit entry with them.
        self.head = head;
        let undo = format!("ROLLBACK TO {name}; RELEASE {name}");
        let closed = sqlx::raw_sql(&undo).execute(&mut *conn).await.map(|_| ());
        (done, closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::Bind;

    fn boxed<F>(reply: oneshot::Sender<Result<u64>>, op: F) -> Box<dyn Job>
    where
        F: for<'a> FnOnce(&'a mut Conn<'_>) -> WriteFuture<'a, Result<u64>> + Send + 'static,
    {
        Box::new(Op { reply, op })
    }

    /// A job running `sql` with `value` as `$1`, and what its caller is told.
    fn job(value: i64, sql: &'static str) -> (Box<dyn Job>, oneshot::Receiver<Result<u64>>) {
        let (reply, answer) = oneshot::channel();
        let job = boxed(reply, move |conn| {
            Box::pin(async move { conn.execute(sql, &[Bind::Int(value)]).await })
        });
        (job, answer)
    }

    /// A failing job is rolled back to its own savepoint: the jobs before and after it in the
    /// same batch are committed, and each caller hears its own result.
    #[tokio::test]
    async fn a_failing_job_leaves_its_batch_intact() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("w.db"))
            .create_if_missing(true);
        let mut conn = options.connect().await.unwrap();
        sqlx::raw_sql("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .execute(&mut conn)
            .await
            .unwrap();
        let ok = "INSERT INTO t (v) VALUES ($1)";
        let (a, a_said) = job(1, ok);
        let (b, b_said) = job(
            2,
            "INSERT INTO t (v) VALUES ($1); INSERT INTO t (v) VALUES (1)",
        );
        let (c, c_said) = job(3, ok);
        let (d, d_said) = job(4, ok);
        commit_batch(&mut conn, vec![a, b, c, d]).await;
        assert_eq!(a_said.await.unwrap().unwrap(), 1);
        assert!(
            b_said.await.unwrap().is_err(),
            "the duplicate fails its job"
        );
        assert_eq!(c_said.await.unwrap().unwrap(), 1);
        assert_eq!(d_said.await.unwrap().unwrap(), 1);
        let values: Vec<(i64,)> = sqlx::query_as("SELECT v FROM t ORDER BY v")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(
            values,
            [(1,), (3,), (4,)],
            "job 2's first insert was undone"
        );
    }
}
