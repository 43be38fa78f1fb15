//! Per-key statistics: counts and sums over the training rows, with out-of-fold views.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How many training rows had a key, and the sum of a quantity over them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub n: f64,
    pub sum: f64,
}

impl Stat {
    fn add(&mut self, value: f64) {
        self.n += 1.0;
        self.sum += value;
    }

    fn minus(self, other: Stat) -> Stat {
        Stat {
            n: self.n - other.n,
            sum: self.sum - other.sum,
        }
    }

    /// The mean shrunk towards `prior` by `smoothing` pseudo-rows.
    pub fn smoothed(self, prior: f64, smoothing: f64) -> f64 {
        (self.sum + prior * smoothing) / (self.n + smoothing)
    }
}

/// A frozen table of statistics. Entries are kept sorted by key (a stable serialised form);
/// lookups go through an open-addressing index rebuilt on load, one or two probes each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "Entries", into = "Entries")]
pub struct KeyTable {
    entries: Vec<(u64, Stat)>,
    slots: Vec<u32>,
    shift: u32,
}

/// The serialised form of a [`KeyTable`].
#[derive(Serialize, Deserialize)]
struct Entries {
    entries: Vec<(u64, Stat)>,
}

const EMPTY: u32 = u32::MAX;

impl From<Entries> for KeyTable {
    fn from(Entries { mut entries }: Entries) -> Self {
        entries.sort_unstable_by_key(|(k, _)| *k);
        entries.dedup_by_key(|(k, _)| *k);
        let bits = (entries.len() * 2)
            .max(8)
            .next_power_of_two()
            .trailing_zeros();
        let mut table = Self {
            slots: vec![EMPTY; 1 << bits],
            shift: 64 - bits,
            entries: Vec::new(),
        };
        for (at, (key, _)) in entries.iter().enumerate() {
            let mut slot = table.home(*key);
            while table.slots.get(slot).is_some_and(|s| *s != EMPTY) {
                slot = (slot + 1) & (table.slots.len() - 1);
            }
            if let Some(s) = table.slots.get_mut(slot) {
                *s = u32::try_from(at).unwrap_or(EMPTY);
            }
        }
        table.entries = entries;
        table
    }
}

impl From<KeyTable> for Entries {
    fn from(table: KeyTable) -> Self {
        Entries {
            entries: table.entries,
        }
    }
}

impl KeyTable {
    /// The first slot to probe for `key` (Fibonacci hashing of the key's high bits).
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The statistic of `key`, zero when the training rows never had it.
    pub fn get(&self, key: u64) -> Stat {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = self.home(key);
        for _ in 0..self.slots.len() {
            let Some(&at) = self.slots.get(slot) else {
                break;
            };
            match self.entries.get(at as usize) {
                Some((k, stat)) if *k == key => return *stat,
                Some(_) => slot = (slot + 1) & mask,
                None => break,
            }
        }
        Stat::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Statistics accumulated per key over all rows and per fold, so that a training row can be
/// described by the rows outside its own fold (no target leakage).
#[derive(Debug)]
pub struct FoldStats {
    full: HashMap<u64, Stat>,
    folds: Vec<HashMap<u64, Stat>>,
}

impl FoldStats {
    /// `keys`, `values` and `fold_of` are parallel, one entry per training row; rows whose
    /// value is not finite are not counted.
    pub fn new(keys: &[u64], values: &[f64], fold_of: &[usize], folds: usize) -> Self {
        let mut full: HashMap<u64, Stat> = HashMap::new();
        let mut per_fold: Vec<HashMap<u64, Stat>> = vec![HashMap::new(); folds.max(1)];
        for ((key, value), fold) in keys.iter().zip(values).zip(fold_of) {
            if !value.is_finite() {
                continue;
            }
            full.entry(*key).or_default().add(*value);
            if let Some(map) = per_fold.get_mut(*fold) {
                map.entry(*key).or_default().add(*value);
            }
        }
        Self {
            full,
            folds: per_fold,
        }
    }

    /// The statistic of `key` over the rows outside `fold`.
    pub fn out_of_fold(&self, key: u64, fold: usize) -> Stat {
        let full = self.full.get(&key).copied().unwrap_or_default();
        let own = self
            .folds
            .get(fold)
            .and_then(|m| m.get(&key))
            .copied()
            .unwrap_or_default();
        full.minus(own)
    }

    /// The statistics over all rows, frozen.
    pub fn table(&self) -> KeyTable {
        let entries: Vec<(u64, Stat)> = self.full.iter().map(|(k, s)| (*k, *s)).collect();
        KeyTable::from(Entries { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_key_and_only_those() {
        let keys: Vec<u64> = (0..1000u64)
            .map(|i| i.wrapping_mul(0x2545_f491_4f6c_dd1d))
            .collect();
        let values: Vec<f64> = (0..1000).map(f64::from).collect();
        let table = FoldStats::new(&keys, &values, &vec![0; 1000], 1).table();
        assert_eq!(table.len(), 1000);
        for (key, value) in keys.iter().zip(&values) {
            assert_eq!(
                table.get(*key),
                Stat {
                    n: 1.0,
                    sum: *value
                }
            );
        }
        assert_eq!(table.get(12345), Stat::default());
        assert_eq!(KeyTable::default().get(1), Stat::default());
        let json = serde_json::to_string(&table).unwrap();
        assert_eq!(serde_json::from_str::<KeyTable>(&json).unwrap(), table);
    }
}
