//! The accepted goods declaration: every coded field parsed into its newtype.
//!
//! It serialises to the same JSON shape as [`crate::draft::DeclarationDraft`], so a declaration
//! read back from tamga can be lodged again as it is.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::codes::{
    CommodityCode, ContainerNumber, CountryCode, CurrencyCode, DocumentType, Locode, Lrn,
    PackageKind, PartyId, PreferenceCode, ProcedureCode, UnitCode,
};

/// Defines a closed set of codes with their written form.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw)
            }

            /// The accepted codes, for error messages.
            pub fn list() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::ALL.iter().map(|v| v.as_str())))
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

code_enum!(
    /// Declaration type (WCO DM 1/1).
    DeclarationType { Import = "IM", Export = "EX", Transit = "TR" }
);
code_enum!(
    /// Additional declaration type (WCO DM 1/2).
    AdditionalType {
        Standard = "A", SimplifiedOccasional = "B", SimplifiedRegular = "C",
        StandardPreLodged = "D", SimplifiedPreLodged = "E", SimplifiedRegularPreLodged = "F",
        Supplementary = "X", SupplementaryPeriodic = "Y", EntryInRecords = "Z",
    }
);
code_enum!(
    /// Mode of transport, UN/ECE Recommendation 19.
    TransportMode {
        Sea = "1", Rail = "2", Road = "3", Air = "4", Postal = "5", Multimodal = "6",
        FixedInstallation = "7", InlandWaterway = "8", OwnPropulsion = "9",
    }
);
code_enum!(
    /// Incoterms 2020.
    Incoterm {
        Exw = "EXW", Fca = "FCA", Cpt = "CPT", Cip = "CIP", Dap = "DAP", Dpu = "DPU",
        Ddp = "DDP", Fas = "FAS", Fob = "FOB", Cfr = "CFR", Cif = "CIF",
    }
);

impl DeclarationType {
    /// "an import declaration (IM)", for messages.
    pub fn described(self) -> &'static str {
        match self {
            DeclarationType::Import => "an import declaration (IM)",
            DeclarationType::Export => "an export declaration (EX)",
            DeclarationType::Transit => "a transit declaration (TR)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Declaration {
    #[serde(rename = "type")]
    pub declaration_type: DeclarationType,
    pub additional_type: AdditionalType,
    pub lrn: Lrn,
    #[serde(with = "crate::dates::iso")]
    #[schema(value_type = String, format = Date)]
    pub lodgement_date: Date,
    pub declarant: Party,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importer: Option<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exporter: Option<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<Party>,
    /// How the representative acts, when the declaration says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representation: Option<crate::party::Representation>,
    pub customs_office: Locode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_of_dispatch: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_of_destination: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub border_transport: Option<BorderTransport>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub containers: Vec<ContainerNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice: Option<Invoice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incoterm: Option<Incoterm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freight: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insurance: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorisations: Vec<Authorisation>,
    pub items: Vec<GoodsItem>,
    /// The transit particulars of a TR declaration (access codes are not kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit: Option<crate::transit::TransitParticulars>,
}

/// An authorisation the declaration relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Authorisation {
    pub id: PartyId,
    pub category: String,
}

/// A duty or tax as the declarant computed it; tamga's assessment alone decides what is owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DeclaredTax {
    pub tax_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Party {
    pub id: PartyId,
    pub name: String,
    pub country: CountryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BorderTransport {
    pub mode: TransportMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identification: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<CountryCode>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Invoice {
    pub currency: CurrencyCode,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Document {
    #[serde(rename = "type")]
    pub document_type: DocumentType,
    /// The document's identifier; absent when a status or statement says why there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The document's status code (WCO DM 2/3, `LPCOExemptionCode`), e.g. AC attached for
    /// certification, XX not required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The declarant's statement or reason (WCO DM `AdditionalDocument/Name`), e.g. "Excluded
    /// product".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GoodsItem {
    pub sequence: u16,
    pub description: String,
    pub commodity_code: CommodityCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preference: Option<PreferenceCode>,
    pub procedure: ProcedureCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packages: Option<Packages>,
    pub net_mass: Decimal,
    pub gross_mass: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplementary_quantity: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_quantities: Vec<TariffQuantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared_taxes: Vec<DeclaredTax>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub valuation_adjustments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Packages {
    pub count: u32,
    pub kind: PackageKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marks: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Quantity {
    pub quantity: Decimal,
    /// The unit; absent means the commodity's supplementary unit, whichever the tariff gives it
    /// (WCO DM `TariffQuantity` without `unitCode`, as UK CDS traders declare it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitCode>,
}

impl Quantity {
    /// The quantity expressed in `unit` (the unit a tariff rate is per): when declared in that
    /// unit, or when declared without a unit, i.e. in the supplementary unit of the tariff.
    pub fn in_unit(&self, unit: &str) -> Option<Decimal> {
        let fits = self
            .unit
            .as_ref()
            .is_none_or(|u| u.as_str().eq_ignore_ascii_case(unit));
        fits.then_some(self.quantity)
    }
}

/// A quantity in a unit a tariff rate uses, written as the tariff writes it: 40 `% vol`,
/// 12.5 `l alc. 100%`, 800 `kg/biodiesel`. Units are compared without regard to case or
/// repeated spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TariffQuantity {
    pub quantity: Decimal,
    #[schema(example = "% vol")]
    pub unit: String,
}

impl Declaration {
    /// Identifiers of every party named on the declaration, declarant first.
    pub fn party_ids(&self) -> impl Iterator<Item = &PartyId> {
        [
            Some(&self.declarant),
            self.importer.as_ref(),
            self.exporter.as_ref(),
            self.representative.as_ref(),
        ]
        .into_iter()
        .flatten()
        .map(|p| &p.id)
    }

    /// A SHA-256 fingerprint of the canonical JSON form, used to recognise a resubmission.
    /// When the declarant left the lodgement date to tamga (`dated_by_declarant` false), the
    /// defaulted date is left out, so a retry after midnight is still the same declaration.
    pub fn fingerprint(&self, dated_by_declarant: bool) -> String {
        use sha2::{Digest, Sha256};
        let mut canonical = serde_json::to_value(self).unwrap_or_default();
        if !dated_by_declarant {
            if let Some(map) = canonical.as_object_mut() {
                map.remove("lodgement_date");
            }
        }
        let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }
}
