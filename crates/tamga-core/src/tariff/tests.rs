use proptest::prelude::*;
use rust_decimal::Decimal;
use time::macros::{date, datetime};

use super::*;
use crate::draft::DeclarationDraft;
use crate::model::{Declaration, Document};
use crate::refdata::ReferenceData;

const SAMPLE: &str = include_str!("../../../../examples/declaration.json");
const STARTER: &str = include_str!("../../../../data/tariff/uz-starter-tariff.csv");
const RATES: &str = include_str!("../../../../data/tariff/uz-rates.csv");
const DAY: time::Date = date!(2026 - 11 - 20);

pub(super) fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The sample import, cut to its first item, with the given price, freight and insurance.
pub(super) fn declaration(price: &str, freight: Option<&str>) -> Declaration {
    let draft: DeclarationDraft = serde_json::from_str(SAMPLE).unwrap();
    let mut declaration = crate::validate::validate(
        &draft,
        ReferenceData::embedded(),
        datetime!(2026-11-22 12:00 UTC),
    )
    .unwrap();
    declaration.items.truncate(1);
    declaration.items[0].price = Some(d(price));
    declaration.freight = freight.map(d);
    declaration.insurance = None;
    declaration
}

pub(super) fn tariff(rows: &str) -> Tariff {
    let text =
        format!("kind,code,origins,expression,document,valid_from,valid_to,description\n{rows}");
    load::parse_tariff(&text).unwrap()
}

fn rates() -> ExchangeRates {
    let mut rates = ExchangeRates::new("UZS");
    rates.insert("USD", date!(2026 - 11 - 01), d("12000"));
    rates.insert("EUR", date!(2026 - 11 - 01), d("13000"));
    rates
}

pub(super) fn run(
    declaration: &Declaration,
    tariff: &Tariff,
) -> Result<Assessment, Vec<AssessmentError>> {
    let rates = rates();
    assess(
        declaration,
        &Context {
            tariff,
            rates: &rates,
            date: DAY,
        },
    )
}

pub(super) fn amounts(a: &Assessment) -> Vec<(MeasureKind, Decimal)> {
    a.items[0].taxes.iter().map(|t| (t.tax, t.amount)).collect()
}

pub(super) const VAT: &str = "vat,84,*,12 %,,2023-01-01,,\n";

#[test]
fn ad_valorem_on_the_cif_value_then_vat() {
    let t = tariff(&format!(
        "third-country-duty,84,*,10 %,,2020-01-01,,\n{VAT}"
    ));
    let a = run(&declaration("1000", Some("100")), &t).unwrap();
    // (1000 + 100) USD x 12,000 = 13,200,000.00 UZS
    assert_eq!(a.items[0].customs_value, d("13200000.00"));
    assert_eq!(
        amounts(&a),
        [
            (MeasureKind::ThirdCountryDuty, d("1320000.00")),
            (MeasureKind::Vat, d("1742400.00"))
        ]
    );
    assert_eq!(a.items[0].taxes[1].base, d("14520000.00"));
    assert_eq!(a.total, d("3062400.00"));
    assert_eq!(a.exchange_rate, d("12000"));
}

#[test]
fn specific_duty_converts_its_currency_and_counts_the_unit() {
    let t = tariff(&format!(
        "third-country-duty,8471,*,93.10 EUR / 100 kg,,2020-01-01,,\n{VAT}"
    ));
    let a = run(&declaration("1000", None), &t).unwrap();
    // 264 kg net: 93.10 x 13,000 x 2.64 = 3,195,192.00
    assert_eq!(amounts(&a)[0].1, d("3195192.00"));
}

#[test]
fn min_and_max_bound_the_duty() {
    let floor = tariff(&format!(
        "third-country-duty,84,*,1 % MIN 50 USD / 100 kg,,2020-01-01,,\n{VAT}"
    ));
    // 1% of 12,000,000 = 120,000; the minimum is 50 x 12,000 x 2.64 = 1,584,000
    assert_eq!(
        amounts(&run(&declaration("1000", None), &floor).unwrap())[0].1,
        d("1584000.00")
    );
    let ceiling = tariff(&format!(
        "third-country-duty,84,*,20 % MAX 5 USD / 100 kg,,2020-01-01,,\n{VAT}"
    ));
    // 20% = 2,400,000; the maximum is 5 x 12,000 x 2.64 = 158,400
    assert_eq!(
        amounts(&run(&declaration("1000", None), &ceiling).unwrap())[0].1,
        d("158400.00")
    );
}

#[test]
fn a_preference_needs_its_proof() {
    let rows = format!(
        "group,CIS-FTA,RU KZ CN,,,,,\nthird-country-duty,84,*,10 %,,2020-01-01,,\npreference,84,group:CIS-FTA,0 %,CST1,2020-01-01,,\n{VAT}"
    );
    let t = tariff(&rows);
    let mut without = declaration("1000", None);
    let a = run(&without, &t).unwrap();
    assert_eq!(
        amounts(&a)[0],
        (MeasureKind::ThirdCountryDuty, d("1200000.00"))
    );
    assert!(a.notes[0].contains("CST1"), "{:?}", a.notes);
    without.items[0].documents.push(Document {
        document_type: crate::codes::DocumentType::parse("CST1").unwrap(),
        reference: Some("ST-1 123".into()),
        status: None,
        statement: None,
    });
    let a = run(&without, &t).unwrap();
    assert_eq!(amounts(&a)[0], (MeasureKind::Preference, d("0.00")));
    assert!(a.items[0].taxes[0].explanation.contains("CST1"));
}

#[test]
fn unknown_origin_and_non_mfn_countries_pay_double() {
    let t = tariff(&format!(
        "no-mfn,,CN,,,,,\nthird-country-duty,84,*,10 %,,2020-01-01,,\n{VAT}"
    ));
    let a = run(&declaration("1000", None), &t).unwrap();
    assert_eq!(amounts(&a)[0].1, d("2400000.00"));
    assert!(a.items[0].taxes[0].explanation.contains("doubled"));
    let mut unknown = declaration("1000", None);
    unknown.items[0].origin = None;
    let plain = tariff(&format!(
        "third-country-duty,84,*,10 %,,2020-01-01,,\n{VAT}"
    ));
    assert_eq!(
        amounts(&run(&unknown, &plain).unwrap())[0].1,
        d("2400000.00")
    );
}

#[test]
fn vat_is_levied_on_value_duty_and_excise() {
    let rows = format!("third-country-duty,84,*,10 %,,2020-01-01,,\nexcise,8471,*,5 %,,2020-01-01,,\nanti-dumping,8471,CN,2 %,,2020-01-01,,\n{VAT}");
    let a = run(&declaration("1000", None), &tariff(&rows)).unwrap();
    // value 12,000,000: duty 1,200,000, anti-dumping 240,000, excise 600,000;
    // VAT 12% of 14,040,000 = 1,684,800
    assert_eq!(
        amounts(&a),
        [
            (MeasureKind::ThirdCountryDuty, d("1200000.00")),
            (MeasureKind::AntiDumping, d("240000.00")),
            (MeasureKind::Excise, d("600000.00")),
            (MeasureKind::Vat, d("1684800.00")),
        ]
    );
}

#[test]
fn amounts_round_half_away_from_zero_to_the_tiyin() {
    let t = tariff(&format!(
        "third-country-duty,84,*,0.125 %,,2020-01-01,,\n{VAT}"
    ));
    let mut declaration = declaration("0.02", None);
    declaration.invoice.as_mut().unwrap().currency =
        crate::codes::CurrencyCode::parse("UZS").unwrap();
    // 0.125% of 0.02 = 0.000025 -> 0.00; of 4.00 -> 0.005 -> 0.01
    assert_eq!(amounts(&run(&declaration, &t).unwrap())[0].1, d("0.00"));
    declaration.items[0].price = Some(d("4.00"));
    assert_eq!(amounts(&run(&declaration, &t).unwrap())[0].1, d("0.01"));
}

#[test]
fn precise_errors() {
    let t = tariff(&format!(
        "third-country-duty,84,*,10 % + 3 USD / p/st,,2020-01-01,,\n{VAT}"
    ));
    let mut no_quantity = declaration("1000", None);
    no_quantity.items[0].supplementary_quantity = None;
    assert!(
        matches!(&run(&no_quantity, &t).unwrap_err()[0], AssessmentError::MissingQuantity { unit, .. } if unit == "p/st")
    );
    let retail = tariff(&format!(
        "third-country-duty,84,*,16.5 % / Retail Price,,2020-01-01,,\n{VAT}"
    ));
    assert!(matches!(
        &run(&declaration("1000", None), &retail).unwrap_err()[0],
        AssessmentError::UnsupportedBase { .. }
    ));
    let no_vat = tariff("third-country-duty,84,*,10 %,,2020-01-01,,\n");
    assert!(matches!(
        &run(&declaration("1000", None), &no_vat).unwrap_err()[0],
        AssessmentError::NoVat { .. }
    ));
    let not_yet = tariff(&format!(
        "third-country-duty,84,*,10 %,,2027-01-01,,\n{VAT}"
    ));
    assert!(matches!(
        &run(&declaration("1000", None), &not_yet).unwrap_err()[0],
        AssessmentError::NoDuty { .. }
    ));
    let mut euro = declaration("1000", None);
    euro.invoice.as_mut().unwrap().currency = crate::codes::CurrencyCode::parse("JPY").unwrap();
    assert!(
        matches!(&run(&euro, &tariff(VAT)).unwrap_err()[0], AssessmentError::NoRate { currency, .. } if currency == "JPY")
    );
}

#[test]
fn tariff_files_report_every_bad_row() {
    let text = "kind,code,origins,expression,document,valid_from,valid_to,description\n\
                third-country-duty,84,*,10 % -,,2020-01-01,,\n\
                vat,8,*,12 %,,2020-01-01,,\n\
                excise,2402,mars,1 %,,2020-01-01,,\n\
                teleport,84,*,1 %,,2020-01-01,,\n\
                restriction,9301,*,,,2020-01-01,,\n";
    let errors = load::parse_tariff(text).unwrap_err();
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6], "{errors:?}");
}

#[test]
fn the_starter_tariff_assesses_every_chapter() {
    let tariff = load::parse_tariff(STARTER).unwrap();
    let rates = load::parse_rates(RATES, "UZS").unwrap();
    assert_eq!(tariff.lines.len(), 5612);
    let mut declaration = declaration("1000", Some("50"));
    let context = Context {
        tariff: &tariff,
        rates: &rates,
        date: DAY,
    };
    for line in tariff.lines.keys() {
        declaration.items[0].commodity_code = crate::codes::CommodityCode::parse(line).unwrap();
        let result = assess(&declaration, &context);
        match result {
            Ok(a) => assert!(a.total > Decimal::ZERO, "{line}"),
            // Lines with a duty per unit need their supplementary unit.
            Err(e) => assert!(
                matches!(e[0], AssessmentError::MissingQuantity { .. }),
                "{line}: {e:?}"
            ),
        }
    }
}

#[test]
fn vat_followed_the_law_in_2023() {
    let tariff = load::parse_tariff(STARTER).unwrap();
    let rates = load::parse_rates(RATES, "UZS").unwrap();
    let declaration = declaration("1000", None);
    let vat = |date| {
        let a = assess(
            &declaration,
            &Context {
                tariff: &tariff,
                rates: &rates,
                date,
            },
        )
        .unwrap();
        a.items[0].taxes.last().unwrap().expression.clone()
    };
    assert_eq!(vat(date!(2022 - 12 - 31)), "15 %");
    assert_eq!(vat(date!(2023 - 01 - 01)), "12 %");
}

proptest! {
    #[test]
    fn a_compound_duty_is_the_sum_of_its_parts(percent in 0u32..5000, amount in 0u32..100_000, price in 1u32..10_000_000) {
        let percent = Decimal::new(i64::from(percent), 2);
        let amount = Decimal::new(i64::from(amount), 2);
        let declaration = declaration("1000", None);
        let base = Decimal::new(i64::from(price), 2);
        let with = |expression: &str| {
            let t = tariff(&format!("third-country-duty,84,*,{expression},,2020-01-01,,\n{VAT}"));
            let rates = rates();
            let context = Context { tariff: &t, rates: &rates, date: DAY };
            expr::DutyExpression::parse(expression)
                .map(|e| assess::evaluate(&e, base, &declaration.items[0], &context).unwrap())
                .unwrap()
        };
        let ad_valorem = with(&format!("{percent} %"));
        let specific = with(&format!("{amount} USD / 100 kg"));
        let compound = with(&format!("{percent} % + {amount} USD / 100 kg"));
        prop_assert_eq!(compound, ad_valorem + specific);
        prop_assert!(compound >= Decimal::ZERO);
    }

    #[test]
    fn amounts_are_never_negative(percent in 0u32..10_000, price in 1u32..100_000_000, freight in 0u32..1_000_000) {
        let t = tariff(&format!("third-country-duty,84,*,{} %,,2020-01-01,,\n{VAT}", Decimal::new(i64::from(percent), 2)));
        let declaration = declaration(&Decimal::new(i64::from(price), 2).to_string(), Some(&freight.to_string()));
        let a = run(&declaration, &t).unwrap();
        prop_assert!(a.items.iter().flat_map(|i| &i.taxes).all(|t| t.amount >= Decimal::ZERO));
        prop_assert_eq!(a.total, a.totals.iter().map(|t| t.amount).sum::<Decimal>());
    }
}

#[test]
fn only_the_most_specific_anti_dumping_duty_applies() {
    let rows = format!("third-country-duty,84,*,0 %,,2020-01-01,,\nanti-dumping,84,CN,5 %,,2020-01-01,,\nanti-dumping,847130,CN,7 %,,2020-01-01,,\nanti-dumping,847130,*,1 %,,2020-01-01,,\n{VAT}");
    let a = run(&declaration("1000", None), &tariff(&rows)).unwrap();
    let anti: Vec<_> = a.items[0]
        .taxes
        .iter()
        .filter(|t| t.tax == MeasureKind::AntiDumping)
        .collect();
    assert_eq!(anti.len(), 1);
    assert_eq!(
        anti[0].expression, "7 %",
        "the country measure on the longest code wins"
    );
}

#[test]
fn a_doubled_duty_is_rounded_once() {
    // 0.125 % of 4.00 UZS is 0.005: doubled before rounding 0.01, not 2 x round(0.005) = 0.02.
    let t = tariff(&format!(
        "no-mfn,,CN,,,,,\nthird-country-duty,84,*,0.125 %,,2020-01-01,,\n{VAT}"
    ));
    let mut declaration = declaration("4.00", None);
    declaration.invoice.as_mut().unwrap().currency =
        crate::codes::CurrencyCode::parse("UZS").unwrap();
    assert_eq!(amounts(&run(&declaration, &t).unwrap())[0].1, d("0.01"));
}

#[test]
fn undefined_groups_and_huge_rates_are_refused() {
    let text = "kind,code,origins,expression,document,valid_from,valid_to,description\n\
                preference,84,group:CIS-FAT,0 %,CST1,2020-01-01,,\n\
                third-country-duty,84,*,2000000000 %,,2020-01-01,,\n";
    let errors = load::parse_tariff(text).unwrap_err();
    assert!(
        errors.iter().any(|e| e.problem.contains("CIS-FAT")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.line == 3 && e.problem.contains("largest rate")),
        "{errors:?}"
    );
}

proptest! {
    #[test]
    fn the_largest_declared_values_assess_without_overflow(
        price in 1u64..=1_000_000_000_000,
        mass in 1u64..=1_000_000_000,
        items in 1usize..40,
    ) {
        let t = tariff(&format!("third-country-duty,84,*,1000000000 % + 1000000000 USD / 1 kg MIN 1000000000 USD / 1 kg,,2020-01-01,,\n{VAT}"));
        let mut declaration = declaration(&price.to_string(), Some("1000000000000"));
        let template = declaration.items[0].clone();
        declaration.items = (1..=items)
            .map(|i| {
                let mut item = template.clone();
                item.sequence = i as u16;
                item.net_mass = Decimal::from(mass);
                item.gross_mass = Decimal::from(mass);
                item
            })
            .collect();
        let mut rates = rates();
        rates.insert("USD", date!(2026 - 11 - 01), Decimal::from(load::MAX_RATE));
        let assessed = assess(&declaration, &Context { tariff: &t, rates: &rates, date: DAY });
        prop_assert!(assessed.is_ok());
    }
}
