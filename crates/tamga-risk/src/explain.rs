//! The decision and its explanation, stored with every risk-assessed declaration and shown to
//! officers and analysts, never to the declarant.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::profile::{Channel, Effect};

/// The channel and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub channel: Channel,
    /// The score after the AEO reduction, which the thresholds judged.
    pub score: i64,
    /// Whether a random draw selected the declaration (whatever else selected it too).
    pub random: bool,
    pub explanation: Explanation,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// One sentence for the officer.
    pub summary: String,
    /// Every profile that fired, with the version that fired.
    pub profiles: Vec<FiredProfile>,
    pub watchlist: Vec<PartyHit>,
    /// The learned model's part, when a model is active.
    pub model: Option<ModelPart>,
    /// The score before the AEO reduction.
    pub raw_score: i64,
    /// Points taken off because the declarant or importer is an AEO.
    pub aeo_reduction: i64,
    pub thresholds: Thresholds,
    /// The channel a random draw selected, if any.
    pub random_channel: Option<Channel>,
    /// The draw's inputs, so anyone with the seed can check it.
    pub random_key: String,
    /// Set when the office's daily red capacity was reached and the declaration went to yellow.
    pub capacity_limited: bool,
    /// The engine snapshot that decided.
    pub snapshot: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    pub yellow_at: i64,
    pub red_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiredProfile {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub effect: Effect,
    /// The goods item (its sequence number) on which the condition held first.
    pub item: u16,
    /// The values of the fields the condition reads, as they were on that item.
    pub matched: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyHit {
    /// declarant, importer, exporter or representative; container or vehicle for identifiers.
    pub role: String,
    pub party_id: String,
    pub party_name: String,
    pub entry_id: String,
    pub source: String,
    pub matched_name: String,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelPart {
    pub model: String,
    /// The highest item score (0 to 1) and its item.
    pub score: f64,
    pub item: u16,
    pub contribution: i64,
    /// The features that pushed that item's score most, with their contributions.
    pub top_features: Vec<(String, f64)>,
}
