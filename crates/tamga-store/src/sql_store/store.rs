//! [`Store`] for [`SqlStore`]: each method forwards to its operation in [`crate::ops`],
//! through a pooled connection for reads and [`SqlStore::write`] for writes.

use async_trait::async_trait;
use rust_decimal::Decimal;
use tamga_core::tariff::valuation::Reference;
use time::{Date, OffsetDateTime};

use super::SqlStore;
use crate::advance::{AdvanceAccount, AdvanceEntry, AdvancePayment, NewDeposit, PaidFromAdvance};
use crate::audit::{AuditEntry, Checkpoint, Verification};
use crate::cargo::{CargoOutcome, NewCargoReport, StoredCargoReport};
use crate::control::{HoldRecord, ReplayedDraw, RosterChange, StoredDraw, SuspendOutcome};
use crate::control::{TaskEvent, TaskOutcome, TaskPage, TaskQuery, TaskStep};
use crate::federation as fed;
use crate::lab::{CaseOutcome, CaseStep, StoredSeizure};
use crate::lab::{NewSample, SampleOutcome, SampleStep, SampleSummary, StoredSample};
use crate::ops::{advance, revenue};
use crate::ops::{attachments, lab, release, roster, seizures, tasks, users};
use crate::ops::{audit, secrets};
use crate::ops::{cargo, control, decisions, declarations, documents, parties, reference_data};
use crate::ops::{crossings, posts};
use crate::ops::{federation, situation, web};
use crate::ops::{guarantees, transit, transit_view};
use crate::parties::*;
use crate::records::*;
use crate::revenue::*;
use crate::risk::StoredOutcome;
use crate::risk::{DocumentOutcome, FeedbackRow, NewDocument, StoredDecision, StoredDocument};
use crate::{Result, Store};
use tamga_control::allocation::{Conflict, Officer, Shift};
use tamga_control::task::ControlTask;

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.read {
            crate::conn::Pool::Sqlite(_) => "sqlite",
            crate::conn::Pool::Postgres(_) => "postgres",
        }
    }

    async fn ping(&self) -> Result<()> {
        SqlStore::ping(self).await
    }

    async fn user_count(&self) -> Result<i64> {
        users::user_count(&mut self.read().await?.conn()).await
    }

    async fn create_user(&self, user: NewUser) -> Result<User> {
        self.create_user_as(user, crate::SYSTEM_ACTOR).await
    }

    async fn create_user_as(&self, user: NewUser, by: &str) -> Result<User> {
        let by = by.to_owned();
        self.write(move |c| Box::pin(async move { users::create_user(c, user, &by).await }))
            .await
    }

    async fn set_role(
        &self,
        user_id: i64,
        role: tamga_core::role::Role,
        party_id: Option<&str>,
        by: &str,
    ) -> Result<Option<User>> {
        let (party_id, by) = (party_id.map(str::to_owned), by.to_owned());
        self.write(move |c| {
            Box::pin(
                async move { users::set_role(c, user_id, role, party_id.as_deref(), &by).await },
            )
        })
        .await
    }

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>> {
        users::user_by_token(&mut self.read().await?.conn(), token_hash).await
    }

    async fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        users::user_by_name(&mut self.read().await?.conn(), name).await
    }

    async fn lodge(&self, lodgement: Lodgement) -> Result<LodgeOutcome> {
        let cache = self.control().await?;
        self.write(move |c| {
            Box::pin(async move { declarations::lodge(c, lodgement, &cache).await })
        })
        .await
    }

    async fn lrn_holder(&self, declarant: &str, lrn: &str) -> Result<Option<(String, String)>> {
        declarations::lrn_holder(&mut self.read().await?.conn(), declarant, lrn).await
    }

    async fn declaration(&self, mrn: &str, scope: &Scope) -> Result<Option<DeclarationRecord>> {
        declarations::declaration(&mut self.read().await?.conn(), mrn, scope).await
    }

    async fn list(&self, query: &ListQuery, scope: &Scope) -> Result<Page> {
        declarations::list(&mut self.read().await?.conn(), query, scope).await
    }

    async fn transition(
        &self,
        mrn: &str,
        scope: &Scope,
        change: StatusChange,
    ) -> Result<TransitionOutcome> {
        let (mrn, scope) = (mrn.to_owned(), scope.clone());
        self.write(move |c| {
            Box::pin(async move { declarations::transition(c, &mrn, &scope, change).await })
        })
        .await
    }

    async fn assessments(&self, mrn: &str, scope: &Scope) -> Result<Option<Vec<AssessmentRecord>>> {
        revenue::assessments(&mut self.read().await?.conn(), mrn, scope).await
    }

    async fn balance(&self, mrn: &str, scope: &Scope) -> Result<Option<Option<Balance>>> {
        revenue::balance(&mut self.read().await?.conn(), mrn, scope).await
    }

    async fn record_payment(
        &self,
        mrn: &str,
        scope: &Scope,
        payment: NewPayment,
    ) -> Result<Option<Option<Balance>>> {
        let (mrn, scope) = (mrn.to_owned(), scope.clone());
        self.write(move |c| {
            Box::pin(async move { revenue::record_payment(c, &mrn, &scope, payment).await })
        })
        .await
    }

    async fn advance_account(&self, party: &str) -> Result<Option<AdvanceAccount>> {
        advance::account(&mut self.read().await?.conn(), party).await
    }

    async fn advance_deposit(
        &self,
        party: &str,
        deposit: NewDeposit,
    ) -> Result<Option<AdvanceEntry>> {
        let party = party.to_owned();
        self.write(move |c| Box::pin(async move { advance::deposit(c, &party, deposit).await }))
            .await
    }

    async fn pay_from_advance(
        &self,
        mrn: &str,
        scope: &Scope,
        payment: AdvancePayment,
    ) -> Result<PaidFromAdvance> {
        let (mrn, scope) = (mrn.to_owned(), scope.clone());
        self.write(move |c| Box::pin(async move { advance::pay(c, &mrn, &scope, payment).await }))
            .await
    }

    async fn add_assessment(
        &self,
        mrn: &str,
        scope: &Scope,
        assessment: NewAssessment,
    ) -> Result<Option<Reassessed>> {
        let (mrn, scope) = (mrn.to_owned(), scope.clone());
        self.write(move |c| {
            Box::pin(async move { revenue::add_assessment(c, &mrn, &scope, assessment).await })
        })
        .await
    }

    async fn unit_value_samples(&self) -> Result<Vec<(String, String, Vec<Decimal>)>> {
        reference_data::unit_value_samples(&mut self.read().await?.conn()).await
    }

    async fn save_references(&self, references: Vec<Reference>, source: &str) -> Result<usize> {
        let source = source.to_owned();
        self.write(move |c| {
            Box::pin(async move { reference_data::save_references(c, references, &source).await })
        })
        .await
    }

    async fn references(&self) -> Result<Vec<Reference>> {
        reference_data::references(&mut self.read().await?.conn()).await
    }

    async fn save_cargo_report(&self, report: NewCargoReport) -> Result<CargoOutcome> {
        self.write(|c| Box::pin(cargo::save_cargo_report(c, report)))
            .await
    }

    async fn cargo_report(&self, id: i64) -> Result<Option<StoredCargoReport>> {
        cargo::cargo_report(&mut self.read().await?.conn(), id).await
    }

    async fn cargo_reports(
        &self,
        carrier: Option<&str>,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<StoredCargoReport>> {
        cargo::cargo_reports(&mut self.read().await?.conn(), carrier, before, limit).await
    }

    async fn save_document(&self, document: NewDocument) -> Result<DocumentOutcome> {
        self.write(|c| Box::pin(documents::save_document(c, document)))
            .await
    }

    async fn documents(
        &self,
        kind: &str,
        name: Option<&str>,
        all_versions: bool,
    ) -> Result<Vec<StoredDocument>> {
        documents::documents(&mut self.read().await?.conn(), kind, name, all_versions).await
    }

    async fn document_versions(&self) -> Result<Vec<(String, String, u32)>> {
        documents::document_versions(&mut self.read().await?.conn()).await
    }

    async fn risk_decision(&self, mrn: &str) -> Result<Option<StoredDecision>> {
        decisions::risk_decision(&mut self.read().await?.conn(), mrn).await
    }

    async fn record_outcome(&self, mrn: &str, outcome: StoredOutcome) -> Result<Option<()>> {
        let mrn = mrn.to_owned();
        self.write(move |c| {
            Box::pin(async move { decisions::record_outcome(c, &mrn, outcome).await })
        })
        .await
    }

    async fn tallies(&self, from: Date, to: Date) -> Result<Vec<crate::risk::TallyRow>> {
        crate::ops::tallies::tallies(&mut self.read().await?.conn(), from, to).await
    }

    async fn rebuild_tallies(&self) -> Result<u64> {
        self.write(|c| Box::pin(crate::ops::tallies::rebuild_if_empty(c)))
            .await
    }

    async fn feedback(&self, from: OffsetDateTime, to: OffsetDateTime) -> Result<Vec<FeedbackRow>> {
        decisions::feedback(&mut self.read().await?.conn(), from, to).await
    }

    async fn red_counts(&self, day: Date) -> Result<Vec<(String, u32)>> {
        decisions::red_counts(&mut self.read().await?.conn(), day).await
    }

    async fn recent_declarations(
        &self,
        limit: u32,
    ) -> Result<Vec<(String, tamga_core::Declaration)>> {
        decisions::recent_declarations(&mut self.read().await?.conn(), limit).await
    }

    async fn import_tariff(&self, import: TariffImport) -> Result<()> {
        self.write(|c| Box::pin(reference_data::import_tariff(c, import)))
            .await
    }

    async fn current_tariff(&self) -> Result<Option<TariffImport>> {
        reference_data::current_tariff(&mut self.read().await?.conn()).await
    }

    async fn import_rates(&self, rates: Vec<RateRow>) -> Result<usize> {
        self.write(|c| Box::pin(reference_data::import_rates(c, rates)))
            .await
    }

    async fn rates(&self) -> Result<Vec<RateRow>> {
        reference_data::rates(&mut self.read().await?.conn()).await
    }

    async fn create_party(&self, party: NewParty) -> Result<PartyRecord> {
        self.write(|c| Box::pin(parties::create_party(c, party)))
            .await
    }

    async fn update_party(&self, party: NewParty) -> Result<Option<PartyRecord>> {
        self.write(|c| Box::pin(parties::update_party(c, party)))
            .await
    }

    async fn party(&self, id: &str) -> Result<Option<PartyRecord>> {
        parties::party(&mut self.read().await?.conn(), id).await
    }

    async fn parties(&self, aeo_only: bool) -> Result<Vec<PartyRecord>> {
        parties::parties(&mut self.read().await?.conn(), aeo_only).await
    }

    async fn grant_mandate(&self, mandate: NewMandate) -> Result<GrantOutcome> {
        self.write(|c| Box::pin(parties::grant_mandate(c, mandate)))
            .await
    }

    async fn revoke_mandate(&self, revocation: Revocation) -> Result<RevokeOutcome> {
        self.write(|c| Box::pin(parties::revoke_mandate(c, revocation)))
            .await
    }

    async fn mandates(&self, party: Option<&str>) -> Result<Vec<MandateRecord>> {
        parties::mandates(&mut self.read().await?.conn(), party).await
    }

    async fn mandates_between(
        &self,
        party: &str,
        representative: &str,
    ) -> Result<Vec<MandateRecord>> {
        parties::mandates_between(&mut self.read().await?.conn(), party, representative).await
    }

    async fn set_officer(&self, officer: Officer) -> Result<RosterChange> {
        self.write(|c| Box::pin(roster::set_officer(c, officer)))
            .await
    }

    async fn add_shift(&self, shift: Shift) -> Result<RosterChange> {
        self.write(|c| Box::pin(roster::add_shift(c, shift))).await
    }

    async fn add_conflict(&self, conflict: Conflict) -> Result<RosterChange> {
        self.write(|c| Box::pin(roster::add_conflict(c, conflict)))
            .await
    }

    async fn officers(&self, office: Option<&str>) -> Result<Vec<Officer>> {
        roster::officers(&mut self.read().await?.conn(), office).await
    }

    async fn tasks_of(&self, mrn: &str) -> Result<Vec<ControlTask>> {
        control::tasks_of(&mut self.read().await?.conn(), mrn).await
    }

    async fn task(&self, id: i64) -> Result<Option<ControlTask>> {
        control::task(&mut self.read().await?.conn(), id).await
    }

    async fn task_events(&self, id: i64) -> Result<Vec<TaskEvent>> {
        control::task_events(&mut self.read().await?.conn(), id).await
    }

    async fn task_draws(&self, id: i64) -> Result<Vec<StoredDraw>> {
        control::draws(&mut self.read().await?.conn(), id).await
    }

    async fn replay_draws(&self, id: i64) -> Result<Option<Vec<ReplayedDraw>>> {
        self.write(move |c| Box::pin(control::replay_draws(c, id)))
            .await
    }

    async fn task_step(&self, id: i64, by: &User, step: TaskStep) -> Result<TaskOutcome> {
        let by = by.clone();
        let cache = self.control().await?;
        self.write(move |c| Box::pin(async move { tasks::step(c, &cache, id, &by, step).await }))
            .await
    }

    async fn worklist(&self, user: i64, after: Option<i64>, limit: u32) -> Result<TaskPage> {
        tasks::worklist(&mut self.read().await?.conn(), user, after, limit).await
    }

    async fn office_tasks(&self, query: &TaskQuery) -> Result<TaskPage> {
        tasks::office_tasks(&mut self.read().await?.conn(), query).await
    }

    async fn task_findings(&self, id: i64) -> Result<Option<String>> {
        tasks::findings(&mut self.read().await?.conn(), id).await
    }

    async fn suspend_officer(
        &self,
        officer: i64,
        by: &User,
        suspended: bool,
    ) -> Result<SuspendOutcome> {
        let by = by.clone();
        let officer = tamga_control::UserId(officer);
        self.write(move |c| {
            Box::pin(async move { roster::suspend(c, officer, &by, suspended).await })
        })
        .await
    }

    async fn place_hold(&self, mrn: &str, by: &User, reason: &str) -> Result<Option<HoldRecord>> {
        let (mrn, by, reason) = (mrn.to_owned(), by.clone(), reason.to_owned());
        self.write(move |c| {
            Box::pin(async move { release::place_hold(c, &mrn, &by, &reason).await })
        })
        .await
    }

    async fn lift_hold(&self, mrn: &str, hold: i64, by: &User, reason: &str) -> Result<bool> {
        let (mrn, by, reason) = (mrn.to_owned(), by.clone(), reason.to_owned());
        self.write(move |c| {
            Box::pin(async move { release::lift_hold(c, &mrn, hold, &by, &reason).await })
        })
        .await
    }

    async fn holds(&self, mrn: &str) -> Result<Option<Vec<HoldRecord>>> {
        release::holds(&mut self.read().await?.conn(), mrn).await
    }

    async fn request_sample(&self, sample: NewSample, by: &User) -> Result<SampleOutcome> {
        let by = by.clone();
        self.write(move |c| Box::pin(async move { lab::request(c, sample, &by).await }))
            .await
    }

    async fn sample_step(&self, id: &str, by: &User, step: SampleStep) -> Result<SampleOutcome> {
        let (id, by) = (id.to_owned(), by.clone());
        self.write(move |c| Box::pin(async move { lab::step(c, &id, &by, step).await }))
            .await
    }

    async fn sample(&self, id: &str) -> Result<Option<StoredSample>> {
        lab::load(&mut self.read().await?.conn(), id).await
    }

    async fn lab_queue(
        &self,
        lab: Option<&str>,
        state: Option<&str>,
    ) -> Result<Vec<SampleSummary>> {
        lab::queue(&mut self.read().await?.conn(), lab, state).await
    }

    async fn samples_of(&self, mrn: &str) -> Result<Vec<String>> {
        lab::of_declaration(&mut self.read().await?.conn(), mrn).await
    }

    async fn record_seizure(
        &self,
        seizure: tamga_control::seizure::Seizure,
        by: &User,
        case: Option<&str>,
    ) -> Result<CaseOutcome> {
        let (by, case) = (by.clone(), case.map(str::to_owned));
        self.write(move |c| {
            Box::pin(async move { seizures::record(c, seizure, &by, case.as_deref()).await })
        })
        .await
    }

    async fn seizure(&self, id: i64) -> Result<Option<StoredSeizure>> {
        seizures::seizure(&mut self.read().await?.conn(), id).await
    }

    async fn offence_case(&self, number: &str) -> Result<Option<tamga_control::case::OffenceCase>> {
        seizures::case(&mut self.read().await?.conn(), number).await
    }

    async fn case_step(&self, number: &str, by: &User, step: CaseStep) -> Result<CaseOutcome> {
        let (number, by) = (number.to_owned(), by.clone());
        self.write(move |c| Box::pin(async move { seizures::step(c, &number, &by, step).await }))
            .await
    }

    // --- The web UI's sign-in: passwords and sessions.

    async fn credentials(&self, name: &str) -> Result<Option<crate::web::Credentials>> {
        web::credentials(&mut self.read().await?.conn(), name).await
    }

    async fn set_password(&self, name: &str, hash: &str, must_change: bool) -> Result<bool> {
        let (name, hash) = (name.to_owned(), hash.to_owned());
        self.write(move |c| {
            Box::pin(async move { web::set_password(c, &name, &hash, must_change).await })
        })
        .await
    }

    async fn set_language(&self, user_id: i64, language: &str) -> Result<()> {
        let language = language.to_owned();
        self.write(move |c| Box::pin(async move { web::set_language(c, user_id, &language).await }))
            .await
    }

    async fn open_session(&self, session: crate::web::NewSession) -> Result<()> {
        self.write(|c| Box::pin(web::open_session(c, session)))
            .await
    }

    async fn session(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<crate::web::Session>> {
        web::session(&mut self.read().await?.conn(), id_hash, now).await
    }

    async fn revoke_session(&self, id_hash: &str) -> Result<bool> {
        let id_hash = id_hash.to_owned();
        self.write(move |c| Box::pin(async move { web::revoke_session(c, &id_hash).await }))
            .await
    }

    async fn users(&self, now: OffsetDateTime) -> Result<Vec<crate::web::UserSummary>> {
        web::users(&mut self.read().await?.conn(), now).await
    }

    async fn revoke_sessions_of(&self, user_id: i64, by: &str) -> Result<u64> {
        let by = by.to_owned();
        self.write(move |c| Box::pin(async move { web::revoke_sessions_of(c, user_id, &by).await }))
            .await
    }

    // Attachments.

    async fn add_attachment(&self, upload: crate::attachments::AttachmentRecord) -> Result<()> {
        self.write(move |c| Box::pin(async move { attachments::add(c, &upload).await }))
            .await
    }

    async fn attachment_uploads(
        &self,
        sha256: &str,
    ) -> Result<Vec<crate::attachments::AttachmentRecord>> {
        attachments::uploads(&mut self.read().await?.conn(), sha256).await
    }

    async fn attachment_uses(
        &self,
        sha256: &str,
    ) -> Result<Option<crate::attachments::AttachmentUses>> {
        attachments::uses(&mut self.read().await?.conn(), sha256).await
    }

    // --- The audit log and the server's secrets.

    async fn audit_entries(&self, after: i64, limit: u32) -> Result<Vec<AuditEntry>> {
        audit::entries(&mut self.read().await?.conn(), after, limit).await
    }

    async fn audit_verify(&self, checkpoint: Option<Checkpoint>) -> Result<Verification> {
        self.verify_audit(checkpoint).await
    }

    async fn audit_checkpoint(&self) -> Result<Checkpoint> {
        self.make_checkpoint().await
    }

    async fn latest_checkpoint(&self) -> Result<Option<(OffsetDateTime, Checkpoint)>> {
        audit::latest_checkpoint(&mut self.read().await?.conn()).await
    }

    async fn audit_read(&self, actor: &str, action: &str, object: &str) -> Result<()> {
        let (actor, action, object) = (actor.to_owned(), action.to_owned(), object.to_owned());
        self.write(move |c| {
            Box::pin(async move {
                let change = audit::Change::new(&actor, &action, &object, b"read");
                audit::record(c, change).await
            })
        })
        .await
    }

    async fn selectivity_secret(&self) -> Result<(u32, Vec<u8>)> {
        if let Some(made) = secrets::latest_selectivity(&mut self.read().await?.conn()).await? {
            return Ok(made);
        }
        self.write(|c| Box::pin(secrets::selectivity_secret(c)))
            .await
    }

    async fn selectivity_secret_of(&self, version: u32) -> Result<Option<Vec<u8>>> {
        secrets::selectivity_secret_of(&mut self.read().await?.conn(), version).await
    }

    async fn rotate_selectivity_secret(&self, by: &str) -> Result<u32> {
        let by = by.to_owned();
        self.write(move |c| Box::pin(async move { secrets::rotate_selectivity(c, &by).await }))
            .await
    }

    // --- The Situation Center.

    async fn situation_marker(&self) -> Result<crate::situation::Marker> {
        situation::marker(&mut self.read().await?.conn()).await
    }

    async fn situation(&self, now: time::OffsetDateTime) -> Result<crate::situation::Overview> {
        situation::overview(&mut self.read().await?.conn(), now).await
    }

    async fn situation_of_post(
        &self,
        office: &str,
        now: time::OffsetDateTime,
    ) -> Result<crate::situation::PostDetail> {
        situation::post(&mut self.read().await?.conn(), office, now).await
    }

    // --- ops: API token issue, listing and revocation; personal data retention.

    async fn issue_token(
        &self,
        user_id: i64,
        token_hash: &str,
        by: &str,
    ) -> Result<Option<crate::token::TokenInfo>> {
        let (hash, by) = (token_hash.to_owned(), by.to_owned());
        self.write(move |c| {
            Box::pin(async move { crate::ops::tokens::issue_token(c, user_id, &hash, &by).await })
        })
        .await
    }

    async fn tokens_of(&self, user_id: i64) -> Result<Option<Vec<crate::token::TokenInfo>>> {
        crate::ops::tokens::tokens_of(&mut self.read().await?.conn(), user_id).await
    }

    async fn revoke_token(
        &self,
        user_id: i64,
        token_id: i64,
        by: &str,
    ) -> Result<crate::token::Revocation> {
        let by = by.to_owned();
        self.write(move |c| {
            Box::pin(
                async move { crate::ops::tokens::revoke_token(c, user_id, token_id, &by).await },
            )
        })
        .await
    }

    async fn retention_candidates(
        &self,
        cutoff: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<String>> {
        crate::ops::retention::candidates(&mut self.read().await?.conn(), cutoff, limit).await
    }

    async fn mask_personal_data(
        &self,
        mrn: &str,
        cutoff: OffsetDateTime,
        by: &str,
    ) -> Result<bool> {
        let (mrn, by) = (mrn.to_owned(), by.to_owned());
        self.write(move |c| {
            Box::pin(async move { crate::ops::retention::mask(c, &mrn, cutoff, &by).await })
        })
        .await
    }

    // --- federation: signed messages between the nodes of neighbouring administrations.

    async fn federation_signing_key(&self) -> Result<(Vec<u8>, bool)> {
        if let Some(seed) = federation::existing_key(&mut self.read().await?.conn()).await? {
            return Ok((seed, false));
        }
        self.write(|c| Box::pin(federation::signing_key(c))).await
    }

    async fn federation_enqueue(&self, message: fed::Outgoing, by: &str) -> Result<()> {
        let by = by.to_owned();
        let now = OffsetDateTime::now_utc();
        self.write(move |c| {
            Box::pin(async move { federation::enqueue(c, &message, &by, now).await })
        })
        .await
    }

    async fn federation_due(&self, now_ms: i64, limit: u32) -> Result<Vec<fed::Queued>> {
        federation::due(&mut self.read().await?.conn(), now_ms, limit).await
    }

    async fn federation_settle(&self, id: &str, delivery: fed::Delivery) -> Result<bool> {
        let id = id.to_owned();
        let now = OffsetDateTime::now_utc();
        self.write(move |c| {
            Box::pin(async move { federation::settle(c, &id, &delivery, now).await })
        })
        .await
    }

    async fn federation_receive(&self, message: fed::Incoming) -> Result<fed::Receipt> {
        let now = OffsetDateTime::now_utc();
        self.write(move |c| Box::pin(async move { federation::receive(c, &message, now).await }))
            .await
    }

    async fn federation_refuse(&self, refusal: fed::Refusal) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        self.write(move |c| Box::pin(async move { federation::refuse(c, &refusal, now).await }))
            .await
    }

    async fn federation_refusals(&self, limit: u32) -> Result<Vec<fed::Refusal>> {
        federation::refusals(&mut self.read().await?.conn(), limit).await
    }

    async fn federation_outbox(&self, limit: u32) -> Result<Vec<fed::OutboxEntry>> {
        federation::outbox(&mut self.read().await?.conn(), limit).await
    }

    async fn federation_inbox(&self, kind: Option<&str>, limit: u32) -> Result<Vec<fed::Received>> {
        federation::inbox(&mut self.read().await?.conn(), kind, limit).await
    }

    async fn federation_conversation(
        &self,
        sender: Option<&str>,
        conversation: &str,
    ) -> Result<Vec<fed::Received>> {
        let mut conn = self.read().await?;
        federation::conversation(&mut conn.conn(), sender, conversation).await
    }

    async fn federation_envelope(&self, sender: &str, id: &str) -> Result<Option<String>> {
        federation::envelope(&mut self.read().await?.conn(), sender, id).await
    }

    async fn federation_alerts_received(&self) -> Result<Vec<fed::ReceivedAlert>> {
        federation::alerts_received(&mut self.read().await?.conn()).await
    }

    async fn federation_alerts_sent(&self) -> Result<Vec<fed::SentAlert>> {
        federation::alerts_sent(&mut self.read().await?.conn()).await
    }

    async fn federation_feedback(
        &self,
        message: fed::Outgoing,
        by: &str,
    ) -> Result<fed::FeedbackOutcome> {
        let by = by.to_owned();
        let now = OffsetDateTime::now_utc();
        self.write(move |c| {
            Box::pin(async move { federation::feedback(c, &message, &by, now).await })
        })
        .await
    }

    // --- transit: guarantee accounts and transit movements.

    async fn create_guarantee_account(
        &self,
        new: crate::transit::NewGuaranteeAccount,
        by: &str,
    ) -> Result<Option<crate::transit::GuaranteeAccount>> {
        let by = by.to_owned();
        self.write(move |c| Box::pin(async move { guarantees::create(c, new, &by).await }))
            .await
    }

    async fn guarantee_account(
        &self,
        grn: &str,
    ) -> Result<Option<crate::transit::GuaranteeAccount>> {
        guarantees::read(&mut self.read().await?.conn(), grn).await
    }

    async fn guarantee_with_access_code(
        &self,
        grn: &str,
        access_code: &str,
    ) -> Result<Option<crate::transit::GuaranteeAccount>> {
        guarantees::with_access_code(&mut self.read().await?.conn(), grn, access_code).await
    }

    async fn transit_movement(
        &self,
        mrn: &str,
        holder: Option<(i64, Option<String>)>,
    ) -> Result<Option<crate::transit::Movement>> {
        let holder = holder.as_ref().map(|(u, p)| (*u, p.as_deref()));
        transit::movement(&mut self.read().await?.conn(), mrn, holder).await
    }

    async fn transit_step(
        &self,
        mrn: &str,
        actor: crate::transit::StepActor,
        step: crate::transit::MovementStep,
    ) -> Result<crate::transit::StepOutcome> {
        let mrn = mrn.to_owned();
        self.write(move |c| Box::pin(async move { transit::step(c, &mrn, actor, step).await }))
            .await
    }

    async fn transit_movements(
        &self,
        query: &crate::transit::MovementQuery,
    ) -> Result<Vec<crate::transit::Movement>> {
        transit_view::list(&mut self.read().await?.conn(), query).await
    }

    async fn transit_sweep(
        &self,
        now: OffsetDateTime,
        recovery_after: time::Duration,
    ) -> Result<Vec<(String, tamga_core::transit::lifecycle::StepKind)>> {
        let due = transit_view::due(&mut self.read().await?.conn(), now, recovery_after).await?;
        let mut done = Vec::new();
        for (mrn, kind) in due {
            let step = crate::transit::MovementStep {
                kind,
                office: None,
                detail: crate::transit::StepDetail::default(),
                at: now,
            };
            let actor = crate::transit::StepActor::System;
            // A movement that arrived meanwhile refuses the step under its lock: skipped.
            if let crate::transit::StepOutcome::Done(_) =
                self.transit_step(&mrn, actor, step).await?
            {
                done.push((mrn, kind));
            }
        }
        Ok(done)
    }

    // --- posts: border posts' gate equipment and the crossings it reports.

    async fn create_post_user(&self, user: NewUser, office: &str) -> Result<User> {
        let office = office.to_owned();
        self.write(move |c| {
            Box::pin(async move { posts::create_post_user(c, user, &office).await })
        })
        .await
    }

    async fn post_office(&self, user_id: i64) -> Result<Option<String>> {
        posts::post_office(&mut self.read().await?.conn(), user_id).await
    }

    async fn record_crossing(
        &self,
        new: crate::crossings::NewCrossing,
    ) -> Result<crate::crossings::StoredCrossing> {
        self.write(|c| Box::pin(crossings::record(c, new))).await
    }

    async fn crossing(&self, id: i64) -> Result<Option<crate::crossings::StoredCrossing>> {
        posts::crossing(&mut self.read().await?.conn(), id).await
    }

    async fn crossings(
        &self,
        query: &crate::crossings::CrossingQuery,
    ) -> Result<Vec<crate::crossings::StoredCrossing>> {
        posts::crossings(&mut self.read().await?.conn(), query).await
    }

    // --- transit2: guarantee accounts listed and their ledger.

    async fn guarantee_accounts(
        &self,
        holder: Option<&str>,
    ) -> Result<Vec<crate::transit::GuaranteeAccount>> {
        crate::ops::guarantee_ledger::accounts(&mut self.read().await?.conn(), holder).await
    }

    async fn guarantee_entries(&self, grn: &str) -> Result<Vec<crate::transit::GuaranteeEntry>> {
        crate::ops::guarantee_ledger::entries(&mut self.read().await?.conn(), grn).await
    }

    // --- access: retention of cargo reports, seizures and offence cases

    async fn retention_records(
        &self,
        cutoff: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<crate::RetentionRecord>> {
        let mut read = self.read().await?;
        crate::ops::retention_records::candidates(&mut read.conn(), cutoff, limit).await
    }

    async fn mask_record(
        &self,
        record: crate::RetentionRecord,
        cutoff: OffsetDateTime,
        by: &str,
    ) -> Result<bool> {
        let by = by.to_owned();
        self.write(move |c| {
            Box::pin(
                async move { crate::ops::retention_records::mask(c, record, cutoff, &by).await },
            )
        })
        .await
    }
}
