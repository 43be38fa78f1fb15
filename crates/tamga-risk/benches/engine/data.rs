//! Declarations for the benchmark, shaped after the Korea Customs sample in `data/kcs/` (HS6,
//! origin, dispatch country, net mass, price, transport mode, office and seller as they occur
//! together there), with Uzbek traders and brokers, foreign exporters, and a few exporters that
//! carry the name of a sanctioned entity so that screening has hits.

use std::collections::HashMap;

use rust_decimal::prelude::ToPrimitive;
use serde_json::{json, Value};
use tamga_core::{draft::DeclarationDraft, refdata::ReferenceData, Declaration};
use tamga_risk::facts::{ItemFacts, Subject};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

use crate::parties::{fresh_foreign, fresh_uz, seller_party, uz_name, Party};
use crate::rng::Rng;

/// The day of assessment and the moment of validation.
pub const TODAY: Date = date!(2026 - 11 - 21);
const NOW: OffsetDateTime = datetime!(2026-11-21 10:00 UTC);

/// UZS per USD, to turn invoice prices into customs values in national currency.
const UZS_PER_USD: f64 = 12_650.0;

const KCS: &str = include_str!("../../../../data/kcs/sample_train_2020.csv");
const EXAMPLE: &str = include_str!("../../../../examples/declaration.json");
const CONTAINERS: &str = include_str!("../../../../data/containers/container_numbers.csv");

/// One goods line of the sample.
#[derive(Debug, Clone)]
pub struct Line {
    hs6: String,
    origin: String,
    dispatch: String,
    mode: &'static str,
    seller: String,
    office: usize,
    net_mass: f64,
    price: f64,
}

impl Line {
    pub fn seller(&self) -> &str {
        &self.seller
    }
}

/// A declaration with the facts the caller supplies per item.
#[derive(Debug)]
pub struct Case {
    pub declaration: Declaration,
    pub facts: Vec<ItemFacts>,
}

impl Case {
    pub fn subject(&self) -> Subject<'_> {
        Subject {
            declaration: &self.declaration,
            items: &self.facts,
        }
    }
}

/// What the streams are made from: usable lines, offices, traders, brokers, listed names.
#[derive(Debug)]
pub struct Sources {
    pub lines: Vec<Line>,
    /// Rows of the KCS sample, and those with a known HS 2022 subheading, countries, a mass
    /// and a price (`lines` keeps those of them that also validate alone).
    pub rows: usize,
    pub known: usize,
    pub offices: Vec<String>,
    pub traders: Vec<Party>,
    pub brokers: Vec<Party>,
    /// Primary names of sanctioned entities, used as exporters now and then.
    pub listed: Vec<String>,
    pub containers: Vec<String>,
    /// Median price per kg of each HS6 (over at least two lines): the valuation reference.
    medians: HashMap<String, f64>,
}

impl Sources {
    pub fn load(watchlists: &[tamga_watchlist::Entry]) -> Sources {
        let (lines, rows) = read_lines();
        let known = lines.len();
        let lines = valid_lines(lines);
        let offices: Vec<String> = ReferenceData::embedded()
            .offices
            .iter()
            .filter(|o| o.country == "UZ" && o.function.contains(['2', '3', '4']))
            .map(|o| o.code.clone())
            .collect();
        let party = |i: usize| Party {
            id: format!("UZ3{i:08}"),
            name: uz_name(i),
        };
        let listed = watchlists
            .iter()
            .filter(|e| e.kind == tamga_watchlist::EntryKind::Entity)
            .map(|e| e.primary_name())
            .filter(|n| n.is_ascii() && (2..=5).contains(&n.split_whitespace().count()))
            .step_by(97)
            .take(40)
            .map(str::to_owned)
            .collect();
        let containers = CONTAINERS
            .lines()
            .skip(1)
            .filter(|l| l.split(',').nth(3) == Some("True"))
            .filter_map(|l| l.split(',').next().map(str::to_owned))
            .collect();
        let medians = medians(&lines);
        Sources {
            lines,
            rows,
            known,
            offices,
            traders: (0..2000).map(party).collect(),
            brokers: (2000..2050).map(party).collect(),
            listed,
            containers,
            medians,
        }
    }

    /// `count` declarations whose parties come from `parties(n, first line, rng)`: declarant,
    /// importer and exporter. Declarations that do not validate are left out.
    pub fn stream(
        &self,
        count: usize,
        seed: u64,
        mut parties: impl FnMut(usize, &Line, &mut Rng) -> [Party; 3],
    ) -> Vec<Case> {
        let mut rng = Rng::new(seed);
        let mut out = Vec::with_capacity(count);
        for n in 0..count {
            let start = rng.below(self.lines.len());
            let picked: Vec<&Line> = (0..1 + rng.below(4))
                .map(|i| &self.lines[(start + i) % self.lines.len()])
                .collect();
            let roles = parties(n, picked[0], &mut rng);
            let draft = self.draft(n, &picked, &roles, &mut rng);
            if let Some(case) = self.case(draft, &picked) {
                out.push(case);
            }
        }
        out
    }

    /// A realistic stream: 2,000 traders, 50 brokers lodging for a third of them, exporters by
    /// the sample's seller, and one exporter in 50 named like a sanctioned entity.
    pub fn warm(&self, count: usize) -> Vec<Case> {
        self.stream(count, 0x5eed_0001, |n, line, rng| {
            let importer = rng.pick(&self.traders).clone();
            let declarant = if rng.chance(0.33) {
                rng.pick(&self.brokers).clone()
            } else {
                importer.clone()
            };
            let mut exporter = seller_party(&line.seller);
            if n % 50 == 7 {
                exporter.name = rng.pick(&self.listed).clone();
            }
            [declarant, importer, exporter]
        })
    }

    /// Every party name never seen before (three screenings per declaration), one exporter in
    /// 50 named like a sanctioned entity, each such name used once.
    pub fn cold(&self, count: usize) -> Vec<Case> {
        let mut listed = self.listed.iter().cycle();
        self.stream(count, 0x5eed_0002, |n, _, _| {
            let mut exporter = fresh_foreign(n);
            if n % 50 == 7 {
                exporter.name = listed.next().cloned().unwrap_or_default();
            }
            [fresh_uz(2 * n), fresh_uz(2 * n + 1), exporter]
        })
    }

    fn draft(&self, n: usize, lines: &[&Line], roles: &[Party; 3], rng: &mut Rng) -> Value {
        let first = lines[0];
        let mut d: Value = serde_json::from_str(EXAMPLE).expect("the example is JSON");
        let [declarant, importer, exporter] = roles;
        d["lrn"] = json!(format!("BENCH-{n}"));
        d["declarant"] = json!({ "id": declarant.id, "name": declarant.name, "country": "UZ" });
        d["importer"] = json!({ "id": importer.id, "name": importer.name, "country": "UZ" });
        d["exporter"] =
            json!({ "id": exporter.id, "name": exporter.name, "country": first.dispatch });
        d["customs_office"] = json!(self.offices[first.office % self.offices.len()]);
        d["country_of_dispatch"] = json!(first.dispatch);
        d["border_transport"]["mode"] = json!(first.mode);
        d["border_transport"]["identification"] = json!(format!("01A{:03}BC", n % 1000));
        let containers = match first.mode {
            "4" => 0,
            "2" => 1 + rng.below(2),
            _ => usize::from(rng.chance(0.3)),
        }
        .min(self.containers.len());
        let start = rng.below(self.containers.len());
        d["containers"] = (0..containers)
            .map(|i| self.containers[(start + i) % self.containers.len()].clone())
            .collect();
        let total: f64 = lines.iter().map(|l| round2(l.price)).sum();
        d["invoice"]["amount"] = json!(format!("{total:.2}"));
        d["items"] = lines
            .iter()
            .enumerate()
            .map(|(i, line)| item(i, line, rng))
            .collect();
        d
    }

    fn case(&self, draft: Value, lines: &[&Line]) -> Option<Case> {
        let draft: DeclarationDraft = serde_json::from_value(draft).ok()?;
        let declaration =
            tamga_core::validate::validate(&draft, ReferenceData::embedded(), NOW).ok()?;
        let facts = lines
            .iter()
            .map(|line| {
                let value = (round2(line.price) * UZS_PER_USD).round();
                let ratio = self
                    .medians
                    .get(&line.hs6)
                    .map(|median| (line.price / line.net_mass) / median);
                ItemFacts {
                    value: Some(value),
                    unit_value_ratio: ratio.map(|r| (r * 1000.0).round() / 1000.0),
                    ..ItemFacts::default()
                }
            })
            .collect();
        Some(Case { declaration, facts })
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn read_lines() -> (Vec<Line>, usize) {
    let reference = ReferenceData::embedded();
    let known = |c: &str| reference.countries.contains(c);
    let mut rows = 0;
    let mut out = Vec::new();
    for row in KCS.lines().skip(1) {
        rows += 1;
        let field: Vec<&str> = row.split(',').map(str::trim).collect();
        let get = |i: usize| field.get(i).copied().unwrap_or("");
        let (hs6, dispatch, origin) = (get(12), get(13), get(14));
        if !reference.hs2022.is_subheading(hs6) || !known(origin) || !known(dispatch) {
            continue;
        }
        let (Ok(net_mass), Ok(price)) = (get(18).parse::<f64>(), get(19).parse::<f64>()) else {
            continue;
        };
        let seller = get(10).to_ascii_uppercase();
        if net_mass <= 0.0 || price <= 0.0 || seller.is_empty() {
            continue;
        }
        out.push(Line {
            hs6: hs6.to_owned(),
            origin: origin.to_owned(),
            dispatch: dispatch.to_owned(),
            mode: match get(7) {
                "40" => "4",
                "10" => "2",
                _ => "3",
            },
            seller,
            office: get(2).parse().unwrap_or(0),
            net_mass: (net_mass * 1000.0).round() / 1000.0,
            price,
        });
    }
    (out, rows)
}

/// The lines that make a valid declaration on their own.
fn valid_lines(lines: Vec<Line>) -> Vec<Line> {
    let probe = Sources {
        lines: Vec::new(),
        rows: 0,
        known: 0,
        offices: vec!["UZTAS".into()],
        traders: Vec::new(),
        brokers: Vec::new(),
        listed: Vec::new(),
        containers: vec!["CSQU3054383".into()],
        medians: HashMap::new(),
    };
    let party = fresh_uz(0);
    let roles = [party.clone(), party.clone(), party];
    lines
        .into_iter()
        .filter(|line| {
            let draft = probe.draft(0, &[line], &roles, &mut Rng::new(1));
            probe.case(draft, &[line]).is_some()
        })
        .collect()
}

fn medians(lines: &[Line]) -> HashMap<String, f64> {
    let mut by_hs: HashMap<&str, Vec<f64>> = HashMap::new();
    for line in lines {
        by_hs
            .entry(&line.hs6)
            .or_default()
            .push(line.price / line.net_mass);
    }
    by_hs
        .into_iter()
        .filter(|(_, v)| v.len() >= 2)
        .map(|(hs, mut v)| {
            v.sort_by(f64::total_cmp);
            (hs.to_owned(), v[v.len() / 2])
        })
        .collect()
}

fn supplementary(hs6: &str, net: f64) -> Value {
    match hs6.get(..4) {
        Some("8703") => json!({ "quantity": "1598", "unit": "cm3" }),
        Some("2402") => {
            json!({ "quantity": format!("{:.0}", (net * 1000.0).max(1.0)), "unit": "p/st" })
        }
        Some("2208") => {
            json!({ "quantity": format!("{:.3}", (net * 0.4).max(0.001)), "unit": "LPA" })
        }
        _ => Value::Null,
    }
}

fn item(i: usize, line: &Line, rng: &mut Rng) -> Value {
    let net = line.net_mass;
    let gross = ((net * 1.05 + 1.0) * 1000.0).round() / 1000.0;
    let procedure = match rng.below(20) {
        0 => "4071",
        1 => "4051",
        _ => "4000",
    };
    let mut item = json!({
        "sequence": i + 1,
        "description": format!("Goods of subheading {}", line.hs6),
        "commodity_code": format!("{}0000", line.hs6),
        "origin": line.origin,
        "procedure": procedure,
        "packages": { "count": 1 + (net as u64 / 25).min(999), "kind": "PK" },
        "net_mass": format!("{net:.3}"),
        "gross_mass": format!("{gross:.3}"),
        "price": format!("{:.2}", round2(line.price)),
    });
    if rng.chance(0.15) {
        item["preference"] = json!("100");
    }
    let quantity = supplementary(&line.hs6, net);
    if !quantity.is_null() {
        item["supplementary_quantity"] = quantity;
    }
    item
}

/// The numbers a profile may compare, over every item of `cases` (for thresholds).
pub fn item_numbers(cases: &[Case], field: tamga_risk::fields::Field) -> Vec<f64> {
    use tamga_risk::fields::Field;
    let mut out: Vec<f64> = cases
        .iter()
        .flat_map(|c| c.declaration.items.iter().zip(&c.facts))
        .filter_map(|(item, facts)| {
            let net = item.net_mass.to_f64();
            match field {
                Field::NetMass => net,
                Field::GrossMass => item.gross_mass.to_f64(),
                Field::Value => facts.value,
                Field::UnitValue => facts.value.zip(net).map(|(v, m)| v / m),
                Field::UnitValueRatio => facts.unit_value_ratio,
                _ => None,
            }
        })
        .collect();
    out.sort_by(f64::total_cmp);
    out
}
