//! The PostgreSQL backend, for deployments where several `tamga serve` processes share one
//! database. MRN serials come from one sequence and LRN uniqueness from a unique index, so
//! both hold across servers; a lodgement that loses a race on its LRN is answered from the
//! winner's row, which its insert waited for (see [`crate::ops::declarations`]).

use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::ConnectOptions;

use crate::sql_store::SqlStore;
use crate::Result;

/// A [`SqlStore`] connected to PostgreSQL with [`SqlStore::connect`].
pub type PgStore = SqlStore;

impl SqlStore {
    /// Connects to PostgreSQL with up to `max_connections` and applies the migrations
    /// (PostgreSQL's migrator holds an advisory lock, so servers starting together do not
    /// collide).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(Self::connect_options(url)?)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(SqlStore::postgres(pool))
    }

    /// The options of every connection to the database at `url`. No JIT compilation: tamga's
    /// statements are short lookups and index walks, which PostgreSQL (11 and later, JIT on
    /// by default) compiles whenever their estimated cost is high, as it is before any
    /// ANALYZE: at 2,000,000 declarations the list by a rare HS chapter ran in 0.8 ms and then
    /// spent 89 ms compiling.
    pub fn connect_options(url: &str) -> Result<PgConnectOptions> {
        let options: PgConnectOptions = url.parse()?;
        Ok(options
            .options([("jit", "off")])
            .log_statements(tracing::log::LevelFilter::Trace))
    }
}
