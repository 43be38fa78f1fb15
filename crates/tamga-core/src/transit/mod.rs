//! Transit after NCTS phase 5: the particulars a TR declaration carries (offices, itinerary,
//! time limit, seals, guarantees), their validation, guarantee types, and the movement's
//! lifecycle as a pure state machine ([`lifecycle`]). The store keeps movements and guarantee
//! balances; the HTTP edge and a federation inbox both drive the same steps.
//!
//! ```
//! use tamga_core::transit::lifecycle::{MovementState, StepKind};
//!
//! let next = StepKind::Release.next(MovementState::MrnAllocated);
//! assert_eq!(next, Ok(MovementState::Released));
//! assert!(StepKind::WriteOff.next(MovementState::MrnAllocated).is_err());
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::codes::{ContainerNumber, CountryCode, CurrencyCode, Locode};

pub mod access;
pub mod draft;
pub mod lifecycle;
mod validate;

pub use draft::TransitDraft;

/// The most offices of transit, guarantees per declaration, seals per piece of equipment and
/// references per guarantee NCTS allows.
pub const MAX_OFFICES_OF_TRANSIT: usize = 9;
pub const MAX_GUARANTEES: usize = 9;
pub const MAX_SEALS: usize = 99;
pub const MAX_REFERENCES: usize = 99;
pub const MAX_EQUIPMENT: usize = 9999;

/// The transit particulars of an accepted TR declaration. The access codes of its guarantee
/// references are checked at lodgement and not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TransitParticulars {
    pub office_of_departure: Locode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offices_of_transit: Vec<Locode>,
    pub office_of_destination: Locode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub itinerary: Vec<CountryCode>,
    #[serde(default)]
    pub binding_itinerary: bool,
    #[serde(with = "crate::dates::iso")]
    #[schema(value_type = String, format = Date)]
    pub time_limit: Date,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equipment: Vec<Equipment>,
    pub guarantees: Vec<Guarantee>,
}

impl TransitParticulars {
    /// Every guarantee reference with a declared amount: what release for transit reserves.
    pub fn amounts(&self) -> impl Iterator<Item = &GuaranteeReference> {
        self.guarantees
            .iter()
            .filter(|g| g.guarantee_type.has_amount())
            .flat_map(|g| g.references.iter())
            .filter(|r| r.amount.is_some())
    }

    /// Every seal identifier, over all equipment.
    pub fn seal_count(&self) -> usize {
        self.equipment.iter().map(|e| e.seals.len()).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Equipment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<ContainerNumber>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seals: Vec<Seal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Seal {
    pub identifier: String,
    pub class: SealClass,
}

/// ISO 17712 seal classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum SealClass {
    /// Indicative.
    I,
    /// Security.
    S,
    /// High security.
    H,
}

impl SealClass {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "I" => Some(Self::I),
            "S" => Some(Self::S),
            "H" => Some(Self::H),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Guarantee {
    #[serde(rename = "type")]
    pub guarantee_type: GuaranteeType,
    pub references: Vec<GuaranteeReference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GuaranteeReference {
    pub grn: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<CurrencyCode>,
}

/// NCTS guarantee types (code list CL251).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum GuaranteeType {
    /// 0: comprehensive guarantee.
    #[serde(rename = "0")]
    Comprehensive,
    /// 1: individual guarantee by guarantor.
    #[serde(rename = "1")]
    IndividualGuarantor,
    /// 2: individual guarantee in cash.
    #[serde(rename = "2")]
    IndividualCash,
    /// 3: individual guarantee in cash or other means of payment recognised.
    #[serde(rename = "3")]
    IndividualOtherPayment,
    /// 4: individual guarantee in the form of vouchers.
    #[serde(rename = "4")]
    IndividualVouchers,
    /// 5: guarantee waiver by law.
    #[serde(rename = "5")]
    Waiver,
    /// 8: guarantee not required for certain public bodies.
    #[serde(rename = "8")]
    NotRequired,
    /// 9: individual guarantee for several operations.
    #[serde(rename = "9")]
    IndividualMultiple,
    /// A: guarantee waiver by agreement.
    #[serde(rename = "A")]
    WaiverAgreement,
    /// R: guarantee not required for goods carried on the Rhine and similar waterways.
    #[serde(rename = "R")]
    NotRequiredWaterways,
    /// B: TIR carnet.
    #[serde(rename = "B")]
    Tir,
}

impl GuaranteeType {
    pub const ALL: [GuaranteeType; 11] = [
        Self::Comprehensive,
        Self::IndividualGuarantor,
        Self::IndividualCash,
        Self::IndividualOtherPayment,
        Self::IndividualVouchers,
        Self::Waiver,
        Self::NotRequired,
        Self::IndividualMultiple,
        Self::WaiverAgreement,
        Self::NotRequiredWaterways,
        Self::Tir,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Comprehensive => "0",
            Self::IndividualGuarantor => "1",
            Self::IndividualCash => "2",
            Self::IndividualOtherPayment => "3",
            Self::IndividualVouchers => "4",
            Self::Waiver => "5",
            Self::NotRequired => "8",
            Self::IndividualMultiple => "9",
            Self::WaiverAgreement => "A",
            Self::NotRequiredWaterways => "R",
            Self::Tir => "B",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    /// Whether the type declares an amount (0, 1, 2, 4 and 9): only these are kept as
    /// guarantee accounts whose balance release for transit reserves.
    pub fn has_amount(self) -> bool {
        matches!(
            self,
            Self::Comprehensive
                | Self::IndividualGuarantor
                | Self::IndividualCash
                | Self::IndividualVouchers
                | Self::IndividualMultiple
        )
    }
}

/// Whether `raw` is a well-formed seal identifier: 1 to 20 capital letters, digits or hyphens,
/// not starting or ending with a hyphen.
pub fn seal_identifier_ok(raw: &str) -> bool {
    (1..=20).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
        && !raw.starts_with('-')
        && !raw.ends_with('-')
}

/// Whether `raw` is a well-formed guarantee reference number: 1 to 24 capital letters and
/// digits.
pub fn grn_ok(raw: &str) -> bool {
    (1..=24).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Whether `raw` is a well-formed access code: exactly 4 letters or digits.
pub fn access_code_ok(raw: &str) -> bool {
    raw.len() == 4 && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}
