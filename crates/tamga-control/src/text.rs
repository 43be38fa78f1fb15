//! Checks for free-text fields: every text a user types is refused when it is empty (where
//! required), too long, or holds a control character (NUL included), because such text breaks
//! exports, logs and the other backend's storage in different ways.

use tamga_core::problem::Findings;

/// Checks a required text of 1 to `max` characters at `pointer`.
pub fn required(findings: &mut Findings, pointer: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        findings.missing(pointer, "");
        return;
    }
    optional(findings, pointer, Some(value), max);
}

/// Checks an optional text: when present, at most `max` characters and no control characters.
pub fn optional(findings: &mut Findings, pointer: &str, value: Option<&str>, max: usize) {
    let Some(value) = value else { return };
    let len = value.chars().count();
    if len > max {
        findings.push(
            pointer,
            "too_long",
            format!("{pointer} must be at most {max} characters, got {len}"),
        );
    }
    if let Some(c) = value.chars().find(|c| c.is_control() && !is_layout(*c)) {
        findings.push(
            pointer,
            "control_character",
            format!(
                "{pointer} holds the control character U+{:04X}, which is not allowed",
                u32::from(c)
            ),
        );
    }
}

/// Single-line text refuses line breaks and tabs too.
pub fn single_line(findings: &mut Findings, pointer: &str, value: &str, max: usize) {
    required(findings, pointer, value, max);
    if value.chars().any(is_layout) {
        findings.push(
            pointer,
            "control_character",
            format!("{pointer} must be a single line without tabs or line breaks"),
        );
    }
}

/// Line breaks and tabs are allowed in notes, which people write as paragraphs.
fn is_layout(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
}

/// Is `value` 64 lowercase hexadecimal digits, the written form of a SHA-256 digest?
pub fn is_sha256_hex(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Turns collected findings into the result of a validation.
pub fn finish<T>(findings: Findings, value: T) -> Result<T, Vec<tamga_core::FieldError>> {
    if findings.is_empty() {
        Ok(value)
    } else {
        Err(findings.errors)
    }
}
