//! Field-level checks shared by every part of a declaration: codes, texts, countries and
//! bounded decimal numbers.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::Validator;
use crate::codes::{self, CodeError};
use crate::draft::DecimalText;

impl Validator<'_> {
    /// Records a code error at `pointer`.
    pub(crate) fn code_error(&mut self, pointer: &str, error: CodeError) {
        self.findings.push(pointer, error.code, error.message);
    }

    /// Parses an optional code; `None` inside means absent, the outer `None` means invalid.
    pub(crate) fn optional_code<T>(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        parse: fn(&str) -> Result<T, CodeError>,
    ) -> Option<Option<T>> {
        match raw.map(parse) {
            None => Some(None),
            Some(Ok(code)) => Some(Some(code)),
            Some(Err(e)) => {
                self.code_error(pointer, e);
                None
            }
        }
    }

    pub(crate) fn required_code<T>(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        parse: fn(&str) -> Result<T, CodeError>,
        why: &str,
    ) -> Option<T> {
        if raw.is_none() {
            self.findings.missing(pointer, why);
        }
        self.optional_code(pointer, raw, parse).flatten()
    }

    pub(crate) fn text(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        max: usize,
    ) -> Option<Option<String>> {
        let Some(raw) = raw else {
            return Some(None);
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            self.findings
                .push(pointer, "empty", format!("{pointer} must not be blank"));
            return None;
        }
        if trimmed.chars().count() > max || trimmed.chars().any(char::is_control) {
            self.findings.push(
                pointer,
                "invalid_text",
                format!("{pointer} must be at most {max} characters, without control characters"),
            );
            return None;
        }
        Some(Some(trimmed.to_owned()))
    }

    pub(crate) fn required_text(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        max: usize,
    ) -> Option<String> {
        if raw.is_none() {
            self.findings.missing(pointer, "");
        }
        self.text(pointer, raw, max).flatten()
    }

    pub(crate) fn country(&mut self, pointer: &str, raw: &str) -> Option<codes::CountryCode> {
        let code = self.optional_code(pointer, Some(raw), codes::CountryCode::parse)??;
        if self.reference.countries.contains(code.as_str()) {
            return Some(code);
        }
        self.findings.push(
            pointer,
            "country_unknown",
            format!("{raw} is not an ISO 3166-1 country code"),
        );
        None
    }

    pub(super) fn country_if(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        required: bool,
        why: &str,
    ) -> Option<Option<codes::CountryCode>> {
        match raw {
            None if required => {
                self.findings.missing(pointer, why);
                None
            }
            None => Some(None),
            Some(raw) => self.country(pointer, raw).map(Some),
        }
    }

    pub(crate) fn decimal(
        &mut self,
        pointer: &str,
        raw: &DecimalText,
        sign: Sign,
    ) -> Option<Decimal> {
        let text = raw.0.trim();
        let parsed = Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text));
        let Ok(value) = parsed else {
            self.findings.push(
                pointer,
                "invalid_number",
                format!("{:?} is not a decimal number", raw.0),
            );
            return None;
        };
        let (fails, code, rule) = match sign {
            Sign::Positive | Sign::PositiveMeasure => {
                (value <= Decimal::ZERO, "not_positive", "greater than zero")
            }
            Sign::NonNegative => (value < Decimal::ZERO, "negative", "zero or more"),
        };
        let max = sign.max();
        if !fails && (value > max || value.normalize().scale() > MAX_DECIMALS) {
            self.findings.push(
                pointer,
                "out_of_range",
                format!("{pointer} must be at most {max} with at most {MAX_DECIMALS} decimals"),
            );
            return None;
        }
        if fails {
            self.findings.push(
                pointer,
                code,
                format!("{pointer} must be {rule}, got {value}"),
            );
            return None;
        }
        Some(value.normalize())
    }

    pub(crate) fn optional_amount(
        &mut self,
        pointer: &str,
        raw: Option<&DecimalText>,
        sign: Sign,
    ) -> Option<Option<Decimal>> {
        match raw {
            None => Some(None),
            Some(raw) => self.decimal(pointer, raw, sign).map(Some),
        }
    }

    pub(crate) fn required_amount(
        &mut self,
        pointer: &str,
        raw: Option<&DecimalText>,
        sign: Sign,
    ) -> Option<Decimal> {
        if raw.is_none() {
            self.findings.missing(pointer, "");
        }
        self.optional_amount(pointer, raw, sign).flatten()
    }
}

/// The sign, and so the range, a number must have. Ranges keep every assessment far from the
/// limits of decimal arithmetic: amounts up to 10^12, masses and quantities up to 10^9.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sign {
    /// A positive amount of money.
    Positive,
    /// Zero or a positive amount of money.
    NonNegative,
    /// A positive mass or quantity.
    PositiveMeasure,
}

/// The most decimals a number may carry.
pub const MAX_DECIMALS: u32 = 6;

impl Sign {
    fn max(self) -> Decimal {
        match self {
            Sign::Positive | Sign::NonNegative => Decimal::from(1_000_000_000_000_i64),
            Sign::PositiveMeasure => Decimal::from(1_000_000_000_i64),
        }
    }
}
