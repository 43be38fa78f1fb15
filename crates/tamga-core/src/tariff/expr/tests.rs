use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

const UK_MEASURES: &str = include_str!("../../../../../data/tariff-uk/import_measures_summary.csv");

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn every_uk_fixture_expression_parses_or_is_refused_with_its_reason() {
    let mut reader = csv::Reader::from_reader(UK_MEASURES.as_bytes());
    let (mut parsed, mut refused) = (0, 0);
    for row in reader.records() {
        let row = row.unwrap();
        let text = &row[7];
        match DutyExpression::parse(text) {
            Ok(expression) => {
                // What is printed reads back to the same expression.
                assert_eq!(
                    DutyExpression::parse(&expression.to_string()).unwrap(),
                    expression,
                    "{text}"
                );
                parsed += 1;
            }
            Err(e) => {
                // Only an empty expression (a measure without duty) or a bare unit is refused.
                assert!(text.is_empty() || text == "p/st", "{text:?}: {e}");
                assert!(
                    e.problem.contains("empty") || e.problem.contains("unit with no rate"),
                    "{e}"
                );
                refused += 1;
            }
        }
    }
    assert_eq!(parsed + refused, 173);
    assert!(parsed > 60, "{parsed}");
}

#[test]
fn forms() {
    let compound = DutyExpression::parse("10.20 % + 93.10 EUR / 100 kg").unwrap();
    assert_eq!(
        compound.terms,
        [
            Term::AdValorem {
                percent: d("10.20"),
                base: None
            },
            Term::Specific {
                amount: d("93.10"),
                currency: "EUR".into(),
                per: d("100"),
                unit: "kg".into()
            },
        ]
    );
    let retail = DutyExpression::parse(
        "16.50 % / Retail Price + 244.78 GBP / 1000 p/st MIN 320.90 GBP / 1000 p/st",
    )
    .unwrap();
    assert_eq!(
        retail.terms[0],
        Term::AdValorem {
            percent: d("16.50"),
            base: Some("Retail Price".into())
        }
    );
    assert_eq!(retail.minimums.len(), 1);
    let biodiesel = DutyExpression::parse("144.10 GBP / 1000 kg/biodiesel").unwrap();
    assert!(matches!(&biodiesel.terms[0], Term::Specific { unit, .. } if unit == "kg/biodiesel"));
    let cars = DutyExpression::parse("15 % + 1.25 USD / cm3").unwrap();
    assert!(
        matches!(&cars.terms[1], Term::Specific { per, unit, .. } if *per == Decimal::ONE && unit == "cm3")
    );
}

#[test]
fn errors_say_where_and_what() {
    let e = DutyExpression::parse("10 % + 5 EURO / kg").unwrap_err();
    assert_eq!(e.position, 9, "points at EURO");
    assert!(e.problem.contains("currency"), "{e}");
    let e = DutyExpression::parse("10 % - 3 %").unwrap_err();
    assert!(e.problem.contains("expected +, MIN or MAX"), "{e}");
    let e = DutyExpression::parse("93.10 EUR kg").unwrap_err();
    assert!(e.problem.contains("expected /"), "{e}");
    let e = DutyExpression::parse("93.10 EUR /").unwrap_err();
    assert!(e.problem.contains("unit"), "{e}");
    // Found by fuzzing: "/ 1 3200 kg" printed as "/ 3200 kg" would read back differently.
    let e = DutyExpression::parse("244.78 GBP / 1 3200 kg").unwrap_err();
    assert!(e.problem.contains("second number"), "{e}");
    let e = DutyExpression::parse("10 % MIN").unwrap_err();
    assert!(e.problem.contains("found the end"), "{e}");
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
            "(kg|l|p/st|m3|kg/biodiesel)"
        )
            .prop_map(|(amount, currency, per, unit)| Term::Specific {
                amount,
                currency,
                per,
                unit
            }),
    ]
}

proptest! {
    #[test]
    fn printing_and_parsing_round_trip(terms in prop::collection::vec(term(), 1..4), minimums in prop::collection::vec(term(), 0..2), maximums in prop::collection::vec(term(), 0..2)) {
        let expression = DutyExpression { terms, minimums, maximums };
        prop_assert_eq!(DutyExpression::parse(&expression.to_string()).unwrap(), expression);
    }

    #[test]
    fn parsing_never_panics(text in "\\PC{0,40}") {
        let _ = DutyExpression::parse(&text);
    }
}
