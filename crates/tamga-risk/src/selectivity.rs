//! Selectivity: thresholds per office turn a score into a channel; forced channels win; AEO
//! holders get a reduction; seeded random draws per office and channel keep a share of controls
//! unbiased; an optional daily red capacity per office keeps only forced and top scores red.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::profile::Channel;

/// The rules of one office (or the default for offices without their own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeRules {
    /// Scores at or above go yellow.
    pub yellow_at: i64,
    /// Scores at or above go red.
    pub red_at: i64,
    /// Share of declarations drawn at random for each channel (0 to 1).
    #[serde(default)]
    pub random: RandomRates,
    /// Red inspections per day this office can do; `None` for no limit.
    #[serde(default)]
    pub red_capacity_per_day: Option<u32>,
    /// Scores at or above stay red after the capacity is reached (forced reds always do).
    #[serde(default)]
    pub priority_at: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomRates {
    #[serde(default)]
    pub red: f64,
    #[serde(default)]
    pub yellow: f64,
    #[serde(default)]
    pub blue: f64,
}

/// The whole selectivity configuration, versioned like profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selectivity {
    pub default: OfficeRules,
    #[serde(default)]
    pub offices: BTreeMap<String, OfficeRules>,
    /// Points taken off the score of a declaration whose declarant or importer is an AEO.
    pub aeo_reduction: i64,
    /// The named list of parties holding AEO status.
    pub aeo_register: String,
    /// The seed of the random draws; with it and a declaration's key anyone can redo the draw.
    pub random_seed: u64,
    /// Watchlist matches at or above this score are hits.
    pub watchlist_threshold: f64,
    /// Points a watchlist hit adds.
    pub watchlist_weight: i64,
    /// Points per unit of the learned model's score (0 to 1) that the model adds.
    pub model_weight: f64,
}

impl Default for Selectivity {
    fn default() -> Self {
        Self {
            default: OfficeRules {
                yellow_at: 30,
                red_at: 60,
                random: RandomRates {
                    red: 0.01,
                    yellow: 0.02,
                    blue: 0.0,
                },
                red_capacity_per_day: None,
                priority_at: None,
            },
            offices: BTreeMap::new(),
            aeo_reduction: 20,
            aeo_register: "aeo-register".into(),
            random_seed: 0x7a6d_6761_7461_6d67,
            watchlist_threshold: 0.9,
            watchlist_weight: 60,
            model_weight: 50.0,
        }
    }
}

impl Selectivity {
    pub fn rules(&self, office: &str) -> &OfficeRules {
        self.offices.get(office).unwrap_or(&self.default)
    }

    /// Every setting that makes no sense, as (JSON pointer, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.default.problems("/default", &mut out);
        for (office, rules) in &self.offices {
            rules.problems(&format!("/offices/{office}"), &mut out);
        }
        if !(0.0..=1.0).contains(&self.watchlist_threshold) {
            out.push((
                "/watchlist_threshold".into(),
                "must be between 0 and 1".into(),
            ));
        }
        for (name, points) in [
            ("aeo_reduction", self.aeo_reduction),
            ("watchlist_weight", self.watchlist_weight),
        ] {
            if !(0..=1000).contains(&points) {
                out.push((format!("/{name}"), "must be from 0 to 1000 points".into()));
            }
        }
        if !self.model_weight.is_finite() || self.model_weight.abs() > 1e6 {
            out.push((
                "/model_weight".into(),
                "must be a number within ±1,000,000".into(),
            ));
        }
        out
    }

    /// The channel a random draw selects for `key` at `office`, most severe first.
    pub fn random_draw(&self, office: &str, key: &str) -> Option<Channel> {
        let rates = self.rules(office).random;
        [
            (Channel::Red, rates.red),
            (Channel::Yellow, rates.yellow),
            (Channel::Blue, rates.blue),
        ]
        .into_iter()
        .find(|(channel, rate)| uniform(self.random_seed, key, *channel) < *rate)
        .map(|(channel, _)| channel)
    }
}

impl OfficeRules {
    fn problems(&self, at: &str, out: &mut Vec<(String, String)>) {
        if self.yellow_at > self.red_at {
            out.push((format!("{at}/yellow_at"), "must not be above red_at".into()));
        }
        for (name, rate) in [
            ("red", self.random.red),
            ("yellow", self.random.yellow),
            ("blue", self.random.blue),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                out.push((
                    format!("{at}/random/{name}"),
                    "must be a share between 0 and 1".into(),
                ));
            }
        }
    }
}

/// A number in [0, 1) drawn from the seed, the declaration's key and the channel: SplitMix64
/// over FNV-1a, so the draw is the same on every machine and in every version.
pub fn uniform(seed: u64, key: &str, channel: Channel) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes().chain(channel.as_str().bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut z = seed ^ h;
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// Red inspections granted per office and day, counted in memory: for one process (tests,
/// benchmarks, tools). Servers count in the store, inside each lodgement's transaction, so
/// that every server on one database shares the count and a restart keeps it.
#[derive(Debug, Default)]
pub struct Capacity {
    used: Mutex<HashMap<(String, Date), u32>>,
}

impl Capacity {
    /// Starts from counts already used (read back from stored decisions at start-up).
    pub fn with_used(used: impl IntoIterator<Item = (String, Date, u32)>) -> Self {
        let map = used.into_iter().map(|(o, d, n)| ((o, d), n)).collect();
        Self {
            used: Mutex::new(map),
        }
    }

    /// Settles a red claim: counts it and says whether the day's limit allowed it.
    pub fn take(&self, claim: &crate::explain::RedClaim) -> bool {
        let (office, day) = (claim.office.as_str(), claim.day);
        let (limit, force) = (claim.limit, claim.must);
        let mut used = match self.used.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        used.retain(|(_, d), _| *d >= day.previous_day().unwrap_or(day));
        let count = used.entry((office.to_owned(), day)).or_insert(0);
        if force || limit.is_none_or(|limit| *count < limit) {
            *count += 1;
            true
        } else {
            false
        }
    }
}
