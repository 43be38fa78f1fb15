//! Which profiles can fire at all for a declaration. Most profiles are anchored on the goods
//! (`hs in chapter(93)`, `hs in list("dual-use")`) or on where they come from (`origin in
//! [...]`, `dispatch == "AF"`): a profile whose condition requires such a predicate is filed
//! under its chapters or countries, and only the profiles filed under the declaration's own
//! chapters and countries, with the unanchored ones, are evaluated. The index only leaves out
//! profiles that could not have fired, so decisions are the same with or without it.

use rustc_hash::FxHashMap;

use crate::compile::Node;
use crate::facts::{DeclarationFacts, ItemView};
use crate::fields::Field;

/// What a profile is filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Chapter([u8; 2]),
    Origin([u8; 2]),
    Dispatch([u8; 2]),
}

fn two(code: &str) -> Option<[u8; 2]> {
    let b = code.as_bytes();
    Some([*b.first()?, *b.get(1)?])
}

fn upper(code: &str) -> Option<[u8; 2]> {
    two(code).map(|[a, b]| [a.to_ascii_uppercase(), b.to_ascii_uppercase()])
}

fn key(field: Field, code: &str) -> Option<Key> {
    match field {
        Field::Hs => two(code).map(Key::Chapter),
        Field::Origin if code.len() == 2 => upper(code).map(Key::Origin),
        Field::Dispatch if code.len() == 2 => upper(code).map(Key::Dispatch),
        _ => None,
    }
}

fn keys<'a>(field: Field, codes: impl Iterator<Item = &'a str>) -> Option<Vec<Key>> {
    let mut out = Vec::new();
    for code in codes {
        let k = key(field, code)?;
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Some(out)
}

/// The keys one of which a declaration must have for `node` to hold, if there are such keys.
pub(crate) fn anchors(node: &Node) -> Option<Vec<Key>> {
    match node {
        Node::Const(false) => Some(Vec::new()),
        Node::Text(field, false, code) => keys(*field, std::iter::once(&**code)),
        Node::Texts(field, false, set) => keys(*field, set.iter().map(|c| &**c)),
        Node::Prefixes(field, false, set) => keys(*field, set.prefixes()),
        // Any one required part is enough; the narrowest filing is the best.
        Node::And(parts) => parts.iter().filter_map(anchors).min_by_key(Vec::len),
        Node::Or(parts) => {
            let mut out = Vec::new();
            for part in parts {
                for k in anchors(part)? {
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// Profiles by key, and those without an anchor.
#[derive(Debug, Default)]
pub(crate) struct Index {
    filed: FxHashMap<Key, Vec<u32>>,
    always: Vec<u32>,
}

impl Index {
    pub(crate) fn add(&mut self, profile: u32, anchors: Option<Vec<Key>>) {
        match anchors {
            None => self.always.push(profile),
            Some(keys) => {
                for k in keys {
                    self.filed.entry(k).or_default().push(profile);
                }
            }
        }
    }

    /// The profiles that may fire for this declaration, in their order, without repeats.
    pub(crate) fn candidates(
        &self,
        facts: &DeclarationFacts<'_>,
        items: &[ItemView<'_>],
    ) -> Vec<u32> {
        let mut out = self.always.clone();
        let mut seen: Vec<Key> = Vec::with_capacity(2 * items.len() + 1);
        let item_keys = items.iter().flat_map(|i| {
            [
                two(i.hs).map(Key::Chapter),
                i.origin.and_then(upper).map(Key::Origin),
            ]
        });
        let dispatch = facts.dispatch.and_then(upper).map(Key::Dispatch);
        for k in item_keys.chain(std::iter::once(dispatch)).flatten() {
            if seen.contains(&k) {
                continue;
            }
            seen.push(k);
            if let Some(profiles) = self.filed.get(&k) {
                out.extend_from_slice(profiles);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
