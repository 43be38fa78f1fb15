//! Text checks at the edge: no request carries a control character into a handler.
//!
//! NUL and the other C0/C1 control characters are refused in every JSON body (by
//! [`crate::extract::JsonBody`]), every path parameter and every query parameter (by
//! [`check_params`], a layer over every route), with a 422 naming each offending field by
//! JSON pointer: `/items/0/description`, `/path/mrn`, `/query/status`. Tab, CR and LF are
//! allowed only in the body fields that hold multi-line text ([`MULTI_LINE`]).
//! Done once here, so no text reaches a database that refuses it (PostgreSQL refuses NUL).

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{RawPathParams, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use tamga_core::FieldError;

use crate::error::ApiError;

/// Body fields (by their last key) where a note may span lines: tab, CR and LF are allowed.
pub const MULTI_LINE: &[&str] = &[
    "condition",
    "description",
    "explanation",
    "findings",
    "message",
    "note",
    "notes",
    "reason",
    "reasoning",
    "reasons",
    "summary",
    "text",
];

const CODE: &str = "control_character";

/// Whether `text` holds a control character that is not allowed (`multi_line` allows tab, CR, LF).
pub fn has_control(text: &str, multi_line: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(multi_line && matches!(c, '\t' | '\n' | '\r')))
}

fn error(pointer: String, multi_line: bool) -> FieldError {
    let message = if multi_line {
        "must not contain control characters (other than tab and line breaks)"
    } else {
        "must not contain control characters (NUL, tab, line breaks and the like)"
    };
    FieldError::new(pointer, CODE, message)
}

fn refused(errors: Vec<FieldError>) -> ApiError {
    ApiError::BadRequest {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!(
            "{} field(s) contain control characters; see errors",
            errors.len()
        ),
        errors,
    }
}

/// Whether a JSON body may hold a control character: any `\u` escape, a short escape of a
/// control character, or a C1 character in UTF-8. Cheap, so well-formed bodies pay little;
/// a body that may is walked by [`check_json`].
pub fn may_hold_control(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| {
        matches!(w, [b'\\', b'u' | b'b' | b'f' | b'n' | b'r' | b't'])
            || (w[0] == 0xC2 && (0x80..=0x9F).contains(&w[1]))
    })
}

/// Every string (and object key) of `bytes` holding a forbidden control character, as a 422.
pub fn check_json(bytes: &[u8]) -> Result<(), ApiError> {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return Ok(()); // not JSON: the typed parse reports it
    };
    let mut errors = Vec::new();
    walk(&value, &mut String::new(), false, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(refused(errors))
    }
}

fn walk(value: &Value, pointer: &mut String, multi_line: bool, errors: &mut Vec<FieldError>) {
    match value {
        Value::String(text) if has_control(text, multi_line) => {
            errors.push(error(pointer.clone(), multi_line));
        }
        Value::Array(values) => {
            for (index, value) in values.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{index}"));
                walk(value, pointer, multi_line, errors);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, value) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                if has_control(key, false) {
                    errors.push(error(pointer.clone(), false));
                } else {
                    walk(value, pointer, MULTI_LINE.contains(&key.as_str()), errors);
                }
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// A layer over every route: path parameters (`/path/<name>`) and query parameters
/// (`/query/<name>`) holding a control character are refused with a 422 before any handler
/// (and so any query of the database) runs.
pub async fn check_params(
    params: Result<RawPathParams, RawPathParamsRejection>,
    request: Request,
    next: Next,
) -> Response {
    let mut errors = Vec::new();
    for (name, value) in params.iter().flat_map(|p| p.iter()) {
        if has_control(value, false) {
            errors.push(error(format!("/path/{name}"), false));
        }
    }
    if let Some(query) = request.uri().query() {
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if has_control(&name, false) || has_control(&value, false) {
                let name = name.replace('~', "~0").replace('/', "~1");
                errors.push(error(format!("/query/{name}"), false));
            }
        }
    }
    if errors.is_empty() {
        next.run(request).await
    } else {
        refused(errors).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_control_character_by_pointer() {
        let body = br#"{"a":"x\u0000","note":"two\nlines","b":["ok","tab\there"],"c\u0001":1,"d":"\u0085"}"#;
        assert!(may_hold_control(body));
        let Err(ApiError::BadRequest { errors, status, .. }) = check_json(body) else {
            panic!("accepted");
        };
        assert_eq!(status, 422);
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/a", "/b/1", "/c\u{1}", "/d"]);
    }

    #[test]
    fn plain_bodies_are_not_walked() {
        assert!(!may_hold_control(
            br#"{"a":"Laptops \u00e9"}"#.split_at(14).0
        ));
        assert!(!may_hold_control("{\"a\":\"Ташкент\"}".as_bytes()));
        assert!(check_json(br#"{"note":"a\r\nb","x":"\u00e9"}"#).is_ok());
    }
}
