//! What the party registry stores: registered parties (identifier, name, country, AEO status)
//! and the mandates by which a party lets a representative act for it. Values are checked by
//! [`tamga_core::party`] before they reach the store.

use serde::Serialize;
use time::{Date, OffsetDateTime};

/// A registered party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PartyRecord {
    pub id: String,
    pub name: String,
    pub country: String,
    pub address: Option<String>,
    /// AEOC, AEOS or AEOF; `None` for a party without AEO status.
    pub aeo: Option<String>,
    pub changed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
}

/// A party to register or to change (by its identifier).
#[derive(Debug, Clone)]
pub struct NewParty {
    pub id: String,
    pub name: String,
    pub country: String,
    pub address: Option<String>,
    pub aeo: Option<String>,
    pub by: String,
    pub at: OffsetDateTime,
}

/// A mandate: `party_id` lets `representative_id` act for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MandateRecord {
    pub id: i64,
    pub party_id: String,
    pub representative_id: String,
    /// direct or indirect.
    pub representation: String,
    pub valid_from: Date,
    /// The last day it applies; `None` while it runs until revoked.
    pub valid_until: Option<Date>,
    pub granted_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub granted_at: OffsetDateTime,
    pub revoked_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// A mandate to grant.
#[derive(Debug, Clone)]
pub struct NewMandate {
    pub party_id: String,
    pub representative_id: String,
    pub representation: String,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
    pub by: String,
    pub at: OffsetDateTime,
}

/// What became of a grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted(MandateRecord),
    /// These identifiers are not registered parties.
    UnknownParties(Vec<String>),
    /// A mandate of the same kind between the same parties already covers some of these days.
    Overlaps(MandateRecord),
}

/// A revocation: from `effective` on, the mandate no longer applies.
#[derive(Debug, Clone)]
pub struct Revocation {
    pub party_id: String,
    pub mandate_id: i64,
    pub effective: Date,
    pub by: String,
    pub at: OffsetDateTime,
}

/// What became of a revocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevokeOutcome {
    Revoked(MandateRecord),
    /// It was revoked before; nothing changed.
    AlreadyRevoked(MandateRecord),
    /// No mandate of this id was given by this party.
    Unknown,
}
