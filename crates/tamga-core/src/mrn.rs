//! Movement Reference Numbers.
//!
//! An MRN has 18 characters, following the layout of the EU's MRN:
//!
//! | chars | content |
//! |---|---|
//! | 1-2 | last two digits of the year of acceptance |
//! | 3-4 | country of the customs office (ISO 3166-1 alpha-2) |
//! | 5-7 | place part of the office's UN/LOCODE |
//! | 8-16 | 9-digit serial, unique across the whole deployment (never reused, may have gaps) |
//! | 17 | procedure letter: `R` import, `A` export, `J` transit (the EU's letters) |
//! | 18 | check digit: the ISO 6346 algorithm over characters 1-17, as in the EU |
//!
//! Example: `26UZTAS000000042R5`, where the last digit is the check.

use std::fmt;

use crate::check;
use crate::codes::{CodeError, Locode};
use crate::model::DeclarationType;

/// The largest serial that fits the 9 digits of an MRN.
pub const MAX_SERIAL: u64 = 999_999_999;

/// A Movement Reference Number, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mrn(String);

impl Mrn {
    /// Builds the MRN for a declaration accepted in `year` at `office` with `serial`.
    pub fn assign(
        year: i32,
        office: &Locode,
        declaration_type: DeclarationType,
        serial: u64,
    ) -> Result<Self, CodeError> {
        if serial > MAX_SERIAL {
            return Err(CodeError::new(
                "mrn_serials_exhausted",
                "the 9-digit MRN serial range is exhausted",
            ));
        }
        let letter = match declaration_type {
            DeclarationType::Import => 'R',
            DeclarationType::Export => 'A',
            DeclarationType::Transit => 'J',
        };
        let yy = year.rem_euclid(100);
        let body = format!("{yy:02}{}{serial:09}{letter}", office.as_str());
        let digit = check::check_digit(&body)
            .ok_or_else(|| CodeError::new("invalid_format", "an MRN body must be alphanumeric"))?;
        Ok(Self(format!("{body}{digit}")))
    }

    /// Parses an MRN, verifying its form and its check digit.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let shape = raw.len() == 18
            && raw
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        let (Some(body), Some(last)) = (raw.get(..17), raw.as_bytes().get(17)) else {
            return Err(Self::format_error());
        };
        if !shape {
            return Err(Self::format_error());
        }
        let expected = check::check_digit(body).ok_or_else(Self::format_error)?;
        if *last != b'0' + expected {
            return Err(CodeError::new(
                "check_digit_mismatch",
                format!("the check digit of MRN {raw} should be {expected}"),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    fn format_error() -> CodeError {
        CodeError::new(
            "invalid_format",
            "an MRN has 18 capital letters and digits, e.g. 26UZTAS000000042R5",
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Mrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn layout_and_check() {
        let office = Locode::parse("UZTAS").unwrap();
        let mrn = Mrn::assign(2026, &office, DeclarationType::Import, 42).unwrap();
        assert_eq!(mrn.as_str().len(), 18);
        assert!(mrn.as_str().starts_with("26UZTAS000000042R"));
        assert_eq!(Mrn::parse(mrn.as_str()).unwrap(), mrn);
    }

    #[test]
    fn serial_overflow_is_an_error() {
        let office = Locode::parse("UZTAS").unwrap();
        let err = Mrn::assign(2026, &office, DeclarationType::Export, MAX_SERIAL + 1).unwrap_err();
        assert_eq!(err.code, "mrn_serials_exhausted");
    }

    proptest! {
        #[test]
        fn assigned_mrns_parse_and_only_their_own_check_digit_fits(serial in 0u64..=MAX_SERIAL, year in 2000i32..2100) {
            let office = Locode::parse("KZALA").unwrap();
            let mrn = Mrn::assign(year, &office, DeclarationType::Transit, serial).unwrap();
            prop_assert_eq!(Mrn::parse(mrn.as_str()).unwrap(), mrn.clone());
            let body = &mrn.as_str()[..17];
            let fitting = (0..10).filter(|d| Mrn::parse(&format!("{body}{d}")).is_ok()).count();
            prop_assert_eq!(fitting, 1);
        }
    }
}
