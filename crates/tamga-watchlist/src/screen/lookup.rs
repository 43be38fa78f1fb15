//! A query token's similar listed tokens, and the memory of them a screener keeps.
//!
//! Finding the listed tokens near a query token is most of a screening's cost when the token
//! is not listed: the deletion neighbourhood of two edits asks hundreds of keys. The words of
//! party names recur far more than the names do (`trading`, `textile`, `tashkent`, given names
//! and surnames), so each screener remembers what it found per token, in shards behind their
//! own locks so that threads screening at once rarely wait for each other. A shard that
//! fills up is emptied and starts again.

use std::hash::{BuildHasher, BuildHasherDefault};
use std::sync::{Arc, Mutex};

use super::{IndexedName, Screener};
use crate::hash::{FxHashMap, FxHasher};

/// Independent parts of the memory.
const SHARDS: usize = 16;

/// Tokens remembered per shard before it is emptied.
const PER_SHARD: usize = 16_384;

/// What the vocabulary found for one token.
#[derive(Debug)]
pub(super) struct Similar {
    /// `(token id, similarity)`, most similar first.
    by_score: Box<[(u32, f64)]>,
    /// The same pairs by id, for [`Lookup::bound_in`].
    by_id: Box<[(u32, f64)]>,
    /// How many names the similar tokens hold together: the cost of walking them.
    postings: usize,
}

/// The remembered [`Similar`] per token.
#[derive(Debug, Default)]
pub(super) struct TokenMemory {
    shards: [Mutex<FxHashMap<Box<str>, Arc<Similar>>>; SHARDS],
}

impl TokenMemory {
    /// Empties every shard.
    pub(super) fn clear(&self) {
        for shard in &self.shards {
            if let Ok(mut memory) = shard.lock() {
                memory.clear();
            }
        }
    }

    /// The remembered answer for `token`, or `find`'s, then remembered.
    fn get_or_find(&self, token: &str, find: impl FnOnce() -> Similar) -> Arc<Similar> {
        let hash = BuildHasherDefault::<FxHasher>::default().hash_one(token);
        let Some(shard) = self.shards.get(hash as usize % SHARDS) else {
            return Arc::new(find());
        };
        if let Some(found) = shard.lock().ok().and_then(|m| m.get(token).cloned()) {
            return found;
        }
        let found = Arc::new(find());
        if let Ok(mut memory) = shard.lock() {
            if memory.len() >= PER_SHARD {
                memory.clear();
            }
            memory.insert(token.into(), found.clone());
        }
        found
    }
}

/// One query token with its similar listed tokens.
#[derive(Debug)]
pub(super) struct Lookup {
    pub(super) weight: f64,
    similar: Arc<Similar>,
}

impl Lookup {
    pub(super) fn new(screener: &Screener, token: &[u8]) -> Lookup {
        let text = std::str::from_utf8(token).unwrap_or("");
        let similar = screener.memory.get_or_find(text, || {
            let by_score = screener.vocabulary.similar(text);
            let postings = by_score
                .iter()
                .map(|&(id, _)| screener.postings.get(id as usize).map_or(0, Vec::len))
                .sum();
            let mut by_id = by_score.clone();
            by_id.sort_unstable_by_key(|&(id, _)| id);
            Similar {
                by_score: by_score.into(),
                by_id: by_id.into(),
                postings,
            }
        });
        Lookup {
            weight: token.len() as f64,
            similar,
        }
    }

    /// `(token id, similarity)`, most similar first.
    pub(super) fn similar(&self) -> &[(u32, f64)] {
        &self.similar.by_score
    }

    pub(super) fn postings(&self) -> usize {
        self.similar.postings
    }

    /// This token's contribution to the bound of `name`: its weight times the similarity of
    /// the name's most similar token.
    pub(super) fn bound_in(&self, name: &IndexedName) -> f64 {
        let by_id = &self.similar.by_id;
        let best = name
            .tokens
            .iter()
            .filter_map(|id| by_id.binary_search_by_key(id, |&(t, _)| t).ok())
            .filter_map(|i| by_id.get(i).map(|&(_, s)| s))
            .fold(0.0, f64::max);
        self.weight * best
    }
}
