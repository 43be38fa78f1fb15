//! Throwaway stores for tests: a SQLite file in a temporary directory, or a fresh PostgreSQL
//! database on the server named by `TAMGA_TEST_DATABASE_URL` (`scripts/test` sets it). A
//! PostgreSQL test without that variable fails: it is never skipped silently.

use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::sync::Arc;

use sqlx::{Connection, PgConnection};

use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::Store;

pub const DATABASE_URL_VAR: &str = "TAMGA_TEST_DATABASE_URL";

/// The selectivity secret of every test store: the same draws on every run.
const TEST_SECRET: &[u8] = b"tamga test selectivity secret";

/// A store and what must live as long as it does.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    /// For PostgreSQL: the URL of this test's own database, to open more servers on it.
    pub url: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestStore")
            .field("backend", &self.store.backend())
            .finish()
    }
}

impl TestStore {
    pub async fn sqlite() -> TestStore {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = SqliteStore::open(dir.path()).await.expect("open SQLite");
        store
            .fix_selectivity_secret(TEST_SECRET)
            .await
            .expect("a test secret");
        TestStore {
            store: Arc::new(store),
            url: None,
            _dir: Some(dir),
        }
    }

    /// The SQLite database file, for tests that reach past the store (SQLite only).
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self._dir
            .as_ref()
            .map(|d| d.path().join(crate::sqlite::FILE_NAME))
    }

    /// A new, empty, migrated database on the test PostgreSQL server.
    pub async fn postgres() -> TestStore {
        let url = fresh_database().await;
        let store = PgStore::connect(&url, 8)
            .await
            .expect("connect to the test database");
        store
            .fix_selectivity_secret(TEST_SECRET)
            .await
            .expect("a test secret");
        TestStore {
            store: Arc::new(store),
            url: Some(url),
            _dir: None,
        }
    }
}

/// The admin URL of the test server. Panics with instructions when it is not set.
pub fn admin_url() -> String {
    std::env::var(DATABASE_URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{DATABASE_URL_VAR} is not set: PostgreSQL tests need a server. Run scripts/test, \
             or set it, e.g. {DATABASE_URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres"
        )
    })
}

/// Creates a database named after this process and a counter, and returns its URL.
pub async fn fresh_database() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let admin = admin_url();
    let name = format!(
        "tamga_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        rand::random::<u32>()
    );
    let mut conn = PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {admin}: {e}"));
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create the test database");
    let base = admin
        .rsplit_once('/')
        .map_or(admin.as_str(), |(base, _)| base);
    format!("{base}/{name}")
}

/// How many tasks of one state every office's task list sorts rather than walks past
/// (`crate::sql::FEW_TASKS` until a test sets another number, for the rest of its process).
static FEW_TASKS: AtomicI64 = AtomicI64::new(DEFAULT_FEW_TASKS);

/// The number a store uses unless a test sets another.
pub const DEFAULT_FEW_TASKS: i64 = crate::sql::FEW_TASKS;

/// Makes every office's task list in one state take its other way: `0` walks every task by
/// id whatever the state; the default sorts a rare state's ids.
pub fn set_few_tasks(few: i64) {
    FEW_TASKS.store(few, Ordering::SeqCst);
}

pub(crate) fn few_tasks() -> i64 {
    FEW_TASKS.load(Ordering::SeqCst)
}
