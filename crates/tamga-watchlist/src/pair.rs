//! The similarity of two canonical tokens as the name score counts it.
//!
//! Jaro-Winkler is generous with short words: `darya` and `marya`, `salih` and `said` score
//! about 0.87, as much as two spellings of one name the canonical key did not merge. Those
//! spellings mostly are merged ([`crate::translit`]), so below [`KNEE`] the similarity falls
//! faster, and a different given name beside an equal family name mostly no longer reaches
//! the threshold. A surname in the other gender's form (`Makarov`, `Makarova`;
//! `Nodir`, `Nodira`) names another person and does not pair at all.

use crate::similarity::{jaro_winkler_at_least, PAIR_MIN};

/// Jaro-Winkler similarities from here up count as they are.
///
/// Measured on the variant sets and the UN tests (`tests/it/eval.rs`, `tests/it/quality.rs`):
/// without the knee, 3.3 % of the Arabic negatives hit (`Said Qahtani` against `Zayd Jamal
/// al-Qahtani`); at 0.9 and a steepness of 1, none do and recall stays above 98 %; at 0.92
/// and 2, typed-in-Cyrillic UN names fall to 98.9 % and typo recall to 88.7 %.
pub const KNEE: f64 = 0.9;

/// How much faster the similarity falls below [`KNEE`]: twice as fast in all.
pub const STEEPNESS: f64 = 1.0;

/// The raw Jaro-Winkler similarity that [`pair_similarity`] maps to [`PAIR_MIN`].
const RAW_MIN: f64 = (PAIR_MIN + STEEPNESS * KNEE) / (1.0 + STEEPNESS);

/// The similarity of a query token and a listed token in `0.0..=1.0`; 0.0 when it is below
/// [`PAIR_MIN`] or the tokens are the two genders of one name. Never above
/// [`crate::jaro_winkler`], so bounds computed from that stay bounds.
pub fn pair_similarity(a: &[u8], b: &[u8]) -> f64 {
    let raw = jaro_winkler_at_least(a, b, RAW_MIN);
    if raw < RAW_MIN || other_gender(a, b) {
        return 0.0;
    }
    if raw >= KNEE {
        raw
    } else {
        raw - STEEPNESS * (KNEE - raw)
    }
}

/// Whether one token is the other's feminine form: `-ova`/`-ov`, `-eva`/`-ev`, `-ina`/`-in`
/// and a given name with a final `a` (`Nodira`/`Nodir`), or `-skaya`/`-ski`.
pub fn other_gender(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    let added_a = long.len() == short.len() + 1
        && long.starts_with(short)
        && long.last() == Some(&b'a')
        && short.len() >= 5
        && short.last().is_some_and(|&c| !is_vowel(c));
    added_a || skaya(short, long)
}

fn skaya(short: &[u8], long: &[u8]) -> bool {
    match (short.strip_suffix(b"ski"), long.strip_suffix(b"skaya")) {
        (Some(stem), Some(other)) => stem == other && stem.len() >= 2,
        _ => false,
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(a: &str, b: &str) -> f64 {
        pair_similarity(a.as_bytes(), b.as_bytes())
    }

    #[test]
    fn close_spellings_pair_and_different_short_names_do_not() {
        assert_eq!(sim("husanov", "husanov"), 1.0);
        assert!(sim("abdulaev", "abdulaiev") > 0.92);
        assert!(sim("darya", "marya") < 0.84);
        assert_eq!(sim("salih", "said"), 0.0);
        assert_eq!(sim("said", "zaid"), 0.0);
    }

    #[test]
    fn the_other_gender_is_another_person() {
        for (a, b) in [
            ("makarov", "makarova"),
            ("sokolova", "sokolov"),
            ("nodir", "nodira"),
            ("vishnevski", "vishnevskaya"),
            ("pushkin", "pushkina"),
        ] {
            assert!(other_gender(a.as_bytes(), b.as_bytes()), "{a} {b}");
            assert_eq!(sim(a, b), 0.0, "{a} {b}");
        }
        assert!(!other_gender(b"hamza", b"hamz"));
        assert!(!other_gender(b"olga", b"olg"));
        assert!(!other_gender(b"musa", b"musaa"));
    }

    #[test]
    fn never_above_jaro_winkler() {
        for (a, b) in [("muhamad", "muhamed"), ("faisal", "faysal"), ("abc", "abd")] {
            let raw = crate::jaro_winkler(a.as_bytes(), b.as_bytes());
            assert!(sim(a, b) <= raw);
        }
    }
}
