//! Company legal forms (LLC, OOO, MChJ, GmbH, ...), which a name screening ignores, also when
//! mistyped (`COMPNAY`, `LIMTED`, `Coprorration`).

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::normalise::fold;
use crate::translit;

/// Legal forms and similar noise, as typed; compared after canonicalisation. Forms that are
/// also common words (Norwegian `DA`, Portuguese `da`) are left out.
const LEGAL_FORMS: &[&str] = &[
    "llc",
    "ltd",
    "limited",
    "ooo",
    "ооо",
    "оао",
    "зао",
    "пао",
    "ао",
    "тоо",
    "mchj",
    "мчж",
    "xk",
    "хк",
    "qk",
    "aj",
    "oajj",
    "ajj",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "ao",
    "oao",
    "zao",
    "pao",
    "too",
    "tov",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "sa",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "plc",
    "llp",
    "lp",
    "fze",
    "fzco",
    "fzc",
    "fz",
    "sdn",
    "bhd",
    "pte",
    "pvt",
    "ltda",
    "sirketi",
    "as",
    "asa",
    "ab",
    "oy",
    "kg",
];

/// Legal forms this long are recognised with one typing error, from [`TWO_EDITS`] with two.
const ONE_EDIT: usize = 6;
const TWO_EDITS: usize = 10;

/// Whether a canonical token is a company legal form such as `llc` or `mchj`, or a long one
/// (`company`, `corporation`, `limited`) with a typing error or two.
pub fn is_legal_form(token: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    static LONG: OnceLock<Vec<(String, usize)>> = OnceLock::new();
    let set = SET.get_or_init(|| {
        LEGAL_FORMS
            .iter()
            .map(|f| translit::canonical(&fold(f)))
            .collect()
    });
    // The forms long enough to be recognised with typing errors, with how many they may have.
    let long = LONG.get_or_init(|| {
        let long = set.iter().filter(|f| f.len() >= ONE_EDIT);
        long.map(|f| (f.clone(), if f.len() >= TWO_EDITS { 2 } else { 1 }))
            .collect()
    });
    set.contains(token)
        || (token.len() + 1 >= ONE_EDIT
            && long.iter().any(|(form, edits)| {
                form.len().abs_diff(token.len()) <= *edits
                    && within_edits(token.as_bytes(), form.as_bytes(), *edits)
            }))
}

/// Whether `a` becomes `b` with at most `k` insertions, deletions, substitutions or swaps of
/// neighbours; `k` is at most 2 here, so trying every edit at the first difference is cheap.
fn within_edits(a: &[u8], b: &[u8], k: usize) -> bool {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (
        a.get(common..).unwrap_or(&[]),
        b.get(common..).unwrap_or(&[]),
    );
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()) <= k;
    }
    if k == 0 || a.len().abs_diff(b.len()) > k {
        return false;
    }
    let (a1, b1) = (a.get(1..).unwrap_or(&[]), b.get(1..).unwrap_or(&[]));
    let swapped = a
        .get(..2)
        .zip(b.get(..2))
        .is_some_and(|(x, y)| x.first() == y.get(1) && x.get(1) == y.first());
    within_edits(a1, b1, k - 1)
        || within_edits(a1, b, k - 1)
        || within_edits(a, b1, k - 1)
        || (swapped && within_edits(a.get(2..).unwrap_or(&[]), b.get(2..).unwrap_or(&[]), k - 1))
}
