//! The declaration as submitted: loosely typed, so that one validation pass can report every
//! problem with a JSON pointer instead of stopping at the first.
//!
//! Unknown fields are refused by name. Amounts are decimal strings (`"1250.50"`); plain JSON
//! numbers are accepted too and read digit for digit, never through a float.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A decimal amount as written by the sender: a JSON string, or a JSON number kept as its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(value_type = String, example = "1250.50")]
pub struct DecimalText(pub String);

impl<'de> Deserialize<'de> for DecimalText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Self(s)),
            serde_json::Value::Number(n) => Ok(Self(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a decimal number as a string, found {other}"
            ))),
        }
    }
}

/// A goods declaration as lodged (WCO Data Model, simplified; see the README for the mapping).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationDraft {
    /// IM import, EX export, TR transit (WCO DM 1/1).
    #[serde(rename = "type")]
    #[schema(example = "IM")]
    pub declaration_type: Option<String>,
    /// Additional declaration type (1/2): A standard, B/C simplified, D pre-lodged standard, ...
    #[schema(example = "A")]
    pub additional_type: Option<String>,
    /// Local Reference Number, the declarant's own unique reference.
    #[schema(example = "LRN-2026-000123")]
    pub lrn: Option<String>,
    /// YYYY-MM-DD; defaults to today (UTC). Decides the HS edition in force.
    #[schema(example = "2026-11-20")]
    pub lodgement_date: Option<String>,
    pub declarant: Option<PartyDraft>,
    pub importer: Option<PartyDraft>,
    pub exporter: Option<PartyDraft>,
    pub representative: Option<PartyDraft>,
    /// How the representative acts (WCO DM 3/21): `direct` (in the declarant's name) or
    /// `indirect` (in its own name). Its mandate must be of this kind; left out, any will do.
    #[schema(example = "direct")]
    pub representation: Option<String>,
    /// UN/LOCODE of the customs office of lodgement.
    #[schema(example = "UZTAS")]
    pub customs_office: Option<String>,
    #[schema(example = "CN")]
    pub country_of_dispatch: Option<String>,
    #[schema(example = "UZ")]
    pub country_of_destination: Option<String>,
    pub border_transport: Option<TransportDraft>,
    #[serde(default)]
    pub containers: Vec<String>,
    pub invoice: Option<InvoiceDraft>,
    /// Incoterms 2020 code.
    #[schema(example = "CIF")]
    pub incoterm: Option<String>,
    /// Freight to the border, in the invoice currency.
    pub freight: Option<DecimalText>,
    /// Insurance to the border, in the invoice currency.
    pub insurance: Option<DecimalText>,
    #[serde(default)]
    pub documents: Vec<DocumentDraft>,
    /// Authorisations the declaration relies on (WCO DM 3/39), e.g. a customs warehouse.
    #[serde(default)]
    pub authorisations: Vec<AuthorisationDraft>,
    #[serde(default)]
    pub items: Vec<ItemDraft>,
    /// The transit particulars of a TR declaration: offices, itinerary, time limit, seals and
    /// guarantees. A TR declaration with them opens a transit movement.
    pub transit: Option<crate::transit::TransitDraft>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorisationDraft {
    /// The holder's identifier.
    pub id: Option<String>,
    /// Authorisation type code (WCO DM 3/39), e.g. CGU, CWP.
    #[schema(example = "CWP")]
    pub category: Option<String>,
}

/// A duty or tax as the declarant computed it (WCO DM DutyTaxFee): kept beside tamga's own
/// assessment, which alone decides what is owed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclaredTaxDraft {
    /// Tax type code, e.g. A00 customs duty, B00 VAT.
    #[schema(example = "A00")]
    pub tax_type: Option<String>,
    pub base: Option<DecimalText>,
    pub rate: Option<DecimalText>,
    pub amount: Option<DecimalText>,
    /// Method of payment code, e.g. E deferment.
    pub payment_method: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyDraft {
    /// TIN or EORI-style identifier.
    #[schema(example = "UZ305123456")]
    pub id: Option<String>,
    pub name: Option<String>,
    #[schema(example = "UZ")]
    pub country: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransportDraft {
    /// Mode of transport at the border, UN/ECE Recommendation 19 (1 sea, 2 rail, 3 road, 4 air, ...).
    #[schema(example = "3")]
    pub mode: Option<String>,
    /// Identity of the means of transport: plate, flight, train or vessel number.
    #[schema(example = "01A123BC")]
    pub identification: Option<String>,
    #[schema(example = "UZ")]
    pub nationality: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceDraft {
    #[schema(example = "USD")]
    pub currency: Option<String>,
    pub amount: Option<DecimalText>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentDraft {
    /// Document type code, e.g. N380 invoice, N954 certificate of origin ST-1.
    #[serde(rename = "type")]
    #[schema(example = "N380")]
    pub document_type: Option<String>,
    /// The document's identifier; may be left out when `status` or `statement` says why.
    pub reference: Option<String>,
    /// Status code (WCO DM 2/3), e.g. AC attached for certification, XX not required.
    #[schema(example = "AC")]
    pub status: Option<String>,
    /// Statement or reason, e.g. "Excluded product".
    pub statement: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemDraft {
    /// Goods item number, 1 to 999, unique within the declaration.
    pub sequence: Option<i64>,
    pub description: Option<String>,
    /// 6 to 10 digits: the HS subheading and national subdivisions.
    #[schema(example = "8471300000")]
    pub commodity_code: Option<String>,
    /// Country of origin.
    #[schema(example = "CN")]
    pub origin: Option<String>,
    #[schema(example = "100")]
    pub preference: Option<String>,
    #[schema(example = "4000")]
    pub procedure: Option<String>,
    pub packages: Option<PackagesDraft>,
    /// Net mass in kilograms.
    pub net_mass: Option<DecimalText>,
    /// Gross mass in kilograms.
    pub gross_mass: Option<DecimalText>,
    pub supplementary_quantity: Option<QuantityDraft>,
    /// Further quantities in the units tariff rates use: alcoholic strength (`% vol`), pure
    /// alcohol (`l alc. 100%`), the mass of a named substance (`kg/biodiesel`, `kg N`), ...
    #[serde(default)]
    pub additional_quantities: Vec<QuantityDraft>,
    /// Item price in the invoice currency.
    pub price: Option<DecimalText>,
    #[serde(default)]
    pub documents: Vec<DocumentDraft>,
    /// Duties and taxes as the declarant computed them.
    #[serde(default)]
    pub declared_taxes: Vec<DeclaredTaxDraft>,
    /// Valuation adjustment codes (WCO DM 4/9, 4/13), e.g. 0000 for none.
    #[serde(default)]
    pub valuation_adjustments: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PackagesDraft {
    #[schema(minimum = 1, maximum = 2147483647)]
    pub count: Option<i64>,
    #[schema(example = "CT")]
    pub kind: Option<String>,
    pub marks: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuantityDraft {
    pub quantity: Option<DecimalText>,
    /// Leave out to declare the quantity in the commodity's supplementary unit, as the tariff
    /// gives it.
    #[schema(example = "p/st")]
    pub unit: Option<String>,
}
