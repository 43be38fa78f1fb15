//! The transit particulars of a TR declaration as submitted (NCTS phase 5's IE015, simplified),
//! loosely typed like the rest of the draft so that validation names every problem.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::draft::DecimalText;

/// The transit block of a TR declaration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitDraft {
    /// UN/LOCODE of the office of departure; left out, the office of lodgement.
    #[schema(example = "UZTAS")]
    pub office_of_departure: Option<String>,
    /// Up to 9 offices of transit, in the order the goods pass them.
    #[serde(default)]
    pub offices_of_transit: Vec<String>,
    /// UN/LOCODE of the office of destination; may be another administration's.
    #[schema(example = "KZALA")]
    pub office_of_destination: Option<String>,
    /// Countries of routing, in order (ISO 3166-1 alpha-2).
    #[serde(default)]
    pub itinerary: Vec<String>,
    /// Whether the itinerary binds the carrier.
    #[serde(default)]
    pub binding_itinerary: bool,
    /// YYYY-MM-DD: the date by which the goods must be presented at destination.
    #[schema(example = "2026-12-08")]
    pub time_limit: Option<String>,
    /// Transport equipment (containers, trailers) with their seals.
    #[serde(default)]
    pub equipment: Vec<EquipmentDraft>,
    /// Up to 9 guarantees.
    #[serde(default)]
    pub guarantees: Vec<GuaranteeDraft>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentDraft {
    /// ISO 6346 container number, when the equipment is a container.
    #[schema(example = "CSQU3054383")]
    pub container: Option<String>,
    /// Up to 99 seals.
    #[serde(default)]
    pub seals: Vec<SealDraft>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SealDraft {
    /// The seal's identifier, an..20: capital letters, digits and hyphens.
    #[schema(example = "UZ-0012345")]
    pub identifier: Option<String>,
    /// ISO 17712 class: I indicative, S security, H high security.
    #[schema(example = "H")]
    pub class: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeDraft {
    /// NCTS guarantee type: 0, 1, 2, 3, 4, 5, 8, 9, A, R or B.
    #[serde(rename = "type")]
    #[schema(example = "1")]
    pub guarantee_type: Option<String>,
    /// Up to 99 references.
    #[serde(default)]
    pub references: Vec<GuaranteeReferenceDraft>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuaranteeReferenceDraft {
    /// Guarantee reference number (GRN), an..24.
    #[schema(example = "26UZ0000010000001")]
    pub grn: Option<String>,
    /// The guarantee's access code, an4; checked against the account, never stored.
    #[schema(example = "AB12")]
    pub access_code: Option<String>,
    /// The amount to cover (types 0, 1, 2, 4 and 9 only).
    pub amount: Option<DecimalText>,
    #[schema(example = "USD")]
    pub currency: Option<String>,
}
