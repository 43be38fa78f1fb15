//! What the targeting center stores: versioned documents (profiles, named lists, watchlists,
//! selectivity settings, models), decisions taken at acceptance and inspection outcomes. The
//! documents are JSON the store does not interpret; `tamga-risk` gives them their meaning.

use serde::Serialize;
use time::{Date, OffsetDateTime};

/// The kinds of versioned risk documents.
pub mod kind {
    pub const PROFILE: &str = "profile";
    pub const LIST: &str = "list";
    pub const WATCHLIST: &str = "watchlist";
    pub const SELECTIVITY: &str = "selectivity";
    pub const MODEL: &str = "model";
    /// Which model is active: one document named `active`, versioned like the others.
    pub const MODEL_ACTIVATION: &str = "model-activation";
}

/// What the latest version must be for a new version to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// No version may exist yet.
    New,
    /// The latest version must be this one (optimistic concurrency).
    Version(u32),
    /// Whatever exists.
    Any,
}

/// A new version of a document.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub kind: &'static str,
    pub name: String,
    /// JSON text.
    pub document: String,
    pub expected: Expected,
    pub by: String,
    pub reason: String,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredDocument {
    pub kind: String,
    pub name: String,
    pub version: u32,
    /// JSON text.
    pub document: String,
    pub changed_by: String,
    pub reason: String,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub enum DocumentOutcome {
    Saved(StoredDocument),
    /// The latest version is not the expected one (`None`: there is none).
    Conflict {
        latest: Option<u32>,
    },
}

/// The risk decision stored with a lodgement, in the same commit.
#[derive(Debug, Clone)]
pub struct RiskRecord {
    pub office: String,
    pub channel: String,
    pub score: i64,
    pub random: bool,
    /// The office-local day, for daily capacities.
    pub day: Date,
    /// The explanation, JSON text.
    pub document: String,
    /// The profiles that fired: (id, version).
    pub profiles: Vec<(String, u32)>,
    /// A red decision's claim on the office's red capacity of `day`, settled in the
    /// lodgement's transaction.
    pub claim: Option<CapacityClaim>,
}

/// One red slot asked of an office's daily capacity, and what is stored when it is refused.
#[derive(Debug, Clone)]
pub struct CapacityClaim {
    /// The day's limit; `None`: unlimited (the red is still counted).
    pub limit: Option<u32>,
    /// Counted even past the limit (forced, drawn at random, priority score).
    pub must: bool,
    /// The decision to store instead when the capacity is reached (yellow, said so).
    pub if_reached: Box<RiskRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    pub mrn: String,
    pub channel: String,
    pub score: i64,
    pub random: bool,
    pub decided_at: OffsetDateTime,
    /// The explanation, JSON text.
    pub document: String,
    /// Every recorded inspection outcome, oldest first (JSON text each).
    pub outcomes: Vec<StoredOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOutcome {
    pub recorded_by: String,
    pub recorded_at: OffsetDateTime,
    pub document: String,
}

/// One decided declaration for the feedback statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRow {
    pub mrn: String,
    pub decided_at: OffsetDateTime,
    pub channel: String,
    pub random: bool,
    pub profiles: Vec<(String, u32)>,
    /// The latest inspection outcome, JSON text.
    pub outcome: Option<String>,
}

/// What the recorded outcomes of a subject's decisions add up to (each declaration's latest
/// outcome counted once).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OutcomeCounts {
    pub inspected: i64,
    pub hits: i64,
    pub revenue: rust_decimal::Decimal,
    /// Findings by type, as the outcomes name them.
    pub findings: std::collections::BTreeMap<String, i64>,
}

/// One day's tally of one subject: `kind` is `all` (every decided declaration), `random` (the
/// random selections) or `profile` (with its id in `profile`).
#[derive(Debug, Clone, PartialEq)]
pub struct TallyRow {
    /// The office-local day of decision, `YYYY-MM-DD`.
    pub day: String,
    pub kind: String,
    pub profile: String,
    pub decided: i64,
    pub outcomes: OutcomeCounts,
}
