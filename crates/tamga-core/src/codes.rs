//! Newtypes for every coded field of a declaration, each with a `parse` constructor.
//!
//! `parse` checks the *form* of a code (length, alphabet, check digit). Whether a well-formed
//! code exists — a country in ISO 3166, a subheading in the HS edition in force — is a question
//! for [`crate::refdata::ReferenceData`], asked during validation.

use std::fmt;

use crate::check;

/// Why a code was refused: a stable machine-readable `code` and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CodeError {
    pub code: &'static str,
    pub message: String,
}

impl CodeError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// Defines a string newtype with a checked constructor, `Display`, serde and an OpenAPI schema.
macro_rules! code_type {
    ($(#[$meta:meta])* $name:ident, $example:literal, $check:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Parses the code, refusing anything that is not of the right form.
            pub fn parse(raw: &str) -> Result<Self, CodeError> {
                $check(raw).map(|()| Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .examples([serde_json::Value::from($example)])
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}

fn all_bytes(raw: &str, allowed: impl Fn(u8) -> bool) -> bool {
    raw.bytes().all(allowed)
}

fn length(raw: &str, min: usize, max: usize, what: &str) -> Result<(), CodeError> {
    let len = raw.chars().count();
    if (min..=max).contains(&len) {
        return Ok(());
    }
    let expected = if min == max {
        format!("exactly {min}")
    } else {
        format!("{min} to {max}")
    };
    Err(CodeError::new(
        "invalid_length",
        format!("{what} must be {expected} characters long, got {len}"),
    ))
}

fn check_lrn(raw: &str) -> Result<(), CodeError> {
    length(raw, 1, 22, "an LRN")?;
    if all_bytes(raw, |b| b.is_ascii_alphanumeric() || b"-_./".contains(&b)) {
        return Ok(());
    }
    Err(CodeError::new(
        "invalid_format",
        "an LRN may contain only letters, digits and - _ . /",
    ))
}

fn check_party(raw: &str) -> Result<(), CodeError> {
    length(raw, 1, 17, "a party identifier")?;
    if all_bytes(raw, |b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return Ok(());
    }
    Err(CodeError::new(
        "invalid_format",
        "a party identifier (TIN or EORI) may contain only capital letters and digits",
    ))
}

fn upper_letters(raw: &str, n: usize, what: &str) -> Result<(), CodeError> {
    length(raw, n, n, what)?;
    if all_bytes(raw, |b| b.is_ascii_uppercase()) {
        return Ok(());
    }
    Err(CodeError::new(
        "invalid_format",
        format!("{what} must be {n} capital letters"),
    ))
}

fn digits(raw: &str, min: usize, max: usize, what: &str) -> Result<(), CodeError> {
    length(raw, min, max, what)?;
    if all_bytes(raw, |b| b.is_ascii_digit()) {
        return Ok(());
    }
    Err(CodeError::new(
        "invalid_format",
        format!("{what} must contain only digits"),
    ))
}

fn check_country(raw: &str) -> Result<(), CodeError> {
    upper_letters(raw, 2, "a country code (ISO 3166-1 alpha-2)")
}

fn check_currency(raw: &str) -> Result<(), CodeError> {
    upper_letters(raw, 3, "a currency code (ISO 4217)")
}

fn check_locode(raw: &str) -> Result<(), CodeError> {
    length(raw, 5, 5, "a UN/LOCODE")?;
    if !raw.is_ascii() {
        return Err(CodeError::new(
            "invalid_format",
            "a UN/LOCODE is plain ASCII, e.g. UZTAS",
        ));
    }
    let (country, place) = raw.split_at(2);
    let place_ok = all_bytes(place, |b| {
        b.is_ascii_uppercase() || (b'2'..=b'9').contains(&b)
    });
    if all_bytes(country, |b| b.is_ascii_uppercase()) && place_ok {
        return Ok(());
    }
    Err(CodeError::new(
        "invalid_format",
        "a UN/LOCODE is a country code and 3 capital letters or digits 2-9, e.g. UZTAS",
    ))
}

fn check_commodity(raw: &str) -> Result<(), CodeError> {
    digits(raw, 6, 10, "a commodity code")
}

fn check_procedure(raw: &str) -> Result<(), CodeError> {
    digits(
        raw,
        4,
        4,
        "a procedure code (requested and previous procedure)",
    )
}

fn check_preference(raw: &str) -> Result<(), CodeError> {
    digits(raw, 3, 3, "a preference code")
}

fn check_alnum(raw: &str, min: usize, max: usize, what: &str) -> Result<(), CodeError> {
    length(raw, min, max, what)?;
    if all_bytes(raw, |b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return Ok(());
    }
    Err(CodeError::new(
        "invalid_format",
        format!("{what} may contain only capital letters and digits"),
    ))
}

fn check_document_type(raw: &str) -> Result<(), CodeError> {
    check_alnum(raw, 4, 4, "a document type code")
}

fn check_package_kind(raw: &str) -> Result<(), CodeError> {
    check_alnum(raw, 2, 2, "a package kind (UN/ECE Recommendation 21)")
}

fn check_unit(raw: &str) -> Result<(), CodeError> {
    length(raw, 1, 6, "a unit of measure")?;
    if all_bytes(raw, |b| b.is_ascii_alphanumeric() || b == b'/') {
        return Ok(());
    }
    Err(CodeError::new(
        "invalid_format",
        "a unit of measure may contain only letters, digits and /",
    ))
}

fn check_container(raw: &str) -> Result<(), CodeError> {
    let format_error = || {
        CodeError::new(
            "invalid_format",
            "an ISO 6346 container number is 3 owner letters, a category letter U, J or Z, 6 digits and a check digit",
        )
    };
    if raw.len() != 11 || !raw.is_ascii() {
        return Err(format_error());
    }
    let (owner, rest) = raw.split_at(3);
    let (category, rest) = rest.split_at(1);
    let (serial, check_digit) = rest.split_at(6);
    let shape_ok = all_bytes(owner, |b| b.is_ascii_uppercase())
        && matches!(category, "U" | "J" | "Z")
        && all_bytes(serial, |b| b.is_ascii_digit())
        && all_bytes(check_digit, |b| b.is_ascii_digit());
    if !shape_ok {
        return Err(format_error());
    }
    let body = raw.get(..10).ok_or_else(format_error)?;
    let expected = check::check_digit(body).ok_or_else(format_error)?;
    if check_digit.as_bytes() == [b'0' + expected] {
        return Ok(());
    }
    Err(CodeError::new(
        "check_digit_mismatch",
        format!("the check digit of {raw} should be {expected}"),
    ))
}

code_type!(
    /// Local Reference Number: the declarant's own reference (an..22), unique per declarant.
    Lrn, "LRN-2026-000123", check_lrn
);
code_type!(
    /// Identifier of a party: a TIN or EORI-style number (an..17, capitals and digits).
    PartyId, "UZ305123456", check_party
);
code_type!(
    /// ISO 3166-1 alpha-2 country code.
    CountryCode, "UZ", check_country
);
code_type!(
    /// ISO 4217 alphabetic currency code.
    CurrencyCode, "USD", check_currency
);
code_type!(
    /// UN/LOCODE of a customs office: country and place, 5 characters.
    Locode, "UZTAS", check_locode
);
code_type!(
    /// Commodity code: the HS subheading (6 digits) optionally followed by national subdivisions, up to 10 digits.
    CommodityCode, "8471300000", check_commodity
);
code_type!(
    /// Procedure code: requested procedure (2 digits) and previous procedure (2 digits).
    ProcedureCode, "4000", check_procedure
);
code_type!(
    /// Preference code (3 digits), e.g. 100 for the erga omnes third-country duty.
    PreferenceCode, "100", check_preference
);
code_type!(
    /// Document type code (4 characters), e.g. N380 commercial invoice, N954 certificate ST-1.
    DocumentType, "N380", check_document_type
);
code_type!(
    /// Kind of packages, UN/ECE Recommendation 21 (2 characters), e.g. CT carton.
    PackageKind, "CT", check_package_kind
);
code_type!(
    /// Unit of the supplementary quantity, e.g. p/st, l, m2.
    UnitCode, "p/st", check_unit
);
code_type!(
    /// ISO 6346 freight container number with its check digit.
    ContainerNumber, "CSQU3054383", check_container
);

impl CommodityCode {
    /// The 6-digit HS subheading part.
    pub fn hs6(&self) -> &str {
        self.0.get(..6).unwrap_or(&self.0)
    }

    /// The 2-digit HS chapter.
    pub fn chapter(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }
}

impl ProcedureCode {
    /// The requested procedure: the first two digits.
    pub fn requested(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }
}

impl Locode {
    pub fn country(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }

    pub fn place(&self) -> &str {
        self.0.get(2..).unwrap_or(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn container_numbers_from_the_standard() {
        assert!(ContainerNumber::parse("CSQU3054383").is_ok());
        let err = ContainerNumber::parse("CSQU3054384").unwrap_err();
        assert_eq!(err.code, "check_digit_mismatch");
        assert_eq!(
            ContainerNumber::parse("QJRZ123456").unwrap_err().code,
            "invalid_format"
        );
    }

    #[test]
    fn locode_form() {
        assert!(Locode::parse("UZTAS").is_ok());
        assert!(Locode::parse("uztas").is_err());
        assert!(Locode::parse("UZTA1").is_err());
    }

    proptest! {
        #[test]
        fn exactly_one_check_digit_is_valid(owner in "[A-Z]{3}", cat in "[UJZ]", serial in "[0-9]{6}") {
            let body = format!("{owner}{cat}{serial}");
            let valid = (0..10u8)
                .filter(|d| ContainerNumber::parse(&format!("{body}{d}")).is_ok())
                .count();
            prop_assert_eq!(valid, 1);
        }

        #[test]
        fn parse_never_panics(raw in "\\PC{0,30}") {
            let _ = ContainerNumber::parse(&raw);
            let _ = CommodityCode::parse(&raw);
            let _ = Locode::parse(&raw);
            let _ = Lrn::parse(&raw);
        }
    }
}
