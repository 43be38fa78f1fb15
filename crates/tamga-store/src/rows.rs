//! Rows as both backends return them, and their conversion into records.

use tamga_core::{role::Role, status::Status, Declaration};
use time::OffsetDateTime;

use crate::records::{DeclarationRecord, Event, Summary, User};
use crate::StoreError;

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UserRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub party_id: Option<String>,
}

impl UserRow {
    pub fn into_user(self) -> Result<User, StoreError> {
        let role = Role::parse(&self.role).ok_or_else(|| {
            StoreError::Corrupt(format!("user {} has role {:?}", self.id, self.role))
        })?;
        Ok(User {
            id: self.id,
            name: self.name,
            role,
            party_id: self.party_id,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ExistingRow {
    pub id: i64,
    pub mrn: String,
    pub fingerprint: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DeclarationRow {
    pub id: i64,
    pub mrn: String,
    pub status: String,
    pub accepted_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub document: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EventRow {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub status: String,
    pub actor: String,
    pub reason: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: i64,
    pub mrn: String,
    pub lrn: String,
    pub declaration_type: String,
    pub status: String,
    pub office: String,
    pub declarant_id: String,
    pub accepted_at: OffsetDateTime,
    pub item_count: i64,
}

pub(crate) fn status(raw: &str) -> Result<Status, StoreError> {
    Status::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown status {raw:?}")))
}

impl DeclarationRow {
    /// The record with its history. Status and time of the last change are taken from the
    /// history, which the row and its events were read from separately: so the two always agree,
    /// even when a change committed between the two reads.
    pub fn into_record(self, events: Vec<EventRow>) -> Result<DeclarationRecord, StoreError> {
        let declaration: Declaration = serde_json::from_str(&self.document)
            .map_err(|e| StoreError::Corrupt(format!("declaration {}: {e}", self.mrn)))?;
        let events: Vec<Event> = events
            .into_iter()
            .map(EventRow::into_event)
            .collect::<Result<_, _>>()?;
        let (status, updated_at) = match events.last() {
            Some(last) => (last.status, last.at),
            None => (status(&self.status)?, self.updated_at),
        };
        Ok(DeclarationRecord {
            status,
            mrn: self.mrn,
            accepted_at: self.accepted_at,
            updated_at,
            declaration,
            events,
            channel: None,
        })
    }
}

impl EventRow {
    fn into_event(self) -> Result<Event, StoreError> {
        Ok(Event {
            seq: self.seq,
            at: self.at,
            status: status(&self.status)?,
            actor: self.actor,
            reason: self.reason,
        })
    }
}

impl SummaryRow {
    pub fn into_summary(self) -> Result<Summary, StoreError> {
        Ok(Summary {
            status: status(&self.status)?,
            mrn: self.mrn,
            lrn: self.lrn,
            declaration_type: self.declaration_type,
            customs_office: self.office,
            declarant_id: self.declarant_id,
            accepted_at: self.accepted_at,
            item_count: self.item_count,
        })
    }
}

/// The two events of an acceptance: lodged, then accepted, by the same actor at the same time.
/// The history written at acceptance: lodged and accepted, then risk-assessed when the
/// lodgement carries a risk decision (the reason names the channel, which the declarant may
/// know; the explanation stays with the decision).
pub(crate) fn acceptance_events(
    actor: &str,
    at: OffsetDateTime,
    risk: Option<&crate::risk::RiskRecord>,
) -> Vec<Event> {
    let event = |seq, status, actor: &str, reason: Option<String>| Event {
        seq,
        at,
        status,
        actor: actor.to_owned(),
        reason,
    };
    // The trader lodges; the system accepts (no officer is involved in acceptance).
    let mut events = vec![
        event(1, Status::Lodged, actor, None),
        event(2, Status::Accepted, crate::SYSTEM_ACTOR, None),
    ];
    if let Some(risk) = risk {
        let reason = format!("selectivity: {} channel", risk.channel);
        events.push(event(
            3,
            Status::RiskAssessed,
            "tamga selectivity",
            Some(reason),
        ));
    }
    events
}

pub(crate) fn decimal(raw: &str) -> Result<rust_decimal::Decimal, StoreError> {
    raw.parse()
        .map_err(|_| StoreError::Corrupt(format!("{raw:?} is not a decimal")))
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AssessmentRow {
    pub version: i64,
    pub assessed_at: OffsetDateTime,
    pub assessed_by: String,
    pub reason: Option<String>,
    pub document: String,
    pub corrections: Option<String>,
}

impl AssessmentRow {
    pub fn into_record(self) -> Result<crate::revenue::AssessmentRecord, StoreError> {
        let assessment = serde_json::from_str(&self.document)
            .map_err(|e| StoreError::Corrupt(format!("assessment {}: {e}", self.version)))?;
        let corrections = match self.corrections.as_deref() {
            Some(text) => Some(serde_json::from_str(text).map_err(|e| {
                StoreError::Corrupt(format!("corrections of assessment {}: {e}", self.version))
            })?),
            None => None,
        };
        Ok(crate::revenue::AssessmentRecord {
            version: self.version,
            assessed_at: self.assessed_at,
            assessed_by: self.assessed_by,
            reason: self.reason,
            corrections,
            assessment,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct LatestAssessmentRow {
    pub version: i64,
    pub currency: String,
    pub total: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PaymentRow {
    pub id: i64,
    pub kind: String,
    pub amount: String,
    pub method: String,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: OffsetDateTime,
}

impl PaymentRow {
    pub fn into_payment(self) -> Result<crate::revenue::Payment, StoreError> {
        let kind = crate::revenue::PaymentKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("payment kind {:?}", self.kind)))?;
        Ok(crate::revenue::Payment {
            id: self.id,
            kind,
            amount: decimal(&self.amount)?,
            method: self.method,
            reference: self.reference,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RateDbRow {
    pub currency: String,
    pub valid_from: time::Date,
    pub rate: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TariffRow {
    pub name: String,
    pub content: String,
    pub imported_at: OffsetDateTime,
    pub imported_by: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UnitValueRow {
    pub hs6: String,
    pub origin: String,
    /// The group's unit values as decimal text, joined by commas.
    pub unit_values: String,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ReferenceRow {
    pub hs6: String,
    pub origin: String,
    pub median: String,
    pub q1: String,
    pub q3: String,
    pub count: i64,
}

impl ReferenceRow {
    pub fn into_reference(self) -> Result<tamga_core::tariff::valuation::Reference, StoreError> {
        Ok(tamga_core::tariff::valuation::Reference {
            median: decimal(&self.median)?,
            q1: decimal(&self.q1)?,
            q3: decimal(&self.q3)?,
            hs6: self.hs6,
            origin: self.origin,
            count: self.count,
        })
    }
}
