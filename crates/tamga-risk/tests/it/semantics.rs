//! What every operator means, on a real declaration: two items (8471300000 and 847160 from
//! CN), three parties, one container, road transport, office UZTAS.

use serde_json::json;
use tamga_risk::engine::{Engine, EngineParts};
use tamga_risk::facts::ItemFacts;
use tamga_risk::fields::ListKind;
use tamga_risk::lists::NamedList;
use tamga_risk::Effect;

use crate::fixture::{declaration, profile, subject};

fn lists() -> Vec<NamedList> {
    let list = |name: &str, kind, entries: &[&str]| NamedList {
        name: name.into(),
        kind,
        entries: entries.iter().map(|s| s.to_string()).collect(),
    };
    vec![
        list("asia", ListKind::Countries, &["CN", "AF"]),
        list("computers", ListKind::Commodities, &["8471"]),
        list("watched", ListKind::Parties, &["cn91310000ma1"]),
        list("boxes", ListKind::Containers, &["CSQU3054383"]),
        list("modes", ListKind::Codes, &["3"]),
    ]
}

/// Whether `condition` fires on the example declaration.
fn holds(condition: &str) -> bool {
    holds_on(condition, &[ItemFacts::default(); 2])
}

fn holds_on(condition: &str, facts: &[ItemFacts]) -> bool {
    let engine = Engine::build(EngineParts {
        lists: lists(),
        ..EngineParts::default()
    });
    let compiled = engine
        .compile(profile("p", condition, Effect::Weight(1)))
        .unwrap_or_else(|e| panic!("{condition}: {e}"));
    let d = declaration(|_| {});
    engine.fires(&compiled, subject(&d, facts)).is_some()
}

#[test]
fn comparisons_of_codes() {
    assert!(holds(r#"origin == "CN""#));
    assert!(
        holds(r#"origin == "cn""#),
        "codes compare without regard to case"
    );
    assert!(!holds(r#"origin != "CN""#));
    assert!(holds(
        r#"office == "UZTAS" and type == "IM" and dispatch == "CN""#
    ));
    assert!(
        holds(r#"transport_mode == 3"#),
        "a bare number is read as a code"
    );
    assert!(holds(
        r#"declarant == "UZ305123456" and exporter == "CN91310000MA1""#
    ));
    assert!(
        holds(r#"party == "CN91310000MA1""#),
        "party is any of the parties"
    );
    assert!(!holds(r#"destination == "KZ""#));
    assert!(holds(r#"hs == "847160""#), "the second item matches");
}

#[test]
fn comparisons_of_numbers() {
    assert!(holds("net_mass > 264 or net_mass == 50.5"));
    assert!(holds("net_mass >= 264"));
    assert!(!holds("net_mass > 264"));
    assert!(holds("net_mass < 51 and gross_mass <= 61"));
    assert!(holds(
        "items == 2 and containers == 1 and invoice_amount > 48000"
    ));
    assert!(holds("net_mass != 264"), "the second item differs");
    // Missing values: a comparison is false, `!=` (the negation of `==`) is true.
    assert!(!holds("value > 0"));
    assert!(!holds("value <= 0"));
    assert!(holds("value != 5"));
    let facts = [
        ItemFacts {
            value: Some(5_280_000.0),
            unit_value_ratio: Some(0.25),
            ..ItemFacts::default()
        },
        ItemFacts::default(),
    ];
    assert!(holds_on("value > 5000000 and unit_value == 20000", &facts));
    assert!(holds_on("unit_value_ratio < 0.3", &facts));
}

#[test]
fn membership() {
    assert!(holds(r#"origin in ["AF", "CN"]"#));
    assert!(!holds(r#"origin not in ["AF", "CN"]"#));
    assert!(holds(
        r#"origin in list("asia") and dispatch in list("asia")"#
    ));
    assert!(holds(r#"hs in list("computers")"#));
    assert!(holds(
        r#"exporter in list("watched") and party in list("watched")"#
    ));
    assert!(!holds(r#"declarant in list("watched")"#));
    assert!(holds(
        r#"container in list("boxes") and transport_mode in list("modes")"#
    ));
    assert!(holds("net_mass in [1, 50.5]"));
    assert!(holds("net_mass in range(50, 51)"));
    assert!(
        holds("net_mass in range(50.5, 50.5)"),
        "both ends are included"
    );
    assert!(!holds("net_mass in range(300, 400)"));
    assert!(holds("items not in range(3, 10)"));
}

#[test]
fn commodity_prefixes() {
    assert!(holds("hs in chapter(84)"));
    assert!(holds("hs in chapter(93, 84)"));
    assert!(holds("hs in heading(8471) and hs in subheading(847130)"));
    assert!(holds("hs in line(84713000) and hs in line(8471300000)"));
    assert!(!holds("hs in chapter(93)"));
    assert!(holds("hs not in chapter(93)"));
}

#[test]
fn conditions_hold_on_one_item_at_a_time() {
    // Item 1 is 8471300000 of 264 kg; item 2 is 847160 of 50.5 kg.
    assert!(!holds("hs in subheading(847130) and net_mass < 100"));
    assert!(holds("hs in subheading(847160) and net_mass < 100"));
}

#[test]
fn flags_and_logic() {
    assert!(holds("preference"), "item 1 claims preference 100");
    assert!(holds("not preference"), "item 2 does not");
    assert!(holds("preference == true and hs in subheading(847130)"));
    assert!(!holds("preference == false and hs in subheading(847130)"));
    assert!(!holds("aeo"));
    assert!(holds(
        "not aeo and not watchlist_hit and watchlist_score == 0"
    ));
    assert!(holds("true") && !holds("false") && !holds("not true"));
    assert!(holds("false or aeo or items == 2"));
    assert!(!holds("true and false"));
}

#[test]
fn lists_must_exist_and_fit_the_field() {
    let engine = Engine::build(EngineParts {
        lists: lists(),
        ..EngineParts::default()
    });
    let e = engine
        .compile(profile("p", r#"origin in list("nope")"#, Effect::Weight(1)))
        .unwrap_err();
    assert_eq!(e.to_string(), r#"condition: there is no list named "nope""#);
    let e = engine
        .compile(profile(
            "p",
            r#"origin in list("computers")"#,
            Effect::Weight(1),
        ))
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("holds Commodities but `origin` needs Countries"),
        "{e}"
    );
    let _ = json!(null);
}
