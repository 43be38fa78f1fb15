//! String and name similarity: Jaro, Jaro-Winkler and a token-order independent name score.
//!
//! The Jaro functions work on bytes with bit masks for the matched positions, so they allocate
//! nothing. Canonical tokens are ASCII except for scripts the crate does not transliterate
//! (Arabic, Chinese), where comparing bytes is a fair approximation. Only the first
//! [`MAX_LEN`] bytes of a string take part.

use crate::pair::pair_similarity;
use crate::{normalise, patronymic};

/// Bytes of a string compared by [`jaro`]; the rest is ignored.
pub const MAX_LEN: usize = 128;

/// Tokens of a name that take part in [`token_set_score`]; the rest is ignored.
pub const MAX_TOKENS: usize = 12;

/// Two tokens less similar than this count as unmatched in [`token_set_score`].
pub const PAIR_MIN: f64 = 0.8;

/// What an unpaired listed token weighs when at least two pairs were found: lists carry
/// second given names, fathers' names and nisbas a declaration often lacks.
pub const UNPAIRED_LISTED: f64 = 0.5;

/// What an unpaired listed token between the first and the last (a father's name, a second
/// given name) weighs when the first and the last both paired: `Harun al-Baghdadi` is
/// `Harun Abd al-Karim al-Baghdadi`, but `Salih al-Qahtani` is not `Musa Salih al-Qahtani`.
pub const UNPAIRED_MIDDLE: f64 = 0.0;

/// Jaro similarity in `0.0..=1.0`; two empty strings are identical.
pub fn jaro(a: &[u8], b: &[u8]) -> f64 {
    let a = a.get(..MAX_LEN).unwrap_or(a);
    let b = b.get(..MAX_LEN).unwrap_or(b);
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (a_mask, b_mask, matches) = matched_positions(a, b);
    if matches == 0 {
        return 0.0;
    }
    let transpositions = half_transpositions(a, b, a_mask, b_mask);
    let m = f64::from(matches);
    (m / a.len() as f64 + m / b.len() as f64 + (m - f64::from(transpositions) / 2.0) / m) / 3.0
}

/// Marks the characters of `a` and `b` that match within the Jaro window.
fn matched_positions(a: &[u8], b: &[u8]) -> (u128, u128, u32) {
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (mut a_mask, mut b_mask, mut matches) = (0u128, 0u128, 0u32);
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if b_mask & (1u128 << j) == 0 && b.get(j) == Some(&ca) {
                b_mask |= 1u128 << j;
                a_mask |= 1u128 << i;
                matches += 1;
                break;
            }
        }
    }
    (a_mask, b_mask, matches)
}

/// Matched characters that appear in a different order (each transposition counts twice).
fn half_transpositions(a: &[u8], b: &[u8], a_mask: u128, mut b_mask: u128) -> u32 {
    let mut count = 0;
    for (i, &ca) in a.iter().enumerate() {
        if a_mask & (1u128 << i) != 0 {
            let j = b_mask.trailing_zeros() as usize;
            b_mask &= b_mask.wrapping_sub(1);
            if b.get(j) != Some(&ca) {
                count += 1;
            }
        }
    }
    count
}

/// Jaro-Winkler similarity: Jaro raised by 0.1 per common leading byte (at most four), when
/// the Jaro similarity exceeds 0.7 (Winkler's boost threshold).
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    if j <= 0.7 {
        return j;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

/// [`jaro_winkler`] when it can reach `min`, else 0.0 without comparing: with `m` matches at
/// most the shorter length, Jaro is at most `(2 + short / long) / 3`, and the Winkler boost
/// adds at most 0.4 of what is left.
pub fn jaro_winkler_at_least(a: &[u8], b: &[u8], min: f64) -> f64 {
    let (short, long) = (
        a.len().min(b.len()).min(MAX_LEN),
        a.len().max(b.len()).min(MAX_LEN),
    );
    if long > 0 {
        let jaro_bound = (2.0 + short as f64 / long as f64) / 3.0;
        if jaro_bound + 0.4 * (1.0 - jaro_bound) < min {
            return 0.0;
        }
    }
    jaro_winkler(a, b)
}

/// Similarity of query `a` to listed name `b` in `0.0..=1.0`, whatever their script, spelling
/// or word order.
///
/// The best [`token_set_score`] of a reading of `a` ([`normalise::readings`]) against a
/// spelling of `b` ([`normalise::spellings`]), as the screener compares them.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let listed = normalise::spellings(b);
    let mut best: f64 = 0.0;
    for query in normalise::readings(a) {
        let query: Vec<&[u8]> = query.iter().map(|t| t.as_bytes()).collect();
        for spelling in &listed {
            let spelling: Vec<&[u8]> = spelling.iter().map(|t| t.as_bytes()).collect();
            best = best.max(token_set_score(&query, &spelling));
        }
    }
    best
}

/// Token-order independent score of a query against a listed name, in `0.0..=1.0`.
///
/// Tokens are paired greedily, most similar pair first, each token at most once, pairs below
/// [`PAIR_MIN`] left unpaired; a pair's similarity is [`pair_similarity`]. A token weighs
/// its length, so `al` matters less than `khusanov`. The score is the paired weight, scaled by
/// each pair's similarity, over the total weight. An unpaired query token counts in full.
/// An unpaired listed token ([`unpaired_factor`]) counts nothing when it is a patronymic
/// ([`patronymic::mask`]; patronymics only pair with patronymics), [`UNPAIRED_MIDDLE`] when it
/// stands between a first and a last word that both paired, in full when it is the first word
/// (the given name of a list that writes it first) or when fewer than two pairs were found,
/// so that a lone given name such as `Mohammad` does not match `Mohammad Ali`, and
/// [`UNPAIRED_LISTED`] otherwise.
pub fn token_set_score(query: &[&[u8]], listed: &[&[u8]]) -> f64 {
    let query = query.get(..MAX_TOKENS).unwrap_or(query);
    let listed = listed.get(..MAX_TOKENS).unwrap_or(listed);
    let mut sims: SimMatrix = [[0.0; MAX_TOKENS]; MAX_TOKENS];
    for (row, q) in sims.iter_mut().zip(query) {
        for (cell, c) in row.iter_mut().zip(listed) {
            *cell = pair_similarity(q, c);
        }
    }
    let weights = |tokens: &[&[u8]]| -> Vec<f64> { tokens.iter().map(|t| weight(t)).collect() };
    score_matrix(
        &sims,
        Side::new(&weights(query), patronymic::mask(query)),
        Side::new(&weights(listed), patronymic::mask(listed)),
    )
}

/// One name's side of a comparison: its tokens' weights and which tokens are patronymics.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side<'a> {
    weights: &'a [f64],
    patronymics: u16,
    /// Whether words between the first and the last may be left out ([`UNPAIRED_MIDDLE`]):
    /// true for persons, whose lists carry fathers' and second given names; false for
    /// companies and vessels, where `North Industry` is not `North Wood Industry`.
    middles_optional: bool,
}

impl<'a> Side<'a> {
    pub(crate) fn new(weights: &'a [f64], patronymics: u16) -> Self {
        let weights = weights.get(..MAX_TOKENS).unwrap_or(weights);
        Side {
            weights,
            patronymics,
            middles_optional: true,
        }
    }

    /// This side, with words between the first and the last as costly as the others.
    pub(crate) fn middles_required(self) -> Self {
        Side {
            middles_optional: false,
            ..self
        }
    }

    fn is_patronymic(&self, i: usize) -> bool {
        self.patronymics & (1 << i) != 0
    }
}

/// Jaro-Winkler similarities of query tokens (rows) against listed tokens (columns).
pub(crate) type SimMatrix = [[f64; MAX_TOKENS]; MAX_TOKENS];

/// [`token_set_score`] from the similarities already computed and the tokens' weights
/// (lengths). Only the first [`MAX_TOKENS`] of each take part.
pub(crate) fn score_matrix(sims: &SimMatrix, query: Side, listed: Side) -> f64 {
    let query_weight: f64 = query.weights.iter().sum();
    let listed_weight: f64 = listed.weights.iter().sum();
    if query_weight == 0.0 || listed_weight == 0.0 {
        return if query_weight == listed_weight {
            1.0
        } else {
            0.0
        };
    }
    let pairing = pair_greedily(sims, query, listed);
    let unpaired: f64 = (0..listed.weights.len())
        .filter(|&j| pairing.used_listed & (1 << j) == 0)
        .map(|j| unpaired_factor(listed, &pairing, j) * listed.weights.get(j).unwrap_or(&0.0))
        .sum();
    let total = query_weight + pairing.listed_weight + unpaired;
    (pairing.weighted / total).clamp(0.0, 1.0)
}

/// What unpaired listed token `j` weighs, as a share of its length (see [`token_set_score`]).
fn unpaired_factor(listed: Side, pairing: &Pairing, j: usize) -> f64 {
    if listed.is_patronymic(j) {
        return 0.0;
    }
    let mut words = (0..listed.weights.len()).filter(|&i| !listed.is_patronymic(i));
    let (first, last) = (words.next(), words.next_back());
    let paired = |i: Option<usize>| i.is_some_and(|i| pairing.used_listed & (1 << i) != 0);
    let middle = first.is_some_and(|f| f < j) && last.is_some_and(|l| j < l);
    if listed.middles_optional && middle && paired(first) && paired(last) {
        UNPAIRED_MIDDLE
    } else if first == Some(j) || pairing.pairs < 2 {
        1.0
    } else {
        UNPAIRED_LISTED
    }
}

/// A token's weight in the name score: its length in bytes.
pub(crate) fn weight(token: &[u8]) -> f64 {
    token.len() as f64
}

#[derive(Debug, Default)]
struct Pairing {
    /// Sum over pairs of similarity × (query weight + listed weight).
    weighted: f64,
    /// Weight of the listed tokens that were paired.
    listed_weight: f64,
    /// Bit `j` is set when listed token `j` was paired.
    used_listed: u32,
    pairs: usize,
}

fn pair_greedily(sims: &SimMatrix, query: Side, listed: Side) -> Pairing {
    let (mut used_q, mut used_l) = (0u32, 0u32);
    let mut pairing = Pairing::default();
    while let Some((i, j, s)) = best_free_pair(sims, query, listed, used_q, used_l) {
        used_q |= 1 << i;
        used_l |= 1 << j;
        let (wq, wl) = (
            query.weights.get(i).copied().unwrap_or(0.0),
            listed.weights.get(j).copied().unwrap_or(0.0),
        );
        pairing.weighted += s * (wq + wl);
        pairing.listed_weight += wl;
        pairing.pairs += 1;
    }
    pairing.used_listed = used_l;
    pairing
}

fn best_free_pair(
    sims: &SimMatrix,
    query: Side,
    listed: Side,
    used_q: u32,
    used_l: u32,
) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    for (i, row) in sims.iter().enumerate().take(query.weights.len()) {
        if used_q & (1 << i) != 0 {
            continue;
        }
        for (j, &s) in row.iter().enumerate().take(listed.weights.len()) {
            let kinds_agree = query.is_patronymic(i) == listed.is_patronymic(j);
            let free = used_l & (1 << j) == 0;
            if free && kinds_agree && s >= PAIR_MIN && best.is_none_or(|(_, _, b)| s > b) {
                best = Some((i, j, s));
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jw(a: &str, b: &str) -> f64 {
        (jaro_winkler(a.as_bytes(), b.as_bytes()) * 1000.0).round() / 1000.0
    }

    #[test]
    fn the_length_bound_only_skips_hopeless_pairs() {
        for (a, b) in [
            ("AB", "ABCDEFGH"),
            ("MARTHA", "MARHTA"),
            ("A", "AB"),
            ("ABCDEFGHIJ", "ABCDEFGHIJKLMNOP"),
        ] {
            let (a, b) = (a.as_bytes(), b.as_bytes());
            let full = jaro_winkler(a, b);
            let bounded = jaro_winkler_at_least(a, b, PAIR_MIN);
            assert!(
                bounded == full || (bounded == 0.0 && full < PAIR_MIN),
                "{full} {bounded}"
            );
        }
    }

    #[test]
    fn known_jaro_winkler_values() {
        assert_eq!(jw("MARTHA", "MARHTA"), 0.961);
        assert_eq!(jw("DWAYNE", "DUANE"), 0.84);
        assert_eq!(jw("DIXON", "DICKSONX"), 0.813);
        assert_eq!(jw("", ""), 1.0);
        assert_eq!(jw("ABC", ""), 0.0);
        assert_eq!(jw("ABC", "XYZ"), 0.0);
    }

    #[test]
    fn token_order_does_not_matter() {
        assert!((name_similarity("Navoiy Alisher", "Alisher Navoiy") - 1.0).abs() < 1e-9);
    }

    #[test]
    fn lone_given_name_is_not_enough() {
        assert!(name_similarity("Mohammad", "Mohammad Ali Rezaei") < 0.7);
        assert!(name_similarity("Alisher Navoiy", "Alisher Navoiy Abdullaevich") > 0.8);
    }
}
