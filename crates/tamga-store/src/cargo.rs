//! Stored cargo reports.

use serde::Serialize;
use tamga_core::cargo::CargoReport;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::records::User;

/// A report to store; `carrier` and the report's reference identify it.
#[derive(Debug, Clone)]
pub struct NewCargoReport {
    pub carrier: String,
    pub report: CargoReport,
    pub by: User,
    pub at: OffsetDateTime,
}

impl NewCargoReport {
    /// A SHA-256 of the report's canonical JSON, to recognise a resubmission.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let canonical = serde_json::to_vec(&self.report).unwrap_or_default();
        hex::encode(Sha256::digest(&canonical))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct StoredCargoReport {
    pub id: i64,
    pub carrier: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    pub report: CargoReport,
}

#[derive(Debug, Clone)]
pub enum CargoOutcome {
    Stored(StoredCargoReport),
    /// The same report again.
    Resubmitted(StoredCargoReport),
    /// The carrier's reference is used by a different report.
    ReferenceTaken {
        id: i64,
    },
}
