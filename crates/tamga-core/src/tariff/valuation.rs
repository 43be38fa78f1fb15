//! Valuation control: reference unit values per HS subheading and origin, and an
//! undervaluation indicator per goods item, for officers and the risk engine.
//!
//! A unit value is the item's customs value in national currency per kilogram of net mass.
//! A reference holds the median and the quartiles of accepted unit values (or imported ones).
//! An item is flagged when its unit value lies below the lower Tukey fence
//! (Q1 − 1.5 × (Q3 − Q1)), or below half the median when the quartiles coincide; a reference
//! built from fewer than [`MIN_SAMPLES`] values never flags.

use std::collections::HashMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::assess::Assessment;
use crate::model::Declaration;

/// Fewer accepted values than this make a reference too thin to flag anything.
pub const MIN_SAMPLES: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reference {
    pub hs6: String,
    pub origin: String,
    pub median: Decimal,
    pub q1: Decimal,
    pub q3: Decimal,
    pub count: i64,
}

impl Reference {
    /// The reference of a sample of unit values, `None` for an empty sample.
    pub fn from_sample(hs6: &str, origin: &str, mut values: Vec<Decimal>) -> Option<Reference> {
        values.sort();
        Some(Reference {
            hs6: hs6.to_owned(),
            origin: origin.to_owned(),
            median: quantile(&values, 1, 2)?,
            q1: quantile(&values, 1, 4)?,
            q3: quantile(&values, 3, 4)?,
            count: i64::try_from(values.len()).unwrap_or(i64::MAX),
        })
    }

    /// Below this unit value an item is flagged.
    pub fn lower_fence(&self) -> Decimal {
        let spread = self.q3 - self.q1;
        if spread.is_zero() {
            self.median / Decimal::TWO
        } else {
            self.q1 - spread * Decimal::new(15, 1)
        }
    }
}

/// The `num/den` quantile of sorted values, interpolating linearly between ranks.
fn quantile(sorted: &[Decimal], num: i64, den: i64) -> Option<Decimal> {
    let last = Decimal::from(sorted.len().checked_sub(1)?);
    let rank = last * Decimal::from(num) / Decimal::from(den);
    let low = rank.floor();
    let index = low.to_usize()?;
    let lower = *sorted.get(index)?;
    let upper = sorted.get(index + 1).copied().unwrap_or(lower);
    Some(lower + (upper - lower) * (rank - low))
}

/// References by (HS6, origin).
#[derive(Debug, Clone, Default)]
pub struct ValuationTable {
    references: HashMap<(String, String), Reference>,
}

impl ValuationTable {
    pub fn insert(&mut self, reference: Reference) {
        self.references
            .insert((reference.hs6.clone(), reference.origin.clone()), reference);
    }

    pub fn get(&self, hs6: &str, origin: &str) -> Option<&Reference> {
        self.references.get(&(hs6.to_owned(), origin.to_owned()))
    }

    pub fn len(&self) -> usize {
        self.references.len()
    }

    pub fn is_empty(&self) -> bool {
        self.references.is_empty()
    }
}

/// One item's declared unit value against its reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Indicator {
    pub sequence: u16,
    pub hs6: String,
    pub origin: Option<String>,
    /// Customs value per kg of net mass, national currency.
    pub unit_value: Decimal,
    pub reference: Option<Reference>,
    /// Unit value divided by the reference median.
    pub ratio: Option<Decimal>,
    pub undervalued: bool,
}

/// The unit value of each assessed item: (sequence, HS6, origin, value per kg).
pub fn unit_values(
    declaration: &Declaration,
    assessment: &Assessment,
) -> Vec<(u16, String, Option<String>, Decimal)> {
    declaration
        .items
        .iter()
        .filter_map(|item| {
            let assessed = assessment
                .items
                .iter()
                .find(|a| a.sequence == item.sequence)?;
            let value = (assessed.customs_value / item.net_mass)
                .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
            Some((
                item.sequence,
                item.commodity_code.hs6().to_owned(),
                item.origin.as_ref().map(ToString::to_string),
                value,
            ))
        })
        .collect()
}

/// Indicators for every assessed item of a declaration.
pub fn indicators(
    declaration: &Declaration,
    assessment: &Assessment,
    table: &ValuationTable,
) -> Vec<Indicator> {
    unit_values(declaration, assessment)
        .into_iter()
        .map(|(sequence, hs6, origin, unit_value)| {
            let reference = origin.as_deref().and_then(|o| table.get(&hs6, o)).cloned();
            let ratio = reference
                .as_ref()
                .filter(|r| !r.median.is_zero())
                .map(|r| (unit_value / r.median).round_dp(4));
            let undervalued = reference
                .as_ref()
                .is_some_and(|r| r.count >= MIN_SAMPLES && unit_value < r.lower_fence());
            Indicator {
                sequence,
                hs6,
                origin,
                unit_value,
                reference,
                ratio,
                undervalued,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    #[test]
    fn quartiles_interpolate() {
        let r = Reference::from_sample("847130", "CN", vec![d(40), d(10), d(30), d(20), d(50)])
            .unwrap();
        assert_eq!((r.q1, r.median, r.q3, r.count), (d(20), d(30), d(40), 5));
        let even = Reference::from_sample("847130", "CN", vec![d(1), d(2), d(3), d(4)]).unwrap();
        assert_eq!(even.median, Decimal::new(25, 1));
        assert!(Reference::from_sample("847130", "CN", Vec::new()).is_none());
    }

    #[test]
    fn the_lower_fence_flags_outliers_only() {
        let r =
            Reference::from_sample("847130", "CN", (0..20).map(|i| d(100 + i)).collect()).unwrap();
        // Q1 104.75, Q3 114.25: the fence is 104.75 - 14.25 = 90.5
        assert_eq!(r.lower_fence(), Decimal::new(905, 1));
        let flat = Reference::from_sample("847130", "CN", vec![d(100); 6]).unwrap();
        assert_eq!(flat.lower_fence(), d(50));
    }
}
