//! Name normalisation: from whatever was typed or listed to canonical tokens.
//!
//! [`fold`] lowercases, transliterates Cyrillic, strips Latin diacritics, drops apostrophes (so
//! Uzbek `oʻ`, `o'`, `o’`, `o‘` and `` o` `` all become `o`) and turns every other punctuation
//! mark into a space. [`tokens`] then gives each word its canonical spelling
//! ([`crate::translit::canonical`]) and optionally drops company legal forms (LLC, OOO, MChJ,
//! ...) and the Arabic article standing alone (`al-Houthi` and `Al Houthi` give `houthi`).

use std::collections::HashSet;
use std::sync::OnceLock;

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

/// The Arabic article, written as a word of its own. Gluing it to the next word instead would
/// make the key depend on word order (`Ibn el Qaim` against `Qaim el Ibn`).
const ARTICLES: &[&str] = &["al", "el"];

/// Lowercase, transliterated, diacritic-free text with single spaces between words.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        for lower in c.to_lowercase() {
            push_folded(lower, &mut out);
        }
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
    let all: Vec<String> = fold(name)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(translit::canonical)
        .collect();
    if !drop_noise {
        return all;
    }
    let kept: Vec<String> = all.iter().filter(|t| !is_noise(t)).cloned().collect();
    if kept.is_empty() {
        all
    } else {
        kept
    }
}

/// The canonical form of a name: its [`tokens`] (noise dropped) joined by spaces.
///
/// Idempotent: `normalise(&normalise(x)) == normalise(x)`.
pub fn normalise(name: &str) -> String {
    tokens(name, true).join(" ")
}

/// Whether a canonical token is a company legal form such as `llc` or `mchj`.
pub fn is_legal_form(token: &str) -> bool {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        LEGAL_FORMS
            .iter()
            .map(|f| translit::canonical(&fold(f)))
            .collect()
    })
    .contains(token)
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
    fn drops_legal_forms_but_not_everything() {
        assert_eq!(normalise("OOO Romashka"), "romashka");
        assert_eq!(normalise("ООО «Ромашка»"), "romashka");
        assert_eq!(normalise("Navoi Trade MChJ"), "navoi trade");
        assert_eq!(normalise("LLC"), "lc");
        assert_eq!(tokens("Acme LLC", false), ["acme", "lc"]);
    }

    #[test]
    fn drops_the_arabic_article() {
        assert_eq!(normalise("AL-HOUTHI"), "houthi");
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
