//! The lodgement form's model: what the user typed, by the draft's JSON pointers, turned into
//! the JSON draft the pipeline reads, with the pipeline's findings kept per field.

use std::collections::BTreeMap;

use serde_json::Value;
use tamga_core::FieldError;

/// The header fields of the form: (pointer, message id of the label, input type).
pub const HEADER: &[(&str, &str, &str)] = &[
    ("/type", "field-type", "text"),
    ("/additional_type", "field-additional-type", "text"),
    ("/lrn", "field-lrn", "text"),
    ("/customs_office", "field-office", "text"),
    ("/declarant/id", "field-declarant-id", "text"),
    ("/declarant/name", "field-declarant-name", "text"),
    ("/declarant/country", "field-declarant-country", "text"),
    ("/declarant/address", "field-declarant-address", "text"),
    ("/importer/id", "field-importer-id", "text"),
    ("/importer/name", "field-importer-name", "text"),
    ("/importer/country", "field-importer-country", "text"),
    ("/exporter/id", "field-exporter-id", "text"),
    ("/exporter/name", "field-exporter-name", "text"),
    ("/exporter/country", "field-exporter-country", "text"),
    ("/border_transport/mode", "field-transport-mode", "text"),
    (
        "/border_transport/identification",
        "field-transport-id",
        "text",
    ),
    (
        "/border_transport/nationality",
        "field-transport-nationality",
        "text",
    ),
    ("/country_of_dispatch", "field-dispatch", "text"),
    ("/country_of_destination", "field-destination", "text"),
    ("/invoice/currency", "field-currency", "text"),
    ("/invoice/amount", "field-invoice-amount", "text"),
    ("/incoterm", "field-incoterm", "text"),
    ("/freight", "field-freight", "text"),
    ("/insurance", "field-insurance", "text"),
];

/// The fields of each goods item, after `/items/{n}`.
pub const ITEM: &[(&str, &str)] = &[
    ("/description", "field-description"),
    ("/commodity_code", "field-commodity"),
    ("/origin", "field-origin"),
    ("/procedure", "field-procedure"),
    ("/preference", "field-preference"),
    ("/packages/count", "field-packages"),
    ("/packages/kind", "field-package-kind"),
    ("/net_mass", "field-net-mass"),
    ("/gross_mass", "field-gross-mass"),
    ("/price", "field-price"),
];

/// Fields whose JSON value is a number, not text.
pub(crate) const INTEGERS: &[&str] = &["/packages/count"];
pub(crate) const MAX_ITEMS: usize = 99;

/// What the user typed, by pointer, and the findings on it.
#[derive(Debug, Default)]
pub struct Draft {
    pub(crate) values: BTreeMap<String, String>,
    pub items: usize,
    pub errors: Vec<FieldError>,
}

impl Draft {
    pub fn value(&self, pointer: &str) -> &str {
        self.values.get(pointer).map_or("", String::as_str)
    }

    /// The findings on one field (shown next to it).
    pub fn errors_at(&self, pointer: &str) -> Vec<&FieldError> {
        self.errors
            .iter()
            .filter(|e| e.pointer == pointer)
            .collect()
    }

    /// The element id of a field, for labels and the summary's links.
    pub fn id(&self, pointer: &str) -> String {
        format!("f{}", pointer.replace('/', "-"))
    }

    /// Whether a finding's pointer names a field of this form (else it is shown only in the summary).
    pub fn has_field(&self, pointer: &str) -> bool {
        self.values.contains_key(pointer)
            || HEADER.iter().any(|(p, _, _)| *p == pointer)
            || self.item_field(pointer)
    }

    fn item_field(&self, pointer: &str) -> bool {
        let Some(rest) = pointer.strip_prefix("/items/") else {
            return false;
        };
        let Some((n, field)) = rest.split_once('/') else {
            return false;
        };
        n.parse::<usize>().is_ok_and(|n| n < self.items)
            && ITEM.iter().any(|(f, _)| format!("/{field}") == *f)
    }

    /// The pointer of item field `field` of item `n` (0-based).
    pub fn item(n: &usize, field: &str) -> String {
        format!("/items/{n}{field}")
    }

    /// The draft as JSON, from the fields that are filled in.
    pub(crate) fn to_json(&self) -> Value {
        let mut root = Value::Object(Default::default());
        for (pointer, raw) in &self.values {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let integer = INTEGERS.iter().any(|f| pointer.ends_with(f));
            let value = match raw.parse::<i64>() {
                Ok(n) if integer => Value::from(n),
                _ => Value::from(raw),
            };
            set(&mut root, pointer, value);
        }
        for n in 0..self.items {
            set(
                &mut root,
                &format!("/items/{n}/sequence"),
                Value::from(n + 1),
            );
        }
        root
    }
}

/// Sets the value at an RFC 6901 pointer, making objects and arrays on the way.
fn set(root: &mut Value, pointer: &str, value: Value) {
    let mut node = root;
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    for (i, token) in tokens.iter().enumerate() {
        let last = i + 1 == tokens.len();
        let next_is_index = tokens
            .get(i + 1)
            .is_some_and(|t| t.parse::<usize>().is_ok());
        let fresh = || {
            if next_is_index {
                Value::Array(Vec::new())
            } else {
                Value::Object(Default::default())
            }
        };
        node = match (node, token.parse::<usize>()) {
            (Value::Array(array), Ok(index)) => {
                while array.len() <= index {
                    array.push(Value::Null);
                }
                let slot = &mut array[index];
                if slot.is_null() {
                    *slot = if last { value.clone() } else { fresh() };
                }
                slot
            }
            (Value::Object(map), _) => {
                let slot = map.entry((*token).to_owned()).or_insert_with(|| {
                    if last {
                        Value::Null
                    } else {
                        fresh()
                    }
                });
                if last {
                    *slot = value.clone();
                }
                slot
            }
            _ => return,
        };
    }
}
