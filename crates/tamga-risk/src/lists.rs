//! Named lists that analysts maintain (high-risk origins, sensitive commodities, parties under
//! watch, the AEO register) and that profiles refer to with `list("name")`.

use rustc_hash::FxHashSet as HashSet;

use serde::{Deserialize, Serialize};

use crate::fields::ListKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedList {
    pub name: String,
    pub kind: ListKind,
    pub entries: Vec<String>,
}

/// At most this many entries in one list.
pub const MAX_ENTRIES: usize = 1_000_000;

impl NamedList {
    /// The entries normalised for matching (trimmed, upper case; commodity prefixes as digits),
    /// or every entry that does not fit the list's kind.
    pub fn normalised(&self) -> Result<Vec<String>, Vec<(usize, String)>> {
        let mut bad = Vec::new();
        let mut out = Vec::with_capacity(self.entries.len());
        for (i, entry) in self.entries.iter().enumerate() {
            let value = entry.trim().to_ascii_uppercase();
            match entry_problem(self.kind, &value) {
                None => out.push(value),
                Some(problem) => bad.push((i, problem)),
            }
        }
        if bad.is_empty() {
            Ok(out)
        } else {
            Err(bad)
        }
    }

    /// The entries as a set, for the compiled engine.
    pub(crate) fn to_set(&self) -> HashSet<Box<str>> {
        self.entries
            .iter()
            .map(|e| e.trim().to_ascii_uppercase().into_boxed_str())
            .collect()
    }
}

fn entry_problem(kind: ListKind, value: &str) -> Option<String> {
    let all = |f: fn(u8) -> bool| value.bytes().all(f);
    let ok = match kind {
        ListKind::Countries => value.len() == 2 && all(|b| b.is_ascii_uppercase()),
        ListKind::Commodities => {
            (2..=10).contains(&value.len())
                && value.len().is_multiple_of(2)
                && all(|b| b.is_ascii_digit())
        }
        ListKind::Offices => value.len() == 5 && all(|b| b.is_ascii_alphanumeric()),
        ListKind::Containers => value.len() == 11 && all(|b| b.is_ascii_alphanumeric()),
        ListKind::Parties | ListKind::Codes => {
            !value.is_empty() && value.len() <= 64 && !value.chars().any(char::is_control)
        }
    };
    (!ok).then(|| match kind {
        ListKind::Countries => "not an ISO 3166 alpha-2 country code".to_owned(),
        ListKind::Commodities => "not a commodity-code prefix of 2, 4, 6, 8 or 10 digits".into(),
        ListKind::Offices => "not a 5-character UN/LOCODE".into(),
        ListKind::Containers => "not an 11-character container number".into(),
        ListKind::Parties | ListKind::Codes => {
            "empty, longer than 64 or with control characters".into()
        }
    })
}
