//! The Arabic-origin set: persons listed as "given father family" in a scholarly
//! romanisation (`Abd al-Rahman Yusuf al-Tamimi`), asked for with the spellings other
//! romanisations and other languages use (Mohammed, Hussein, Youssef, Abdul Rahman,
//! Abdurrahman, Suleiman, Osman, el-Tamimi, Tamimi, Baasyir, Ba-asyir), in other orders and
//! without the father's name.

use super::seeds::{AR_FAMILY, AR_GIVEN};
use super::spell::capitalise;
use super::{distinct_pairs, unlisted_given, EvalSet, Rng};

const PERSONS: usize = 150;
const QUERIES_PER_PERSON: usize = 4;

/// Spelling rules: `(from, to, percent)`, each applied to a whole name with that chance.
const RULES: &[(&str, &str, usize)] = &[
    ("abd al-", "abdul ", 20),
    ("abd al-", "abdel ", 10),
    ("abd al-r", "abdurr", 10),
    ("abd al-", "abd-ul-", 10),
    ("abd al-", "abdul", 10),
    ("abu b", "abub", 10),
    ("muhammad", "mohammed", 25),
    ("muhammad", "mohamed", 15),
    ("husayn", "hussein", 30),
    ("husayn", "hussain", 20),
    ("yusuf", "youssef", 30),
    ("yusuf", "yousef", 20),
    ("ay", "ei", 30),
    ("ay", "ai", 20),
    ("uth", "oth", 20),
    ("th", "s", 20),
    ("u", "o", 20),
    ("u", "ou", 10),
    ("mad", "med", 20),
    ("q", "k", 30),
    ("q", "g", 10),
    ("kh", "h", 10),
    ("kh", "x", 10),
    ("j", "dj", 15),
    ("ah", "a", 40),
    ("ss", "s", 20),
    ("i", "ee", 10),
    ("'", "", 40),
    ("'", "-", 20),
    ("'", " ", 10),
    ("al-", "el-", 20),
    ("al-", "al ", 20),
    ("al-", "", 30),
    ("al-", "al", 10),
];

struct Person {
    given: &'static str,
    father: &'static str,
    family: &'static str,
}

pub fn arabic() -> EvalSet {
    let mut rng = Rng(0x5eed_0003);
    let mut set = EvalSet {
        name: "arabic",
        ..EvalSet::default()
    };
    let listed = distinct_pairs(&mut rng, AR_FAMILY.len(), AR_GIVEN.len(), PERSONS);
    for (key, &(f, g)) in listed.iter().enumerate() {
        let person = person(&mut rng, f, g);
        let id = set.list(
            key,
            format!("{} {} {}", person.given, person.father, person.family),
        );
        for _ in 0..QUERIES_PER_PERSON {
            let query = query(&person, &mut rng);
            set.positives.push((query, id.clone()));
        }
        let other = unlisted_given(&mut rng, &listed, f, g, AR_GIVEN.len());
        let other = self::person(&mut rng, f, other);
        set.negatives.push(query(&other, &mut rng));
    }
    set
}

fn person(rng: &mut Rng, family: usize, given: usize) -> Person {
    let father = loop {
        let father = rng.below(AR_GIVEN.len());
        if father != given {
            break father;
        }
    };
    Person {
        given: AR_GIVEN[given],
        father: AR_GIVEN[father],
        family: AR_FAMILY[family],
    }
}

fn query(person: &Person, rng: &mut Rng) -> String {
    let (g, p, f) = (person.given, person.father, person.family);
    let name = match rng.below(5) {
        0 | 1 => format!("{g} {f}"),
        2 => format!("{g} {p} {f}"),
        3 => format!("{}, {g} {p}", f.to_uppercase()),
        _ => format!("{f} {g}"),
    };
    respell(&name, rng)
}

/// `name` with some of the [`RULES`] applied, each word capitalised.
fn respell(name: &str, rng: &mut Rng) -> String {
    let mut text = name.to_lowercase();
    let mut applied: Vec<&str> = Vec::new();
    for &(from, to, percent) in RULES {
        // One rule per pattern, so `al-` does not become `el-` and then vanish.
        if text.contains(from) && !applied.contains(&from) && rng.chance(percent) {
            text = text.replace(from, to);
            applied.push(from);
        }
    }
    text.split(' ')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}
