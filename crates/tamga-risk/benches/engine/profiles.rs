//! 500 risk profiles generated from a seed, varied like the ones analysts
//! write: commodity prefixes, origin and dispatch lists and literals, parties under watch,
//! thresholds on masses, values and unit-value ratios, flags, `not`/`or`/`and` over 2 to 6
//! predicates, some scoped to offices, mostly weights and a few forced channels. Literal values
//! and thresholds are drawn from the declarations themselves, so that profiles fire about as
//! often as real ones do.

use std::collections::BTreeSet;

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;

use tamga_risk::fields::Field;
use tamga_risk::lang::{CmpOp, Condition, HsLevel, Literal, Set};
use tamga_risk::profile::Scope;
use tamga_risk::{Channel, Effect, Profile};

use crate::data::{item_numbers, Case};
use crate::rng::Rng;

/// Draws predicates and values from the declarations.
#[derive(Debug)]
struct Draw<'a> {
    rng: Rng,
    cases: &'a [Case],
    /// Distinct commodity codes, origins and dispatch countries of the declarations: profiles
    /// pick among them evenly, not by frequency, like analysts who target a niche.
    codes: Vec<String>,
    origins: Vec<String>,
    dispatches: Vec<String>,
    numbers: Vec<(Field, Vec<f64>)>,
}

fn text(s: &str) -> Literal {
    Literal::Text(s.to_owned())
}

fn within(field: Field, set: Set) -> Condition {
    Condition::In {
        field,
        set,
        negated: false,
    }
}

fn named(field: Field, name: &str) -> Condition {
    within(field, Set::List(name.to_owned()))
}

fn compare(field: Field, op: CmpOp, value: Literal) -> Condition {
    Condition::Compare { field, op, value }
}

/// Two significant digits, so thresholds read like an analyst's.
/// A bench threshold as the exact decimal a profile would hold.
fn decimal(x: f64) -> Decimal {
    Decimal::from_f64(x).unwrap_or_default()
}

fn number(x: f64) -> Literal {
    Literal::Number(decimal(x))
}

fn nice(x: f64) -> f64 {
    if x < 10.0 {
        return x.round().max(1.0);
    }
    let scale = 10f64.powi(x.log10().floor() as i32 - 1);
    (x / scale).round() * scale
}

fn distinct(values: impl Iterator<Item = String>) -> Vec<String> {
    let set: BTreeSet<String> = values.collect();
    set.into_iter().collect()
}

impl<'a> Draw<'a> {
    fn new(seed: u64, cases: &'a [Case]) -> Self {
        let items = || cases.iter().flat_map(|c| c.declaration.items.iter());
        let numbers = [
            Field::NetMass,
            Field::GrossMass,
            Field::Value,
            Field::UnitValue,
        ]
        .into_iter()
        .map(|f| (f, item_numbers(cases, f)))
        .collect();
        Draw {
            rng: Rng::new(seed),
            cases,
            codes: distinct(items().map(|i| i.commodity_code.to_string())),
            origins: distinct(items().filter_map(|i| i.origin.as_ref().map(|c| c.to_string()))),
            dispatches: distinct(cases.iter().filter_map(|c| {
                c.declaration
                    .country_of_dispatch
                    .as_ref()
                    .map(|c| c.to_string())
            })),
            numbers,
        }
    }

    fn case(&mut self) -> &'a Case {
        self.rng.pick(self.cases)
    }

    fn quantile(&mut self, field: Field, low: f64, high: f64) -> f64 {
        let p = low + (high - low) * (self.rng.below(1000) as f64 / 1000.0);
        let values = &self
            .numbers
            .iter()
            .find(|(f, _)| *f == field)
            .expect("field")
            .1;
        nice(values[((values.len() - 1) as f64 * p) as usize])
    }

    /// 1 to 3 distinct values from `from`.
    fn some(&mut self, from: &[String], digits: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for _ in 0..1 + self.rng.below(3) {
            let value = self.rng.pick(from)[..digits].to_owned();
            if !out.contains(&value) {
                out.push(value);
            }
        }
        out
    }

    fn hs(&mut self) -> Condition {
        let (level, digits) = match self.rng.below(10) {
            0..=3 => (HsLevel::Chapter, 2),
            4..=8 => (HsLevel::Heading, 4),
            _ => (HsLevel::Subheading, 6),
        };
        let codes = self.some(&self.codes.clone(), digits);
        within(Field::Hs, Set::Hs(level, codes))
    }

    fn country(&mut self, field: Field) -> Condition {
        let from = if field == Field::Origin {
            self.origins.clone()
        } else {
            self.dispatches.clone()
        };
        match self.rng.below(6) {
            0..=2 => {
                let lists = [
                    "high-risk-origins",
                    "transit-hubs",
                    "low-price-origins",
                    "fta-origins",
                ];
                named(field, self.rng.one(&lists))
            }
            3 | 4 => {
                let values = self.some(&from, 2);
                within(field, Set::Values(values.iter().map(|v| text(v)).collect()))
            }
            _ => {
                let value = self.rng.pick(&from).clone();
                compare(field, CmpOp::Eq, text(&value))
            }
        }
    }

    /// An anchor: what a profile is about (the goods, or where they come from).
    fn anchor(&mut self) -> Condition {
        match self.rng.below(10) {
            0..=4 => self.hs(),
            5 | 6 => {
                let lists = [
                    "dual-use",
                    "excise-goods",
                    "precursors",
                    "textiles",
                    "ipr-brands",
                    "food-safety",
                ];
                named(Field::Hs, self.rng.one(&lists))
            }
            7 | 8 => self.country(Field::Origin),
            _ => self.country(Field::Dispatch),
        }
    }

    fn party(&mut self) -> Condition {
        match self.rng.below(8) {
            0..=2 => named(Field::Party, "watched-parties"),
            3 => named(Field::Importer, "new-traders"),
            4 => named(Field::Exporter, "watched-exporters"),
            5 => named(Field::Declarant, "brokers-under-audit"),
            6 => {
                let importer = self.case().declaration.importer.as_ref();
                let id = importer.map(|p| p.id.to_string()).unwrap_or_default();
                compare(Field::Importer, CmpOp::Eq, text(&id))
            }
            _ => Condition::Or(vec![
                named(Field::Party, "watched-parties"),
                Condition::Flag(Field::WatchlistHit),
            ]),
        }
    }

    fn number(&mut self) -> Condition {
        let fields = [
            Field::NetMass,
            Field::Value,
            Field::Value,
            Field::UnitValue,
            Field::GrossMass,
        ];
        let field = self.rng.one(&fields);
        match self.rng.below(10) {
            0..=5 => {
                let n = self.quantile(field, 0.6, 0.99);
                compare(field, CmpOp::Gt, number(n))
            }
            6..=8 => {
                let n = self.quantile(field, 0.01, 0.3);
                compare(field, CmpOp::Lt, number(n))
            }
            _ => {
                let low = self.quantile(field, 0.1, 0.5);
                let high = self.quantile(field, 0.6, 0.95).max(low);
                within(field, Set::Range(decimal(low), decimal(high)))
            }
        }
    }

    fn ratio(&mut self) -> Condition {
        let (op, values) = if self.rng.chance(0.7) {
            (CmpOp::Lt, [0.2, 0.3, 0.4, 0.5, 0.6, 0.75])
        } else {
            (CmpOp::Gt, [1.5, 2.0, 2.5, 3.0, 4.0, 5.0])
        };
        let value = self.rng.one(&values);
        compare(Field::UnitValueRatio, op, number(value))
    }

    fn declaration_level(&mut self) -> Condition {
        let number = |n: usize| Literal::Number(n.into());
        match self.rng.below(10) {
            0 | 1 => compare(Field::Items, CmpOp::Ge, number(2 + self.rng.below(3))),
            2 => {
                let n = 50_000 * (1 + self.rng.below(40));
                compare(Field::InvoiceAmount, CmpOp::Gt, number(n))
            }
            3 => named(Field::Office, self.rng.one(&["border-posts", "airports"])),
            4 => {
                let office = self.case().declaration.customs_office.to_string();
                compare(Field::Office, CmpOp::Eq, text(&office))
            }
            5 => named(Field::TransportMode, "risky-transport-modes"),
            6 => compare(
                Field::TransportMode,
                CmpOp::Eq,
                text(self.rng.one(&["2", "3", "4"])),
            ),
            7 => named(Field::Container, "watched-containers"),
            8 => compare(Field::Containers, CmpOp::Ge, number(1 + self.rng.below(2))),
            _ => named(Field::Procedure, "suspicious-procedures"),
        }
    }

    fn flag(&mut self) -> Condition {
        match self.rng.below(6) {
            0 | 1 => Condition::Not(Box::new(Condition::Flag(Field::Aeo))),
            2 => compare(Field::Aeo, CmpOp::Eq, Literal::Bool(false)),
            3 => Condition::Flag(Field::Preference),
            4 => Condition::Flag(Field::WatchlistHit),
            _ => {
                let score = self.rng.one(&[0.8, 0.85, 0.9]);
                compare(Field::WatchlistScore, CmpOp::Ge, number(score))
            }
        }
    }

    /// A risk indicator that narrows an anchor down.
    fn indicator(&mut self) -> Condition {
        match self.rng.below(20) {
            0..=2 => self.anchor(),
            3..=6 => self.number(),
            7..=10 => self.ratio(),
            11..=13 => self.party(),
            14..=16 => self.declaration_level(),
            _ => self.flag(),
        }
    }

    fn negate(&mut self, c: Condition) -> Condition {
        match c {
            Condition::In { field, set, .. } if self.rng.chance(0.5) => Condition::In {
                field,
                set,
                negated: true,
            },
            c => Condition::Not(Box::new(c)),
        }
    }

    /// An anchor and `more` indicators under an `and`: the indicators alone, sometimes negated,
    /// or in `or` groups of two (now and then negated as a whole).
    fn conjunction(&mut self, more: usize) -> Condition {
        let mut parts = vec![self.anchor()];
        let mut left = more;
        while left > 0 {
            let part = if left >= 2 && self.rng.chance(0.2) {
                left -= 2;
                let group = Condition::Or(vec![self.indicator(), self.indicator()]);
                if self.rng.chance(0.1) {
                    Condition::Not(Box::new(group))
                } else {
                    group
                }
            } else {
                left -= 1;
                let leaf = self.indicator();
                if self.rng.chance(0.12) {
                    self.negate(leaf)
                } else {
                    leaf
                }
            };
            parts.push(part);
        }
        match parts.len() {
            1 => parts.remove(0),
            _ => Condition::And(parts),
        }
    }

    /// 2 to 6 predicates: mostly one conjunction, now and then an `or` of two.
    fn condition(&mut self) -> Condition {
        let predicates = 2 + self.rng.below(5);
        if predicates >= 4 && self.rng.chance(0.1) {
            let first = (predicates - 2) / 2;
            let second = predicates - 2 - first;
            return Condition::Or(vec![self.conjunction(first), self.conjunction(second)]);
        }
        self.conjunction(predicates - 1)
    }

    fn effect(&mut self) -> Effect {
        match self.rng.below(100) {
            0..=1 => Effect::Force(Channel::Red),
            2..=4 => Effect::Force(Channel::Yellow),
            5..=6 => Effect::Force(Channel::Blue),
            7..=13 => Effect::Weight(-(1 + self.rng.below(10) as i32)),
            _ => Effect::Weight(3 + self.rng.below(13) as i32),
        }
    }

    fn scope(&mut self) -> Scope {
        let mut offices: Vec<String> = Vec::new();
        if self.rng.chance(0.15) {
            for _ in 0..1 + self.rng.below(3) {
                let office = self.case().declaration.customs_office.to_string();
                if !offices.contains(&office) {
                    offices.push(office);
                }
            }
        }
        Scope {
            offices,
            declaration_types: Vec::new(),
        }
    }
}

/// `n` profiles drawn from `cases` with `seed`.
pub fn profiles(n: usize, seed: u64, cases: &[Case]) -> Vec<Profile> {
    let mut draw = Draw::new(seed, cases);
    (0..n)
        .map(|i| Profile {
            id: format!("p{i:03}"),
            version: 1 + draw.rng.below(3) as u32,
            title: format!("Generated profile {i}"),
            rationale: "benchmark".into(),
            owner: format!("analyst-{}", i % 7),
            valid_from: None,
            valid_to: None,
            condition: draw.condition().to_string(),
            scope: draw.scope(),
            effect: draw.effect(),
            active: true,
        })
        .collect()
}
