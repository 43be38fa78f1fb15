//! Transliteration rules the generated queries are written with: official Uzbek Latin, the
//! Russian-style and passport spellings of Uzbek names, and the ICAO, BGN/PCGN and "typist"
//! romanisations of Russian. Each style is one table from a lowercase Cyrillic letter (and
//! whether it starts the word or follows a vowel) to Latin.

/// How a Cyrillic name is written in Latin letters.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    /// Official Uzbek Latin; `mark` writes the `ʻ` of `oʻ`/`gʻ` (U+02BB, `'`, `’`, or none).
    Uzbek { mark: &'static str },
    /// A Russian-style or passport spelling of an Uzbek name: `х` as `kh`, `ж` as `dj` or `zh`,
    /// `ғ` as `g` or `gh`, `ў` as `u`, `ю` as `yu` or `iu`.
    Passport {
        zh: &'static str,
        gh: &'static str,
        iu: bool,
    },
    /// ICAO Doc 9303 (Russian passports since 2013): `iu`, `ia`, `i` for `й`, `ie` for `ъ`.
    Icao,
    /// BGN/PCGN: `ye` at the start of a word and after vowels, `yu`, `ya`, `y` for `й`.
    Bgn,
    /// What a typist might write: `h` for `х`, `j` for `ж` and `й`, `ju`, `ja`, `c` for `ц`.
    Typist,
}

const VOWELS: &str = "аеёиоуўыэюяaeiou";

/// `cyrillic` in the Latin letters of `style`, each word capitalised.
pub fn latin(cyrillic: &str, style: Style) -> String {
    cyrillic
        .split(' ')
        .map(|word| capitalise(&word_latin(&word.to_lowercase(), style)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn word_latin(word: &str, style: Style) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in word.chars() {
        let soft = prev.is_none_or(|p| VOWELS.contains(p) || p == 'ъ' || p == 'ь');
        out.push_str(&letter(c, soft, style));
        prev = Some(c);
    }
    out
}

/// One letter; `soft` when it starts the word or follows a vowel or sign (where `е` is `ye`).
fn letter(c: char, soft: bool, style: Style) -> String {
    let common = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'з' => "z",
        'и' => "i",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'ч' => "ch",
        'ш' => "sh",
        'э' => "e",
        'ь' => "",
        _ => return styled(c, soft, style),
    };
    common.to_owned()
}

fn styled(c: char, soft: bool, style: Style) -> String {
    let ye = if soft { "ye" } else { "e" };
    let s: &str = match style {
        Style::Uzbek { mark } => {
            return match c {
                'ў' => format!("o{mark}"),
                'ғ' => format!("g{mark}"),
                'ъ' => mark.to_owned(),
                _ => uzbek(c, ye).to_owned(),
            }
        }
        Style::Passport { zh, gh, iu } => match c {
            'ж' => zh,
            'ғ' => gh,
            'ю' if iu => "iu",
            'я' if iu => "ia",
            'ў' => "u",
            'ҳ' | 'х' => "kh",
            'қ' => "k",
            _ => uzbek(c, ye),
        },
        Style::Icao => match c {
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'й' => "i",
            'х' => "kh",
            'ц' => "ts",
            'щ' => "shch",
            'ъ' => "ie",
            'ы' => "y",
            'ю' => "iu",
            'я' => "ia",
            _ => uzbek(c, "e"),
        },
        Style::Bgn => match c {
            'е' => ye,
            'ё' => "yo",
            'ж' => "zh",
            'х' => "kh",
            'щ' => "shch",
            'ы' => "y",
            _ => uzbek(c, ye),
        },
        Style::Typist => match c {
            'е' => "e",
            'ё' => "jo",
            'ж' | 'й' => "j",
            'х' => "h",
            'ц' => "c",
            'щ' => "sch",
            'ы' => "y",
            'ю' => "ju",
            'я' => "ja",
            _ => uzbek(c, "e"),
        },
    };
    s.to_owned()
}

/// The official Uzbek Latin letter for what the other tables leave alone.
fn uzbek(c: char, ye: &'static str) -> &'static str {
    match c {
        'е' => ye,
        'ё' => "yo",
        'ж' => "j",
        'й' => "y",
        'х' => "x",
        'ц' => "ts",
        'щ' => "sh",
        'ъ' | 'ь' => "",
        'ы' => "i",
        'ю' => "yu",
        'я' => "ya",
        'ў' => "o",
        'қ' => "q",
        'ғ' => "g",
        'ҳ' => "h",
        _ => "",
    }
}

pub fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[test]
fn styles_spell_as_documented() {
    assert_eq!(
        latin("Ўткир Хўжаев", Style::Uzbek { mark: "\u{2bb}" }),
        "Oʻtkir Xoʻjayev"
    );
    let passport = Style::Passport {
        zh: "dj",
        gh: "g",
        iu: false,
    };
    assert_eq!(latin("Ўткир Хўжаев", passport), "Utkir Khudjayev");
    assert_eq!(latin("Юрий Щукин", Style::Icao), "Iurii Shchukin");
    assert_eq!(latin("Евгений Соловьёв", Style::Bgn), "Yevgeniy Solovyov");
    assert_eq!(latin("Фёдор Жуков", Style::Typist), "Fjodor Jukov");
}
