//! Seizures, offence cases and the CEN export.

use rust_decimal::Decimal;
use serde_json::json;
use tamga_control::case::{case_number, cen, CaseError, CaseState, OffenceCase};
use tamga_control::finding::AttachmentLimits;
use tamga_control::seizure::Seizure;
use tamga_control::UserId;
use time::macros::date;

use crate::fixture::{now, office};

fn seizure() -> Seizure {
    serde_json::from_value(json!({
        "date": "2026-11-19",
        "office": "UZTAS",
        "category": "drugs",
        "description": "Hashish in vacuum-sealed packs",
        "commodity_code": "1211900000",
        "quantity": "12.4",
        "unit": "kg",
        "concealment": "false_compartment",
        "concealment_details": "behind the trailer's front wall",
        "conveyance": {"mode": "3", "identification": "01A123BC", "nationality": "UZ"},
        "route": {"departure": "AF", "transit": ["TJ"], "destination": "KZ"},
        "persons": [
            {"name": "Rustam Xasanov", "role": "driver", "birth_date": "1984-03-02", "nationality": "UZ", "document_number": "AA1234567"},
            {"name": "Dilshod Karimov", "role": "passenger", "nationality": "TJ"}
        ],
        "companies": [{"name": "Samarqand Savdo MChJ", "role": "consignee", "id": "UZ305123456", "country": "UZ"}],
        "photos": [{"file_name": "wall.jpg", "sha256": "c0".repeat(32), "size": 900000}],
        "mrn": "26UZTAS00000000012"
    }))
    .unwrap()
}

#[test]
fn a_complete_seizure_is_valid() {
    assert!(seizure()
        .validate(date!(2026 - 11 - 20), &AttachmentLimits::default())
        .is_empty());
}

#[test]
fn every_bad_field_is_named() {
    let mut s = seizure();
    s.date = date!(2026 - 12 - 01);
    s.description = "packs\u{0}".into();
    s.quantity = Decimal::ZERO;
    s.unit = String::new();
    s.concealment_details = Some("x".repeat(2001));
    s.persons[0].name = "Rustam\u{7}".into();
    s.persons[1].birth_date = Some(date!(2030 - 01 - 01));
    s.companies[0].role = "con\nsignee".into();
    s.photos[0].size = 50 * 1024 * 1024;
    let errors = s.validate(date!(2026 - 11 - 20), &AttachmentLimits::default());
    let got: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.code.as_str()))
        .collect();
    for expected in [
        ("/date", "in_future"),
        ("/description", "control_character"),
        ("/quantity", "not_positive"),
        ("/unit", "missing"),
        ("/concealment_details", "too_long"),
        ("/persons/0/name", "control_character"),
        ("/persons/1/birth_date", "in_future"),
        ("/companies/0/role", "control_character"),
        ("/photos/0/size", "attachment_too_large"),
    ] {
        assert!(got.contains(&expected), "missing {expected:?} in {got:?}");
    }
    assert!(errors
        .iter()
        .find(|e| e.pointer == "/description")
        .unwrap()
        .message
        .contains("U+0000"));
}

#[test]
fn the_cen_export_leaves_personal_data_out_by_default() {
    let export = serde_json::to_value(cen::export(&seizure(), false)).unwrap();
    let text = export.to_string();
    for personal in ["Rustam", "Karimov", "1984-03-02", "AA1234567", "01A123BC"] {
        assert!(!text.contains(personal), "{personal} leaked into {text}");
    }
    assert_eq!(
        export["persons"],
        json!({"count": 2, "nationalities": ["TJ", "UZ"]})
    );
    assert_eq!(export["nominal"], false);
    assert_eq!(export["reporting_country"], "UZ");
    assert_eq!(export["seizure_date"], "2026-11-19");
    assert_eq!(export["place"], "UZTAS");
    assert_eq!(export["category"], "drugs");
    assert_eq!(
        export["commodity"],
        json!({"description": "Hashish in vacuum-sealed packs", "hs_code": "121190"})
    );
    assert_eq!(export["quantity"], "12.4");
    assert_eq!(export["concealment"], "false_compartment");
    assert_eq!(
        export["transport"],
        json!({"mode": "3", "nationality": "UZ"})
    );
    assert_eq!(
        export["route"],
        json!({"departure": "AF", "transit": ["TJ"], "destination": "KZ"})
    );
    assert_eq!(export["photos"], json!(["c0".repeat(32)]));
    assert_eq!(export["declaration"], "26UZTAS00000000012");
}

#[test]
fn a_lawful_exchange_carries_the_persons() {
    let export = serde_json::to_value(cen::export(&seizure(), true)).unwrap();
    assert_eq!(export["nominal"], true);
    assert_eq!(export["persons"][0]["name"], "Rustam Xasanov");
    assert_eq!(export["persons"][0]["birth_date"], "1984-03-02");
    assert_eq!(export["transport"]["identification"], "01A123BC");
}

#[test]
fn a_seizure_opens_a_case_and_another_joins_it() {
    let number = case_number(&office(), 2026, 42);
    assert_eq!(number, "UZTAS-2026-000042");
    let mut case = OffenceCase::open(number, 1, &seizure(), UserId(3), now());
    let mut second = seizure();
    second.mrn = Some("26UZTAS00000000013".into());
    case.join(2, &second, UserId(4)).unwrap();
    assert_eq!(case.seizures.len(), 2);
    assert_eq!(case.declarations.len(), 2);
    assert_eq!(
        case.parties.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        ["UZ305123456"]
    );
    assert_eq!(case.officers, [UserId(3), UserId(4)].into());
    case.add_note(
        UserId(5),
        now(),
        "driver questioned; consignee denies knowledge",
    )
    .unwrap();
    assert!(
        matches!(case.add_note(UserId(5), now(), "bad\u{0}"), Err(CaseError::Invalid(e)) if e[0].pointer == "/text")
    );
    case.move_to(CaseState::UnderInvestigation).unwrap();
    let err = case.move_to(CaseState::Open).unwrap_err();
    assert!(matches!(err, CaseError::Illegal(e) if e.allowed == vec!["referred", "closed"]));
    case.move_to(CaseState::Referred).unwrap();
    case.move_to(CaseState::Closed).unwrap();
    assert_eq!(case.join(3, &seizure(), UserId(3)), Err(CaseError::Closed));
    assert_eq!(
        case.add_note(UserId(3), now(), "late"),
        Err(CaseError::Closed)
    );
}

use proptest::prelude::*;

proptest! {
    /// Whatever surrounds it, a control character other than a line break or tab in a text
    /// field is refused, and named by its field.
    #[test]
    fn control_characters_are_refused_anywhere(
        before in "[a-zA-Z ]{0,20}",
        after in "[a-zA-Z ]{0,20}",
        c in proptest::char::range('\u{0}', '\u{9f}').prop_filter("control", |c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
    ) {
        let mut s = seizure();
        s.notes = Some(format!("{before}{c}{after}"));
        let errors = s.validate(date!(2026 - 11 - 20), &AttachmentLimits::default());
        prop_assert!(errors.iter().any(|e| e.pointer == "/notes" && e.code == "control_character"));
        prop_assert_eq!(errors.len(), 1);
    }
}
