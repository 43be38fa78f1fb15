//! Crossings reported by border posts' gate equipment: what a caller passes to record one and
//! what it reads back (see [`crate::ops::crossings`]).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::crossing::{Alert, AlertKind, Expected, Finding, Listed, Reading};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::records::User;

/// A crossing to match, judge and record at the post `office`.
#[derive(Debug, Clone)]
pub struct NewCrossing {
    pub office: String,
    /// The post's account that reported it.
    pub by: User,
    pub reading: Reading,
    pub findings: Vec<Finding>,
    /// The plate's and containers' list and watchlist hits (the engine's, found by the caller).
    pub listed: Vec<Listed>,
    /// `[posts] weight_tolerance_percent`.
    pub tolerance_percent: Decimal,
    /// Only what was lodged at or after this time is expected.
    pub expected_since: OffsetDateTime,
    /// When tamga received it.
    pub at: OffsetDateTime,
}

/// What a crossing did to a transit movement it matched: the step asked for and whether it
/// was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransitPassage {
    pub mrn: String,
    /// transit_passage or arrival.
    pub step: String,
    pub taken: bool,
    /// Why not, when it was not (the movement's state, a refusal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A recorded crossing, its matches and its alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StoredCrossing {
    #[serde(default)]
    pub id: i64,
    /// The post (UN/LOCODE of its office).
    pub office: String,
    /// The post account's name.
    pub reported_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
    pub reading: Reading,
    /// Noted, not refused: container numbers whose check digit does not add up.
    pub findings: Vec<Finding>,
    /// The declarations, transit movements and cargo consignments it matched.
    pub matched: Vec<Expected>,
    /// The declarations whose arrival (the Time Release Study's clock) this crossing recorded.
    pub arrivals: Vec<String>,
    pub transit: Vec<TransitPassage>,
    pub listed: Vec<Listed>,
    pub alerts: Vec<Alert>,
}

/// Which crossings to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct CrossingQuery {
    pub office: Option<String>,
    /// Only crossings that raised an alert (`Some(None)`), or an alert of this kind.
    pub alert: Option<Option<AlertKind>>,
    /// Only crossings older than this id (the next page).
    pub before: Option<i64>,
    pub limit: u32,
}
