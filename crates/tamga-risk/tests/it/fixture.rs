//! A real declaration (the repository's example) that tests change field by field.

use serde_json::{json, Value};
use tamga_core::{draft::DeclarationDraft, refdata::ReferenceData, Declaration};
use tamga_risk::{
    facts::{ItemFacts, Subject},
    Effect, Profile,
};
use time::macros::{date, datetime};
use time::Date;

pub const TODAY: Date = date!(2026 - 11 - 21);

pub fn example() -> Value {
    let text = include_str!("../../../../examples/declaration.json");
    serde_json::from_str(text).unwrap()
}

pub fn declaration(edit: impl FnOnce(&mut Value)) -> Declaration {
    let mut value = example();
    edit(&mut value);
    let draft: DeclarationDraft = serde_json::from_value(value).unwrap();
    tamga_core::validate::validate(
        &draft,
        ReferenceData::embedded(),
        datetime!(2026-11-21 10:00 UTC),
    )
    .unwrap()
}

pub fn subject<'a>(d: &'a Declaration, items: &'a [ItemFacts]) -> Subject<'a> {
    Subject {
        declaration: d,
        items,
    }
}

pub fn profile(id: &str, condition: &str, effect: Effect) -> Profile {
    serde_json::from_value(json!({
        "id": id, "version": 1, "title": format!("profile {id}"), "rationale": "test",
        "owner": "analyst", "valid_from": null, "valid_to": null, "condition": condition,
        "effect": effect, "active": true
    }))
    .unwrap()
}
