//! The 20 named lists the profiles refer to: 4 of countries, 6 of commodity prefixes, 5 of
//! parties, 2 of offices, 2 of codes and 1 of containers, filled from the declarations' own
//! traders, exporters, offices and containers where a real list would name them.

use tamga_core::refdata::ReferenceData;
use tamga_risk::fields::ListKind;
use tamga_risk::lists::NamedList;

use crate::data::Sources;
use crate::parties::Party;

fn list(name: &str, kind: ListKind, entries: impl IntoIterator<Item = String>) -> NamedList {
    NamedList {
        name: name.into(),
        kind,
        entries: entries.into_iter().collect(),
    }
}

fn codes(raw: &str) -> Vec<String> {
    raw.split_whitespace().map(str::to_owned).collect()
}

/// The 20 named lists: 4 of countries, 6 of commodity prefixes, 5 of parties, 2 of offices, 2
/// of codes and 1 of containers.
pub fn lists(sources: &Sources) -> Vec<NamedList> {
    let ids = |parties: &[Party], step: usize, n: usize| -> Vec<String> {
        parties
            .iter()
            .step_by(step)
            .take(n)
            .map(|p| p.id.clone())
            .collect()
    };
    let offices = |function: char| {
        let reference = ReferenceData::embedded();
        sources
            .offices
            .iter()
            .filter(|o| {
                reference
                    .offices
                    .get(o)
                    .is_some_and(|o| o.function.contains(function))
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    let sellers: Vec<String> = sources
        .lines
        .iter()
        .map(|l| l.seller().to_owned())
        .collect();
    use ListKind::*;
    vec![
        list(
            "high-risk-origins",
            Countries,
            codes("AF IR KP SY MM VE BY RU PK VN"),
        ),
        list("transit-hubs", Countries, codes("AE HK SG TR PA NL")),
        list(
            "low-price-origins",
            Countries,
            codes("VN IN BD TH ID MY PK"),
        ),
        list(
            "fta-origins",
            Countries,
            codes("KZ KG TJ TM AZ AM GE MD UA BY RU"),
        ),
        list(
            "dual-use",
            Commodities,
            codes("8471 8517 8525 8526 8542 9013 9014 9027 8456 2844 93"),
        ),
        list(
            "excise-goods",
            Commodities,
            codes("2203 2204 2208 2402 2403 2710 8703 3303"),
        ),
        list(
            "precursors",
            Commodities,
            codes("2914 2915 2916 2921 2922 2924 2932 2933 2939"),
        ),
        list(
            "textiles",
            Commodities,
            codes("50 51 52 53 54 55 56 57 58 59 60 61 62 63 64"),
        ),
        list(
            "ipr-brands",
            Commodities,
            codes("4202 6403 6404 9101 9102 3304 851712 9503 9504"),
        ),
        list(
            "food-safety",
            Commodities,
            codes("02 03 04 07 08 09 16 19 20 21"),
        ),
        list("watched-parties", Parties, ids(&sources.traders, 67, 30)),
        list(
            "new-traders",
            Parties,
            ids(&sources.traders[1000..], 5, 200),
        ),
        list("aeo-register", Parties, ids(&sources.traders, 20, 100)),
        list(
            "watched-exporters",
            Parties,
            sellers.into_iter().step_by(40).take(50),
        ),
        list("brokers-under-audit", Parties, ids(&sources.brokers, 10, 5)),
        list("border-posts", Offices, offices('B')),
        list("airports", Offices, offices('4')),
        list("risky-transport-modes", Codes, codes("4 5 7")),
        list("suspicious-procedures", Codes, codes("4071 4051 4200")),
        list(
            "watched-containers",
            Containers,
            sources.containers.iter().step_by(8).cloned(),
        ),
    ]
}
