//! The one lodgement pipeline. Every declaration — JSON, an EDIFACT CUSDEC, a WCO DM
//! DEC-DMS document, or a file checked by `tamga ingest --dry-run` — goes the same way:
//!
//! intake (bytes and format → drafts, [`intake`]) → parties named by identifier alone filled
//! in from the registry ([`parties`]) → validate → the declarant's rights and a
//! representative's mandate → assess duties → target → store (resubmission and LRN check, the red capacity claim and
//! the insert, in one transaction) → [`Verdict`].
//!
//! The verdict is a domain value; the JSON, CUSRES/CONTRL and DMS notification answers and the
//! dry run's report only render it. The revenue and targeting snapshots are taken once per
//! request ([`Lodger::new`]). A resubmission or a refusal never claims red capacity: the claim
//! is settled by the store after it has recognised the declaration as new, and random draws
//! are pure functions of the declaration's key.

use std::sync::Arc;

use axum::http::StatusCode;
use tamga_control::task::TaskSettings;
use tamga_core::draft::DeclarationDraft;
use tamga_core::refdata::ReferenceData;
use tamga_core::role::Role;
use tamga_core::{Declaration, FieldError};
use tamga_store::{sql::now, DeclarationRecord, LodgeOutcome, Lodgement, Scope, Store, User};
use time::OffsetDateTime;

use crate::error::ApiError;
use crate::revenue::Revenue;
use crate::risk::Risk;
use crate::AppState;

pub mod intake;
mod parties;
mod target;

pub use intake::{Format, IntakeError, Unit};

/// The most declarations one EDIFACT interchange or XML document may carry.
pub const MAX_BATCH: usize = 1000;

/// What became of one declaration.
#[derive(Debug)]
pub enum Verdict {
    /// Accepted now, with the channel the store recorded.
    Accepted(Box<DeclarationRecord>),
    /// The identical declaration was accepted before.
    Resubmitted(Box<DeclarationRecord>),
    /// Dry run: it would be accepted now.
    Valid,
    /// Dry run: the identical declaration was accepted before (MRN when visible).
    WouldResubmit { mrn: Option<String> },
    /// Refused, with every problem.
    Refused(Vec<FieldError>),
    /// The LRN is used by another declaration of the declarant. The MRN is named only to a
    /// caller who may see that declaration.
    LrnTaken {
        detail: String,
        existing_mrn: Option<String>,
    },
}

impl Verdict {
    /// The HTTP status of this verdict alone.
    pub fn status(&self) -> StatusCode {
        match self {
            Verdict::Accepted(_) => StatusCode::CREATED,
            Verdict::Resubmitted(_) | Verdict::Valid | Verdict::WouldResubmit { .. } => {
                StatusCode::OK
            }
            Verdict::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Verdict::LrnTaken { .. } => StatusCode::CONFLICT,
        }
    }

    /// Every problem, for answers that list them per declaration (CUSRES, notifications).
    pub fn problems(&self) -> Vec<FieldError> {
        match self {
            Verdict::Refused(errors) => errors.clone(),
            Verdict::LrnTaken { detail, .. } => {
                vec![FieldError::new("/lrn", "lrn_taken", detail.clone())]
            }
            _ => Vec::new(),
        }
    }
}

/// Whether to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Commit,
    /// Everything but the write: the verdict the server would give now.
    DryRun,
}

/// The pipeline with the snapshots one request uses.
pub struct Lodger {
    store: Arc<dyn Store>,
    reference: &'static ReferenceData,
    revenue: Arc<Revenue>,
    risk: Arc<Risk>,
    control: TaskSettings,
    mode: Mode,
}

impl std::fmt::Debug for Lodger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lodger").field("mode", &self.mode).finish()
    }
}

impl Lodger {
    /// The server's pipeline, with the tariff and targeting snapshots in force now.
    pub fn new(state: &AppState, mode: Mode) -> Lodger {
        let lodger = Lodger::with(
            state.store.clone(),
            state.revenue.get(),
            state.risk.get(),
            mode,
        );
        Lodger {
            control: state.settings.control.clone(),
            ..lodger
        }
    }

    /// A pipeline over given snapshots (the CLI's dry run loads them from the database).
    pub fn with(
        store: Arc<dyn Store>,
        revenue: Arc<Revenue>,
        risk: Arc<Risk>,
        mode: Mode,
    ) -> Lodger {
        Lodger {
            store,
            reference: ReferenceData::embedded(),
            revenue,
            risk,
            control: TaskSettings::default(),
            mode,
        }
    }

    /// Lodges every unit in order. A store failure stops the batch: units before it keep
    /// their verdicts (each is idempotent by LRN, so a resend is safe).
    pub async fn lodge_all(
        &self,
        user: &User,
        units: &[Unit],
    ) -> Result<Vec<Verdict>, tamga_store::StoreError> {
        let mut verdicts = Vec::with_capacity(units.len());
        for unit in units {
            verdicts.push(self.lodge(user, unit).await?);
        }
        Ok(verdicts)
    }

    /// Lodges one unit of an intake.
    pub async fn lodge(
        &self,
        user: &User,
        unit: &Unit,
    ) -> Result<Verdict, tamga_store::StoreError> {
        match &unit.draft {
            Ok(draft) => self.lodge_draft(user, draft).await,
            Err(errors) => Ok(Verdict::Refused(errors.clone())),
        }
    }

    /// Validates, checks, assesses, targets and stores one draft.
    pub async fn lodge_draft(
        &self,
        user: &User,
        draft: &DeclarationDraft,
    ) -> Result<Verdict, tamga_store::StoreError> {
        let at = now();
        let resolved = parties::resolve(self.store.as_ref(), draft).await?;
        let declaration = match self.check(user, resolved, at).await? {
            Ok(declaration) => declaration,
            Err(errors) => return Ok(Verdict::Refused(errors)),
        };
        let assessment = match crate::revenue::assess_declaration(&self.revenue, &declaration, at) {
            Ok(assessment) => assessment,
            Err(errors) => return Ok(Verdict::Refused(errors)),
        };
        let fingerprint = declaration.fingerprint(draft.lodgement_date.is_some());
        if self.mode == Mode::DryRun {
            return self.dry_verdict(user, &declaration, &fingerprint).await;
        }
        let risk = target::decide(
            &self.risk,
            &self.revenue,
            &declaration,
            assessment.as_ref(),
            at,
        );
        let lodgement = Lodgement::new(declaration, fingerprint, user.clone(), at, assessment)
            .with_risk(risk)
            .with_control(self.control.clone());
        self.outcome(user, self.store.lodge(lodgement).await?).await
    }

    /// The declaration as validated, if the caller may lodge it: its parties resolved, then
    /// validation, then the declarant's rights and a representative's mandate.
    async fn check(
        &self,
        user: &User,
        resolved: parties::Resolved<'_>,
        at: OffsetDateTime,
    ) -> Result<Result<Declaration, Vec<FieldError>>, tamga_store::StoreError> {
        let declaration = match tamga_core::validate::validate(&resolved.draft, self.reference, at)
        {
            Ok(declaration) if resolved.unregistered.is_empty() => declaration,
            Ok(_) => return Ok(Err(resolved.unregistered)),
            Err(findings) => return Ok(Err(parties::merge(resolved.unregistered, findings))),
        };
        if let Err(errors) = check_declarant(user, &declaration) {
            return Ok(Err(errors));
        }
        // A mandate's days are the office's days, as the lodgement date is.
        let day = crate::risk::office_day(declaration.customs_office.as_str(), at);
        if let Err(errors) =
            parties::check_mandate(self.store.as_ref(), user, &declaration, day).await?
        {
            return Ok(Err(errors));
        }
        let store = self.store.as_ref();
        let guarantees =
            crate::transit::lodge::check_guarantees(store, &resolved.draft, &declaration).await?;
        Ok(if guarantees.is_empty() {
            Ok(declaration)
        } else {
            Err(guarantees)
        })
    }

    async fn outcome(
        &self,
        user: &User,
        outcome: LodgeOutcome,
    ) -> Result<Verdict, tamga_store::StoreError> {
        Ok(match outcome {
            LodgeOutcome::Accepted(record) => {
                tracing::info!(mrn = %record.mrn, channel = record.channel.as_deref().unwrap_or("-"), "declaration accepted");
                crate::metrics::accepted(
                    record.channel.as_deref(),
                    record.declaration.customs_office.as_str(),
                );
                Verdict::Accepted(record)
            }
            LodgeOutcome::Resubmitted(mut record) => {
                let decision = self.store.risk_decision(&record.mrn).await?;
                record.channel = decision.map(|d| d.channel);
                Verdict::Resubmitted(record)
            }
            LodgeOutcome::LrnTaken { mrn } => self.lrn_taken(user, mrn).await?,
        })
    }

    /// What the store would say, read without writing.
    async fn dry_verdict(
        &self,
        user: &User,
        declaration: &Declaration,
        fingerprint: &str,
    ) -> Result<Verdict, tamga_store::StoreError> {
        let declarant = declaration.declarant.id.as_str();
        let holder = self
            .store
            .lrn_holder(declarant, declaration.lrn.as_str())
            .await?;
        Ok(match holder {
            None => Verdict::Valid,
            Some((mrn, held)) if held == fingerprint => {
                let visible = self.visible(user, &mrn).await?;
                Verdict::WouldResubmit {
                    mrn: visible.then_some(mrn),
                }
            }
            Some((mrn, _)) => self.lrn_taken(user, mrn).await?,
        })
    }

    async fn visible(&self, user: &User, mrn: &str) -> Result<bool, tamga_store::StoreError> {
        let scope = Scope::of(user);
        Ok(self.store.declaration(mrn, &scope).await?.is_some())
    }

    /// The LRN is taken. The MRN is named only to a caller who may see that declaration: a
    /// representative must not learn the MRNs of another broker's declarations.
    async fn lrn_taken(
        &self,
        user: &User,
        mrn: String,
    ) -> Result<Verdict, tamga_store::StoreError> {
        let visible = self.visible(user, &mrn).await?;
        Ok(Verdict::LrnTaken {
            detail: if visible {
                format!("the LRN is already used by declaration {mrn}, with different content")
            } else {
                "the LRN is already used by another declaration of this declarant".to_owned()
            },
            existing_mrn: visible.then_some(mrn),
        })
    }
}

/// Whether this account may lodge at all: its role, and a declarant's party.
pub fn authorise(user: &User) -> Result<(), ApiError> {
    if !user.role.may_lodge() {
        return Err(ApiError::Forbidden(format!(
            "the role {} may not lodge declarations",
            user.role.as_str()
        )));
    }
    if user.role == Role::Declarant && user.party_id.is_none() {
        return Err(ApiError::Forbidden(
            "this declarant account has no party identifier".into(),
        ));
    }
    Ok(())
}

/// A declarant lodges for its own party: as the declarant or as its representative.
fn check_declarant(user: &User, declaration: &Declaration) -> Result<(), Vec<FieldError>> {
    let (Role::Declarant, Some(party)) = (user.role, user.party_id.as_deref()) else {
        return Ok(());
    };
    let representative = declaration.representative.as_ref().map(|p| p.id.as_str());
    if declaration.declarant.id.as_str() == party || representative == Some(party) {
        return Ok(());
    }
    Err(vec![FieldError::new(
        "/declarant/id",
        "not_your_party",
        format!(
            "this account acts for party {party}: it must be the declarant or the representative"
        ),
    )])
}

/// The status of a batch answer (EDIFACT, XML): 422 when any declaration was refused, else 200
/// when any was lodged before, else 201.
pub fn batch_status(verdicts: &[Verdict]) -> StatusCode {
    verdicts
        .iter()
        .map(Verdict::status)
        .fold(StatusCode::CREATED, worse_status)
}

/// The worse of two answers in one batch (any message type): a refusal over a resubmission
/// over an acceptance.
pub(crate) fn worse_status(a: StatusCode, b: StatusCode) -> StatusCode {
    let rank = |s: StatusCode| match s.as_u16() {
        201 => 0,
        200 => 1,
        _ => 2,
    };
    match rank(a).max(rank(b)) {
        2 => StatusCode::UNPROCESSABLE_ENTITY,
        1 => StatusCode::OK,
        _ => StatusCode::CREATED,
    }
}

/// Refuses batches too large to answer in one response.
pub(crate) fn check_batch_size(count: usize) -> Result<(), IntakeError> {
    if count > MAX_BATCH {
        return Err(IntakeError::TooMany(count));
    }
    Ok(())
}
