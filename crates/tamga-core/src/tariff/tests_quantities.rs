//! Assessments with the expressions real tariffs use: deductions, bounds that are sums, rates
//! on strength × volume, pure alcohol and named substances; and the one rounding per tax.

use rust_decimal::Decimal;

use super::tests::{amounts, d, declaration, run, tariff, VAT};
use super::*;
use crate::codes::{CurrencyCode, UnitCode};
use crate::model::{Declaration, Quantity, TariffQuantity};

/// The duty of the sample item (12,000,000.00 UZS at 1000 USD; 264 kg net) under `expression`.
fn duty(expression: &str, item: &Declaration) -> Result<Decimal, Vec<AssessmentError>> {
    let t = tariff(&format!(
        "third-country-duty,84,*,{expression},,2020-01-01,,\n{VAT}"
    ));
    run(item, &t).map(|a| amounts(&a)[0].1)
}

/// The sample item with these additional quantities and, if given, a supplementary one.
fn with(supplementary: Option<(&str, &str)>, additional: &[(&str, &str)]) -> Declaration {
    let mut declaration = declaration("1000", None);
    let item = &mut declaration.items[0];
    item.supplementary_quantity = supplementary.map(|(quantity, unit)| Quantity {
        quantity: d(quantity),
        unit: Some(UnitCode::parse(unit).unwrap()),
    });
    item.additional_quantities = additional
        .iter()
        .map(|(quantity, unit)| TariffQuantity {
            quantity: d(quantity),
            unit: (*unit).to_owned(),
        })
        .collect();
    declaration
}

fn lacking(errors: &[AssessmentError]) -> (&str, &str) {
    match errors {
        [AssessmentError::MissingQuantity { unit, needs, .. }] => (unit, needs),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_deduction_is_subtracted_and_the_duty_never_goes_below_zero() {
    let item = declaration("1000", None);
    // 20 % of 12,000,000 less 7 EUR x 13,000 x 2.64 hundred kg = 2,400,000 - 240,240.
    assert_eq!(
        duty("20 % - 7.00 EUR / 100 kg", &item).unwrap(),
        d("2159760.00")
    );
    assert_eq!(duty("1 % - 100 EUR / kg", &item).unwrap(), d("0.00"));
    assert_eq!(
        duty("10 EUR / kg - 1 % + 2 %", &item).unwrap(),
        d("34440000.00"),
        "13,000 x 264 x 10 - 120,000 + 240,000"
    );
}

#[test]
fn a_ceiling_that_is_a_difference_bounds_the_whole_duty() {
    let expression = "9 % MAX 15.00 EUR / 100 kg - 7.00 EUR / 100 kg";
    // The ceiling is 8 EUR per 100 kg: 8 x 13,000 x 2.64 = 274,560.
    assert_eq!(
        duty(expression, &declaration("1000", None)).unwrap(),
        d("274560.00")
    );
    // Below the ceiling, 9 % of 120,000 stands.
    assert_eq!(
        duty(expression, &declaration("10", None)).unwrap(),
        d("10800.00")
    );
    // A floor that is a sum: at least 1 % + 1 EUR / 100 kg = 1,200 + 34,320.
    assert_eq!(
        duty("0 % MIN 1 % + 1 EUR / 100 kg", &declaration("10", None)).unwrap(),
        d("35520.00")
    );
}

#[test]
fn a_rate_per_percent_volume_per_hectolitre_multiplies_strength_by_volume() {
    let rate = "0.50 EUR / % vol/hl";
    // 40 % vol x 1.5 hl = 60; 0.50 x 13,000 x 60 = 390,000, however the volume is declared.
    for item in [
        with(Some(("150", "l")), &[("40", "% vol")]),
        with(Some(("120", "p/st")), &[("1.5", "hl"), ("40", "% VOL")]),
        with(None, &[("40", "%  vol"), ("150", "l")]),
    ] {
        assert_eq!(duty(rate, &item).unwrap(), d("390000.00"));
    }
    // Declared outright, the product is taken as it is.
    let item = with(None, &[("61", "% vol/hl")]);
    assert_eq!(duty(rate, &item).unwrap(), d("396500.00"));
}

#[test]
fn pure_alcohol_is_declared_or_derived_from_volume_and_strength() {
    let derived = with(Some(("150", "l")), &[("40", "% vol")]);
    // 150 l at 40 % vol = 60 l of pure alcohol.
    assert_eq!(
        duty("28.74 EUR / l alc. 100%", &derived).unwrap(),
        d("22417200.00")
    );
    assert_eq!(
        duty("10 EUR / 100 l alc. 100%", &derived).unwrap(),
        d("78000.00")
    );
    // The starter tariff's excise on spirits writes the UN/ECE code LPA; national currency.
    assert_eq!(duty("48000 UZS / LPA", &derived).unwrap(), d("2880000.00"));
    let declared = with(
        Some(("150", "l")),
        &[("40", "% vol"), ("59.5", "l alc. 100%")],
    );
    assert_eq!(
        duty("28.74 EUR / l alc. 100%", &declared).unwrap(),
        d("22230390.00")
    );
}

#[test]
fn a_named_substance_is_charged_on_its_declared_mass() {
    let rate = "144.10 EUR / 1000 kg/biodiesel";
    let item = with(None, &[("800", "KG/Biodiesel")]);
    // 144.10 x 13,000 x 0.8 tonnes.
    assert_eq!(duty(rate, &item).unwrap(), d("1498640.00"));
    let item = with(None, &[("120", "kg N")]);
    assert_eq!(duty("1.20 EUR / kg N", &item).unwrap(), d("1872000.00"));
    // Net mass is not the substance's mass: without the quantity there is no duty.
    let errors = duty(rate, &with(None, &[])).unwrap_err();
    assert_eq!(
        lacking(&errors),
        ("kg/biodiesel", "a quantity in kg/biodiesel")
    );
    assert!(errors[0]
        .to_string()
        .contains("declare a quantity in kg/biodiesel"));
}

#[test]
fn a_missing_strength_or_volume_is_named() {
    let no_strength = with(Some(("150", "l")), &[]);
    let errors = duty("0.50 EUR / % vol/hl", &no_strength).unwrap_err();
    assert_eq!(
        lacking(&errors),
        ("% vol/hl", "the alcoholic strength, as a quantity in % vol")
    );
    let errors = duty("28.74 EUR / l alc. 100%", &no_strength).unwrap_err();
    assert!(lacking(&errors).1.contains("% vol"));
    let no_volume = with(None, &[("40", "% vol")]);
    let errors = duty("0.50 EUR / % vol/hl", &no_volume).unwrap_err();
    assert_eq!(lacking(&errors).1, "a quantity in l or hl");
    // Tonnes come from the net mass: 264 kg.
    assert_eq!(duty("100 UZS / t", &no_volume).unwrap(), d("26.40"));
}

#[test]
fn vat_is_levied_on_the_unrounded_duty_and_rounded_once() {
    let mut declaration = declaration("20.43", None);
    declaration.invoice.as_mut().unwrap().currency = CurrencyCode::parse("UZS").unwrap();
    let t = tariff(&format!(
        "third-country-duty,84,*,0.125 %,,2020-01-01,,\n{VAT}"
    ));
    let a = run(&declaration, &t).unwrap();
    // Duty 0.0255375 shows as 0.03; VAT is 12 % of 20.4555375 = 2.4546645 -> 2.45, where
    // rounding the duty first would give 12 % of 20.46 = 2.4552 -> 2.46.
    assert_eq!(
        amounts(&a),
        [
            (MeasureKind::ThirdCountryDuty, d("0.03")),
            (MeasureKind::Vat, d("2.45"))
        ]
    );
    let vat = &a.items[0].taxes[1];
    assert_eq!(vat.base.to_string(), "20.4555375");
    assert_eq!(a.total, d("2.48"), "the total adds the rounded lines");
    // A whole base keeps the minor unit on show.
    let a = run(
        &declaration,
        &tariff(&format!(
            "third-country-duty,84,*,100 %,,2020-01-01,,\n{VAT}"
        )),
    )
    .unwrap();
    assert_eq!(a.items[0].taxes[1].base.to_string(), "40.86");
}
