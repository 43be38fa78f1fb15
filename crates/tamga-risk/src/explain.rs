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
    /// A red decision's claim on the office's red capacity of the day, to be settled by
    /// whoever counts the day's reds ([`crate::selectivity::Capacity`] in memory, or the store
    /// inside the lodgement's transaction). `None` for every other channel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<RedClaim>,
}

/// One red slot asked of an office's daily capacity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedClaim {
    pub office: String,
    /// The office-local day.
    pub day: time::Date,
    /// The day's limit; `None`: unlimited (the red is still counted).
    pub limit: Option<u32>,
    /// Forced, drawn at random for red or above the priority score: counted, never refused.
    pub must: bool,
    /// Whether `limit` leaves out the share of the capacity kept for higher expected revenue
    /// (see [`crate::selectivity::RevenueReserve`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub below_reserve: bool,
}

impl RedClaim {
    /// Whether the claim may be refused at all.
    pub fn refusable(&self) -> bool {
        !self.must && self.limit.is_some()
    }
}

impl Decision {
    /// The same decision when the day's red capacity is reached: yellow, said so in the
    /// explanation, and no claim.
    #[must_use]
    pub fn capacity_reached(mut self) -> Decision {
        self.channel = Channel::Yellow;
        let claim = self.claim.take();
        self.explanation.capacity_limited = true;
        self.explanation.capacity_reserved = claim.is_some_and(|c| c.below_reserve);
        let forced = crate::engine::forced_channel(&self.explanation);
        self.explanation.summary =
            crate::engine::summary(self.channel, self.score, forced, &self.explanation);
        self
    }
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
    /// The draw's key; with the server's secret of `random_secret`, `tamga risk replay-draw`
    /// redoes the draw.
    pub random_key: String,
    /// The version of the server's secret that keyed the draw.
    #[serde(default)]
    pub random_secret: u32,
    /// The random rates the draw was held to.
    #[serde(default)]
    pub random_rates: crate::selectivity::RandomRates,
    /// Set when the office's daily red capacity was reached and the declaration went to yellow.
    pub capacity_limited: bool,
    /// Set with `capacity_limited` when what was left of the capacity is kept for declarations
    /// with more expected revenue at stake.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub capacity_reserved: bool,
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
    /// The duty the assessment puts at risk on the goods items (customs value × duty rate),
    /// in national currency; 0 without an assessment.
    #[serde(default)]
    pub duty_at_stake: f64,
    /// The revenue expected from inspecting: each item's fraud probability × its duty at
    /// stake, summed over the items.
    #[serde(default)]
    pub expected_revenue: f64,
}
