//! A draw's candidates as `control_draws.candidates` holds them: one JSON string, written on
//! the SQLite writer for every lodgement that draws, so it is made short and without a JSON
//! encoder. A candidate's weight is never stored: it is `tamga_control`'s `weight(workload)`.
//!
//! Three forms are read; the first is written:
//! - **By difference** (written now): `~` and then, in draw order and
//!   separated by spaces, each candidate as `workload` when its id is one more than the
//!   previous candidate's, otherwise as `difference:workload`, the difference from the
//!   previous id (from 0 for the first). An office's officers mostly have consecutive ids, so
//!   500 candidates take about 1.5 KB, which fits in the row's page; `officer:workload` took
//!   about 4 KB, which spilled onto an overflow page at every draw.
//!   Example: ids 101, 102, 103 and 110 with workloads 0, 20, 0 and 35 are `~101:0 20 0 7:35`.
//! - **Packed** (written from migration 0028 until the form by difference): `officer:workload`
//!   separated by spaces.
//! - **A list** (before 0028): a JSON array of `{officer, workload, weight}` objects.

use tamga_control::allocation::{weight, Candidate};
use tamga_control::UserId;

/// What marks the form by difference.
const BY_DIFFERENCE: char = '~';

/// The stored form of `candidates`, a JSON string (only digits, `-`, `~`, `:` and spaces, so
/// nothing in it needs escaping).
pub(crate) fn pack(candidates: &[Candidate]) -> String {
    let mut json = String::with_capacity(candidates.len() * 4 + 16);
    json.push('"');
    json.push(BY_DIFFERENCE);
    let mut digits = itoa::Buffer::new();
    let mut previous = 0i64;
    for (n, c) in candidates.iter().enumerate() {
        if n > 0 {
            json.push(' ');
        }
        let difference = c.officer.0.wrapping_sub(previous);
        if difference != 1 {
            json.push_str(digits.format(difference));
            json.push(':');
        }
        json.push_str(digits.format(c.workload));
        previous = c.officer.0;
    }
    json.push('"');
    json
}

/// The candidates of a stored draw, in any of the three forms; `None` when it is none of them.
pub(crate) fn unpack(json: &str) -> Option<Vec<Candidate>> {
    match serde_json::from_str(json).ok()? {
        Stored::List(list) => Some(list),
        Stored::Text(text) => match text.strip_prefix(BY_DIFFERENCE) {
            Some(differences) => by_difference(differences),
            None => packed(&text),
        },
    }
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Stored {
    Text(String),
    List(Vec<Candidate>),
}

fn candidate(officer: i64, workload: u64) -> Candidate {
    Candidate {
        officer: UserId(officer),
        workload,
        weight: weight(workload),
    }
}

fn by_difference(text: &str) -> Option<Vec<Candidate>> {
    let mut previous = 0i64;
    words(text)
        .map(|word| {
            let (difference, workload) = match word.split_once(':') {
                Some((difference, workload)) => (difference.parse().ok()?, workload),
                None => (1, word),
            };
            previous = previous.wrapping_add(difference);
            Some(candidate(previous, workload.parse().ok()?))
        })
        .collect()
}

fn packed(text: &str) -> Option<Vec<Candidate>> {
    words(text)
        .map(|word| {
            let (officer, workload) = word.split_once(':')?;
            Some(candidate(officer.parse().ok()?, workload.parse().ok()?))
        })
        .collect()
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(' ').filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn list(pairs: &[(i64, u64)]) -> Vec<Candidate> {
        pairs.iter().map(|&(id, w)| candidate(id, w)).collect()
    }

    #[test]
    fn consecutive_ids_store_only_their_workloads() {
        let candidates = list(&[(101, 0), (102, 20), (103, 0), (110, 35)]);
        assert_eq!(pack(&candidates), r#""~101:0 20 0 7:35""#);
        assert_eq!(unpack(&pack(&candidates)), Some(candidates));
    }

    #[test]
    fn no_candidates_is_the_mark_alone() {
        assert_eq!(pack(&[]), r#""~""#);
        assert_eq!(unpack(r#""~""#), Some(Vec::new()));
    }

    #[test]
    fn the_older_forms_still_read() {
        let expected = list(&[(7, 0), (9, 50)]);
        assert_eq!(unpack(r#""7:0 9:50""#), Some(expected.clone()));
        let old = serde_json::to_string(&expected).unwrap();
        assert_eq!(unpack(&old), Some(expected));
    }

    #[test]
    fn what_is_no_form_is_refused() {
        for bad in [r#""~1:x""#, r#""7:0 9""#, r#""~a""#, "17", "not json"] {
            assert_eq!(unpack(bad), None, "{bad}");
        }
    }

    proptest! {
        /// Any ids in any order, repeated or negative, and any workloads come back as written.
        #[test]
        fn every_list_reads_back(pairs in proptest::collection::vec((any::<i64>(), any::<u64>()), 0..60)) {
            let candidates = list(&pairs);
            let json = pack(&candidates);
            prop_assert_eq!(serde_json::from_str::<String>(&json).ok().map(|s| s.len() + 2), Some(json.len()));
            prop_assert_eq!(unpack(&json), Some(candidates));
        }
    }
}
