//! Ranking metrics at an inspection rate, AUC and the revenue proxy.
//!
//! Rows are ranked by score, highest first; equal scores keep their input order, so results
//! are reproducible. Inspecting `k` % of `n` rows means the first `max(1, ⌊n·k/100⌋)` rows.
//!
//! - **precision@k%**: the share of fraud among the inspected rows;
//! - **recall@k%**: the share of all fraud rows that were inspected;
//! - **revenue@k%**: the duty base recovered, Σ item price × tax rate / 100 over the inspected
//!   fraud rows divided by the same sum over all fraud rows. It stands in for the duty at stake,
//!   which the data does not carry: a fraud on a high-value, high-rate item counts for more;
//! - **AUC**: the probability that a random fraud row scores above a random clean row, ties
//!   counting one half (Mann-Whitney with average ranks); NaN (`null` in JSON) without both
//!   classes.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The inspection rates reported, in percent.
pub const RATES: [usize; 4] = [1, 2, 5, 10];

/// A value at each of the [`RATES`]; serialises as `{"1": .., "2": .., "5": .., "10": ..}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct AtRates {
    #[serde(rename = "1")]
    pub at1: f64,
    #[serde(rename = "2")]
    pub at2: f64,
    #[serde(rename = "5")]
    pub at5: f64,
    #[serde(rename = "10")]
    pub at10: f64,
}

impl AtRates {
    fn from_fn(mut f: impl FnMut(usize) -> f64) -> Self {
        Self {
            at1: f(1),
            at2: f(2),
            at5: f(5),
            at10: f(10),
        }
    }

    /// The values in [`RATES`] order.
    pub fn values(&self) -> [f64; 4] {
        [self.at1, self.at2, self.at5, self.at10]
    }
}

/// The evaluation of a model on labelled rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub precision_at: AtRates,
    pub recall_at: AtRates,
    pub auc: f64,
    pub revenue_at: AtRates,
}

/// How many of `n` rows an inspection rate of `percent` % inspects.
pub fn inspected(n: usize, percent: usize) -> usize {
    if n == 0 {
        0
    } else {
        (n * percent / 100).max(1)
    }
}

/// Row indices by descending score, ties in input order (NaN scores last).
pub fn ranking(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let key = |i: &usize| {
        scores
            .get(*i)
            .copied()
            .filter(|s| !s.is_nan())
            .unwrap_or(f64::NEG_INFINITY)
    };
    order.sort_by(|a, b| key(b).total_cmp(&key(a)));
    order
}

/// All metrics for `scores` against `labels`, with `duties` (item price × tax rate / 100) for
/// the revenue proxy; the three slices are parallel.
pub fn compute(scores: &[f64], labels: &[bool], duties: &[f64]) -> Metrics {
    let order = ranking(scores);
    let label = |i: &usize| labels.get(*i).copied().unwrap_or(false);
    let duty = |i: &usize| {
        if label(i) {
            duties.get(*i).copied().unwrap_or(0.0)
        } else {
            0.0
        }
    };
    let frauds = labels.iter().filter(|l| **l).count();
    let total_duty: f64 = (0..labels.len()).map(|i| duty(&i)).sum();
    let top = |percent: usize| order.iter().take(inspected(order.len(), percent));
    let hits = |percent: usize| top(percent).filter(|i| label(i)).count() as f64;
    Metrics {
        precision_at: AtRates::from_fn(|k| ratio(hits(k), inspected(order.len(), k) as f64)),
        recall_at: AtRates::from_fn(|k| ratio(hits(k), frauds as f64)),
        auc: auc(scores, labels),
        revenue_at: AtRates::from_fn(|k| ratio(top(k).map(duty).sum(), total_duty)),
    }
}

fn ratio(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

/// The area under the ROC curve, ties counting one half.
pub fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len().min(labels.len())).collect();
    let score = |i: usize| scores.get(i).copied().unwrap_or(f64::NAN);
    order.sort_by(|a, b| score(*a).total_cmp(&score(*b)));
    let (mut rank_sum, mut positives, mut start) = (0.0, 0usize, 0usize);
    while start < order.len() {
        let value = order.get(start).map_or(f64::NAN, |i| score(*i));
        let end = start
            + order
                .iter()
                .skip(start)
                .take_while(|i| score(**i).total_cmp(&value).is_eq())
                .count();
        let average_rank = (start + 1 + end) as f64 / 2.0;
        let tied_positives = order
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .filter(|i| labels.get(**i).copied().unwrap_or(false))
            .count();
        rank_sum += average_rank * tied_positives as f64;
        positives += tied_positives;
        start = end;
    }
    let negatives = order.len() - positives;
    if positives == 0 || negatives == 0 {
        return f64::NAN;
    }
    let (p, n) = (positives as f64, negatives as f64);
    (rank_sum - p * (p + 1.0) / 2.0) / (p * n)
}

impl fmt::Display for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "inspection rate   precision   recall   revenue")?;
        let columns = [
            self.precision_at.values(),
            self.recall_at.values(),
            self.revenue_at.values(),
        ];
        for (at, rate) in RATES.iter().enumerate() {
            let [p, r, v] = columns.map(|c| c.get(at).copied().unwrap_or(f64::NAN));
            writeln!(f, "{rate:>13} %   {p:>9.3}   {r:>6.3}   {v:>7.3}")?;
        }
        write!(f, "AUC {:.4}", self.auc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_made_scores() {
        // 200 rows; the 4 best scores are rows 0..4, of which rows 0, 1 and 3 are fraud.
        let scores: Vec<f64> = (0..200).map(|i| 1.0 - f64::from(i) / 200.0).collect();
        let mut labels = vec![false; 200];
        for i in [0, 1, 3, 10, 150] {
            labels[i] = true;
        }
        let duties: Vec<f64> = (0..200).map(|i| if i == 150 { 6.0 } else { 1.0 }).collect();
        let m = compute(&scores, &labels, &duties);
        assert_eq!(m.precision_at.at1, 1.0); // top 2: rows 0, 1
        assert_eq!(m.precision_at.at2, 0.75); // top 4
        assert_eq!(m.precision_at.at5, 0.3); // top 10: 0, 1, 3
        assert_eq!(m.precision_at.at10, 0.2); // top 20: 0, 1, 3, 10
        assert_eq!(m.recall_at.at10, 0.8);
        assert_eq!(m.revenue_at.at10, 0.4); // 4 of 10 duty units
                                            // Positives at ranks (ascending) 200, 199, 197, 190, 50 among 195 negatives.
        let expected = (195.0 + 195.0 + 194.0 + 188.0 + 49.0) / (5.0 * 195.0);
        assert!((m.auc - expected).abs() < 1e-12);
    }

    #[test]
    fn ties_count_one_half() {
        assert_eq!(auc(&[0.5, 0.5], &[true, false]), 0.5);
        assert_eq!(
            auc(&[0.1, 0.9, 0.5, 0.5], &[false, true, true, false]),
            0.875
        );
        assert!(auc(&[0.1, 0.2], &[true, true]).is_nan());
    }

    #[test]
    fn serialises_with_rate_keys() {
        let m = compute(&[0.9, 0.1], &[true, false], &[1.0, 1.0]);
        let json = serde_json::to_value(m).unwrap();
        assert_eq!(json["precision_at"]["1"], 1.0);
        assert_eq!(json["recall_at"]["10"], 1.0);
        assert_eq!(json["auc"], 1.0);
    }
}
