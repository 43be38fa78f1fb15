//! No JSON array where the schema says object.
//!
//! serde's derived `Deserialize` reads a struct from a JSON array as well as from an object
//! (its fields by position), so `[["UZ305123456", "Tashkent"]]` would pass for a party. The
//! request bodies' schemas are in the OpenAPI document generated from the same handlers and
//! types, so the one check is there: [`check`] walks a body beside the schema the document
//! gives the route's request body and refuses, with a 422 naming each pointer, every array
//! found where that schema admits only an object. It runs in [`crate::extract::parse_json`]
//! before the typed parse, for every JSON body of the API.

use std::sync::LazyLock;

use serde_json::Value;
use tamga_core::FieldError;
use utoipa::OpenApi;

use crate::error::ApiError;

/// The OpenAPI document as JSON, built once.
static DOCUMENT: LazyLock<Value> = LazyLock::new(|| {
    serde_json::to_value(crate::openapi::ApiDoc::openapi()).unwrap_or(Value::Null)
});

/// How deep references are followed (a schema that refers to itself stops here).
const MAX_DEPTH: usize = 64;

/// Refuses `body` if it holds an array where the JSON request body schema of `method` on the
/// route template `path` says object; a route without a JSON body schema is not checked.
pub fn check(method: &str, path: &str, body: &Value) -> Result<(), ApiError> {
    let schema = &DOCUMENT["paths"][path][method.to_ascii_lowercase()]["requestBody"]["content"]
        ["application/json"]["schema"];
    if schema.is_null() {
        return Ok(());
    }
    let mut errors = Vec::new();
    walk(schema, body, &mut String::new(), &mut errors, 0);
    if errors.is_empty() {
        return Ok(());
    }
    Err(ApiError::BadRequest {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!(
            "{} array(s) where an object is expected; see errors",
            errors.len()
        ),
        errors,
    })
}

fn walk(
    schema: &Value,
    value: &Value,
    pointer: &mut String,
    errors: &mut Vec<FieldError>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = resolve(schema, 0);
    match value {
        Value::Array(items) => {
            if only_object(schema, 0) {
                errors.push(FieldError::new(
                    pointer.clone(),
                    "invalid_type",
                    "expected an object, not an array",
                ));
                return;
            }
            let Some(item) = find(schema, 0, &|s| s.get("items")) else {
                return;
            };
            for (index, value) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{index}"));
                walk(item, value, pointer, errors, depth + 1);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, value) in map {
                let Some(property) = property(schema, key) else {
                    continue;
                };
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                walk(property, value, pointer, errors, depth + 1);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The schema a `$ref` names (`#/components/schemas/X`), followed to the end.
fn resolve(schema: &Value, depth: usize) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) if depth < MAX_DEPTH => {
            let target = reference
                .strip_prefix('#')
                .and_then(|p| DOCUMENT.pointer(p))
                .unwrap_or(&Value::Null);
            resolve(target, depth + 1)
        }
        _ => schema,
    }
}

/// The alternatives of a combined schema (`oneOf`, `anyOf`, `allOf`).
fn alternatives(schema: &Value) -> impl Iterator<Item = &Value> {
    ["oneOf", "anyOf", "allOf"]
        .into_iter()
        .filter_map(|k| schema.get(k).and_then(Value::as_array))
        .flatten()
}

/// The JSON types a schema admits; `None` when it does not say (anything goes).
fn types(schema: &Value, depth: usize) -> Option<Vec<&str>> {
    let schema = resolve(schema, depth);
    match schema.get("type") {
        Some(Value::String(t)) => return Some(vec![t.as_str()]),
        Some(Value::Array(ts)) => return Some(ts.iter().filter_map(Value::as_str).collect()),
        _ => {}
    }
    if schema.get("properties").is_some() {
        return Some(vec!["object"]);
    }
    let mut all = Vec::new();
    for alternative in alternatives(schema) {
        all.extend(types(alternative, depth + 1)?);
    }
    (!all.is_empty()).then_some(all)
}

/// Whether the schema admits an object and never an array.
fn only_object(schema: &Value, depth: usize) -> bool {
    types(schema, depth).is_some_and(|t| t.contains(&"object") && !t.contains(&"array"))
}

/// The first schema that `get` finds in `schema` or one of its alternatives.
fn find<'a>(
    schema: &'a Value,
    depth: usize,
    get: &dyn Fn(&'a Value) -> Option<&'a Value>,
) -> Option<&'a Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    let schema = resolve(schema, depth);
    get(schema).or_else(|| alternatives(schema).find_map(|a| find(a, depth + 1, get)))
}

/// The schema of the property `key` of an object schema (or of one of its alternatives, or
/// its `additionalProperties` when that is a schema).
fn property<'a>(schema: &'a Value, key: &str) -> Option<&'a Value> {
    find(schema, 0, &|s| s.get("properties").and_then(|p| p.get(key))).or_else(|| {
        find(schema, 0, &|s| {
            s.get("additionalProperties").filter(|a| a.is_object())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(path: &str, body: Value) -> Vec<String> {
        match check("POST", path, &body) {
            Ok(()) => Vec::new(),
            Err(ApiError::BadRequest { errors, status, .. }) => {
                assert_eq!(status, 422);
                errors.into_iter().map(|e| e.pointer).collect()
            }
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn arrays_for_objects_are_named_at_any_depth() {
        let body = serde_json::json!({
            "declarant": ["UZ305123456", "Broker"],
            "items": [{"sequence": 1}, ["8471300000"]],
            "containers": ["CSQU3054383"],
        });
        assert_eq!(
            pointers("/api/v1/declarations", body),
            ["/declarant", "/items/1"]
        );
        assert_eq!(
            pointers("/api/v1/declarations", serde_json::json!([1, 2])),
            [""]
        );
        let fine =
            serde_json::from_str(include_str!("../../../examples/declaration.json")).unwrap();
        assert!(pointers("/api/v1/declarations", fine).is_empty());
    }
}
