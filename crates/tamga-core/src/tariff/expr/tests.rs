use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

const UK_MEASURES: &str = include_str!("../../../../../data/tariff-uk/import_measures_summary.csv");
const UK_EXPRESSIONS: &str = include_str!("../../../../../data/tariff-uk/duty_expressions.csv");

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn specific(amount: &str, currency: &str, per: &str, unit: &str) -> Term {
    Term::Specific {
        amount: d(amount),
        currency: currency.into(),
        per: d(per),
        unit: unit.into(),
    }
}

fn plus(term: Term) -> Signed {
    Signed {
        subtract: false,
        term,
    }
}

fn minus(term: Term) -> Signed {
    Signed {
        subtract: true,
        term,
    }
}

/// Parses or refuses `text` as the fixtures allow, and checks that printing reads back.
fn check_fixture(text: &str) -> bool {
    match DutyExpression::parse(text) {
        Ok(expression) => {
            let printed = expression.to_string();
            assert_eq!(
                DutyExpression::parse(&printed).unwrap(),
                expression,
                "{text}"
            );
            // The fixtures are written canonically: printing gives back the same text.
            assert_eq!(printed, text);
            true
        }
        Err(e) => {
            // Only an empty expression (a measure without duty) or a bare unit is refused.
            assert!(text.is_empty() || text == "p/st", "{text:?}: {e}");
            assert!(
                e.problem.contains("empty") || e.problem.contains("unit with no rate"),
                "{e}"
            );
            false
        }
    }
}

#[test]
fn every_uk_measure_expression_parses_or_is_refused_with_its_reason() {
    let mut reader = csv::Reader::from_reader(UK_MEASURES.as_bytes());
    let (mut parsed, mut refused) = (0, 0);
    for row in reader.records() {
        if check_fixture(&row.unwrap()[7]) {
            parsed += 1;
        } else {
            refused += 1;
        }
    }
    assert_eq!(parsed + refused, 173);
    assert!(parsed > 60, "{parsed}");
}

#[test]
fn every_expression_of_every_uk_and_xi_fixture_parses() {
    let mut reader = csv::Reader::from_reader(UK_EXPRESSIONS.as_bytes());
    let mut fixtures = std::collections::BTreeSet::new();
    let mut parsed = 0;
    for row in reader.records() {
        let row = row.unwrap();
        fixtures.insert(row[0].to_owned());
        parsed += usize::from(check_fixture(&row[2]));
    }
    // Seven UK commodities and three Northern Ireland ones, conditions included.
    assert_eq!(fixtures.len(), 10);
    assert!(parsed >= 40, "{parsed}");
}

#[test]
fn forms() {
    let compound = DutyExpression::parse("10.20 % + 93.10 EUR / 100 kg").unwrap();
    let ad_valorem = Term::AdValorem {
        percent: d("10.20"),
        base: None,
    };
    assert_eq!(
        compound.terms,
        Sum(vec![
            plus(ad_valorem),
            plus(specific("93.10", "EUR", "100", "kg"))
        ])
    );
    let retail = DutyExpression::parse(
        "16.50 % / Retail Price + 244.78 GBP / 1000 p/st MIN 320.90 GBP / 1000 p/st",
    )
    .unwrap();
    assert_eq!(
        retail.terms.0[0].term,
        Term::AdValorem {
            percent: d("16.50"),
            base: Some("Retail Price".into())
        }
    );
    assert_eq!(retail.minimums.len(), 1);
    let biodiesel = DutyExpression::parse("144.10 GBP / 1000 kg/biodiesel").unwrap();
    assert_eq!(
        biodiesel.terms,
        Sum::of(specific("144.10", "GBP", "1000", "kg/biodiesel"))
    );
    let cars = DutyExpression::parse("15 % + 1.25 USD / cm3").unwrap();
    assert_eq!(cars.terms.0[1].term, specific("1.25", "USD", "1", "cm3"));
}

#[test]
fn subtraction_is_a_term_not_part_of_a_unit() {
    let e = DutyExpression::parse("20 % - 7.00 GBP / 100 kg").unwrap();
    let twenty = Term::AdValorem {
        percent: d("20"),
        base: None,
    };
    assert_eq!(
        e.terms,
        Sum(vec![
            plus(twenty),
            minus(specific("7.00", "GBP", "100", "kg"))
        ])
    );
    // The ceiling is the whole sum after MAX, as TARIC writes it.
    let e = DutyExpression::parse("9.00 % MAX 15.00 GBP / 100 kg - 7.00 GBP / 100 kg").unwrap();
    assert_eq!(e.terms.0.len(), 1);
    assert_eq!(
        e.maximums,
        [Sum(vec![
            plus(specific("15.00", "GBP", "100", "kg")),
            minus(specific("7.00", "GBP", "100", "kg"))
        ])]
    );
    let e =
        DutyExpression::parse("8.00 % + 5 GBP / 100 kg MAX 18.70 % + 7.10 GBP / 100 kg").unwrap();
    assert_eq!(e.terms.0.len(), 2);
    assert_eq!(e.maximums[0].0.len(), 2);
    // A hyphen inside a word stays part of that word.
    let e = DutyExpression::parse("3 GBP / kg/non-alc").unwrap();
    assert_eq!(e.terms, Sum::of(specific("3", "GBP", "1", "kg/non-alc")));
}

#[test]
fn long_units_with_spaces_and_percent_signs_are_kept_whole() {
    for (text, amount, currency, per, unit) in [
        ("0.50 GBP / % vol/hl", "0.50", "GBP", "1", "% vol/hl"),
        (
            "28.74 GBP / l alc. 100%",
            "28.74",
            "GBP",
            "1",
            "l alc. 100%",
        ),
        (
            "10 EUR / 100 l alc. 100%",
            "10",
            "EUR",
            "100",
            "l alc. 100%",
        ),
        (
            "144.10 GBP / 1000 kg/biodiesel",
            "144.10",
            "GBP",
            "1000",
            "kg/biodiesel",
        ),
        (
            "5.50 EUR / 100 kg net drained wt",
            "5.50",
            "EUR",
            "100",
            "kg net drained wt",
        ),
        ("1.20 EUR / kg N", "1.20", "EUR", "1", "kg N"),
    ] {
        let e = DutyExpression::parse(text).unwrap();
        let expected = Sum::of(specific(amount, currency, per, unit));
        assert_eq!(e.terms, expected, "{text}");
        assert_eq!(e.to_string(), text);
    }
    let e = DutyExpression::parse("0.50 GBP / % vol/hl + 3.50 GBP / hl MIN 1 GBP / l alc. 100%")
        .unwrap();
    assert_eq!(e.terms.0[0].term, specific("0.50", "GBP", "1", "% vol/hl"));
    assert_eq!(e.terms.0[1].term, specific("3.50", "GBP", "1", "hl"));
    assert_eq!(
        e.minimums,
        [Sum::of(specific("1", "GBP", "1", "l alc. 100%"))]
    );
}

#[test]
fn errors_say_where_and_what() {
    let e = DutyExpression::parse("10 % + 5 EURO / kg").unwrap_err();
    assert_eq!(e.position, 9, "points at EURO");
    assert!(e.problem.contains("currency"), "{e}");
    let e = DutyExpression::parse("10 % * 3 %").unwrap_err();
    assert!(e.problem.contains("expected +, -, MIN or MAX"), "{e}");
    let e = DutyExpression::parse("93.10 EUR kg").unwrap_err();
    assert!(e.problem.contains("expected /"), "{e}");
    let e = DutyExpression::parse("93.10 EUR /").unwrap_err();
    assert!(e.problem.contains("unit"), "{e}");
    // Found by fuzzing: "/ 1 3200 kg" printed as "/ 3200 kg" would read back differently.
    let e = DutyExpression::parse("244.78 GBP / 1 3200 kg").unwrap_err();
    assert!(e.problem.contains("second number"), "{e}");
    let e = DutyExpression::parse("10 % MIN").unwrap_err();
    assert!(e.problem.contains("found the end"), "{e}");
    // A dangling or doubled minus is refused where it stands, not read into a unit.
    let e = DutyExpression::parse("10 % -").unwrap_err();
    assert!(e.problem.contains("found the end"), "{e}");
    let e = DutyExpression::parse("5 GBP / kg - - 3 GBP / kg").unwrap_err();
    assert_eq!(e.position, 13, "points at the second minus: {e}");
    let e = DutyExpression::parse("5 GBP / kg - kg").unwrap_err();
    assert!(e.problem.contains("unit with no rate"), "{e}");
    let e = DutyExpression::parse("- 5 %").unwrap_err();
    assert_eq!(e.position, 0, "{e}");
}

fn term() -> impl Strategy<Value = Term> {
    let amount = (0u32..1_000_000, 0u32..3).prop_map(|(n, s)| Decimal::new(i64::from(n), s));
    prop_oneof![
        amount.clone().prop_map(|percent| Term::AdValorem {
            percent,
            base: None
        }),
        (
            amount,
            "[A-Z]{3}",
            prop_oneof![
                Just(Decimal::ONE),
                Just(Decimal::from(100)),
                Just(Decimal::from(1000))
            ],
            "(kg|l|p/st|m3|kg/biodiesel|% vol/hl|l alc\\. 100%|kg N|kg net drained wt)"
        )
            .prop_map(|(amount, currency, per, unit)| Term::Specific {
                amount,
                currency,
                per,
                unit
            }),
    ]
}

/// A sum of one to three terms, the first added, the rest added or subtracted.
fn sum() -> impl Strategy<Value = Sum> {
    (term(), prop::collection::vec((any::<bool>(), term()), 0..3)).prop_map(|(first, rest)| {
        let mut sum = Sum::of(first);
        sum.0.extend(
            rest.into_iter()
                .map(|(subtract, term)| Signed { subtract, term }),
        );
        sum
    })
}

proptest! {
    #[test]
    fn printing_and_parsing_round_trip(terms in sum(), minimums in prop::collection::vec(sum(), 0..2), maximums in prop::collection::vec(sum(), 0..2)) {
        let expression = DutyExpression { terms, minimums, maximums };
        prop_assert_eq!(DutyExpression::parse(&expression.to_string()).unwrap(), expression);
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,40}") {
        let _ = DutyExpression::parse(&text);
    }

    #[test]
    fn minus_signs_never_end_up_in_units(text in "[0-9]{1,3} (GBP|%) ?/? ?(kg|hl|% vol/hl)? - [0-9]{1,3} (%|EUR / kg)") {
        if let Ok(e) = DutyExpression::parse(&text) {
            prop_assert!(e.terms.0.iter().skip(1).all(|s| s.subtract));
            for term in e.terms.terms() {
                if let Term::Specific { unit, .. } = term {
                    prop_assert!(!unit.contains(" - "), "{}", unit);
                }
            }
        }
    }
}
