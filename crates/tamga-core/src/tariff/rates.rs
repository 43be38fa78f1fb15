//! Exchange rates: units of national currency for one unit of a foreign currency, each valid
//! from a date until the next rate of the same currency (the Central Bank's official rate of
//! the day the declaration is accepted).

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use time::Date;

/// How long a rate stays usable without a newer one (rates are at least monthly).
pub const MAX_AGE_DAYS: i64 = 62;

#[derive(Debug, Clone, Default)]
pub struct ExchangeRates {
    /// The national currency, e.g. UZS; its rate is always 1.
    pub national: String,
    by_currency: HashMap<String, BTreeMap<Date, Decimal>>,
}

impl ExchangeRates {
    pub fn new(national: &str) -> Self {
        Self {
            national: national.to_owned(),
            by_currency: HashMap::new(),
        }
    }

    /// Records that from `valid_from` one `currency` is worth `rate` national units.
    pub fn insert(&mut self, currency: &str, valid_from: Date, rate: Decimal) {
        self.by_currency
            .entry(currency.to_owned())
            .or_default()
            .insert(valid_from, rate);
    }

    /// The rate in force on `date`, if any. A rate older than [`MAX_AGE_DAYS`] is stale and
    /// not used: a missing rate must be imported, not silently carried forward.
    pub fn on(&self, currency: &str, date: Date) -> Option<Decimal> {
        if currency == self.national {
            return Some(Decimal::ONE);
        }
        let rates = self.by_currency.get(currency)?;
        let (from, rate) = rates.range(..=date).next_back()?;
        ((date - *from).whole_days() <= MAX_AGE_DAYS).then_some(*rate)
    }

    pub fn len(&self) -> usize {
        self.by_currency.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_rate_of_the_day_applies() {
        let mut rates = ExchangeRates::new("UZS");
        rates.insert("USD", date!(2026 - 11 - 01), Decimal::new(1_200_000, 2));
        rates.insert("USD", date!(2026 - 11 - 15), Decimal::new(1_210_050, 2));
        assert_eq!(rates.on("USD", date!(2026 - 10 - 31)), None);
        assert_eq!(
            rates.on("USD", date!(2026 - 11 - 14)),
            Some(Decimal::new(1_200_000, 2))
        );
        assert_eq!(
            rates.on("USD", date!(2026 - 11 - 15)),
            Some(Decimal::new(1_210_050, 2))
        );
        assert_eq!(rates.on("UZS", date!(2000 - 01 - 01)), Some(Decimal::ONE));
        assert_eq!(rates.on("EUR", date!(2026 - 11 - 15)), None);
        assert_eq!(
            rates.on("USD", date!(2027 - 01 - 16)),
            Some(Decimal::new(1_210_050, 2))
        );
        assert_eq!(
            rates.on("USD", date!(2027 - 01 - 17)),
            None,
            "stale after 62 days"
        );
    }
}
