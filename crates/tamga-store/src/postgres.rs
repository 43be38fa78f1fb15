//! The PostgreSQL backend, for deployments where several `tamga serve` processes share one
//! database. MRN serials come from one sequence and LRN uniqueness from a unique index, so
//! both hold across servers; a lodgement that loses a race on its LRN is answered from the
//! winner's row.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::ConnectOptions;

use crate::ops::postgres as ops;
use crate::records::*;
use crate::revenue::*;
use crate::risk_ops::postgres as risk_ops;
use crate::rows::ExistingRow;
use crate::sql;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects with up to `max_connections` and applies the migrations (PostgreSQL's
    /// migrator holds an advisory lock, so servers starting together do not collide).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        let options: PgConnectOptions = url.parse()?;
        let options = options.log_statements(tracing::log::LevelFilter::Trace);
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }

    async fn existing(&self, lodgement: &Lodgement) -> Result<Option<ExistingRow>> {
        let d = &lodgement.declaration;
        Ok(sqlx::query_as(sql::SELECT_EXISTING)
            .bind(d.declarant.id.as_str())
            .bind(d.lrn.as_str())
            .fetch_optional(&self.pool)
            .await?)
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn user_count(&self) -> Result<i64> {
        ops::user_count(&self.pool).await
    }

    async fn create_user(&self, user: NewUser) -> Result<User> {
        let mut tx = self.pool.begin().await?;
        let user = ops::create_user(&mut tx, user).await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        ops::user_by_token(&self.pool, token_hash).await
    }

    async fn lodge(&self, lodgement: Lodgement) -> Result<LodgeOutcome> {
        let mut tx = self.pool.begin().await?;
        match ops::lodge(&mut tx, lodgement.clone()).await {
            Ok(outcome) => {
                tx.commit().await?;
                Ok(outcome)
            }
            // Another server committed the same LRN between our check and our insert.
            Err(StoreError::Conflict(_)) => {
                tx.rollback().await?;
                let existing = self.existing(&lodgement).await?.ok_or_else(|| {
                    StoreError::Corrupt("LRN conflict without a conflicting row".into())
                })?;
                let mut conn = self.pool.acquire().await?;
                ops::resubmission(&mut conn, existing, &lodgement.fingerprint).await
            }
            Err(e) => Err(e),
        }
    }

    async fn lrn_holder(&self, declarant: &str, lrn: &str) -> Result<Option<(String, String)>> {
        ops::lrn_holder(&self.pool, declarant, lrn).await
    }

    async fn declaration(&self, mrn: &str, scope: &Scope) -> Result<Option<DeclarationRecord>> {
        ops::declaration(&self.pool, mrn, scope).await
    }

    async fn list(&self, query: &ListQuery, scope: &Scope) -> Result<Page> {
        ops::list(&self.pool, query, scope).await
    }

    async fn transition(
        &self,
        mrn: &str,
        scope: &Scope,
        change: StatusChange,
    ) -> Result<TransitionOutcome> {
        let mut tx = self.pool.begin().await?;
        let outcome = ops::transition(&mut tx, mrn, scope, change).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn assessments(&self, mrn: &str, scope: &Scope) -> Result<Option<Vec<AssessmentRecord>>> {
        ops::assessments(&self.pool, mrn, scope).await
    }

    async fn balance(&self, mrn: &str, scope: &Scope) -> Result<Option<Option<Balance>>> {
        ops::balance(&self.pool, mrn, scope).await
    }

    async fn record_payment(
        &self,
        mrn: &str,
        scope: &Scope,
        payment: NewPayment,
    ) -> Result<Option<Option<Balance>>> {
        let mut tx = self.pool.begin().await?;
        // Payments of one declaration are recorded one at a time.
        let balance = ops::record_payment(&mut tx, mrn, scope, payment).await?;
        tx.commit().await?;
        Ok(balance)
    }

    async fn add_assessment(
        &self,
        mrn: &str,
        scope: &Scope,
        assessment: NewAssessment,
    ) -> Result<Option<Reassessed>> {
        let mut tx = self.pool.begin().await?;
        // Versions of one declaration are numbered under a lock on its row.
        let (text, binds) = sql::select_declaration_id(mrn, scope);
        let locking = format!("{text} FOR UPDATE");
        let _: Option<i64> = crate::sql::bind_all!(sqlx::query_scalar(&locking), binds)
            .fetch_optional(&mut *tx)
            .await?;
        let added = ops::add_assessment(&mut tx, mrn, scope, assessment).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn unit_value_samples(
        &self,
    ) -> Result<Vec<(String, String, Vec<rust_decimal::Decimal>)>> {
        ops::unit_value_samples(&self.pool).await
    }

    async fn save_references(
        &self,
        references: Vec<tamga_core::tariff::valuation::Reference>,
        source: &str,
    ) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let saved = ops::save_references(&mut tx, references, source.to_owned()).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn references(&self) -> Result<Vec<tamga_core::tariff::valuation::Reference>> {
        ops::references(&self.pool).await
    }

    async fn save_cargo_report(
        &self,
        report: crate::cargo::NewCargoReport,
    ) -> Result<crate::cargo::CargoOutcome> {
        let mut tx = self.pool.begin().await?;
        match ops::save_cargo_report(&mut tx, report.clone()).await {
            Ok(outcome) => {
                tx.commit().await?;
                Ok(outcome)
            }
            // Another server stored the same reference first: answer from its row.
            Err(StoreError::Conflict(_)) => {
                tx.rollback().await?;
                let mut conn = self.pool.acquire().await?;
                ops::save_cargo_report(&mut conn, report).await
            }
            Err(e) => Err(e),
        }
    }

    async fn cargo_report(&self, id: i64) -> Result<Option<crate::cargo::StoredCargoReport>> {
        ops::cargo_report(&self.pool, id).await
    }

    async fn cargo_reports(
        &self,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<crate::cargo::StoredCargoReport>> {
        ops::cargo_reports(&self.pool, before, limit).await
    }

    async fn import_tariff(&self, import: TariffImport) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        ops::import_tariff(&mut tx, import).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn current_tariff(&self) -> Result<Option<TariffImport>> {
        ops::current_tariff(&self.pool).await
    }

    async fn import_rates(&self, rates: Vec<RateRow>) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        let written = ops::import_rates(&mut tx, rates).await?;
        tx.commit().await?;
        Ok(written)
    }

    async fn rates(&self) -> Result<Vec<RateRow>> {
        ops::rates(&self.pool).await
    }

    async fn save_document(
        &self,
        document: crate::risk::NewDocument,
    ) -> Result<crate::risk::DocumentOutcome> {
        let mut tx = self.pool.begin().await?;
        let outcome = risk_ops::save_document(&mut tx, document).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    async fn documents(
        &self,
        kind: &str,
        name: Option<&str>,
        all_versions: bool,
    ) -> Result<Vec<crate::risk::StoredDocument>> {
        risk_ops::documents(&self.pool, kind, name, all_versions).await
    }

    async fn document_versions(&self) -> Result<Vec<(String, String, u32)>> {
        risk_ops::document_versions(&self.pool).await
    }

    async fn risk_decision(&self, mrn: &str) -> Result<Option<crate::risk::StoredDecision>> {
        risk_ops::risk_decision(&self.pool, mrn).await
    }

    async fn record_outcome(
        &self,
        mrn: &str,
        outcome: crate::risk::StoredOutcome,
    ) -> Result<Option<()>> {
        let mut tx = self.pool.begin().await?;
        let recorded = risk_ops::record_outcome(&mut tx, mrn.to_owned(), outcome).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    async fn feedback(
        &self,
        from: time::OffsetDateTime,
        to: time::OffsetDateTime,
    ) -> Result<Vec<crate::risk::FeedbackRow>> {
        risk_ops::feedback(&self.pool, from, to).await
    }

    async fn red_counts(&self, day: time::Date) -> Result<Vec<(String, u32)>> {
        risk_ops::red_counts(&self.pool, day).await
    }

    async fn recent_declarations(
        &self,
        limit: u32,
    ) -> Result<Vec<(String, tamga_core::Declaration)>> {
        risk_ops::recent_declarations(&self.pool, limit).await
    }
}
