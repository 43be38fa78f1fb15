//! Per-key statistics: counts and sums over the training rows, with out-of-fold views.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::pack::{self, PackError};

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
#[serde(try_from = "Entries", into = "Entries")]
pub struct KeyTable {
    entries: Vec<(u64, Stat)>,
    slots: Vec<u32>,
    shift: u32,
}

/// The serialised form of a [`KeyTable`]: packed base64 text since model format 2, a list of
/// entries in format 1 (still read).
#[derive(Serialize)]
#[serde(untagged)]
enum Entries {
    Packed(String),
    Listed { entries: Vec<(u64, Stat)> },
}

impl<'de> Deserialize<'de> for Entries {
    // Through a JSON value rather than serde's untagged enums, which cannot read numbers when
    // serde_json keeps arbitrary precision (as it does in this workspace).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Listed {
            entries: Vec<(u64, Stat)>,
        }
        match serde_json::Value::deserialize(deserializer)? {
            serde_json::Value::String(text) => Ok(Entries::Packed(text)),
            other => serde_json::from_value::<Listed>(other)
                .map(|l| Entries::Listed { entries: l.entries })
                .map_err(serde::de::Error::custom),
        }
    }
}

const EMPTY: u32 = u32::MAX;

impl KeyTable {
    /// A table of `entries` (sorted and deduplicated by key here), with its lookup index.
    fn of(mut entries: Vec<(u64, Stat)>) -> Self {
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

    /// The packed form: a flag saying whether every sum is a whole number, the entry count,
    /// then per entry the key (8 bytes), the count and the sum (whole numbers as varints, other
    /// sums as their 8 bytes).
    fn pack(&self) -> String {
        let whole_sums = self
            .entries
            .iter()
            .all(|(_, s)| pack::whole(s.sum).is_some());
        let mut w = pack::Writer::default();
        w.varint(u64::from(whole_sums));
        w.varint(self.entries.len() as u64);
        for (key, stat) in &self.entries {
            w.u64(*key);
            w.varint(pack::whole(stat.n).unwrap_or(0));
            match pack::whole(stat.sum).filter(|_| whole_sums) {
                Some(sum) => w.varint(sum),
                None => w.f64(stat.sum),
            }
        }
        w.text()
    }

    fn unpack(text: &str) -> Result<Self, PackError> {
        let mut r = pack::Reader::of_text(text)?;
        let whole_sums = r.varint()? == 1;
        let count = r.count(10)?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            let key = r.u64()?;
            let n = r.varint()? as f64;
            let sum = if whole_sums {
                r.varint()? as f64
            } else {
                r.f64()?
            };
            entries.push((key, Stat { n, sum }));
        }
        if !r.done() {
            return Err(PackError::Number);
        }
        Ok(Self::of(entries))
    }
}

impl TryFrom<Entries> for KeyTable {
    type Error = PackError;

    fn try_from(entries: Entries) -> Result<Self, PackError> {
        match entries {
            Entries::Packed(text) => Self::unpack(&text),
            Entries::Listed { entries } => Ok(Self::of(entries)),
        }
    }
}

impl From<KeyTable> for Entries {
    fn from(table: KeyTable) -> Self {
        Entries::Packed(table.pack())
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
        KeyTable::of(self.full.iter().map(|(k, s)| (*k, *s)).collect())
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
        // Sums that are not whole numbers keep their exact bits.
        let odd = KeyTable::of(vec![
            (7, Stat { n: 2.0, sum: -0.1 }),
            (3, Stat { n: 1.0, sum: 1e-9 }),
        ]);
        let json = serde_json::to_string(&odd).unwrap();
        assert_eq!(serde_json::from_str::<KeyTable>(&json).unwrap(), odd);
        // Format 1 lists are still read.
        let listed = r#"{"entries":[[3,{"n":1.0,"sum":1e-9}],[7,{"n":2.0,"sum":-0.1}]]}"#;
        assert_eq!(serde_json::from_str::<KeyTable>(listed).unwrap(), odd);
        assert!(serde_json::from_str::<KeyTable>("\"AAAA\"").is_err());
    }
}
