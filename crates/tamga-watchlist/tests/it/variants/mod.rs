//! Generated spelling-variant sets for measuring name screening: Uzbek, Russian and
//! Arabic-origin names (see `README.md` in this folder).
//!
//! Each set lists persons as a watchlist would (Uzbek and Russian in Cyrillic, surname, given
//! name, patronymic; Arabic-origin names as given name, father's name, family name), then asks
//! for them with other spellings, orders and fewer names (`positives`), and asks for people
//! who are not listed: the same surname with another given name, the same given name with
//! another surname (`negatives`). Everything follows from the seed names, the rules and a
//! fixed random seed, so every run measures the same queries.

pub mod arabic;
pub mod seeds;
pub mod slavic;
pub mod spell;

use tamga_watchlist::{Entry, EntryKind};

/// The source of the generated entries.
pub const SOURCE: &str = "EVAL";

/// One generated set.
#[derive(Debug, Default)]
pub struct EvalSet {
    pub name: &'static str,
    pub entries: Vec<Entry>,
    /// `(query, id of the entry it must find first)`.
    pub positives: Vec<(String, String)>,
    /// Queries for people who are not listed.
    pub negatives: Vec<String>,
}

impl EvalSet {
    fn list(&mut self, key: usize, name: String) -> String {
        let id = format!("{SOURCE}:{}-{key}", self.name);
        self.entries.push(Entry {
            id: id.clone(),
            source: SOURCE.to_owned(),
            kind: EntryKind::Individual,
            names: vec![name],
            reference: None,
            country: None,
            remarks: None,
        });
        id
    }
}

/// The three sets.
pub fn all() -> Vec<EvalSet> {
    vec![slavic::uzbek(), slavic::russian(), arabic::arabic()]
}

/// A small deterministic generator (xorshift).
#[derive(Debug)]
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Distinct `(surname, given)` index pairs, `count` of them.
pub fn distinct_pairs(
    rng: &mut Rng,
    surnames: usize,
    given: usize,
    count: usize,
) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    while pairs.len() < count.min(surnames * given) {
        let pair = (rng.below(surnames), rng.below(given));
        if !pairs.contains(&pair) {
            pairs.push(pair);
        }
    }
    pairs
}

/// A given name index other than `given` whose pair with `surname` is not in `listed`.
pub fn unlisted_given(
    rng: &mut Rng,
    listed: &[(usize, usize)],
    surname: usize,
    given: usize,
    count: usize,
) -> usize {
    loop {
        let other = rng.below(count);
        if other != given && !listed.contains(&(surname, other)) {
            return other;
        }
    }
}
