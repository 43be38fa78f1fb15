//! Selectivity: thresholds per office turn a score into a channel; forced channels win; AEO
//! holders get a reduction; random draws per office and channel keep a share of controls
//! unbiased; an optional daily red capacity per office keeps only forced and top scores red.
//!
//! A draw is keyed by a secret only the server holds ([`DrawSecret`]), so nobody who can choose
//! an LRN can tell beforehand whether it would be drawn; whoever holds the secret can replay it
//! ([`replay`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
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
    /// The last share of the day's red capacity kept for declarations whose expected revenue
    /// at stake reaches an amount; `None`: slots go first come, first served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_reserve: Option<RevenueReserve>,
}

/// Part of the daily red capacity kept for the declarations where the most duty is at stake:
/// once `1 - share` of the capacity is used, a red whose expected revenue (the model's
/// probability × the duty the assessment puts at risk, summed over the goods items) is below
/// `at` goes yellow. Reds that must stay red (forced, random, priority score) are never
/// refused, so random selections keep their unbiased labels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueReserve {
    /// The share of the capacity kept back, 0 to 1.
    pub share: f64,
    /// The expected revenue, in national currency, that may use the kept slots.
    pub at: f64,
}

impl OfficeRules {
    /// The limit a red claim with `expected_revenue` at stake is held to: the whole capacity,
    /// or without the reserved share when the revenue is below the reserve's amount (and
    /// whether that was so).
    pub fn red_limit(&self, expected_revenue: f64) -> (Option<u32>, bool) {
        let Some(limit) = self.red_capacity_per_day else {
            return (None, false);
        };
        // A revenue that is not a number (no model) is below every reserve.
        let below = |reserve: &RevenueReserve| {
            expected_revenue.partial_cmp(&reserve.at) == Some(std::cmp::Ordering::Less)
                || expected_revenue.is_nan()
        };
        match self.revenue_reserve {
            Some(reserve) if below(&reserve) => {
                let kept = (f64::from(limit) * reserve.share.clamp(0.0, 1.0)).ceil();
                let open = (f64::from(limit) - kept).max(0.0) as u32;
                (Some(open), true)
            }
            _ => (Some(limit), false),
        }
    }
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
    /// No longer used: draws are keyed by the server's secret. Accepted in stored settings of
    /// older versions, refused in new ones, never shown.
    #[serde(default, skip_serializing)]
    pub random_seed: Option<u64>,
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
                revenue_reserve: None,
            },
            offices: BTreeMap::new(),
            aeo_reduction: 20,
            aeo_register: "aeo-register".into(),
            random_seed: None,
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
        if self.random_seed.is_some() {
            out.push((
                "/random_seed".into(),
                "random draws are keyed by the server's secret; leave this setting out".into(),
            ));
        }
        if !self.model_weight.is_finite() || self.model_weight.abs() > 1e6 {
            out.push((
                "/model_weight".into(),
                "must be a number within ±1,000,000".into(),
            ));
        }
        out
    }

    /// The channel a random draw keyed by `secret` selects for `key` at `office`, most severe
    /// first.
    pub fn random_draw(&self, office: &str, key: &str, secret: &DrawSecret) -> Option<Channel> {
        let rates = self.rules(office).random;
        if rates == RandomRates::default() {
            return None;
        }
        rates.select(secret.uniforms(key))
    }
}

impl RandomRates {
    /// The most severe channel whose number falls under its rate.
    fn select(self, [red, yellow, blue]: [f64; 3]) -> Option<Channel> {
        [
            (Channel::Red, red, self.red),
            (Channel::Yellow, yellow, self.yellow),
            (Channel::Blue, blue, self.blue),
        ]
        .into_iter()
        .find(|(_, number, rate)| number < rate)
        .map(|(channel, ..)| channel)
    }
}

/// The server's secret keying the random draws, with its version (recorded in every
/// explanation, so a draw is replayed with the secret that made it after a rotation).
#[derive(Clone)]
pub struct DrawSecret {
    pub version: u32,
    /// The keyed HMAC state, cloned for each draw. (HMAC takes a key of any length, so it is
    /// always there; without it nothing would be drawn.)
    mac: Option<Hmac<Sha256>>,
}

impl DrawSecret {
    pub fn new(version: u32, secret: &[u8]) -> Self {
        let mac = Hmac::<Sha256>::new_from_slice(secret).ok();
        DrawSecret { version, mac }
    }

    /// Three numbers in [0, 1) for the red, yellow and blue draws of `key`: the first 24 bytes
    /// of HMAC-SHA256(secret, key), 53 bits each, the same on every machine and version.
    pub fn uniforms(&self, key: &str) -> [f64; 3] {
        let Some(mut mac) = self.mac.clone() else {
            return [1.0; 3];
        };
        mac.update(key.as_bytes());
        let bytes = mac.finalize().into_bytes();
        let mut out = [0.0; 3];
        for (slot, chunk) in out.iter_mut().zip(bytes.chunks_exact(8)) {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            *slot = (u64::from_be_bytes(word) >> 11) as f64 / (1u64 << 53) as f64;
        }
        out
    }
}

impl Default for DrawSecret {
    /// Version 0, an empty key: for tests and tools, never for a server.
    fn default() -> Self {
        DrawSecret::new(0, &[])
    }
}

impl std::fmt::Debug for DrawSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DrawSecret")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// A draw redone: the three numbers and the channel they select under the recorded rates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replayed {
    pub numbers: [f64; 3],
    pub channel: Option<Channel>,
}

/// Redoes the draw of `key` with `secret` against `rates` (those the explanation recorded).
pub fn replay(secret: &DrawSecret, key: &str, rates: RandomRates) -> Replayed {
    let numbers = secret.uniforms(key);
    Replayed {
        numbers,
        channel: rates.select(numbers),
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
        if let Some(reserve) = self.revenue_reserve {
            if !(0.0..=1.0).contains(&reserve.share) {
                let message = "must be a share between 0 and 1";
                out.push((format!("{at}/revenue_reserve/share"), message.into()));
            }
            if !(reserve.at.is_finite() && reserve.at >= 0.0) {
                let message = "must be an amount of national currency, 0 or more";
                out.push((format!("{at}/revenue_reserve/at"), message.into()));
            }
        }
    }
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
