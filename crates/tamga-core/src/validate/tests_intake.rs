//! What WCO DM and EDIFACT declarants legitimately leave out: a quantity's unit (the tariff's
//! supplementary unit), a document's reference (when a status or statement says why).

use rust_decimal::Decimal;
use time::macros::{date, datetime};

use super::*;
use crate::draft::{DeclarationDraft, DocumentDraft, QuantityDraft};
use crate::model::Quantity;
use crate::tariff::{self, AssessmentError, Context, ExchangeRates};

const SAMPLE: &str = include_str!("../../../../examples/declaration.json");
const TODAY: OffsetDateTime = datetime!(2026-11-22 12:00 UTC);

fn sample() -> DeclarationDraft {
    serde_json::from_str(SAMPLE).unwrap()
}

fn check(draft: &DeclarationDraft) -> Result<Declaration, Vec<FieldError>> {
    validate(draft, ReferenceData::embedded(), TODAY)
}

fn codes_at(errors: &[FieldError]) -> Vec<(&str, &str)> {
    errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.code.as_str()))
        .collect()
}

fn quantity(quantity: &str, unit: Option<&str>) -> Option<QuantityDraft> {
    Some(QuantityDraft {
        quantity: Some(crate::draft::DecimalText(quantity.into())),
        unit: unit.map(str::to_owned),
    })
}

#[test]
fn a_quantity_without_unit_is_in_the_supplementary_unit() {
    let mut draft = sample();
    draft.items[0].supplementary_quantity = quantity("120", None);
    let declaration = check(&draft).unwrap();
    let q = declaration.items[0]
        .supplementary_quantity
        .as_ref()
        .unwrap();
    assert_eq!((q.quantity, q.unit.as_ref()), (Decimal::from(120), None));
    // It round-trips through the accepted form without gaining a unit.
    let json = serde_json::to_value(&declaration).unwrap();
    assert!(json["items"][0]["supplementary_quantity"]
        .get("unit")
        .is_none());
    let again: DeclarationDraft = serde_json::from_value(json).unwrap();
    assert_eq!(check(&again).unwrap(), declaration);
}

#[test]
fn a_quantity_still_needs_its_number_and_a_well_formed_unit() {
    let mut draft = sample();
    draft.items[0].supplementary_quantity = Some(QuantityDraft {
        quantity: None,
        unit: None,
    });
    draft.items[1].supplementary_quantity = quantity("-3", Some("p st!"));
    let errors = check(&draft).unwrap_err();
    let found = codes_at(&errors);
    assert!(found.contains(&("/items/0/supplementary_quantity/quantity", "missing")));
    assert!(found
        .iter()
        .any(|(p, _)| *p == "/items/1/supplementary_quantity/quantity"));
    assert!(found
        .iter()
        .any(|(p, _)| *p == "/items/1/supplementary_quantity/unit"));
}

#[test]
fn a_unitless_quantity_meets_any_unit_a_tariff_rate_is_per() {
    let declared = Quantity {
        quantity: Decimal::from(7),
        unit: None,
    };
    assert_eq!(declared.in_unit("p/st"), Some(Decimal::from(7)));
    assert_eq!(declared.in_unit("l alc. 100%"), Some(Decimal::from(7)));
    let litres = Quantity {
        unit: Some(crate::codes::UnitCode::parse("l").unwrap()),
        ..declared
    };
    assert_eq!(litres.in_unit("L"), Some(Decimal::from(7)));
    assert_eq!(litres.in_unit("p/st"), None);
}

#[test]
fn the_assessment_counts_a_unitless_quantity_in_the_rate_unit() {
    let rows = "kind,code,origins,expression,document,valid_from,valid_to,description\n\
        third-country-duty,84,*,3 USD / p/st,,2020-01-01,,\n\
        vat,84,*,12 %,,2023-01-01,,\n";
    let tariff = tariff::load::parse_tariff(rows).unwrap();
    let mut rates = ExchangeRates::new("UZS");
    rates.insert("USD", date!(2026 - 11 - 01), Decimal::from(12000));
    let context = Context {
        tariff: &tariff,
        rates: &rates,
        date: date!(2026 - 11 - 20),
    };
    let mut draft = sample();
    draft.items.truncate(1);
    draft.items[0].supplementary_quantity = quantity("120", None);
    let declaration = check(&draft).unwrap();
    let assessment = tariff::assess(&declaration, &context).unwrap();
    // 3 USD x 12,000 x 120 pieces.
    assert_eq!(
        assessment.items[0].taxes[0].amount,
        Decimal::from(4_320_000)
    );
    // A quantity declared in another unit still does not count.
    draft.items[0].supplementary_quantity = quantity("120", Some("l"));
    let declaration = check(&draft).unwrap();
    let errors = tariff::assess(&declaration, &context).unwrap_err();
    assert!(matches!(&errors[0], AssessmentError::MissingQuantity { unit, .. } if unit == "p/st"));
}

fn document(
    reference: Option<&str>,
    status: Option<&str>,
    statement: Option<&str>,
) -> DocumentDraft {
    DocumentDraft {
        document_type: Some("Y923".into()),
        reference: reference.map(str::to_owned),
        status: status.map(str::to_owned),
        statement: statement.map(str::to_owned),
    }
}

#[test]
fn a_document_may_give_a_status_or_statement_instead_of_a_reference() {
    let mut draft = sample();
    draft.documents = vec![
        document(None, Some("XX"), None),
        document(None, None, Some("Excluded product")),
        document(Some("GBCHD2019123"), Some("AC"), None),
    ];
    draft.items[0].documents = vec![document(None, Some("AE"), Some("Exempt"))];
    let declaration = check(&draft).unwrap();
    let statuses: Vec<Option<&str>> = declaration
        .documents
        .iter()
        .map(|d| d.status.as_deref())
        .collect();
    assert_eq!(statuses, [Some("XX"), None, Some("AC")]);
    assert_eq!(declaration.documents[0].reference, None);
    assert_eq!(
        declaration.documents[1].statement.as_deref(),
        Some("Excluded product")
    );
    assert_eq!(
        declaration.documents[2].reference.as_deref(),
        Some("GBCHD2019123")
    );
    assert_eq!(
        declaration.items[0].documents[0].statement.as_deref(),
        Some("Exempt")
    );
}

#[test]
fn a_document_with_nothing_to_say_or_a_bad_status_is_refused_by_field() {
    let mut draft = sample();
    draft.documents = vec![
        document(None, None, None),
        document(None, Some("not required"), None),
        document(Some(" "), None, Some(&"x".repeat(300))),
    ];
    let errors = check(&draft).unwrap_err();
    let found = codes_at(&errors);
    assert!(
        found.contains(&("/documents/0/reference", "missing")),
        "{found:?}"
    );
    assert!(errors[0].message.contains("status or statement"));
    assert!(found.contains(&("/documents/1/status", "invalid_code")));
    assert!(found.contains(&("/documents/2/reference", "empty")));
    assert!(found.contains(&("/documents/2/statement", "invalid_text")));
    assert_eq!(found.len(), 4, "{found:?}");
}
