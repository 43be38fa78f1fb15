//! The registry's rules on parties of several shapes and mandates of every standing.

use super::*;
use time::macros::date;

fn terms(r: Representation, from: Date, until: Option<Date>) -> MandateTerms {
    MandateTerms {
        representation: r,
        valid_from: from,
        valid_until: until,
    }
}

#[test]
fn a_mandate_applies_on_both_end_days() {
    let m = terms(
        Representation::Direct,
        date!(2026 - 01 - 01),
        Some(date!(2026 - 01 - 31)),
    );
    assert!(m.applies_on(date!(2026 - 01 - 01)));
    assert!(m.applies_on(date!(2026 - 01 - 31)));
    assert!(!m.applies_on(date!(2026 - 02 - 01)));
    assert!(!m.applies_on(date!(2025 - 12 - 31)));
}

#[test]
fn refusals_say_none_expired_or_not_yet_valid() {
    let day = date!(2026 - 05 - 10);
    assert_eq!(mandate_on(&[], None, day), Err(MandateRefusal::None));
    let old = terms(
        Representation::Direct,
        date!(2025 - 01 - 01),
        Some(date!(2025 - 12 - 31)),
    );
    let older = terms(
        Representation::Direct,
        date!(2024 - 01 - 01),
        Some(date!(2024 - 12 - 31)),
    );
    assert_eq!(
        mandate_on(&[older, old], None, day),
        Err(MandateRefusal::Expired(date!(2025 - 12 - 31)))
    );
    let next = terms(Representation::Direct, date!(2026 - 06 - 01), None);
    assert_eq!(
        mandate_on(&[old, next], None, day),
        Err(MandateRefusal::NotYetValid(date!(2026 - 06 - 01)))
    );
}

#[test]
fn the_representation_asked_for_must_match() {
    let day = date!(2026 - 05 - 10);
    let indirect = terms(Representation::Indirect, date!(2026 - 01 - 01), None);
    assert!(mandate_on(&[indirect], None, day).is_ok());
    assert!(mandate_on(&[indirect], Some(Representation::Indirect), day).is_ok());
    assert_eq!(
        mandate_on(&[indirect], Some(Representation::Direct), day),
        Err(MandateRefusal::None)
    );
}

#[test]
fn a_party_input_names_every_bad_field() {
    let reference = ReferenceData::embedded();
    let input = PartyInput {
        id: "uz 1",
        name: Some("Bad\0name"),
        country: Some("XX"),
        address: Some("  "),
        aeo: Some("gold"),
    };
    let errors = input.check(reference).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/id", "/name", "/country", "/address", "/aeo"]);
    let missing = PartyInput {
        id: "UZ1",
        ..PartyInput::default()
    };
    let errors = missing.check(reference).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/name", "/country"]);
}

#[test]
fn a_good_party_input_is_trimmed_and_kept() {
    let input = PartyInput {
        id: "UZ305123456",
        name: Some("  Toshkent Savdo MChJ "),
        country: Some("UZ"),
        address: None,
        aeo: Some("AEOF"),
    };
    let party = input.check(ReferenceData::embedded()).unwrap();
    assert_eq!(party.name, "Toshkent Savdo MChJ");
    assert_eq!(party.aeo, Some(AeoStatus::Aeof));
}

#[test]
fn a_mandate_cannot_end_before_it_starts() {
    let m = terms(
        Representation::Direct,
        date!(2026 - 02 - 01),
        Some(date!(2026 - 01 - 31)),
    );
    assert_eq!(m.check().unwrap_err()[0].pointer, "/valid_until");
    let same_day = terms(
        Representation::Direct,
        date!(2026 - 02 - 01),
        Some(date!(2026 - 02 - 01)),
    );
    assert!(same_day.check().is_ok());
}

#[test]
fn a_refusal_names_the_representation_asked_for() {
    let message = MandateRefusal::None.message("UZ1", "UZ2", Some(Representation::Indirect));
    assert_eq!(
        message,
        "UZ1 has given UZ2 no mandate for indirect representation"
    );
    let message = MandateRefusal::None.message("UZ1", "UZ2", None);
    assert_eq!(message, "UZ1 has given UZ2 no mandate to represent it");
}
