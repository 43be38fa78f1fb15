//! Realistic, valid and distinct declarations for the benchmark, shaped after the Korea
//! Customs synthetic import declarations shipped in `data/kcs/` (HS6, origin, dispatch country,
//! net mass, price, transport mode and seller as they occur together there).

use serde_json::{json, Value};
use tamga_core::refdata::ReferenceData;

const KCS_SAMPLE: &str = include_str!("../../../../data/kcs/sample_train_2020.csv");

/// One goods line taken from the sample.
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

/// Lines of the sample whose HS6 is in HS 2022 and whose countries are known.
pub fn lines() -> anyhow::Result<Vec<Line>> {
    let reference = ReferenceData::embedded();
    let mut reader = csv::Reader::from_reader(KCS_SAMPLE.as_bytes());
    let mut out = Vec::new();
    for row in reader.records() {
        let row = row?;
        let field = |i: usize| row.get(i).unwrap_or("").trim().to_owned();
        let (hs6, dispatch, origin) = (field(12), field(13), field(14));
        let known = |c: &str| reference.countries.contains(c);
        if !reference.hs2022.is_subheading(&hs6) || !known(&origin) || !known(&dispatch) {
            continue;
        }
        let (Ok(net_mass), Ok(price)) = (field(18).parse::<f64>(), field(19).parse::<f64>()) else {
            continue;
        };
        if net_mass <= 0.0 || price <= 0.0 {
            continue;
        }
        out.push(Line {
            hs6,
            origin,
            dispatch,
            mode: match field(7).as_str() {
                "40" => "4",
                "10" => "2",
                _ => "3",
            },
            seller: Some(field(10).to_uppercase())
                .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()))
                .unwrap_or_else(|| "UNKNOWNSELLER".into()),
            office: field(2).parse().unwrap_or(0),
            net_mass,
            price,
        });
    }
    anyhow::ensure!(!out.is_empty(), "no usable line in the KCS sample");
    Ok(out)
}

/// Uzbek offices that can take road, rail or air traffic.
pub fn offices() -> Vec<String> {
    ReferenceData::embedded()
        .offices
        .iter()
        .filter(|o| o.country == "UZ" && o.function.contains(['2', '3', '4']))
        .map(|o| o.code.clone())
        .collect()
}

/// The `n`-th declaration of a run: 1 to 3 consecutive lines of the sample.
pub fn declaration(n: usize, run: &str, party: &str, lines: &[Line], offices: &[String]) -> Value {
    let count = 1 + n % 3;
    let picked: Vec<&Line> = (0..count)
        .filter_map(|i| lines.get((n * 3 + i) % lines.len()))
        .collect();
    let first = picked.first().copied().or(lines.first());
    let items: Vec<Value> = picked
        .iter()
        .enumerate()
        .map(|(i, line)| item(i, line))
        .collect();
    let total: f64 = picked
        .iter()
        .map(|l| (l.price * 100.0).round() / 100.0)
        .sum();
    let office = first.map_or(0, |l| l.office) + n;
    json!({
        "type": "IM",
        "lrn": format!("B{run}-{n}"),
        "declarant": { "id": party, "name": "Bench Importer MChJ", "country": "UZ" },
        "importer": { "id": party, "name": "Bench Importer MChJ", "country": "UZ" },
        "exporter": { "id": first.map_or("X".into(), |l| l.seller.clone()), "name": "Foreign Seller", "country": first.map_or("CN", |l| l.dispatch.as_str()) },
        "customs_office": offices.get(office % offices.len().max(1)).cloned().unwrap_or_else(|| "UZTAS".into()),
        "country_of_dispatch": first.map_or("CN", |l| l.dispatch.as_str()),
        "country_of_destination": "UZ",
        "border_transport": { "mode": first.map_or("3", |l| l.mode), "identification": format!("01A{:03}BC", n % 1000), "nationality": "UZ" },
        "invoice": { "currency": "USD", "amount": format!("{total:.2}") },
        "incoterm": "FCA",
        "freight": "350.00",
        "items": items,
    })
}

/// The supplementary quantity the starter tariff needs for duties per unit.
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

fn item(i: usize, line: &Line) -> Value {
    let net = (line.net_mass * 1000.0).round() / 1000.0;
    let gross = ((net * 1.05 + 1.0) * 1000.0).round() / 1000.0;
    let mut item = json!({
        "sequence": i + 1,
        "description": format!("Goods of subheading {}", line.hs6),
        "commodity_code": format!("{}0000", line.hs6),
        "origin": line.origin,
        "procedure": "4000",
        "packages": { "count": 1 + (net as u64 / 25).min(999), "kind": "PK" },
        "net_mass": format!("{net:.3}"),
        "gross_mass": format!("{gross:.3}"),
        "price": format!("{:.2}", (line.price * 100.0).round() / 100.0),
    });
    let quantity = supplementary(&line.hs6, net);
    if !quantity.is_null() {
        item["supplementary_quantity"] = quantity;
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use tamga_core::draft::DeclarationDraft;

    #[test]
    fn generated_declarations_are_valid_assessable_and_distinct() {
        let (lines, offices) = (lines().unwrap(), offices());
        let tariff =
            tamga_core::tariff::load::parse_tariff(tamga_api::revenue::STARTER_TARIFF).unwrap();
        let rates = tamga_core::tariff::load::parse_rates(tamga_api::revenue::STARTER_RATES, "UZS")
            .unwrap();
        assert!(lines.len() > 1000, "{}", lines.len());
        let now = time::OffsetDateTime::now_utc();
        let mut lrns = std::collections::HashSet::new();
        for n in 0..3000 {
            let value = declaration(n, "T1", "UZ305123456", &lines, &offices);
            let draft: DeclarationDraft = serde_json::from_value(value).unwrap();
            let result = tamga_core::validate::validate(&draft, ReferenceData::embedded(), now);
            let declaration = result.unwrap_or_else(|e| panic!("declaration {n}: {e:?}"));
            let context = tamga_core::tariff::Context {
                tariff: &tariff,
                rates: &rates,
                date: now.date(),
            };
            let assessed = tamga_core::tariff::assess(&declaration, &context);
            assert!(assessed.is_ok(), "declaration {n}: {assessed:?}");
            assert!(lrns.insert(declaration.lrn.to_string()));
        }
    }
}
