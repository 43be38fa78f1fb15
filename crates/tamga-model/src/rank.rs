//! Ranking for revenue as well as hits.
//!
//! Ranking by the fraud probability finds fraud (precision 0.98 at a 5 % inspection rate on
//! the KCS 2021 Q1 quarter) but on cheap items: the frauds it finds carry 6 % of the duty at
//! stake. Ranking by the expected revenue, probability × duty, finds the duty (0.99) but mostly
//! on clean expensive items (precision 0.33). The [`Priority`] ranks by
//!
//! ```text
//! priority = probability^exponent × (duty + floor × mean duty of the training rows)
//! ```
//!
//! The floor keeps cheap items in the race on their probability alone; the exponent makes an
//! expensive item need a good probability. With the defaults (1.5, 2), chosen on 2020 Q4 with
//! a model trained on 2020 Q1–Q3, 2021 Q1 (model trained on 2020) gives precision 0.86 and
//! revenue 0.88 at 5 %.
//!
//! The frontier is set by the data, not by the blend: among the items carrying the most duty,
//! near-identical rows (same commodity, origin, price and rate, different traders) are fraud
//! about 60 % of the time, so no ranking finds 90 % of the duty without inspecting clean ones.
//! A second head (the same trees trained with rows weighted by their duty, DATE's idea of a
//! revenue-aware task) moved the frontier by less than the noise between quarters, and was left
//! out so scoring stays one forest.

use serde::{Deserialize, Serialize};

/// How [`Priority`] weighs probability against duty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RankParams {
    /// The power of the probability.
    pub exponent: f64,
    /// The duty added to every item's, in multiples of the training rows' mean duty.
    pub floor: f64,
}

impl Default for RankParams {
    fn default() -> Self {
        Self {
            exponent: 1.5,
            floor: 2.0,
        }
    }
}

/// The fitted ranking: the parameters with the floor in currency.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Priority {
    pub exponent: f64,
    /// The floor in the unit of the duty.
    pub floor: f64,
}

impl Priority {
    /// The ranking of `params` for training rows whose mean duty was `mean_duty`.
    pub fn new(params: RankParams, mean_duty: f64) -> Self {
        let mean = if mean_duty.is_finite() {
            mean_duty.max(0.0)
        } else {
            0.0
        };
        Self {
            exponent: params.exponent,
            floor: params.floor * mean,
        }
    }

    /// The priority of an item with fraud `probability` and `duty` at stake; higher first. A
    /// negative or missing duty counts as none.
    pub fn of(&self, probability: f64, duty: f64) -> f64 {
        let duty = if duty.is_finite() { duty.max(0.0) } else { 0.0 };
        unit(probability).powf(self.exponent) * (duty + self.floor)
    }
}

/// A probability in `[0, 1]`, NaN as 0.
fn unit(probability: f64) -> f64 {
    if probability.is_nan() {
        0.0
    } else {
        probability.clamp(0.0, 1.0)
    }
}

/// The revenue expected from inspecting an item: its fraud probability × the duty at stake.
pub fn expected_revenue(probability: f64, duty: f64) -> f64 {
    let duty = if duty.is_finite() { duty.max(0.0) } else { 0.0 };
    unit(probability) * duty
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_keeps_cheap_items_in_the_race() {
        let rank = Priority::new(RankParams::default(), 100.0);
        assert_eq!(rank.floor, 200.0);
        // A sure fraud on a duty-free item outranks a coin toss on a 300-unit one ...
        assert!(rank.of(1.0, 0.0) > rank.of(0.5, 300.0));
        // ... but not a likely fraud on a 2,000-unit one.
        assert!(rank.of(0.8, 2_000.0) > rank.of(1.0, 0.0));
        assert_eq!(rank.of(f64::NAN, 10.0), 0.0);
        assert_eq!(rank.of(1.0, -5.0), 200.0);
        assert_eq!(expected_revenue(0.25, 400.0), 100.0);
        assert_eq!(Priority::new(RankParams::default(), f64::NAN).floor, 0.0);
    }
}
