//! DEC-DMS `Declaration` → tamga's declaration draft. The draft then goes through the same
//! validation as a JSON lodgement.
//!
//! | WCO DM (DEC-DMS) | tamga |
//! |---|---|
//! | `TypeCode` (e.g. `IMA`) | type: its first two letters (`IM`, `EX`; others such as `CO` are passed on for validation to refuse), additional type: its third |
//! | `FunctionalReferenceID` | LRN |
//! | `IssueDateTime/DateTimeString` (format 102 or 304) | lodgement date |
//! | `PresentationOffice/ID`, else `SupervisingOffice/ID` | customs office |
//! | `Declarant`, `GoodsShipment/Importer`, `Exporter`, `Agent` | parties: `ID`, `Name`, `Address/CountryCode`, `Address/Line`, `CityName`; a party with only an `ID` is resolved from the party registry at lodgement |
//! | `Agent/FunctionCode` | representation: 2 direct, 3 indirect |
//! | `BorderTransportMeans` `ModeCode`, `ID`, `RegistrationNationalityCode` | border transport |
//! | `GoodsShipment/Consignment/TransportEquipment/ID` | containers |
//! | `GoodsShipment/ExportCountry/ID`, `Destination/CountryCode` | dispatch, destination |
//! | `InvoiceAmount` (`currencyID`) | invoice; when absent (it is optional), the items' `ItemChargeAmount` total in their common `currencyID` |
//! | `GoodsShipment/TradeTerms/ConditionCode` | incoterm |
//! | `AdditionalDocument` `CategoryCode` + `TypeCode`, `ID`, `LPCOExemptionCode`, `Name` | documents (`N` + `935` → `N935`): reference, status, statement |
//! | `GovernmentAgencyGoodsItem` | goods item: `SequenceNumeric`, `Commodity/Description`, `Classification` TSP + TRC (→ 10 digits), `Origin/CountryCode`, `GovernmentProcedure` current + previous, `Packaging`, `GoodsMeasure` `NetNetWeightMeasure` / `GrossMassMeasure` / `TariffQuantity`, `InvoiceLine/ItemChargeAmount`, `AdditionalDocument` |
//! | `AuthorisationHolder` `ID`, `CategoryCode` | authorisations |
//! | `Commodity/DutyTaxFee/DutyRegimeCode` | preference (the first given) |
//! | `Commodity/DutyTaxFee` `TypeCode`, tax base, `TaxRateNumeric`, `Payment` | declared taxes (kept beside tamga's own assessment, which alone decides what is owed); a `DutyTaxFee` with no tax type and no computed tax (only a regime, quota, base quantity or payment method) declares none |
//! | `GoodsMeasure/TariffQuantity` (`unitCode`) | supplementary quantity; without `unitCode` it is in the commodity's supplementary unit, which the tariff gives |
//! | `ValuationAdjustment/AdditionCode` | valuation adjustment codes |
//!
//! A TR declaration's transit particulars (offices by role, itinerary, time limit, seals,
//! guarantees) are mapped by [`crate::transit`].

use tamga_core::draft::{
    AuthorisationDraft, DecimalText, DeclarationDraft, DeclaredTaxDraft, DocumentDraft,
    InvoiceDraft, ItemDraft, PackagesDraft, PartyDraft, QuantityDraft, TransportDraft,
};

use crate::xml::{self, Node, XmlError};

/// Every `Declaration` of a document (usually one, inside `MetaData`), mapped, whatever its
/// namespace or function. Intake reads bytes with [`crate::intake::read`], which checks the
/// encoding and namespaces and refuses amendments.
pub fn drafts(text: &str) -> Result<Vec<DeclarationDraft>, XmlError> {
    let root = xml::parse(text)?;
    let mut found = Vec::new();
    if root.name == "Declaration" {
        found.push(&root);
    } else {
        root.descendants("Declaration", &mut found);
    }
    Ok(found.into_iter().map(draft).collect())
}

fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_owned)
}

/// One declaration.
pub fn draft(d: &Node) -> DeclarationDraft {
    let shipment = d.child("GoodsShipment");
    let type_code = d.text_at(&["TypeCode"]).unwrap_or("");
    let in_shipment = |path: &[&str]| shipment.and_then(|s| s.text_at(path)).map(str::to_owned);
    let mut draft = DeclarationDraft {
        declaration_type: type_code.get(..2).map(str::to_owned),
        additional_type: type_code.get(2..3).map(str::to_owned),
        lrn: owned(d.text_at(&["FunctionalReferenceID"])),
        lodgement_date: d.text_at(&["IssueDateTime", "DateTimeString"]).map(date),
        declarant: d.child("Declarant").map(party),
        importer: shipment.and_then(|s| s.child("Importer")).map(party),
        exporter: d
            .child("Exporter")
            .or_else(|| shipment.and_then(|s| s.child("Exporter")))
            .map(party),
        representative: agent(d).map(party),
        representation: agent(d)
            .and_then(|a| a.text_at(&["FunctionCode"]))
            .map(representation),
        customs_office: owned(
            d.text_at(&["PresentationOffice", "ID"])
                .or_else(|| d.text_at(&["SupervisingOffice", "ID"])),
        ),
        country_of_dispatch: in_shipment(&["ExportCountry", "ID"]),
        country_of_destination: in_shipment(&["Destination", "CountryCode"]),
        border_transport: d.child("BorderTransportMeans").map(transport),
        incoterm: in_shipment(&["TradeTerms", "ConditionCode"]),
        invoice: d
            .child("InvoiceAmount")
            .map(|a| InvoiceDraft {
                currency: owned(a.attribute("currencyID")),
                amount: (!a.text.is_empty()).then(|| DecimalText(a.text.clone())),
            })
            .or_else(|| shipment.and_then(crate::invoice::from_item_prices)),
        documents: d.all("AdditionalDocument").filter_map(document).collect(),
        authorisations: d
            .all("AuthorisationHolder")
            .map(|a| AuthorisationDraft {
                id: owned(a.text_at(&["ID"])),
                category: owned(a.text_at(&["CategoryCode"])),
            })
            .collect(),
        ..DeclarationDraft::default()
    };
    if let Some(shipment) = shipment {
        let mut equipment = Vec::new();
        shipment.descendants("TransportEquipment", &mut equipment);
        draft.containers = equipment
            .iter()
            .filter_map(|e| owned(e.text_at(&["ID"])))
            .collect();
        draft.items = shipment
            .all("GovernmentAgencyGoodsItem")
            .map(item)
            .collect();
    }
    if draft.declaration_type.as_deref() == Some("TR") {
        draft.transit = crate::transit::particulars(d);
    }
    draft
}

/// `CCYYMMDD` (102) or `CCYYMMDDhhmmssZ` (304) as `YYYY-MM-DD`.
pub(crate) fn date(raw: &str) -> String {
    match (raw.get(..4), raw.get(4..6), raw.get(6..8)) {
        (Some(y), Some(m), Some(d)) if raw.bytes().take(8).all(|b| b.is_ascii_digit()) => {
            format!("{y}-{m}-{d}")
        }
        _ => raw.to_owned(),
    }
}

/// The representative: an `Agent` that names itself (CDS writes one with only its status
/// code when the declarant acts for itself).
fn agent(d: &Node) -> Option<&Node> {
    d.child("Agent").filter(|a| a.child("ID").is_some())
}

/// The representative status code (DE 3/21): 2 direct, 3 indirect; any other code is kept
/// for validation to refuse by name.
fn representation(code: &str) -> String {
    match code {
        "2" => "direct".into(),
        "3" => "indirect".into(),
        other => other.to_owned(),
    }
}

fn party(p: &Node) -> PartyDraft {
    let address = p.child("Address");
    let line = address.and_then(|a| a.text_at(&["Line"]));
    let city = address.and_then(|a| a.text_at(&["CityName"]));
    PartyDraft {
        id: owned(p.text_at(&["ID"])),
        name: owned(p.text_at(&["Name"])),
        country: owned(address.and_then(|a| a.text_at(&["CountryCode"]))),
        address: match (line, city) {
            (Some(l), Some(c)) => Some(format!("{l}, {c}")),
            (l, c) => owned(l.or(c)),
        },
    }
}

fn transport(t: &Node) -> TransportDraft {
    TransportDraft {
        mode: owned(t.text_at(&["ModeCode"])),
        identification: owned(t.text_at(&["ID"])),
        nationality: owned(t.text_at(&["RegistrationNationalityCode"])),
    }
}

fn document(d: &Node) -> Option<DocumentDraft> {
    let kind = format!(
        "{}{}",
        d.text_at(&["CategoryCode"]).unwrap_or(""),
        d.text_at(&["TypeCode"])?
    );
    Some(DocumentDraft {
        document_type: Some(kind),
        reference: owned(d.text_at(&["ID"])),
        status: owned(d.text_at(&["LPCOExemptionCode"])),
        statement: owned(d.text_at(&["Name"])),
    })
}

fn item(g: &Node) -> ItemDraft {
    let commodity = g.child("Commodity");
    let classification = |kind: &str| {
        commodity?
            .all("Classification")
            .find(|c| c.text_at(&["IdentificationTypeCode"]) == Some(kind))
            .and_then(|c| c.text_at(&["ID"]))
    };
    let code =
        classification("TSP").map(|cn| format!("{cn}{}", classification("TRC").unwrap_or("")));
    let procedure = g
        .all("GovernmentProcedure")
        .find(|p| p.text_at(&["CurrentCode"]).is_some_and(|c| c.len() == 2))
        .map(|p| {
            format!(
                "{}{}",
                p.text_at(&["CurrentCode"]).unwrap_or(""),
                p.text_at(&["PreviousCode"]).unwrap_or("00")
            )
        });
    let measure = commodity.and_then(|c| c.child("GoodsMeasure"));
    let amount = |node: Option<&Node>| {
        node.filter(|n| !n.text.is_empty())
            .map(|n| DecimalText(n.text.clone()))
    };
    let tariff_quantity = measure.and_then(|m| m.child("TariffQuantity"));
    ItemDraft {
        sequence: g.text_at(&["SequenceNumeric"]).and_then(|n| n.parse().ok()),
        description: owned(commodity.and_then(|c| c.text_at(&["Description"]))),
        commodity_code: code,
        origin: owned(g.text_at(&["Origin", "CountryCode"])),
        preference: owned(commodity.and_then(|c| {
            c.all("DutyTaxFee")
                .find_map(|f| f.text_at(&["DutyRegimeCode"]))
        })),
        procedure,
        packages: g.child("Packaging").map(|p| PackagesDraft {
            count: p
                .text_at(&["QuantityQuantity"])
                .and_then(|n| n.parse().ok()),
            kind: owned(p.text_at(&["TypeCode"])),
            marks: owned(p.text_at(&["MarksNumbersID"])),
        }),
        net_mass: amount(measure.and_then(|m| m.child("NetNetWeightMeasure"))),
        gross_mass: amount(measure.and_then(|m| m.child("GrossMassMeasure"))),
        supplementary_quantity: tariff_quantity.map(|q| QuantityDraft {
            quantity: amount(Some(q)),
            unit: owned(q.attribute("unitCode")),
        }),
        additional_quantities: Vec::new(),
        price: amount(commodity.and_then(|c| c.at(&["InvoiceLine", "ItemChargeAmount"]))),
        documents: g.all("AdditionalDocument").filter_map(document).collect(),
        declared_taxes: commodity
            .map(|c| c.all("DutyTaxFee").filter_map(declared_tax).collect())
            .unwrap_or_default(),
        valuation_adjustments: g
            .all("ValuationAdjustment")
            .filter_map(|v| owned(v.text_at(&["AdditionCode"])))
            .collect(),
    }
}

/// Where a `DutyTaxFee` states a tax as computed; without these and without a tax type it only
/// requests a regime or quota, or gives a base quantity or payment method for tamga to use.
const COMPUTED: [&[&str]; 4] = [
    &["TaxRateNumeric"],
    &["AdValoremTaxBaseAmount"],
    &["Payment", "TaxAssessedAmount"],
    &["Payment", "PaymentAmount"],
];

/// A tax the declarant declares: a `DutyTaxFee` with a tax type or a computed amount, rate or
/// value base. One without (e.g. only `DutyRegimeCode`, the preference) declares no tax.
fn declared_tax(f: &Node) -> Option<DeclaredTaxDraft> {
    let declares = f.text_at(&["TypeCode"]).is_some() || COMPUTED.iter().any(|p| f.at(p).is_some());
    if !declares {
        return None;
    }
    let number = |path: &[&str]| f.text_at(path).map(|t| DecimalText(t.to_owned()));
    Some(DeclaredTaxDraft {
        tax_type: owned(f.text_at(&["TypeCode"])),
        base: number(&["SpecificTaxBaseQuantity"]).or_else(|| number(&["AdValoremTaxBaseAmount"])),
        rate: number(&["TaxRateNumeric"]),
        amount: number(&["Payment", "TaxAssessedAmount"]),
        payment_method: owned(f.text_at(&["Payment", "MethodCode"])),
    })
}
