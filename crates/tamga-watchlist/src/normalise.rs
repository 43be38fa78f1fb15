//! Name normalisation: from whatever was typed or listed to canonical tokens.
//!
//! [`fold`] lowercases, transliterates Cyrillic, strips Latin diacritics, drops apostrophes (so
//! Uzbek `oʻ`, `o'`, `o’`, `o‘` and `` o` `` all become `o`) and turns every other punctuation
//! mark into a space. [`tokens`] then gives each word its canonical spelling
//! ([`crate::translit::canonical`]) and optionally drops company legal forms (LLC, OOO, MChJ,
//! ...), also when mistyped (`COMPNAY`, `LIMTED`), and the Arabic article standing alone
//! (`al-Houthi` and `Al Houthi` give `houthi`). The Uzbek patronymic (`Bahodir oʻgʻli`) becomes
//! the Russian-style one ([`crate::patronymic`]). [`spellings`] gives the other ways a listed
//! name with an apostrophe or a hyphen inside a word is written (`Ba'asyir` as `Ba asyir`,
//! `Ra-Ky` as `Raky`).

pub use crate::legal::is_legal_form;
use crate::{arabic, patronymic, translit};

/// The Arabic article, written as a word of its own. Gluing it to the next word instead would
/// make the key depend on word order (`Ibn el Qaim` against `Qaim el Ibn`).
const ARTICLES: &[&str] = &["al", "el"];

/// How [`fold_with`] treats apostrophes and hyphens inside words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breaks {
    /// An apostrophe between two letters separates words (`Ba'asyir` as `ba asyir`), except
    /// after `o` and `g`, where it belongs to the Uzbek letters `oʻ` and `gʻ`.
    pub apostrophe_splits: bool,
    /// A hyphen between two letters joins them (`Ra-Ky` as `raky`).
    pub hyphen_joins: bool,
}

/// Lowercase, transliterated, diacritic-free text with single spaces between words.
pub fn fold(name: &str) -> String {
    fold_with(name, Breaks::default())
}

/// [`fold`], with apostrophes and hyphens inside words treated as `breaks` says.
pub fn fold_with(name: &str, breaks: Breaks) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    let mut chars = name.chars().flat_map(char::to_lowercase).peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        let next_is_letter = chars.peek().is_some_and(|n| n.is_alphabetic());
        let inside = prev.is_alphabetic() && next_is_letter;
        if inside && breaks.apostrophe_splits && is_apostrophe(c) && !matches!(prev, 'o' | 'g') {
            out.push(' ');
        } else if !(inside && breaks.hyphen_joins && is_hyphen(c)) {
            push_folded(c, &mut out);
        }
        prev = c;
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_folded(c: char, out: &mut String) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else if is_apostrophe(c) || is_combining_mark(c) {
        // Apostrophes join (Uzbek oʻ, O'Brien); combining accents left by NFD input vanish.
    } else if let Some(latin) = translit::cyrillic(c) {
        out.push_str(latin);
    } else if let Some(latin) = latin_base(c) {
        out.push_str(latin);
    } else if c.is_alphanumeric() {
        out.push(c);
    } else {
        out.push(' ');
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '´' | 'ʻ' | 'ʼ' | 'ʹ' | 'ʽ' | '‘' | '’' | '‛' | '′' | 'ʾ' | 'ʿ'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–' | '—')
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}')
}

/// The plain Latin letters of a lowercase Latin letter with a diacritic.
fn latin_base(c: char) -> Option<&'static str> {
    let base = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'ǎ' | 'ạ' | 'ả' | 'ấ' | 'ầ' => {
            "a"
        }
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' | 'ḍ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' | 'ẹ' | 'ế' | 'ề' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' | 'ǧ' => "g",
        'ĥ' | 'ħ' | 'ḥ' | 'ḫ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' | 'ǐ' | 'ị' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ǒ' | 'ọ' | 'ơ' | 'ố' | 'ồ' => {
            "o"
        }
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ṣ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' | 'ț' | 'ṭ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ǔ' | 'ư' | 'ụ' => {
            "u"
        }
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' | 'ẓ' => "z",
        _ => return None,
    };
    Some(base)
}

/// The canonical tokens of a name, in their original order.
///
/// With `drop_noise`, company legal forms (`llc`, `ooo`, `mchj`, ...) and the article `al`/`el`
/// are removed, unless that would leave nothing.
pub fn tokens(name: &str, drop_noise: bool) -> Vec<String> {
    folded_tokens(&fold(name), drop_noise, Particles::Merge)
}

/// Whether [`arabic::merge_particles`] runs. Merging reads the words in order (`Abd` before
/// `al-Rahman`), so a name is also kept with its particles as words, which a query with its
/// words in another order pairs with. Patronymic markers are always merged: kept as words, the
/// father's name would pass for a given name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Particles {
    Merge,
    Keep,
}

/// The ways a query is read: its [`tokens`], then, when that merged Arabic particles, its
/// words as they are (noise dropped).
pub fn readings(name: &str) -> Vec<Vec<String>> {
    let words = canonical_words(&fold(name));
    let merged = drop_noise(arabic::merge_particles(words.clone()));
    let kept = drop_noise(words);
    if kept == merged {
        vec![merged]
    } else {
        vec![merged, kept]
    }
}

/// Every distinct token sequence a listed name may be typed as: its [`tokens`] (noise
/// dropped), then those with apostrophes inside words as word breaks and with hyphens inside
/// words joining, when the name has such marks, each also with its particles and patronymic
/// markers kept as words ([`readings`]).
pub fn spellings(name: &str) -> Vec<Vec<String>> {
    let mut all = vec![tokens(name, true)];
    for breaks in [
        Breaks::default(),
        Breaks {
            apostrophe_splits: true,
            hyphen_joins: false,
        },
        Breaks {
            apostrophe_splits: false,
            hyphen_joins: true,
        },
    ] {
        let folded = fold_with(name, breaks);
        for particles in [Particles::Merge, Particles::Keep] {
            let variant = folded_tokens(&folded, true, particles);
            if !all.contains(&variant) {
                all.push(variant);
            }
        }
    }
    all
}

fn folded_tokens(folded: &str, drop: bool, particles: Particles) -> Vec<String> {
    let words = canonical_words(folded);
    let words = match particles {
        Particles::Merge => arabic::merge_particles(words),
        Particles::Keep => words,
    };
    if drop {
        drop_noise(words)
    } else {
        words
    }
}

/// The canonical words of folded text, patronymic markers merged.
fn canonical_words(folded: &str) -> Vec<String> {
    let words: Vec<String> = folded
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(translit::canonical)
        .collect();
    patronymic::merge_markers(words)
}

/// `words` without legal forms and articles, unless that leaves nothing.
fn drop_noise(words: Vec<String>) -> Vec<String> {
    let noise: Vec<bool> = words.iter().map(|t| is_noise(t)).collect();
    if noise.contains(&true) && noise.contains(&false) {
        let words = words.into_iter().zip(noise);
        words.filter(|(_, n)| !n).map(|(t, _)| t).collect()
    } else {
        words
    }
}

/// The canonical form of a name: its [`tokens`] (noise dropped) joined by spaces.
///
/// Idempotent: `normalise(&normalise(x)) == normalise(x)`.
pub fn normalise(name: &str) -> String {
    tokens(name, true).join(" ")
}

fn is_noise(token: &str) -> bool {
    ARTICLES.contains(&token) || is_legal_form(token)
}

/// A container number, plate or other identifier: uppercase ASCII letters and digits only.
pub fn identifier(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_punctuation_diacritics_and_apostrophes() {
        assert_eq!(
            fold("  Müller-Lüdenscheidt, Zoë  "),
            "muller ludenscheidt zoe"
        );
        assert_eq!(
            fold("Oʻzbekiston O’zbekiston O'zbekiston O`zbekiston"),
            "ozbekiston ozbekiston ozbekiston ozbekiston"
        );
        assert_eq!(fold("ООО «Ромашка»"), "ooo romashka");
    }

    #[test]
    fn normalising_twice_changes_nothing_for_the_case_proptest_found() {
        let once = normalise("Ésh,K");
        assert_eq!(once, "esh");
        assert_eq!(normalise(&once), once);
    }

    #[test]
    fn drops_legal_forms_but_not_everything() {
        assert_eq!(normalise("OOO Romashka"), "rumashka");
        assert_eq!(normalise("ООО «Ромашка»"), "rumashka");
        assert_eq!(normalise("Navoi Trade MChJ"), "navui trade");
        assert_eq!(normalise("LLC"), "lc");
        assert_eq!(tokens("Acme LLC", false), ["acme", "lc"]);
    }

    #[test]
    fn drops_mistyped_legal_forms() {
        for name in [
            "Navoi Trade COMPNAY",
            "Navoi Trade Corporaton",
            "Navoi Trade LIMTED",
            "Navoi Trade Coprorration",
            "Navoi Trade ООО",
            "Navoi Trade MCHJ",
        ] {
            assert_eq!(normalise(name), "navui trade", "{name}");
        }
        // Words that merely resemble a legal form stay.
        assert_eq!(normalise("Compass Limestone"), "cumpas limestune");
    }

    #[test]
    fn spells_names_with_inner_apostrophes_and_hyphens_every_way() {
        assert_eq!(
            spellings("Ra'Ky Ong"),
            [vec!["raki", "ung"], vec!["ra", "ki", "ung"]]
        );
        assert_eq!(
            spellings("Ra-Ky Ong"),
            [vec!["ra", "ki", "ung"], vec!["raki", "ung"]]
        );
        assert_eq!(spellings("Oʻtkir Gʻofurov").len(), 1);
        assert_eq!(spellings("Alisher Navoiy"), [vec!["alisher", "navui"]]);
    }

    #[test]
    fn drops_the_arabic_article() {
        assert_eq!(normalise("AL-HOUTHI"), "huthi");
        assert_eq!(normalise("AL-HOUTHI"), normalise("Alhuthi"));
        assert_eq!(
            normalise("Ibn el Qaim"),
            normalise("Qaim El Ibn")
                .split(' ')
                .rev()
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_eq!(normalise("al"), "al");
    }

    #[test]
    fn identifiers_keep_only_letters_and_digits() {
        assert_eq!(identifier("msku 123456-7"), "MSKU1234567");
    }
}
