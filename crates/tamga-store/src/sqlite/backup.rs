//! Online backup and restore of the SQLite database.
//!
//! `backup` runs `VACUUM INTO` on a connection of its own: in WAL mode that is a read
//! transaction, so the copy is the database as of one commit while the server keeps writing
//! (every lodgement acknowledged before the copy began is in it), and the writer is never
//! blocked. The copy is written beside its destination, flushed, checked and renamed.
//!
//! `restore` replaces the database only when no process holds it: every process that opens
//! the store (`tamga serve`, `tamga admin`, ...) holds a shared lock on `tamga.lock` in the
//! data directory for as long as it runs, and restore takes it exclusively or refuses. The file
//! must be a tamga database (its migrations are ours, in order, with our checksums; a backup
//! of an older version is migrated forward at the next start). The database it replaces is
//! kept beside it, renamed, never deleted.

use std::fs::File;
use std::path::{Path, PathBuf};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use super::FILE_NAME;

/// The lock file every process using a SQLite data directory holds shared.
pub const LOCK_NAME: &str = "tamga.lock";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0} already exists; choose a new file")]
    Exists(PathBuf),
    #[error("no database in {0}")]
    Missing(PathBuf),
    #[error("the database in {0} is in use (a tamga server or command holds it); stop it first")]
    Held(PathBuf),
    #[error("{path} is not a usable tamga database: {why}")]
    NotTamga { path: PathBuf, why: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a database file holds, as far as a backup is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub declarations: i64,
    pub audit_entries: i64,
    /// Migrations applied (the newest version).
    pub migration: i64,
    pub bytes: u64,
}

/// Takes the shared lock on `dir`'s lock file (blocking while a restore runs).
pub(crate) fn hold(dir: &Path) -> Result<File, BackupError> {
    let path = dir.join(LOCK_NAME);
    let file = open_lock(&path)?;
    lock(&file, false, true).map_err(io(&path))?;
    Ok(file)
}

fn open_lock(path: &Path) -> Result<File, BackupError> {
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io(path))
}

#[cfg(unix)]
fn lock(file: &File, exclusive: bool, wait: bool) -> std::io::Result<()> {
    use rustix::fs::{flock, FlockOperation};
    let operation = match (exclusive, wait) {
        (true, true) => FlockOperation::LockExclusive,
        (true, false) => FlockOperation::NonBlockingLockExclusive,
        (false, true) => FlockOperation::LockShared,
        (false, false) => FlockOperation::NonBlockingLockShared,
    };
    flock(file, operation).map_err(std::io::Error::from)
}

/// Elsewhere there is no lock: restore cannot tell whether a server holds the database.
#[cfg(not(unix))]
fn lock(_: &File, _: bool, _: bool) -> std::io::Result<()> {
    Ok(())
}

/// Copies the database in `dir` to `to` (which must not exist) while servers keep using it.
pub async fn backup(dir: &Path, to: &Path) -> Result<Summary, BackupError> {
    let source = dir.join(FILE_NAME);
    if !source.exists() {
        return Err(BackupError::Missing(dir.to_owned()));
    }
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    let partial = with_suffix(to, ".partial");
    let _ = std::fs::remove_file(&partial);
    let mut conn = SqliteConnectOptions::new()
        .filename(&source)
        .read_only(true)
        .busy_timeout(std::time::Duration::from_secs(30))
        // Copying a large database takes seconds: that is expected, not a slow query.
        .log_slow_statements(
            tracing::log::LevelFilter::Debug,
            std::time::Duration::from_secs(1),
        )
        .connect()
        .await?;
    let target = partial.to_str().ok_or_else(|| BackupError::NotTamga {
        path: partial.clone(),
        why: "the path is not UTF-8".into(),
    })?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io(&partial))?;
    let summary = check(&partial).await?;
    std::fs::rename(&partial, to).map_err(io(to))?;
    sync_dir(to);
    Ok(summary)
}

/// Checks that `file` is a tamga database this version can open.
pub async fn check(file: &Path) -> Result<Summary, BackupError> {
    let not = |why: String| BackupError::NotTamga {
        path: file.to_owned(),
        why,
    };
    if !file.is_file() {
        return Err(not("no such file".into()));
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await
        .map_err(|e| not(e.to_string()))?;
    let result = inspect(&mut conn).await.map_err(|e| match e {
        BackupError::NotTamga { why, .. } => not(why),
        BackupError::Database(e) => not(e.to_string()),
        other => other,
    });
    conn.close().await?;
    let mut summary = result?;
    summary.bytes = std::fs::metadata(file).map_err(io(file))?.len();
    Ok(summary)
}

async fn inspect(conn: &mut SqliteConnection) -> Result<Summary, BackupError> {
    let not = |why: &str| BackupError::NotTamga {
        path: PathBuf::new(),
        why: why.to_owned(),
    };
    let verdict: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut *conn)
        .await?;
    if verdict != "ok" {
        return Err(not(&format!("integrity check: {verdict}")));
    }
    let applied: Vec<(i64, bool, Vec<u8>)> =
        sqlx::query_as("SELECT version, success, checksum FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|_| not("it has no tamga migrations"))?;
    let ours = sqlx::migrate!("./migrations/sqlite");
    let known: Vec<_> = ours
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .collect();
    if applied.is_empty() || applied.len() > known.len() {
        return Err(not("its migrations are not this version's"));
    }
    for ((version, success, checksum), migration) in applied.iter().zip(&known) {
        if *version != migration.version || !success || **checksum != *migration.checksum {
            return Err(not(&format!("migration {version} is not this version's")));
        }
    }
    let declarations = sqlx::query_scalar("SELECT COUNT(*) FROM declarations")
        .fetch_one(&mut *conn)
        .await?;
    let audit_entries = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&mut *conn)
        .await
        .unwrap_or(0);
    Ok(Summary {
        declarations,
        audit_entries,
        migration: applied.last().map_or(0, |m| m.0),
        bytes: 0,
    })
}

/// Replaces the database in `dir` with `from`, unless a process holds it. Returns what was
/// restored and where the replaced database was kept (if there was one).
pub async fn restore(dir: &Path, from: &Path) -> Result<(Summary, Option<PathBuf>), BackupError> {
    let summary = check(from).await?;
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let lock_path = dir.join(LOCK_NAME);
    let held = open_lock(&lock_path)?;
    lock(&held, true, false).map_err(|_| BackupError::Held(dir.to_owned()))?;
    let database = dir.join(FILE_NAME);
    let incoming = with_suffix(&database, ".restoring");
    std::fs::copy(from, &incoming).map_err(io(&incoming))?;
    File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(io(&incoming))?;
    let kept = if database.exists() {
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let aside = with_suffix(&database, &format!(".before-restore-{stamp}"));
        // The WAL and its index go with the file they belong to, so the kept copy is whole
        // and the restored one starts without them.
        for suffix in ["-wal", "-shm"] {
            let from = with_suffix(&database, suffix);
            if from.exists() {
                let to = with_suffix(&aside, suffix);
                std::fs::rename(&from, &to).map_err(io(&from))?;
            }
        }
        std::fs::rename(&database, &aside).map_err(io(&database))?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&incoming, &database).map_err(io(&database))?;
    sync_dir(&database);
    drop(held);
    Ok((summary, kept))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Makes a rename durable (best effort: not every platform can open a directory).
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}
