//! Findings about a submitted declaration: each names the field by JSON pointer.

use serde::Serialize;
use utoipa::ToSchema;

/// One problem with one field of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// RFC 6901 JSON pointer to the offending field, e.g. `/items/0/commodity_code`.
    pub pointer: String,
    /// Stable machine-readable code, e.g. `commodity_code_unknown`.
    pub code: String,
    /// A sentence a declarant can act on.
    pub message: String,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Collects every finding of one validation pass.
#[derive(Debug, Default)]
pub struct Findings {
    pub errors: Vec<FieldError>,
}

impl Findings {
    pub fn push(&mut self, pointer: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(pointer, code, message));
    }

    /// A required field is absent; `why` completes the sentence, e.g. "for an import declaration".
    pub fn missing(&mut self, pointer: &str, why: &str) {
        let message = if why.is_empty() {
            format!("{pointer} is required")
        } else {
            format!("{pointer} is required {why}")
        };
        self.push(pointer, "missing", message);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}
