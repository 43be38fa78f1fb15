//! Durable storage for tamga behind one trait, [`Store`], implemented once by [`SqlStore`]
//! on two backends: SQLite ([`sqlite::SqliteStore::open`], the embedded default: one WAL-mode
//! file in the data directory, durable `synchronous=FULL` commits grouped by a single writer
//! task) and PostgreSQL ([`postgres::PgStore::connect`], for deployments where several
//! `tamga serve` processes share one database). Each backend has its own `migrations/`
//! folder, applied at start-up. Every operation is written once, in `ops`, over a connection
//! of either backend.
//!
//! ```no_run
//! # async fn demo() -> Result<(), tamga_store::StoreError> {
//! let store = tamga_store::connect(&tamga_store::Location::SqliteDir("./tamga-data".into())).await?;
//! println!("{} users", store.user_count().await?);
//! # Ok(()) }
//! ```

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;

pub mod advance;
pub mod attachments;
pub mod audit;
#[cfg(feature = "bench-knobs")]
pub mod bench_knobs;
mod candidates;
pub mod cargo;
mod conn;
pub mod control;
pub mod crossings;
pub mod federation;
pub mod lab;
mod ops;
pub mod parties;
pub mod postgres;
mod records;
mod revenue;
pub mod risk;
mod roster_cache;
mod rows;
mod script;
pub mod situation;
pub mod sql;
mod sql_store;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
pub mod token;
pub mod transit;
pub mod web;

pub use ops::retention_records::RetentionRecord;
pub use records::*;
pub use revenue::*;
pub use sql_store::SqlStore;

/// Errors of the storage layer. Business outcomes (a duplicate LRN, a refused transition) are
/// values of the result types, not errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("{0} already exists")]
    Conflict(String),
    #[error("the MRN could not be assigned: {0}")]
    Mrn(String),
    #[error("the database writer has stopped")]
    WriterGone,
    #[error("the write was rolled back: {0}")]
    NotWritten(String),
    #[error("cannot prepare the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The actor of what tamga does by itself (acceptance, the assessment at acceptance).
pub const SYSTEM_ACTOR: &str = "tamga";

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where the data lives.
#[derive(Debug, Clone)]
pub enum Location {
    /// `tamga.db` inside this directory, created on first use.
    SqliteDir(PathBuf),
    /// A `postgres://` URL.
    Postgres(String),
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is, for logs and `/readyz`.
    fn backend(&self) -> &'static str;

    /// Fails unless the database answers.
    async fn ping(&self) -> Result<()>;

    async fn user_count(&self) -> Result<i64>;

    /// Creates a user holding one API token, given by its hash. A used name is a `Conflict`.
    async fn create_user(&self, user: NewUser) -> Result<User>;

    /// Creates a user as `create_user` does, recorded in the audit log as `by`'s act.
    async fn create_user_as(&self, user: NewUser, by: &str) -> Result<User>;

    /// Gives user `user_id` a new role and party (recorded in the audit log as `by`'s act); it
    /// applies to the user's next request. `None` when there is no such user.
    async fn set_role(
        &self,
        user_id: i64,
        role: tamga_core::role::Role,
        party_id: Option<&str>,
        by: &str,
    ) -> Result<Option<User>>;

    async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>>;

    /// The user with this name (for the command line), if any.
    async fn user_by_name(&self, name: &str) -> Result<Option<User>>;

    /// Accepts a validated declaration, or recognises a resubmission of its LRN. The MRN is
    /// assigned and everything is committed durably before this returns.
    async fn lodge(&self, lodgement: Lodgement) -> Result<LodgeOutcome>;

    /// The (MRN, fingerprint) of the declaration holding a declarant's LRN, read without
    /// writing (dry runs; [`Store::lodge`] checks again in its transaction).
    async fn lrn_holder(&self, declarant: &str, lrn: &str) -> Result<Option<(String, String)>>;

    /// One declaration with its history, if it exists and `scope` may see it.
    async fn declaration(&self, mrn: &str, scope: &Scope) -> Result<Option<DeclarationRecord>>;

    /// Declarations matching `query` that `scope` may see, newest first.
    async fn list(&self, query: &ListQuery, scope: &Scope) -> Result<Page>;

    /// Moves a declaration along its lifecycle, appending to its history. Release is refused
    /// while the latest assessment is not paid or guaranteed.
    async fn transition(
        &self,
        mrn: &str,
        scope: &Scope,
        change: StatusChange,
    ) -> Result<TransitionOutcome>;

    /// Every assessment version of a declaration `scope` may see (`None`: not visible).
    async fn assessments(&self, mrn: &str, scope: &Scope) -> Result<Option<Vec<AssessmentRecord>>>;

    /// The balance of a declaration (`None`: not visible; inner `None`: never assessed).
    async fn balance(&self, mrn: &str, scope: &Scope) -> Result<Option<Option<Balance>>>;

    /// Records a payment or guarantee and returns the new balance (as for [`Store::balance`]).
    async fn record_payment(
        &self,
        mrn: &str,
        scope: &Scope,
        payment: NewPayment,
    ) -> Result<Option<Option<Balance>>>;

    /// A registered party's advance account (`None`: not registered).
    async fn advance_account(&self, party: &str) -> Result<Option<advance::AdvanceAccount>>;

    /// Credits a deposit from the bank statement to a registered party's advance account
    /// (`None`: not registered); a payment order credited before is a `Conflict`.
    async fn advance_deposit(
        &self,
        party: &str,
        deposit: advance::NewDeposit,
    ) -> Result<Option<advance::AdvanceEntry>>;

    /// Pays a declaration `scope` may see from the payer's advance account.
    async fn pay_from_advance(
        &self,
        mrn: &str,
        scope: &Scope,
        payment: advance::AdvancePayment,
    ) -> Result<advance::PaidFromAdvance>;

    /// Records a re-assessment as the next version and returns it with the new balance
    /// (`None`: not visible).
    async fn add_assessment(
        &self,
        mrn: &str,
        scope: &Scope,
        assessment: NewAssessment,
    ) -> Result<Option<Reassessed>>;

    /// Unit values of accepted items, grouped by (HS6, origin): the history references are
    /// built from.
    async fn unit_value_samples(&self)
        -> Result<Vec<(String, String, Vec<rust_decimal::Decimal>)>>;

    /// Adds or replaces valuation references; `source` says where they come from.
    async fn save_references(
        &self,
        references: Vec<tamga_core::tariff::valuation::Reference>,
        source: &str,
    ) -> Result<usize>;

    /// Every valuation reference.
    async fn references(&self) -> Result<Vec<tamga_core::tariff::valuation::Reference>>;

    /// Stores a cargo report, or recognises it again by carrier and reference.
    async fn save_cargo_report(&self, report: cargo::NewCargoReport)
        -> Result<cargo::CargoOutcome>;

    /// One cargo report.
    async fn cargo_report(&self, id: i64) -> Result<Option<cargo::StoredCargoReport>>;

    /// Cargo reports, newest first, before the id `before` when given, of one carrier when
    /// given.
    async fn cargo_reports(
        &self,
        carrier: Option<&str>,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<cargo::StoredCargoReport>>;

    /// Writes the next version of a risk document if the latest version is as `expected`.
    async fn save_document(&self, document: risk::NewDocument) -> Result<risk::DocumentOutcome>;

    /// Documents of `kind` (only `name` when given): the latest version of each, or every
    /// version oldest first when `all_versions`.
    async fn documents(
        &self,
        kind: &str,
        name: Option<&str>,
        all_versions: bool,
    ) -> Result<Vec<risk::StoredDocument>>;

    /// (kind, name, latest version) of every risk document: a cheap signature of what the
    /// engine was built from.
    async fn document_versions(&self) -> Result<Vec<(String, String, u32)>>;

    /// The risk decision taken at acceptance, with the inspection outcomes recorded since.
    async fn risk_decision(&self, mrn: &str) -> Result<Option<risk::StoredDecision>>;

    /// Records an inspection outcome; `None` when no declaration has this MRN.
    async fn record_outcome(&self, mrn: &str, outcome: risk::StoredOutcome) -> Result<Option<()>>;

    /// The maintained hit-rate tallies of the office-local days `from..=to`.
    async fn tallies(&self, from: time::Date, to: time::Date) -> Result<Vec<risk::TallyRow>>;

    /// Builds the tallies from the stored decisions and outcomes when none are kept yet (a
    /// database from before they were); returns how many decisions it counted.
    async fn rebuild_tallies(&self) -> Result<u64>;

    /// Decisions taken in `[from, to)` with their latest outcomes (training rows).
    async fn feedback(
        &self,
        from: time::OffsetDateTime,
        to: time::OffsetDateTime,
    ) -> Result<Vec<risk::FeedbackRow>>;

    /// Red decisions counted per office on `day` (the shared daily red capacity's use).
    async fn red_counts(&self, day: time::Date) -> Result<Vec<(String, u32)>>;

    /// The latest accepted declarations, newest first, for dry runs of profiles.
    async fn recent_declarations(
        &self,
        limit: u32,
    ) -> Result<Vec<(String, tamga_core::Declaration)>>;

    /// Stores an imported tariff file; the latest one is in force.
    async fn import_tariff(&self, import: TariffImport) -> Result<()>;

    /// The tariff file in force, if one was imported.
    async fn current_tariff(&self) -> Result<Option<TariffImport>>;

    /// Puts a user (an officer or a supervisor) in a section and group of an office.
    async fn set_officer(
        &self,
        officer: tamga_control::allocation::Officer,
    ) -> Result<control::RosterChange>;

    /// Adds a shift of an officer of a section.
    async fn add_shift(
        &self,
        shift: tamga_control::allocation::Shift,
    ) -> Result<control::RosterChange>;

    /// Records that an officer is linked to a party (never drawn for its declarations).
    async fn add_conflict(
        &self,
        conflict: tamga_control::allocation::Conflict,
    ) -> Result<control::RosterChange>;

    /// The officers of an office's sections (every office when `None`).
    async fn officers(
        &self,
        office: Option<&str>,
    ) -> Result<Vec<tamga_control::allocation::Officer>>;

    /// The control tasks of a declaration, oldest first.
    async fn tasks_of(&self, mrn: &str) -> Result<Vec<tamga_control::task::ControlTask>>;

    async fn task(&self, id: i64) -> Result<Option<tamga_control::task::ControlTask>>;

    /// A task's history, oldest first.
    async fn task_events(&self, id: i64) -> Result<Vec<control::TaskEvent>>;

    /// The draws recorded for a task, oldest first.
    async fn task_draws(&self, id: i64) -> Result<Vec<control::StoredDraw>>;

    /// Redoes a task's recorded draws with the server's secret, which never leaves the store
    /// (`None`: no such task).
    async fn replay_draws(&self, id: i64) -> Result<Option<Vec<control::ReplayedDraw>>>;

    /// Takes a step on a control task as `by` (the API decides which roles may ask for it).
    async fn task_step(
        &self,
        id: i64,
        by: &User,
        step: control::TaskStep,
    ) -> Result<control::TaskOutcome>;

    /// A page of the tasks allocated to an officer as examiner or chief, newest first, after
    /// the task `after` (a page's `next_after`).
    async fn worklist(
        &self,
        user: i64,
        after: Option<i64>,
        limit: u32,
    ) -> Result<control::TaskPage>;

    /// A page of an office's tasks (every office's when none is named), newest first, in one
    /// state when given.
    async fn office_tasks(&self, query: &control::TaskQuery) -> Result<control::TaskPage>;

    /// The findings recorded when a task was completed (JSON text).
    async fn task_findings(&self, id: i64) -> Result<Option<String>>;

    /// Suspends an examiner (or lifts it) as `by`; refused while their tasks are open.
    async fn suspend_officer(
        &self,
        officer: i64,
        by: &User,
        suspended: bool,
    ) -> Result<control::SuspendOutcome>;

    /// Places a hold on a declaration's goods (`None`: no such declaration).
    async fn place_hold(
        &self,
        mrn: &str,
        by: &User,
        reason: &str,
    ) -> Result<Option<control::HoldRecord>>;

    /// Lifts a hold in force; false when there is no such hold in force.
    async fn lift_hold(&self, mrn: &str, hold: i64, by: &User, reason: &str) -> Result<bool>;

    /// Every hold of a declaration (`None`: no such declaration).
    async fn holds(&self, mrn: &str) -> Result<Option<Vec<control::HoldRecord>>>;

    /// Requests a sample from a control task (its examiner, during the control).
    async fn request_sample(&self, sample: lab::NewSample, by: &User)
        -> Result<lab::SampleOutcome>;

    /// Takes a step on a sample as `by` (the API decides which roles may ask for it).
    async fn sample_step(
        &self,
        id: &str,
        by: &User,
        step: lab::SampleStep,
    ) -> Result<lab::SampleOutcome>;

    async fn sample(&self, id: &str) -> Result<Option<lab::StoredSample>>;

    /// A laboratory's queue (every lab when `None`), in one state when given.
    async fn lab_queue(
        &self,
        lab: Option<&str>,
        state: Option<&str>,
    ) -> Result<Vec<lab::SampleSummary>>;

    /// The ids of the samples taken from a declaration.
    async fn samples_of(&self, mrn: &str) -> Result<Vec<String>>;

    /// Records a seizure that opens a new offence case, or joins the case numbered `case`.
    async fn record_seizure(
        &self,
        seizure: tamga_control::seizure::Seizure,
        by: &User,
        case: Option<&str>,
    ) -> Result<lab::CaseOutcome>;

    async fn seizure(&self, id: i64) -> Result<Option<lab::StoredSeizure>>;

    async fn offence_case(&self, number: &str) -> Result<Option<tamga_control::case::OffenceCase>>;

    /// A note or a state change on an offence case.
    async fn case_step(
        &self,
        number: &str,
        by: &User,
        step: lab::CaseStep,
    ) -> Result<lab::CaseOutcome>;

    /// Adds or replaces exchange rates; returns how many rows were written.
    async fn import_rates(&self, rates: Vec<RateRow>) -> Result<usize>;

    /// Every stored exchange rate.
    async fn rates(&self) -> Result<Vec<RateRow>>;

    /// Registers a party; a registered identifier is a `Conflict`.
    async fn create_party(&self, party: parties::NewParty) -> Result<parties::PartyRecord>;

    /// Changes a registered party (`None`: not registered).
    async fn update_party(&self, party: parties::NewParty) -> Result<Option<parties::PartyRecord>>;

    async fn party(&self, id: &str) -> Result<Option<parties::PartyRecord>>;

    /// Registered parties by identifier; only those with AEO status when `aeo_only`.
    async fn parties(&self, aeo_only: bool) -> Result<Vec<parties::PartyRecord>>;

    /// Grants a mandate between two registered parties unless one of the same kind overlaps.
    async fn grant_mandate(&self, mandate: parties::NewMandate) -> Result<parties::GrantOutcome>;

    /// Revokes a mandate a party gave: it stops applying on the revocation's effective day.
    async fn revoke_mandate(
        &self,
        revocation: parties::Revocation,
    ) -> Result<parties::RevokeOutcome>;

    /// Mandates a party gave or holds (every mandate for `None`), oldest first.
    async fn mandates(&self, party: Option<&str>) -> Result<Vec<parties::MandateRecord>>;

    /// The mandates `party` gave `representative`, oldest first (the lodgement's check).
    async fn mandates_between(
        &self,
        party: &str,
        representative: &str,
    ) -> Result<Vec<parties::MandateRecord>>;

    // --- The web UI's sign-in: passwords and sessions.

    /// The user named `name` with their password hash, for the login form.
    async fn credentials(&self, name: &str) -> Result<Option<web::Credentials>>;

    /// Sets a user's Argon2id password hash and revokes their sessions; `false` for no such user.
    async fn set_password(&self, name: &str, hash: &str, must_change: bool) -> Result<bool>;

    /// Stores the UI language a user chose.
    async fn set_language(&self, user_id: i64, language: &str) -> Result<()>;

    /// Opens a web session.
    async fn open_session(&self, session: web::NewSession) -> Result<()>;

    /// The session in force with this cookie hash at `now` (expired and revoked ones are `None`).
    async fn session(
        &self,
        id_hash: &str,
        now: time::OffsetDateTime,
    ) -> Result<Option<web::Session>>;

    /// Revokes a session; `false` when it was not in force.
    async fn revoke_session(&self, id_hash: &str) -> Result<bool>;

    /// Revokes every session of a user (`by` names who, for the audit log); how many were in force.
    async fn revoke_sessions_of(&self, user_id: i64, by: &str) -> Result<u64>;

    /// Every user with their password state and the sessions open at `now`.
    async fn users(&self, now: time::OffsetDateTime) -> Result<Vec<web::UserSummary>>;

    // Attachments (their bytes are files the API keeps; these are the rows about them).

    /// Records an upload of a content by a user (again: nothing changes).
    async fn add_attachment(&self, upload: attachments::AttachmentRecord) -> Result<()>;

    /// The uploads of a content, the first first; empty when it was never uploaded.
    async fn attachment_uploads(&self, sha256: &str) -> Result<Vec<attachments::AttachmentRecord>>;

    /// A content's uploads and the tasks and seizures that refer to it (`None`: never uploaded).
    async fn attachment_uses(&self, sha256: &str) -> Result<Option<attachments::AttachmentUses>>;

    // The audit log and the server's secrets.

    /// Audit entries after `after` (their `id`), oldest first: the auditor's view.
    async fn audit_entries(&self, after: i64, limit: u32) -> Result<Vec<audit::AuditEntry>>;

    /// Recomputes every chain of the audit log and names its first broken link; with a
    /// checkpoint, also holds the log to the heads it signed.
    async fn audit_verify(
        &self,
        checkpoint: Option<audit::Checkpoint>,
    ) -> Result<audit::Verification>;

    /// Signs every chain's head with the node's Ed25519 key (made at first use), stores the
    /// checkpoint and returns it.
    async fn audit_checkpoint(&self) -> Result<audit::Checkpoint>;

    /// The latest stored checkpoint and when it was made.
    async fn latest_checkpoint(&self) -> Result<Option<(time::OffsetDateTime, audit::Checkpoint)>>;

    /// Records a read worth auditing (staff reading a risk explanation) as an entry of its own.
    async fn audit_read(&self, actor: &str, action: &str, object: &str) -> Result<()>;

    /// The version and bytes of the secret keying the selectivity draws (made at first use).
    async fn selectivity_secret(&self) -> Result<(u32, Vec<u8>)>;

    /// The selectivity secret of an earlier version, to replay a draw it decided.
    async fn selectivity_secret_of(&self, version: u32) -> Result<Option<Vec<u8>>>;

    /// Makes a new selectivity secret, recorded in the audit log; returns its version.
    async fn rotate_selectivity_secret(&self, by: &str) -> Result<u32>;

    // --- The Situation Center (the supervisor's screen; days are UTC days).

    /// A value that changes with every lodgement, status change, control task event or seizure.
    async fn situation_marker(&self) -> Result<situation::Marker>;

    /// Every post's figures at `now`, and the latest alerts.
    async fn situation(&self, now: time::OffsetDateTime) -> Result<situation::Overview>;

    /// One post's last 24 hours, recent declarations and officers' indicators at `now`.
    async fn situation_of_post(
        &self,
        office: &str,
        now: time::OffsetDateTime,
    ) -> Result<situation::PostDetail>;

    // --- ops: API token issue, listing and revocation; personal data retention.

    /// Gives user `user_id` one more API token (its hash), recorded in the audit log as `by`'s
    /// act; `None` when there is no such user.
    async fn issue_token(
        &self,
        user_id: i64,
        token_hash: &str,
        by: &str,
    ) -> Result<Option<token::TokenInfo>>;

    /// A user's API tokens, oldest first (never their secrets or hashes); `None` when there is
    /// no such user.
    async fn tokens_of(&self, user_id: i64) -> Result<Option<Vec<token::TokenInfo>>>;

    /// Revokes token `token_id` of user `user_id`: at once, for every server on the database.
    async fn revoke_token(
        &self,
        user_id: i64,
        token_id: i64,
        by: &str,
    ) -> Result<token::Revocation>;

    /// MRNs of up to `limit` closed declarations, last changed before `cutoff`, whose personal
    /// data are not masked yet.
    async fn retention_candidates(
        &self,
        cutoff: time::OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<String>>;

    /// Masks the personal data of declaration `mrn` if it is closed, unmasked and last changed
    /// before `cutoff`, with one audit entry; returns whether it did.
    async fn mask_personal_data(
        &self,
        mrn: &str,
        cutoff: time::OffsetDateTime,
        by: &str,
    ) -> Result<bool>;

    // --- federation: signed messages between the nodes of neighbouring administrations.

    /// The federation's Ed25519 key seed (made at first use, audited); `true` when made now.
    async fn federation_signing_key(&self) -> Result<(Vec<u8>, bool)>;

    /// Queues a message for a peer, audited as `federation.send` by `by`.
    async fn federation_enqueue(&self, message: federation::Outgoing, by: &str) -> Result<()>;

    /// Messages due at `now_ms` (Unix milliseconds), each the first unsettled one of its
    /// conversation with its recipient.
    async fn federation_due(&self, now_ms: i64, limit: u32) -> Result<Vec<federation::Queued>>;

    /// Records a delivery attempt's outcome; `false` when the message was settled already.
    async fn federation_settle(&self, id: &str, delivery: federation::Delivery) -> Result<bool>;

    /// Stores an admitted message once (a replay is recorded as a refusal).
    async fn federation_receive(
        &self,
        message: federation::Incoming,
    ) -> Result<federation::Receipt>;

    /// Records a refusal the inbox gave.
    async fn federation_refuse(&self, refusal: federation::Refusal) -> Result<()>;

    /// The latest refusals, newest first.
    async fn federation_refusals(&self, limit: u32) -> Result<Vec<federation::Refusal>>;

    /// The outbox, newest first.
    async fn federation_outbox(&self, limit: u32) -> Result<Vec<federation::OutboxEntry>>;

    /// Messages received (of one type, or all), in the order received.
    async fn federation_inbox(
        &self,
        kind: Option<&str>,
        limit: u32,
    ) -> Result<Vec<federation::Received>>;

    /// Messages received in a conversation (from one sender, or any), in the order received.
    async fn federation_conversation(
        &self,
        sender: Option<&str>,
        conversation: &str,
    ) -> Result<Vec<federation::Received>>;

    /// The envelope of a received message as it arrived.
    async fn federation_envelope(&self, sender: &str, id: &str) -> Result<Option<String>>;

    /// Alerts received, newest first, with the feedback given on each.
    async fn federation_alerts_received(&self) -> Result<Vec<federation::ReceivedAlert>>;

    /// Alerts sent, newest first, with the feedback received on each.
    async fn federation_alerts_sent(&self) -> Result<Vec<federation::SentAlert>>;

    /// Queues feedback on a received alert (recipient: its sender; conversation: its id), once.
    async fn federation_feedback(
        &self,
        message: federation::Outgoing,
        by: &str,
    ) -> Result<federation::FeedbackOutcome>;

    // --- transit: guarantee accounts and transit movements (NCTS phase 5).

    /// Opens a guarantee account whose balance is its reference amount; `None` when the GRN
    /// is taken.
    async fn create_guarantee_account(
        &self,
        new: transit::NewGuaranteeAccount,
        by: &str,
    ) -> Result<Option<transit::GuaranteeAccount>>;

    /// A guarantee account with its balance (customs staff).
    async fn guarantee_account(&self, grn: &str) -> Result<Option<transit::GuaranteeAccount>>;

    /// A guarantee account if `access_code` is its code (the holder's query, the lodgement's
    /// check of guarantee references).
    async fn guarantee_with_access_code(
        &self,
        grn: &str,
        access_code: &str,
    ) -> Result<Option<transit::GuaranteeAccount>>;

    /// One movement with its history; `holder` (user id, party) limits it to a trader's own.
    async fn transit_movement(
        &self,
        mrn: &str,
        holder: Option<(i64, Option<String>)>,
    ) -> Result<Option<transit::Movement>>;

    /// Takes a step of a movement under a lock on its row; release reserves the guarantees and
    /// write-off restores them in the same commit, with one audit entry.
    async fn transit_step(
        &self,
        mrn: &str,
        actor: transit::StepActor,
        step: transit::MovementStep,
    ) -> Result<transit::StepOutcome>;

    /// Movements by office, state, overdue day, seal discrepancy or holder, newest first.
    async fn transit_movements(
        &self,
        query: &transit::MovementQuery,
    ) -> Result<Vec<transit::Movement>>;

    /// The overdue sweep at `now`: opens an enquiry (the departure office's alert) on every
    /// released movement past its time limit, and starts recovery on every enquiry older than
    /// `recovery_after`, each in its own commit with its audit entry. Returns what it did.
    async fn transit_sweep(
        &self,
        now: time::OffsetDateTime,
        recovery_after: time::Duration,
    ) -> Result<Vec<(String, tamga_core::transit::lifecycle::StepKind)>>;

    // --- posts: border posts' gate equipment and the crossings it reports.

    /// Creates a `post` user (the gate equipment) bound to `office`, with its first token.
    async fn create_post_user(&self, user: NewUser, office: &str) -> Result<User>;

    /// The office a post user stands at (`None` for any other user).
    async fn post_office(&self, user_id: i64) -> Result<Option<String>>;

    /// Matches a crossing with what its post expects, judges it, takes the transit step at an
    /// office of transit or destination, records the arrivals and the crossing, in one commit.
    async fn record_crossing(
        &self,
        new: crossings::NewCrossing,
    ) -> Result<crossings::StoredCrossing>;

    /// One crossing.
    async fn crossing(&self, id: i64) -> Result<Option<crossings::StoredCrossing>>;

    /// Crossings by office and alert, newest first.
    async fn crossings(
        &self,
        query: &crossings::CrossingQuery,
    ) -> Result<Vec<crossings::StoredCrossing>>;

    // --- transit2: guarantee accounts listed and their ledger (`tamga guarantee`).

    /// Every guarantee account, or `holder`'s, in GRN order, with their balances.
    async fn guarantee_accounts(
        &self,
        holder: Option<&str>,
    ) -> Result<Vec<transit::GuaranteeAccount>>;

    /// The reservations and restorations of a guarantee account, oldest first.
    async fn guarantee_entries(&self, grn: &str) -> Result<Vec<transit::GuaranteeEntry>>;

    // --- access: retention of cargo reports and seizures

    /// Up to `limit` each of the unmasked cargo reports received, seizures of closed offence
    /// cases recorded, and closed offence cases opened, before `cutoff` (a declaration's risk
    /// explanation is masked with it).
    async fn retention_records(
        &self,
        cutoff: time::OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<RetentionRecord>>;

    /// Masks the personal data of `record` if it is still unmasked and older than `cutoff`,
    /// with one audit entry; returns whether it did.
    async fn mask_record(
        &self,
        record: RetentionRecord,
        cutoff: time::OffsetDateTime,
        by: &str,
    ) -> Result<bool>;
}

/// Opens (creating and migrating when needed) the store at `location`.
pub async fn connect(location: &Location) -> Result<Arc<dyn Store>> {
    Ok(match location {
        Location::SqliteDir(dir) => Arc::new(sqlite::SqliteStore::open(dir).await?),
        Location::Postgres(url) => Arc::new(postgres::PgStore::connect(url, 16).await?),
    })
}
