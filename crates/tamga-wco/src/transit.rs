//! The transit particulars of a DEC-DMS declaration of type TR (`TypeCode` `TRA`, `TRB`, ...)
//! → the draft's `transit` block, which the core validates as it validates a JSON lodgement's,
//! so a movement opens from a WCO DM declaration through the same pipeline.
//!
//! | WCO DM (DEC-DMS) | transit block |
//! |---|---|
//! | `CustomsOffice` `ID` with `RoleCode` `118` or `DEP` | office of departure |
//! | the same with `RoleCode` `50` or `TRA`, in `SequenceNumeric` order | offices of transit |
//! | the same with `RoleCode` `122` or `DES` | office of destination |
//! | `GoodsShipment/Consignment/Itinerary/RoutingCountryCode`, in `SequenceNumeric` order | itinerary; `Itinerary/BindingIndicatorCode` `1` makes it binding |
//! | `LimitDateTime/DateTimeString` (format 102) | time limit |
//! | `Consignment/TransportEquipment` `ID`, `Seal` `ID` and `TypeCode` (I, S, H) | equipment, its seals and their ISO 17712 classes |
//! | `ObligationGuarantee` `SecurityDetailsCode`, `ID` (else `ReferenceID`), `AccessCode`, `AmountAmount` (`currencyID`) | a guarantee reference of that NCTS type; references of one type make one guarantee |
//!
//! Role codes are those of UNCL 3227 (as tamga's CUSDEC reads them) or the three-letter ones
//! above. A TR declaration with none of these elements has no transit block.

use tamga_core::draft::DecimalText;
use tamga_core::transit::draft::{
    EquipmentDraft, GuaranteeDraft, GuaranteeReferenceDraft, SealDraft, TransitDraft,
};

use crate::xml::Node;

fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_owned)
}

/// The transit block of declaration `d`, when it names any transit particular.
pub fn particulars(d: &Node) -> Option<TransitDraft> {
    let consignment = d.at(&["GoodsShipment", "Consignment"]);
    let offices = |roles: [&str; 2]| in_order(d.all("CustomsOffice"), "RoleCode", roles, "ID");
    let itinerary = consignment.and_then(|c| c.child("Itinerary"));
    let routing: Vec<&Node> = consignment
        .map(|c| c.all("Itinerary").collect())
        .unwrap_or_default();
    let equipment: Vec<EquipmentDraft> = consignment
        .map(|c| c.all("TransportEquipment").map(equipment).collect())
        .unwrap_or_default();
    let transit = TransitDraft {
        office_of_departure: offices(["118", "DEP"]).into_iter().next(),
        offices_of_transit: offices(["50", "TRA"]),
        office_of_destination: offices(["122", "DES"]).into_iter().next(),
        itinerary: in_order(routing.into_iter(), "", ["", ""], "RoutingCountryCode"),
        binding_itinerary: itinerary.and_then(|i| i.text_at(&["BindingIndicatorCode"]))
            == Some("1"),
        time_limit: d
            .text_at(&["LimitDateTime", "DateTimeString"])
            .map(crate::dec::date),
        guarantees: guarantees(d),
        equipment: Vec::new(),
    };
    // Equipment alone is declared for any type; it makes particulars of transit only with seals.
    let sealed = equipment.iter().any(|e| !e.seals.is_empty());
    if transit == TransitDraft::default() && !sealed {
        return None;
    }
    Some(TransitDraft {
        equipment,
        ..transit
    })
}

/// The `value` of every node whose `role` is one of `roles` (every node when `role` is empty),
/// in `SequenceNumeric` order (document order among equals).
fn in_order<'n>(
    nodes: impl Iterator<Item = &'n Node>,
    role: &str,
    roles: [&str; 2],
    value: &str,
) -> Vec<String> {
    let mut found: Vec<(u32, String)> = nodes
        .filter(|n| role.is_empty() || n.text_at(&[role]).is_some_and(|r| roles.contains(&r)))
        .filter_map(|n| {
            let order = n
                .text_at(&["SequenceNumeric"])
                .and_then(|s| s.parse().ok())
                .unwrap_or(u32::MAX);
            Some((order, n.text_at(&[value])?.to_owned()))
        })
        .collect();
    found.sort_by_key(|(order, _)| *order);
    found.into_iter().map(|(_, v)| v).collect()
}

fn equipment(e: &Node) -> EquipmentDraft {
    EquipmentDraft {
        container: owned(e.text_at(&["ID"])),
        seals: e
            .all("Seal")
            .map(|s| SealDraft {
                identifier: owned(s.text_at(&["ID"])),
                class: owned(s.text_at(&["TypeCode"])),
            })
            .collect(),
    }
}

/// Each `ObligationGuarantee` as a reference, grouped by type in the order types first appear.
fn guarantees(d: &Node) -> Vec<GuaranteeDraft> {
    let mut out: Vec<GuaranteeDraft> = Vec::new();
    for g in d.all("ObligationGuarantee") {
        let kind = owned(g.text_at(&["SecurityDetailsCode"]));
        let amount = g.child("AmountAmount");
        let reference = GuaranteeReferenceDraft {
            grn: owned(g.text_at(&["ID"]).or_else(|| g.text_at(&["ReferenceID"]))),
            access_code: owned(g.text_at(&["AccessCode"])),
            amount: amount
                .filter(|a| !a.text.is_empty())
                .map(|a| DecimalText(a.text.clone())),
            currency: owned(amount.and_then(|a| a.attribute("currencyID"))),
        };
        match out.iter_mut().find(|o| o.guarantee_type == kind) {
            Some(same) => same.references.push(reference),
            None => out.push(GuaranteeDraft {
                guarantee_type: kind,
                references: vec![reference],
            }),
        }
    }
    out
}
