//! Screening names and identifiers against compiled watchlists.
//!
//! [`Screener::build`] normalises every listed name once and files its tokens in an inverted
//! index. A query is normalised the same way; each of its tokens looks up the similar listed
//! tokens in a deletion neighbourhood (`screen/index.rs`), their postings accumulate a cheap
//! bound per listed name, and only the names that pass that gate are scored with
//! [`crate::similarity::token_set_score`]. Records of one person on two lists are reported
//! tied (`screen/link.rs`).

mod index;
mod link;
mod lookup;
mod scratch;

use serde::{Deserialize, Serialize};

use crate::entry::{Entry, EntryKind};
use crate::hash::FxHashMap;
use crate::pair::pair_similarity;
use crate::similarity::{score_matrix, weight, Side, SimMatrix, MAX_TOKENS};
use crate::{normalise, patronymic};
use index::Vocabulary;
use link::Twins;
use lookup::{Lookup, TokenMemory};
use scratch::{with_scratch, Scratch};

/// The score from which a name is reported by default.
///
/// Measured against UN + OFAC (see `tests/it/quality.rs`): every one of the 3,756 UN names and
/// aliases finds its own record; 91.5 % still do with a letter transposed and the words
/// reversed, 99.4 % when typed in Cyrillic; 2 of 146 unrelated Norwegian company names hit.
/// (Before weak word pairs counted less, `crate::pair`: typo recall 94.6 %, at 0.94 about
/// 93 %, and 3 companies hitting at 0.88.)
pub const DEFAULT_THRESHOLD: f64 = 0.9;

/// How far below the threshold a name's accumulated bound may be for it to be scored.
///
/// The bound only counts the token pairs the deletion neighbourhood found, while the score
/// compares every pair, so a name whose typo moved a token out of the neighbourhood can
/// score above the threshold with a bound below it. Measured on the typo test and the
/// benchmark: 0.2 keeps 94.2 % of the names, 0.25 keeps 94.6 % at much the same speed, 0.3
/// keeps 95.3 % at three quarters of it.
const GATE_SLACK: f64 = 0.25;

/// A listed entry that matched a query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The entry's id, e.g. `UN:6908555`.
    pub entry_id: String,
    /// The list it comes from.
    pub source: String,
    /// The entry's name (primary or alias) that matched best, as listed.
    pub matched_name: String,
    /// Similarity in `0.0..=1.0`; 1.0 for an identical name or identifier.
    pub score: f64,
    /// What the entry designates.
    pub kind: EntryKind,
}

/// Compiled watchlists: immutable, `Send + Sync`, to be shared behind an `Arc`.
#[derive(Debug, Default)]
pub struct Screener {
    entries: Vec<Entry>,
    by_id: FxHashMap<String, u32>,
    names: Vec<IndexedName>,
    vocabulary: Vocabulary,
    /// Per token id, the names holding it.
    postings: Vec<Vec<u32>>,
    /// Normalised identifier → entries of the identifier kinds.
    identifiers: FxHashMap<String, Vec<u32>>,
    twins: Twins,
    /// What the vocabulary found per query token, remembered across queries.
    memory: TokenMemory,
}

/// One listed name: its entry, its position among the entry's names, its token ids and which
/// of them are patronymics.
#[derive(Debug)]
struct IndexedName {
    entry: u32,
    name: u32,
    tokens: Box<[u32]>,
    patronymics: u16,
}

impl Screener {
    /// Compiles `entries` (copied) into a screener.
    pub fn build(entries: &[Entry]) -> Screener {
        Screener::new(entries.to_vec())
    }

    /// Compiles `entries` into a screener.
    pub fn new(entries: Vec<Entry>) -> Screener {
        let mut screener = Screener::default();
        for (index, entry) in entries.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            screener.by_id.insert(entry.id.clone(), index);
            if entry.kind.is_identifier() {
                screener.add_identifiers(index, entry);
            } else {
                screener.add_names(index, entry);
            }
        }
        screener.twins = Twins::build(&entries);
        screener.entries = entries;
        screener
    }

    fn add_identifiers(&mut self, index: u32, entry: &Entry) {
        for name in &entry.names {
            let key = normalise::identifier(name);
            if !key.is_empty() {
                let ids = self.identifiers.entry(key).or_default();
                if ids.last() != Some(&index) {
                    ids.push(index);
                }
            }
        }
    }

    fn add_names(&mut self, index: u32, entry: &Entry) {
        let mut seen: Vec<Vec<String>> = Vec::new();
        for (position, name) in entry.names.iter().enumerate() {
            for tokens in normalise::spellings(name) {
                // Aliases that differ only in spelling variants the key merges add nothing.
                if !tokens.is_empty() && !seen.contains(&tokens) {
                    self.add_name(index, position, &tokens);
                    seen.push(tokens);
                }
            }
        }
    }

    fn add_name(&mut self, index: u32, position: usize, tokens: &[String]) {
        let ids: Box<[u32]> = tokens.iter().map(|t| self.vocabulary.intern(t)).collect();
        let name_id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.postings.resize_with(self.vocabulary.len(), Vec::new);
        for &token in ids.iter() {
            if let Some(list) = self.postings.get_mut(token as usize) {
                if list.last() != Some(&name_id) {
                    list.push(name_id);
                }
            }
        }
        let name = u32::try_from(position).unwrap_or(u32::MAX);
        self.names.push(IndexedName {
            entry: index,
            name,
            tokens: ids,
            patronymics: patronymic::mask(tokens),
        });
    }

    /// The entries, in the order given to [`Screener::new`].
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.by_id
            .get(id)
            .and_then(|&i| self.entries.get(i as usize))
    }

    /// Forgets the listed tokens remembered near each query token; they are found again, and
    /// remembered, as queries come. Answers do not change.
    pub fn forget_tokens(&self) {
        self.memory.clear();
    }

    /// How many distinct normalised names are indexed.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The entries whose best name scores at least `threshold` against `query`, best first,
    /// one hit per entry; only entries of `kind` when given. Never fails: a query with no
    /// letters or digits simply hits nothing.
    pub fn screen(&self, query: &str, kind: Option<EntryKind>, threshold: f64) -> Vec<Hit> {
        let mut best = Vec::new();
        for reading in normalise::readings(query) {
            let tokens: Vec<&[u8]> = reading
                .iter()
                .take(MAX_TOKENS)
                .map(|t| t.as_bytes())
                .collect();
            if !tokens.is_empty() {
                best.extend(self.score_candidates(&tokens, kind, threshold));
            }
        }
        self.twins.tie(&mut best);
        let mut hits: Vec<Hit> = best
            .into_iter()
            .filter_map(|(e, n, s)| self.hit(e, n, s))
            .filter(|hit| kind.is_none_or(|k| hit.kind == k))
            .collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.entry_id.cmp(&b.entry_id))
        });
        hits
    }

    /// `(entry, name position, score)` of every listed name scoring at least `threshold`.
    ///
    /// The query tokens are visited rarest first. Once the tokens not yet visited weigh less
    /// than the gate, a name none of the visited tokens touched can no longer pass it, so the
    /// long postings of common tokens (`mohammad`, `trading`) are never walked: those tokens
    /// are only looked for in the names already touched.
    fn score_candidates(
        &self,
        query: &[&[u8]],
        kind: Option<EntryKind>,
        threshold: f64,
    ) -> Vec<(u32, u32, f64)> {
        let mut lookups: Vec<Lookup> = query.iter().map(|token| Lookup::new(self, token)).collect();
        lookups.sort_by_key(Lookup::postings);
        let total: f64 = lookups.iter().map(|l| l.weight).sum();
        let gate = (threshold - GATE_SLACK).max(0.0) * total;
        with_scratch(self.names.len(), self.vocabulary.len(), |scratch| {
            let visited = self.walk_postings(&lookups, gate, scratch);
            let rest = lookups.get(visited..).unwrap_or(&[]);
            let rest_weight: f64 = rest.iter().map(|l| l.weight).sum();
            let touched: Vec<(u32, f64)> = scratch.touched().collect();
            touched
                .into_iter()
                .filter_map(|(name_id, bound)| {
                    let name = self.names.get(name_id as usize)?;
                    let passes = bound + rest_weight >= gate
                        && bound + rest.iter().map(|l| l.bound_in(name)).sum::<f64>() >= gate
                        && kind.is_none_or(|k| self.kind_of(name) == Some(k));
                    let score = if passes {
                        self.score_name(query, name, scratch)
                    } else {
                        0.0
                    };
                    (passes && score >= threshold).then_some((name.entry, name.name, score))
                })
                .collect()
        })
    }

    /// Adds the postings of the rarest query tokens to the bounds, stopping when the tokens
    /// left weigh less than `gate`; returns how many tokens were walked.
    fn walk_postings(&self, lookups: &[Lookup], gate: f64, scratch: &mut Scratch) -> usize {
        let mut unvisited: f64 = lookups.iter().map(|l| l.weight).sum();
        for (i, lookup) in lookups.iter().enumerate() {
            if unvisited < gate {
                return i;
            }
            for &(id, sim) in lookup.similar() {
                for &name in self.postings.get(id as usize).into_iter().flatten() {
                    scratch.add(name, i, lookup.weight * sim);
                }
            }
            unvisited -= lookup.weight;
        }
        lookups.len()
    }

    fn kind_of(&self, name: &IndexedName) -> Option<EntryKind> {
        self.entries.get(name.entry as usize).map(|e| e.kind)
    }

    fn score_name(&self, query: &[&[u8]], name: &IndexedName, scratch: &mut Scratch) -> f64 {
        let mut sims: SimMatrix = [[0.0; MAX_TOKENS]; MAX_TOKENS];
        let mut listed = [0.0; MAX_TOKENS];
        let mut count = 0;
        for (j, (&id, slot)) in name.tokens.iter().zip(listed.iter_mut()).enumerate() {
            let token = self.vocabulary.token(id).as_bytes();
            *slot = weight(token);
            count += 1;
            let row = scratch.row(id, || {
                let mut row = [0.0; MAX_TOKENS];
                for (cell, q) in row.iter_mut().zip(query) {
                    *cell = pair_similarity(q, token);
                }
                row
            });
            for (sim_row, &sim) in sims.iter_mut().zip(row.iter()) {
                if let Some(cell) = sim_row.get_mut(j) {
                    *cell = sim;
                }
            }
        }
        let query_weights: Vec<f64> = query.iter().map(|t| weight(t)).collect();
        let listed_side = Side::new(listed.get(..count).unwrap_or(&[]), name.patronymics);
        let listed_side = match self.kind_of(name) {
            Some(EntryKind::Individual) => listed_side,
            _ => listed_side.middles_required(),
        };
        score_matrix(
            &sims,
            Side::new(&query_weights, patronymic::mask(query)),
            listed_side,
        )
    }

    fn hit(&self, entry: u32, name: u32, score: f64) -> Option<Hit> {
        let entry = self.entries.get(entry as usize)?;
        Some(Hit {
            entry_id: entry.id.clone(),
            source: entry.source.clone(),
            matched_name: entry.names.get(name as usize)?.clone(),
            score,
            kind: entry.kind,
        })
    }

    /// The container and vehicle entries listing `id`, compared after dropping spaces, dashes
    /// and other punctuation and uppercasing (`MSKU 123456-7` = `msku1234567`).
    pub fn screen_identifier(&self, id: &str) -> Vec<Hit> {
        let key = normalise::identifier(id);
        let Some(entries) = self.identifiers.get(&key) else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|&e| {
                let entry = self.entries.get(e as usize)?;
                let name = entry
                    .names
                    .iter()
                    .position(|n| normalise::identifier(n) == key)?;
                self.hit(e, u32::try_from(name).ok()?, 1.0)
            })
            .collect()
    }
}
