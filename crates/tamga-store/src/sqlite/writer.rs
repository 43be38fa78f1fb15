//! The single SQLite writer: group commit of queued writes.

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use crate::ops::sqlite::{create_user, lodge, transition};
use crate::records::*;
use crate::{Result, StoreError};

/// The most writes one transaction commits together.
const MAX_BATCH: usize = 512;

pub(super) enum Job {
    Lodge(Box<Lodgement>, oneshot::Sender<Result<LodgeOutcome>>),
    Transition {
        mrn: String,
        scope: Scope,
        change: StatusChange,
        reply: oneshot::Sender<Result<TransitionOutcome>>,
    },
    CreateUser(NewUser, oneshot::Sender<Result<User>>),
}

/// A finished job waiting for its commit before it is answered.
enum Done {
    Lodge(oneshot::Sender<Result<LodgeOutcome>>, Result<LodgeOutcome>),
    Transition(
        oneshot::Sender<Result<TransitionOutcome>>,
        Result<TransitionOutcome>,
    ),
    CreateUser(oneshot::Sender<Result<User>>, Result<User>),
}

impl Done {
    fn failed(&self) -> bool {
        match self {
            Done::Lodge(_, r) => r.is_err(),
            Done::Transition(_, r) => r.is_err(),
            Done::CreateUser(_, r) => r.is_err(),
        }
    }

    /// Answers the caller; after a failed commit every answer becomes that failure.
    fn answer(self, commit_error: Option<&str>) {
        let fail = |msg: &str| StoreError::NotWritten(msg.to_owned());
        // A caller that went away no longer needs its answer.
        match self {
            Done::Lodge(tx, r) => drop(tx.send(commit_error.map_or(r, |m| Err(fail(m))))),
            Done::Transition(tx, r) => drop(tx.send(commit_error.map_or(r, |m| Err(fail(m))))),
            Done::CreateUser(tx, r) => drop(tx.send(commit_error.map_or(r, |m| Err(fail(m))))),
        }
    }
}

/// Opens the write connection, migrates, and runs the writer on a thread of its own until
/// every sender is gone. Returns once the database is ready for writes.
pub(super) async fn start(options: SqliteConnectOptions, jobs: mpsc::Receiver<Job>) -> Result<()> {
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

async fn run(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
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

async fn commit_batch(conn: &mut SqliteConnection, batch: Vec<Job>) {
    if let Err(e) = sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *conn).await {
        let message = e.to_string();
        tracing::error!(error = %message, "cannot begin a write transaction");
        let done: Vec<Done> = batch.into_iter().map(|job| refuse(job, &e)).collect();
        done.into_iter().for_each(|d| d.answer(Some(&message)));
        return;
    }
    let mut done = Vec::with_capacity(batch.len());
    let mut broken = None;
    for job in batch {
        if let Some(e) = &broken {
            done.push(refuse(job, e));
            continue;
        }
        let (finished, closed) = apply_in_savepoint(conn, job).await;
        done.push(finished);
        broken = closed.err();
    }
    let failure = match broken {
        // A savepoint could not be opened or closed: SQLite may have rolled back the whole
        // transaction on its own, so nothing of this batch is trusted to be written.
        Some(e) => {
            tracing::error!(error = %e, "write transaction broken; rolling back the batch");
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
            Some(e.to_string())
        }
        None => commit(conn).await,
    };
    done.into_iter().for_each(|d| d.answer(failure.as_deref()));
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

fn refuse(job: Job, e: &sqlx::Error) -> Done {
    let err = || StoreError::NotWritten(e.to_string());
    match job {
        Job::Lodge(_, tx) => Done::Lodge(tx, Err(err())),
        Job::Transition { reply, .. } => Done::Transition(reply, Err(err())),
        Job::CreateUser(_, tx) => Done::CreateUser(tx, Err(err())),
    }
}

/// Runs one job inside a savepoint, so that its failure leaves the rest of the batch intact.
/// The second value is an error when the savepoint could not be opened or closed.
async fn apply_in_savepoint(
    conn: &mut SqliteConnection,
    job: Job,
) -> (Done, Result<(), sqlx::Error>) {
    if let Err(e) = sqlx::raw_sql("SAVEPOINT job").execute(&mut *conn).await {
        return (refuse(job, &e), Err(e));
    }
    let done = match job {
        Job::Lodge(l, tx) => Done::Lodge(tx, lodge(conn, *l).await),
        Job::Transition {
            mrn,
            scope,
            change,
            reply,
        } => Done::Transition(reply, transition(conn, &mrn, &scope, change).await),
        Job::CreateUser(u, tx) => Done::CreateUser(tx, create_user(conn, u).await),
    };
    let end = if done.failed() {
        "ROLLBACK TO job; RELEASE job"
    } else {
        "RELEASE job"
    };
    let closed = sqlx::raw_sql(end).execute(&mut *conn).await.map(|_| ());
    (done, closed)
}
