//! The embedded SQLite backend: `tamga.db` in the data directory, WAL journal,
//! `synchronous=FULL` so that an acknowledged commit survives a crash or power loss.
//!
//! Reads use a small pool. Every write goes through one writer task ([`writer`]) that takes
//! whatever requests are queued, applies each inside its own savepoint of one transaction and
//! commits them together: one fsync for many lodgements (group commit). No caller is answered
//! before the commit that holds its write has returned.

use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection};

use tokio::sync::{mpsc, oneshot};

use crate::ops::sqlite as ops;
use crate::records::*;
use crate::revenue::*;
use crate::risk_ops::sqlite as risk_ops;
use crate::{Result, Store, StoreError};

mod writer;

use writer::{Job, LocalFuture, Op};

/// The database file inside the data directory.
pub const FILE_NAME: &str = "tamga.db";

#[derive(Debug, Clone)]
pub struct SqliteStore {
    read: SqlitePool,
    writer: mpsc::Sender<Box<dyn Job>>,
}

impl SqliteStore {
    /// Opens `dir/tamga.db`, creating the directory and the file and applying migrations.
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
        let (tx, rx) = mpsc::channel(4096);
        writer::start(options.clone(), rx).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { read, writer: tx })
    }

    /// Queues a write for the writer and waits for its committed result.
    async fn write<T, F>(&self, op: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut sqlx::SqliteConnection) -> LocalFuture<'c, Result<T>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(Box::new(Op { reply, op }))
            .await
            .map_err(|_| StoreError::WriterGone)?;
        answer.await.map_err(|_| StoreError::WriterGone)?
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> Result<()> {
        if self.writer.is_closed() {
            return Err(StoreError::WriterGone);
        }
        let mut conn = self.read.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    async fn user_count(&self) -> Result<i64> {
        ops::user_count(&self.read).await
    }

    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.write(move |conn| Box::pin(ops::create_user(conn, user)))
            .await
    }

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        ops::user_by_token(&self.read, token_hash).await
    }

    async fn lodge(&self, lodgement: Lodgement) -> Result<LodgeOutcome> {
        self.write(move |conn| Box::pin(ops::lodge(conn, lodgement)))
            .await
    }

    async fn lrn_holder(&self, declarant: &str, lrn: &str) -> Result<Option<(String, String)>> {
        ops::lrn_holder(&self.read, declarant, lrn).await
    }

    async fn declaration(&self, mrn: &str, scope: &Scope) -> Result<Option<DeclarationRecord>> {
        ops::declaration(&self.read, mrn, scope).await
    }

    async fn list(&self, query: &ListQuery, scope: &Scope) -> Result<Page> {
        ops::list(&self.read, query, scope).await
    }

    async fn transition(
        &self,
        mrn: &str,
        scope: &Scope,
        change: StatusChange,
    ) -> Result<TransitionOutcome> {
        let (mrn, scope) = (mrn.to_owned(), scope.clone());
        self.write(move |conn| {
            Box::pin(async move { ops::transition(conn, &mrn, &scope, change).await })
        })
        .await
    }

    async fn assessments(&self, mrn: &str, scope: &Scope) -> Result<Option<Vec<AssessmentRecord>>> {
        ops::assessments(&self.read, mrn, scope).await
    }

    async fn balance(&self, mrn: &str, scope: &Scope) -> Result<Option<Option<Balance>>> {
        ops::balance(&self.read, mrn, scope).await
    }

    async fn record_payment(
        &self,
        mrn: &str,
        scope: &Scope,
        payment: NewPayment,
    ) -> Result<Option<Option<Balance>>> {
        let (mrn, scope) = (mrn.to_owned(), scope.clone());
        self.write(move |conn| {
            Box::pin(async move { ops::record_payment(conn, &mrn, &scope, payment).await })
        })
        .await
    }

    async fn add_assessment(
        &self,
        mrn: &str,
        scope: &Scope,
        assessment: NewAssessment,
    ) -> Result<Option<Reassessed>> {
        let (mrn, scope) = (mrn.to_owned(), scope.clone());
        self.write(move |conn| {
            Box::pin(async move { ops::add_assessment(conn, &mrn, &scope, assessment).await })
        })
        .await
    }

    async fn unit_value_samples(
        &self,
    ) -> Result<Vec<(String, String, Vec<rust_decimal::Decimal>)>> {
        ops::unit_value_samples(&self.read).await
    }

    async fn save_references(
        &self,
        references: Vec<tamga_core::tariff::valuation::Reference>,
        source: &str,
    ) -> Result<usize> {
        let source = source.to_owned();
        self.write(move |conn| Box::pin(ops::save_references(conn, references, source)))
            .await
    }

    async fn references(&self) -> Result<Vec<tamga_core::tariff::valuation::Reference>> {
        ops::references(&self.read).await
    }

    async fn save_cargo_report(
        &self,
        report: crate::cargo::NewCargoReport,
    ) -> Result<crate::cargo::CargoOutcome> {
        self.write(move |conn| Box::pin(ops::save_cargo_report(conn, report)))
            .await
    }

    async fn cargo_report(&self, id: i64) -> Result<Option<crate::cargo::StoredCargoReport>> {
        ops::cargo_report(&self.read, id).await
    }

    async fn cargo_reports(
        &self,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<crate::cargo::StoredCargoReport>> {
        ops::cargo_reports(&self.read, before, limit).await
    }

    async fn import_tariff(&self, import: TariffImport) -> Result<()> {
        self.write(move |conn| Box::pin(ops::import_tariff(conn, import)))
            .await
    }

    async fn current_tariff(&self) -> Result<Option<TariffImport>> {
        ops::current_tariff(&self.read).await
    }

    async fn import_rates(&self, rates: Vec<RateRow>) -> Result<usize> {
        self.write(move |conn| Box::pin(ops::import_rates(conn, rates)))
            .await
    }

    async fn rates(&self) -> Result<Vec<RateRow>> {
        ops::rates(&self.read).await
    }

    async fn save_document(
        &self,
        document: crate::risk::NewDocument,
    ) -> Result<crate::risk::DocumentOutcome> {
        self.write(move |conn| Box::pin(risk_ops::save_document(conn, document)))
            .await
    }

    async fn documents(
        &self,
        kind: &str,
        name: Option<&str>,
        all_versions: bool,
    ) -> Result<Vec<crate::risk::StoredDocument>> {
        risk_ops::documents(&self.read, kind, name, all_versions).await
    }

    async fn document_versions(&self) -> Result<Vec<(String, String, u32)>> {
        risk_ops::document_versions(&self.read).await
    }

    async fn risk_decision(&self, mrn: &str) -> Result<Option<crate::risk::StoredDecision>> {
        risk_ops::risk_decision(&self.read, mrn).await
    }

    async fn record_outcome(
        &self,
        mrn: &str,
        outcome: crate::risk::StoredOutcome,
    ) -> Result<Option<()>> {
        let mrn = mrn.to_owned();
        self.write(move |conn| Box::pin(risk_ops::record_outcome(conn, mrn, outcome)))
            .await
    }

    async fn feedback(
        &self,
        from: time::OffsetDateTime,
        to: time::OffsetDateTime,
    ) -> Result<Vec<crate::risk::FeedbackRow>> {
        risk_ops::feedback(&self.read, from, to).await
    }

    async fn red_counts(&self, day: time::Date) -> Result<Vec<(String, u32)>> {
        risk_ops::red_counts(&self.read, day).await
    }

    async fn recent_declarations(
        &self,
        limit: u32,
    ) -> Result<Vec<(String, tamga_core::Declaration)>> {
        risk_ops::recent_declarations(&self.read, limit).await
    }
}
