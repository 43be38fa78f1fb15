//! The token vocabulary of a screener and its deletion neighbourhood.
//!
//! Every distinct canonical token of the listed names gets an id. For fuzzy look-up each token
//! of at least [`FUZZY_MIN_CHARS`] characters is also filed under the strings obtained by
//! deleting one of its characters (the "symmetric delete" idea of SymSpell). A query token then
//! finds the listed tokens within one insertion, deletion, substitution or adjacent
//! transposition by a handful of hash look-ups instead of a scan of the vocabulary. Query
//! tokens of five characters or more that are not listed, and have no close listed token
//! within one edit, also try their two-character deletions, which reaches most listed tokens
//! within two or three edits.

use crate::hash::FxHashMap;
use crate::pair::pair_similarity;
use crate::similarity::PAIR_MIN;

/// Shorter tokens (`al`, `bin`, `abu`) are only matched exactly.
pub(crate) const FUZZY_MIN_CHARS: usize = 4;

/// Longer tokens are only matched exactly too: no name has such words, and the two-edit
/// search grows with the square of the length, which a hostile query must not exploit.
pub(crate) const FUZZY_MAX_CHARS: usize = 24;

/// A listed token this similar within one edit makes the two-edit search unnecessary.
const CLOSE: f64 = 0.9;

#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    tokens: Vec<Box<str>>,
    ids: FxHashMap<Box<str>, u32>,
    deletions: FxHashMap<Box<str>, Vec<u32>>,
}

impl Vocabulary {
    /// The id of `token`, adding it when new.
    pub(crate) fn intern(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.ids.get(token) {
            return id;
        }
        let id = u32::try_from(self.tokens.len()).unwrap_or(u32::MAX);
        self.tokens.push(token.into());
        self.ids.insert(token.into(), id);
        if (FUZZY_MIN_CHARS..=FUZZY_MAX_CHARS).contains(&token.chars().count()) {
            for_each_deletion(token, &mut String::new(), |key| {
                let ids = self.deletions.entry(key.into()).or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            });
        }
        id
    }

    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    pub(crate) fn token(&self, id: u32) -> &str {
        self.tokens.get(id as usize).map_or("", |t| t)
    }

    /// Listed tokens similar to `token` (Jaro-Winkler at least [`PAIR_MIN`]), most similar first.
    pub(crate) fn similar(&self, token: &str) -> Vec<(u32, f64)> {
        let mut ids: Vec<u32> = self.ids.get(token).copied().into_iter().collect();
        let exact = !ids.is_empty();
        let chars = token.chars().count();
        if chars > FUZZY_MAX_CHARS {
            return self.score(token, ids);
        }
        if chars + 1 >= FUZZY_MIN_CHARS {
            // Listed tokens one character longer than the query.
            ids.extend(self.deletions.get(token).into_iter().flatten());
        }
        let mut buf = String::new();
        if chars >= FUZZY_MIN_CHARS {
            // One character shorter, then one character different.
            for_each_deletion(token, &mut buf, |key| self.lookup(key, &mut ids));
        }
        let mut found = self.score(token, ids);
        // Two edits, for tokens neither listed as they are nor within one edit of a close
        // listed token: a typo next to a digraph (`kahliq` for `khaliq`) moves the canonical
        // keys two or three edits apart while Jaro-Winkler stays high.
        if chars > FUZZY_MIN_CHARS && !exact && found.first().is_none_or(|&(_, s)| s < CLOSE) {
            let mut ids = Vec::new();
            let mut inner = String::new();
            for_each_deletion(token, &mut buf, |key| {
                for_each_deletion(key, &mut inner, |key2| self.lookup(key2, &mut ids));
            });
            found = self.score(
                token,
                ids.into_iter()
                    .chain(found.iter().map(|&(id, _)| id))
                    .collect(),
            );
        }
        found
    }

    /// Adds the listed tokens spelt `key` or `key` plus one character.
    fn lookup(&self, key: &str, ids: &mut Vec<u32>) {
        ids.extend(self.ids.get(key));
        ids.extend(self.deletions.get(key).into_iter().flatten());
    }

    /// The listed tokens among `ids` similar enough to `token`, most similar first.
    fn score(&self, token: &str, mut ids: Vec<u32>) -> Vec<(u32, f64)> {
        ids.sort_unstable();
        ids.dedup();
        let mut found: Vec<(u32, f64)> = ids
            .into_iter()
            .map(|id| {
                (
                    id,
                    pair_similarity(token.as_bytes(), self.token(id).as_bytes()),
                )
            })
            .filter(|&(_, s)| s >= PAIR_MIN)
            .collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        found
    }
}

/// Calls `f` with `token` minus each of its characters in turn, reusing `buf`.
fn for_each_deletion(token: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    for (i, c) in token.char_indices() {
        buf.clear();
        buf.push_str(token.get(..i).unwrap_or(""));
        buf.push_str(token.get(i + c.len_utf8()..).unwrap_or(""));
        f(buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_neighbours_within_one_edit() {
        let mut v = Vocabulary::default();
        for t in ["martha", "marta", "mohamad", "xyz", "al"] {
            v.intern(t);
        }
        let found = |q: &str| -> Vec<&str> {
            v.similar(q)
                .into_iter()
                .map(|(id, _)| v.token(id))
                .collect()
        };
        assert_eq!(found("marhta"), ["martha", "marta"]);
        assert_eq!(found("mohammad"), ["mohamad"]);
        assert_eq!(found("mohamed"), ["mohamad"]);
        assert_eq!(found("al"), ["al"]);
        assert!(found("el").is_empty());
    }
}
