//! Cyrillic → Latin transliteration and the canonical Latin spelling.
//!
//! Two steps, both applied to every name on both sides of a comparison:
//!
//! 1. [`cyrillic`] maps one lowercase Cyrillic letter (Russian, Uzbek Cyrillic with `ў қ ғ ҳ`,
//!    and the common Ukrainian, Belarusian, Kazakh, Tajik and Serbian letters) to Latin.
//! 2. [`canonical`] rewrites one lowercase Latin token so that the usual romanisation variants
//!    converge: Uzbek Latin (`x`, `q`, `j`, `oʻ`), Russian passport and BGN/PCGN styles (`kh`,
//!    `zh`, `ts`, `ye`), the German and Scandinavian `j` for `y`, the `-iy`/`-ii`/`-y` endings, and
//!    doubled consonants (Abdullaev, Abdulaev), and the English and French spellings of
//!    Arabic-origin names (`ee`, `oo`, `ou`, the diphthong `ay`/`ei`, `o` as `u`, a final
//!    `-ah`). `aa` stays: collapsing it would make Norwegian `Aas` the legal form `AS`.
//!    The result is a key, not a spelling anyone would write.
//!
//! The rewrites lose information on purpose (`x` and `kh` both become `h`): a key that merges
//! two real names costs one extra candidate to score, a key that separates two spellings of
//! one name costs a missed hit.

use std::cell::RefCell;

use crate::hash::FxHashMap;

/// Latin for one lowercase Cyrillic letter; `None` when `c` is not Cyrillic.
///
/// The hard and soft signs give the empty string. `ў` follows Uzbek (`oʻ`), not Belarusian.
pub fn cyrillic(c: char) -> Option<&'static str> {
    let latin = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' | 'э' => "e",
        'ё' => "yo",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' | 'ӣ' => "i",
        'й' | 'ы' => "y",
        'к' | 'ќ' => "k",
        'л' => "l",
        'м' => "m",
        'н' | 'ң' => "n",
        'о' | 'ў' | 'ө' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ү' | 'ұ' | 'ӯ' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        'қ' => "q",
        'ғ' | 'ґ' | 'ѓ' => "g",
        'ҳ' | 'һ' => "h",
        'ї' => "yi",
        'є' => "ye",
        'ә' => "a",
        'ј' => "j",
        'љ' => "lj",
        'њ' => "nj",
        'ћ' => "c",
        'ђ' => "dj",
        'џ' => "dz",
        'ҷ' => "j",
        _ => return None,
    };
    Some(latin)
}

/// Transliterates the Cyrillic letters of `text` (after lowercasing them) and keeps every other
/// character as it is. Useful for showing an analyst what the key was made from.
pub fn to_latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        match cyrillic(lower) {
            Some(latin) => out.push_str(latin),
            None => out.push(c),
        }
    }
    out
}

/// The canonical key of one lowercase Latin token (see the module docs).
///
/// Idempotent: the rewrites are repeated until nothing changes, so `canonical(canonical(t)) ==
/// canonical(t)`. Characters outside ASCII pass through untouched.
pub fn canonical(token: &str) -> String {
    thread_local! {
        static MEMORY: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::default();
    }
    // Words recur far more than names do; a word's key is computed once per thread, the
    // memory emptied when it grows past [`REMEMBERED`].
    MEMORY.with(|cell| {
        let Ok(mut memory) = cell.try_borrow_mut() else {
            return rewrite_all(token);
        };
        if let Some(key) = memory.get(token) {
            return key.to_string();
        }
        let key = rewrite_all(token);
        if memory.len() >= REMEMBERED {
            memory.clear();
        }
        memory.insert(token.into(), key.as_str().into());
        key
    })
}

/// Words whose keys a thread remembers.
const REMEMBERED: usize = 50_000;

/// [`canonical`], computed.
fn rewrite_all(token: &str) -> String {
    let mut current = token.as_bytes().to_vec();
    let mut next = Vec::with_capacity(current.len());
    // Each pass shortens the token or leaves it as it is, so this converges quickly; the bound
    // only guards against a rule cycle introduced by a future edit.
    for _ in 0..8 {
        pass(&current, &mut next);
        if next == current {
            break;
        }
        std::mem::swap(&mut current, &mut next);
    }
    // Only ASCII bytes were rewritten and ASCII bytes never occur inside a multi-byte sequence,
    // so the bytes are still UTF-8; the fallback is unreachable in practice.
    String::from_utf8(current).unwrap_or_else(|_| token.to_owned())
}

/// One left-to-right rewrite pass of `token` into `out`, then the endings and the doubled
/// letters.
fn pass(token: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while let Some(rest) = token.get(i..) {
        if rest.is_empty() {
            break;
        }
        i += rewrite(rest, out);
    }
    fix_ending(out);
    out.dedup_by(|a, b| a == b && is_consonant(*a));
}

/// Rules that replace a fixed prefix with a fixed string, longest first.
const RULES: &[(&[u8], &[u8])] = &[
    (b"shch", b"sh"),
    (b"sch", b"sh"),
    (b"dzh", b"j"),
    (b"iya", b"ya"),
    (b"iyu", b"yu"),
    // `тж` (Uzbek -jon names) must not lose its `zh` to the `tz` rule.
    (b"tzh", b"tj"),
    (b"zh", b"j"),
    (b"dj", b"j"),
    (b"kh", b"h"),
    (b"ck", b"k"),
    (b"ts", b"c"),
    (b"tz", b"c"),
    (b"ph", b"f"),
    (b"gh", b"g"),
    (b"ia", b"ya"),
    // Arabic-origin names in English and French romanisations: Saeed, Mahmoud, Youssef.
    // (`th` stays: written `s` in Osman, but as a key it turns a typed `Mocthar` into
    // another word than `Mochtar`.)
    (b"ee", b"i"),
    (b"oo", b"u"),
    (b"ou", b"u"),
    (b"uu", b"u"),
    (b"iu", b"yu"),
    (b"x", b"h"),
    (b"q", b"k"),
    (b"w", b"v"),
];

/// Rewrites the start of `rest` onto `out`; returns how many input bytes were consumed.
fn rewrite(rest: &[u8], out: &mut Vec<u8>) -> usize {
    for (from, to) in RULES {
        if rest.starts_with(from) {
            out.extend_from_slice(to);
            return from.len();
        }
    }
    let first = rest.first().copied().unwrap_or(b' ');
    let second = rest.get(1).copied();
    match (first, second) {
        // `ja`, `ju`, `jo`, `je` spell `я`, `ю`, `ё`, `е` in German, Polish and Scandinavian
        // romanisations: the `j` is a `y`.
        (b'j', Some(b'a' | b'u' | b'o' | b'e')) => out.push(b'y'),
        // `е` is written `ye` or `e`: Abdullayev, Abdullaev.
        (b'y', Some(b'e')) => {}
        // `ё` after a consonant is written `yo`, `jo` or `e`: Fyodor, Fjodor, Fedor.
        (b'y', Some(b'o')) if out.last().is_some_and(|&c| is_consonant(c)) => {
            out.push(b'e');
            return 2;
        }
        // `ay`, `ai`, `aj`, `ei` and `ey` before a consonant are one diphthong: Husayn,
        // Hussein, Hussain; Faysal, Feisal; Ajmi, Aymi.
        (b'a' | b'e', Some(b'i' | b'y' | b'j'))
            if rest.get(2).is_some_and(|&c| is_consonant(c)) =>
        {
            out.extend_from_slice(b"ai");
            return 2;
        }
        // `o` is the `u` of Usama, Umar, Musa written Osama, Omar, Mosa, and the Uzbek `oʻ`
        // (`ў`) written `u` in passports (Goʻzal, Guzal). After a consonant and `y` or `j` it
        // is the `ё` of Pyotr, Pjotr and -zhon, which a later pass writes `e`.
        (b'o', _) if !after_consonant_y(out) => out.push(b'u'),
        _ => out.push(first),
    }
    1
}

fn after_consonant_y(out: &[u8]) -> bool {
    matches!(out, [.., c, b'y' | b'j'] if is_consonant(*c))
}

/// `-iy`, `-ii`, `-yi`, `-ij`, `-y` and vowel + `j` at the end all become `-i`: Navoiy, Navoi;
/// Dmitriy, Dmitrii, Dmitrij, Dmitry; Sergey, Sergej, Sergei. A final `-ah` after a longer
/// stem is `-a`: Hamzah, Hamza; Abdullah, Abdulla.
fn fix_ending(out: &mut Vec<u8>) {
    let n = out.len();
    let tail = out.get(n.saturating_sub(2)..).unwrap_or(&[]);
    match tail {
        b"ah" if n > 3 => out.truncate(n - 1),
        b"iy" | b"ii" | b"yi" | b"ij" => {
            out.truncate(n - 1);
            if let Some(last) = out.last_mut() {
                *last = b'i';
            }
        }
        [v, b'j'] if is_vowel(*v) => {
            if let Some(last) = out.last_mut() {
                *last = b'i';
            }
        }
        [_, b'y'] => {
            if let Some(last) = out.last_mut() {
                *last = b'i';
            }
        }
        _ => {}
    }
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

fn is_consonant(c: u8) -> bool {
    c.is_ascii_alphabetic() && !is_vowel(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        canonical(&to_latin(&s.to_lowercase()))
    }

    #[test]
    fn variants_converge() {
        for group in [
            &["navoiy", "navoi", "навоий"][..],
            &["abdullaev", "abdullayev", "абдуллаев", "abdulaev"],
            &["husanov", "xusanov", "khusanov", "хусанов", "ҳусанов"],
            &["shchukin", "щукин", "shukin"],
            &["dmitriy", "dmitrii", "dmitry", "dmitrij", "дмитрий"],
            &["fyodor", "fjodor", "fedor", "фёдор", "фeдор"],
            &["mariya", "maria", "marija", "мария"],
            &["yuriy", "juri", "iurii", "юрий"],
            &["tsoy", "цой", "tzoy", "coi"],
            &["zhukov", "жуков", "jukov"],
        ] {
            let keys: Vec<String> = group.iter().map(|s| key(s)).collect();
            assert!(
                keys.windows(2).all(|w| w[0] == w[1]),
                "{group:?} gave {keys:?}"
            );
        }
    }

    #[test]
    fn canonical_is_idempotent_on_samples() {
        for s in [
            "kxkh",
            "yyye",
            "iiiy",
            "jjja",
            "shchch",
            "y",
            "j",
            "",
            "abc\u{0627}x",
        ] {
            let once = canonical(s);
            assert_eq!(canonical(&once), once, "{s}");
        }
    }

    #[test]
    fn non_ascii_passes_through() {
        assert_eq!(canonical("عبد"), "عبد");
    }
}
