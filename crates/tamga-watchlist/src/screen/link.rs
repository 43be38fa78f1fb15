//! Records of one person or company on two lists: the UN list and OFAC's often name the same
//! person. A query that finds one finds the other with the same score, so the officer sees
//! both records tied instead of one of them first by accident of spelling.
//!
//! Two entries are twins when they come from different sources, designate the same kind and
//! share a name of at least two words whose canonical tokens are the same set
//! (`KARIMOV, Alisher` and `Alisher Karimov`).

use crate::entry::Entry;
use crate::normalise;

use crate::hash::FxHashMap;

/// Per entry, its twins and the position of the shared name among each twin's names.
#[derive(Debug, Default)]
pub(super) struct Twins(FxHashMap<u32, Vec<(u32, u32)>>);

impl Twins {
    pub(super) fn build(entries: &[Entry]) -> Twins {
        let mut by_key: FxHashMap<String, Vec<(u32, u32)>> = FxHashMap::default();
        for (e, entry) in entries.iter().enumerate() {
            if entry.kind.is_identifier() {
                continue;
            }
            for (n, name) in entry.names.iter().enumerate() {
                if let (Some(key), Ok(e), Ok(n)) = (key(name), u32::try_from(e), u32::try_from(n)) {
                    by_key.entry(key).or_default().push((e, n));
                }
            }
        }
        let mut twins = Twins::default();
        for holders in by_key.values().filter(|h| h.len() >= 2) {
            twins.link(entries, holders);
        }
        twins
    }

    fn link(&mut self, entries: &[Entry], holders: &[(u32, u32)]) {
        let get = |e: u32| entries.get(e as usize);
        for &(a, _) in holders {
            for &(b, name) in holders {
                let differ = get(a)
                    .zip(get(b))
                    .is_some_and(|(x, y)| x.source != y.source && x.kind == y.kind);
                let known = self
                    .0
                    .get(&a)
                    .is_some_and(|t| t.iter().any(|&(t, _)| t == b));
                if differ && !known {
                    self.0.entry(a).or_default().push((b, name));
                }
            }
        }
    }

    /// The twins of entry `e` with the position of the name they share with it.
    pub(super) fn of(&self, e: u32) -> &[(u32, u32)] {
        self.0.get(&e).map_or(&[], Vec::as_slice)
    }

    /// `hits` (entry, name, score) with every twin of a hit added at its twin's score, and each
    /// entry once, with its best score.
    pub(super) fn tie(&self, hits: &mut Vec<(u32, u32, f64)>) {
        let found = hits.len();
        for i in 0..found {
            if let Some(&(e, _, score)) = hits.get(i) {
                hits.extend(self.of(e).iter().map(|&(t, name)| (t, name, score)));
            }
        }
        hits.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)));
        hits.dedup_by_key(|(entry, _, _)| *entry);
    }
}

/// The order-free key of a name of two words or more.
fn key(name: &str) -> Option<String> {
    let mut tokens = normalise::tokens(name, true);
    if tokens.len() < 2 {
        return None;
    }
    tokens.sort_unstable();
    Some(tokens.join(" "))
}
