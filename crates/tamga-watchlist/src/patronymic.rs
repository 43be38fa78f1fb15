//! Patronymics: the part of a listed name a query most often leaves out.
//!
//! Russian and Uzbek lists write persons as "surname given-name patronymic"; declarations,
//! passports and the officer's query usually carry only the given name and the surname. Two
//! things make the patronymic cheap to omit and impossible to confuse with a given name:
//!
//! - [`merge_markers`] writes the Uzbek form (`Baҳodir oʻgʻli`, `Bahodir qizi`) as the Russian
//!   one (`bahodirovich`, `bahodirovna`), so both forms of one patronymic share a key;
//! - [`mask`] marks which tokens of a name are patronymics. A listed patronymic the query does
//!   not mention costs nothing ([`crate::similarity`]), and a patronymic only pairs with a
//!   patronymic, so the father `Bahodir Qodirov` is not his son `Qodirov Oʻtkir Bahodirovich`.

use crate::normalise::fold;
use crate::translit;

/// The Uzbek, Azerbaijani and Kazakh words for "son of", as typed.
const SON_OF: &[&str] = &["oʻgʻli", "ўғли", "ugli", "oglu", "uly", "ули", "углы"];

/// The words for "daughter of".
const DAUGHTER_OF: &[&str] = &["qizi", "қизи", "kyzy", "кизи", "кизы"];

/// Endings of the Russian-style patronymic, after canonicalisation.
const ENDINGS: &[&str] = &["vich", "vna", "vichna"];

/// Tokens of a patronymic are at least this long (`ivanovich`, not a short surname `Vich`).
const MIN_LEN: usize = 7;

fn canonical_words(words: &[&str]) -> Vec<String> {
    words
        .iter()
        .map(|w| translit::canonical(&fold(w)))
        .collect()
}

fn is_son_of(token: &str) -> Option<&'static str> {
    static SON: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    static DAUGHTER: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let listed = |words: &Vec<String>| words.iter().any(|w| w == token);
    if listed(SON.get_or_init(|| canonical_words(SON_OF))) {
        Some("ovich")
    } else if listed(DAUGHTER.get_or_init(|| canonical_words(DAUGHTER_OF))) {
        Some("ovna")
    } else {
        None
    }
}

/// Joins "father's name + son/daughter of" into one Russian-style patronymic token.
pub fn merge_markers(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for token in tokens {
        match (is_son_of(&token), out.last_mut()) {
            (Some(ending), Some(father)) if !is_patronymic(father.as_bytes()) => {
                let joined = format!("{father}{ending}");
                *father = translit::canonical(&joined);
            }
            _ => out.push(token),
        }
    }
    out
}

fn is_patronymic(token: &[u8]) -> bool {
    token.len() >= MIN_LEN && ENDINGS.iter().any(|e| token.ends_with(e.as_bytes()))
}

/// Bit `i` is set when token `i` is a patronymic.
///
/// Only names of three tokens or more have one, never first. When two tokens look like
/// patronymics (Roman Arkadyevich Abramovich), the last is the surname.
pub fn mask<S: AsRef<[u8]>>(tokens: &[S]) -> u16 {
    if tokens.len() < 3 {
        return 0;
    }
    let candidates: Vec<usize> = tokens
        .iter()
        .enumerate()
        .skip(1)
        .take(15)
        .filter(|(_, t)| is_patronymic(t.as_ref()))
        .map(|(i, _)| i)
        .collect();
    let last = tokens.len() - 1;
    candidates
        .iter()
        .filter(|&&i| candidates.len() == 1 || i != last)
        .fold(0, |m, &i| m | (1 << i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::tokens;

    #[test]
    fn both_forms_of_a_patronymic_share_a_key() {
        assert_eq!(
            tokens("Qodirov Oʻtkir Bahodir oʻgʻli", true),
            tokens("Қодиров Ўткир Баҳодирович", true)
        );
        assert_eq!(
            tokens("Karimova Nodira Rustam qizi", true),
            tokens("Каримова Нодира Рустамовна", true)
        );
    }

    #[test]
    fn marks_the_patronymic_not_the_surname() {
        let mask_of = |name: &str| mask(&tokens(name, true));
        assert_eq!(mask_of("Qodirov Utkir Bahodirovich"), 0b100);
        assert_eq!(mask_of("Roman Arkadyevich Abramovich"), 0b010);
        assert_eq!(mask_of("Utkir Qodirov"), 0);
        assert_eq!(mask_of("Ivan Ivanovich"), 0);
        assert_eq!(mask_of("Dmitry Shostakovich Petrov"), 0b010);
    }
}
