//! The Uzbek and Russian sets: persons listed in Cyrillic as "surname given-name patronymic",
//! asked for in Latin (or Cyrillic) with the given name first or last, with or without the
//! patronymic, with the other form of the patronymic (`-ovich` against `oʻgʻli`).

use super::seeds::{RU_MEN, RU_SURNAMES, RU_WOMEN, UZ_MEN, UZ_SURNAMES, UZ_WOMEN};
use super::spell::{latin, Style};
use super::{distinct_pairs, unlisted_given, EvalSet, Rng};

/// Persons listed per set; a fifth of them women.
const PERSONS: usize = 150;
const QUERIES_PER_PERSON: usize = 4;

/// A listed person's names, in Cyrillic.
struct Person {
    surname: String,
    given: String,
    /// The patronymic as listed and in the other form.
    patronymic: [String; 2],
}

/// What differs between the Uzbek and the Russian set.
struct Names {
    surnames: &'static [&'static str],
    men: Vec<&'static str>,
    /// Patronymic stems by men's name (`Баҳодиров`, `Дмитриев`).
    stems: Vec<String>,
    women: &'static [&'static str],
    styles: fn(&mut Rng) -> Option<Style>,
    uzbek_form: bool,
}

pub fn uzbek() -> EvalSet {
    let names = Names {
        surnames: UZ_SURNAMES,
        men: UZ_MEN.to_vec(),
        stems: UZ_MEN.iter().map(|m| format!("{m}ов")).collect(),
        women: UZ_WOMEN,
        styles: uzbek_style,
        uzbek_form: true,
    };
    generate("uzbek", &names, 0x5eed_0001)
}

pub fn russian() -> EvalSet {
    let names = Names {
        surnames: RU_SURNAMES,
        men: RU_MEN.iter().map(|(m, _)| *m).collect(),
        stems: RU_MEN.iter().map(|(_, s)| (*s).to_owned()).collect(),
        women: RU_WOMEN,
        styles: russian_style,
        uzbek_form: false,
    };
    generate("russian", &names, 0x5eed_0002)
}

fn uzbek_style(rng: &mut Rng) -> Option<Style> {
    Some(match rng.below(6) {
        0 => Style::Uzbek { mark: "\u{2bb}" },
        1 => Style::Uzbek { mark: "'" },
        2 => Style::Uzbek { mark: "\u{2019}" },
        3 => Style::Uzbek { mark: "" },
        _ => Style::Passport {
            zh: ["dj", "zh", "j"][rng.below(3)],
            gh: ["g", "gh"][rng.below(2)],
            iu: rng.chance(30),
        },
    })
}

fn russian_style(rng: &mut Rng) -> Option<Style> {
    match rng.below(4) {
        0 => Some(Style::Icao),
        1 => Some(Style::Bgn),
        2 => Some(Style::Typist),
        _ => None,
    }
}

fn generate(name: &'static str, names: &Names, seed: u64) -> EvalSet {
    let mut rng = Rng(seed);
    let mut set = EvalSet {
        name,
        ..EvalSet::default()
    };
    let women = PERSONS / 5;
    let men = distinct_pairs(
        &mut rng,
        names.surnames.len(),
        names.men.len(),
        PERSONS - women,
    );
    let wives = distinct_pairs(&mut rng, names.surnames.len(), names.women.len(), women);
    for (key, &(s, g)) in men.iter().chain(&wives).enumerate() {
        let female = key >= men.len();
        let listed_person = person(names, &mut rng, s, g, female);
        let id = set.list(
            key,
            format!(
                "{} {} {}",
                listed_person.surname, listed_person.given, listed_person.patronymic[0]
            ),
        );
        for _ in 0..QUERIES_PER_PERSON {
            let query = query(&listed_person, names, &mut rng);
            set.positives.push((query, id.clone()));
        }
        let listed = if female { &wives } else { &men };
        let pool = if female {
            names.women.len()
        } else {
            names.men.len()
        };
        let other_given = unlisted_given(&mut rng, listed, s, g, pool);
        let mut other = person(names, &mut rng, s, other_given, female);
        set.negatives.push(query(&other, names, &mut rng));
        let other_surname = (s + 1 + rng.below(names.surnames.len() - 1)) % names.surnames.len();
        if !listed.contains(&(other_surname, g)) {
            other = self::person(names, &mut rng, other_surname, g, female);
            set.negatives.push(query(&other, names, &mut rng));
        }
    }
    set
}

fn person(names: &Names, rng: &mut Rng, surname: usize, given: usize, female: bool) -> Person {
    let father = rng.below(names.men.len());
    let stem = &names.stems[father];
    let (suffix, uzbek_word) = if female {
        ("на", "қизи")
    } else {
        ("ич", "ўғли")
    };
    let russian_form = format!("{stem}{suffix}");
    let uzbek_form = format!("{} {uzbek_word}", names.men[father]);
    let patronymic = if names.uzbek_form && rng.chance(50) {
        [uzbek_form, russian_form]
    } else {
        [russian_form, uzbek_form]
    };
    let (surname, given) = if female {
        (
            format!("{}а", names.surnames[surname]),
            names.women[given].to_owned(),
        )
    } else {
        (
            names.surnames[surname].to_owned(),
            names.men[given].to_owned(),
        )
    };
    Person {
        surname,
        given,
        patronymic,
    }
}

/// One way of asking for `person`: an order, a subset of the names and a spelling.
fn query(person: &Person, names: &Names, rng: &mut Rng) -> String {
    let (s, g) = (&person.surname, &person.given);
    let p = &person.patronymic[usize::from(names.uzbek_form && rng.chance(30))];
    let cyrillic = match rng.below(6) {
        0 | 1 => format!("{g} {s}"),
        2 => format!("{s} {g}"),
        3 => format!("{g} {p} {s}"),
        4 => format!("{s} {g} {p}"),
        _ => format!("{}, {g}", s.to_uppercase()),
    };
    match (names.styles)(rng) {
        Some(style) => latin(&cyrillic, style),
        None => cyrillic,
    }
}
