//! Personal data retention: what of a closed declaration is masked once its retention period
//! is over, and what stays for statistics, control history and revenue.
//!
//! Masked: every party's name (replaced by [`MASK`], so the document keeps its shape) and
//! address, the border transport's identification (a vehicle plate or a vessel's name can
//! name a person), and the packages' shipping marks (which often carry the consignee's name).
//!
//! Kept: party identifiers (TIN/EORI: they key the LRN's uniqueness, a trader's own access,
//! mandates and the per-trader risk statistics) and countries, every code (type, procedure,
//! commodity, origin, office, documents), values, masses, quantities, taxes, dates, the LRN and
//! the MRN; outside the document, the channel, status, history, assessments and payments.
//!
//! The same period masks what other records hold of persons: the declaration's risk
//! explanation (each watchlist hit's party name and listed name — the profiles' matched values
//! are identifiers and codes, kept), old cargo reports (consignor, consignee, the conveyance's
//! identification) and, in `tamga-control`, the persons of a closed case's seizures.

use crate::model::{Declaration, Party};

/// What a masked name reads.
pub const MASK: &str = "[masked]";

/// Masks the personal data of `declaration` in place; returns whether anything changed.
pub fn mask(declaration: &mut Declaration) -> bool {
    let before = declaration.clone();
    mask_party(&mut declaration.declarant);
    for party in [
        &mut declaration.importer,
        &mut declaration.exporter,
        &mut declaration.representative,
    ]
    .into_iter()
    .flatten()
    {
        mask_party(party);
    }
    if let Some(transport) = &mut declaration.border_transport {
        transport.identification = None;
    }
    for item in &mut declaration.items {
        if let Some(packages) = &mut item.packages {
            packages.marks = None;
        }
    }
    *declaration != before
}

/// Masks the names in a stored risk explanation (JSON, as the targeting engine wrote it):
/// every watchlist hit's `party_name` and `matched_name`. Returns whether anything changed.
pub fn mask_explanation(explanation: &mut serde_json::Value) -> bool {
    let Some(hits) = explanation
        .get_mut("watchlist")
        .and_then(serde_json::Value::as_array_mut)
    else {
        return false;
    };
    let mut changed = false;
    for hit in hits.iter_mut().filter_map(serde_json::Value::as_object_mut) {
        for key in ["party_name", "matched_name"] {
            if let Some(name) = hit.get_mut(key).filter(|n| n.as_str() != Some(MASK)) {
                *name = serde_json::Value::String(MASK.to_owned());
                changed = true;
            }
        }
    }
    changed
}

/// Masks a cargo report's personal data: each consignment's consignor and consignee (names
/// and addresses as the carrier wrote them) and the conveyance's identification. Kept: the
/// reference, carrier, transport documents, containers, goods, places and dates.
pub fn mask_cargo_report(report: &mut crate::cargo::CargoReport) -> bool {
    let before = report.clone();
    for consignment in &mut report.consignments {
        for party in [&mut consignment.consignor, &mut consignment.consignee] {
            if party.is_some() {
                *party = Some(MASK.to_owned());
            }
        }
    }
    if let Some(conveyance) = &mut report.conveyance {
        conveyance.identification = None;
    }
    *report != before
}

fn mask_party(party: &mut Party) {
    MASK.clone_into(&mut party.name);
    party.address = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Declaration {
        let draft: crate::draft::DeclarationDraft =
            serde_json::from_str(include_str!("../../../examples/declaration.json"))
                .expect("the sample parses");
        let now = time::macros::datetime!(2026-11-22 12:00 UTC);
        crate::validate::validate(&draft, crate::refdata::ReferenceData::embedded(), now)
            .expect("the sample is valid")
    }

    #[test]
    fn names_addresses_transport_and_marks_go_codes_and_values_stay() {
        let original = sample();
        let mut masked = original.clone();
        assert!(mask(&mut masked));
        assert_eq!(masked.declarant.name, MASK);
        assert_eq!(masked.declarant.address, None);
        assert_eq!(masked.declarant.id, original.declarant.id);
        assert_eq!(masked.declarant.country, original.declarant.country);
        assert!(masked.importer.iter().all(|p| p.name == MASK));
        assert!(original
            .border_transport
            .iter()
            .all(|t| t.identification.is_some()));
        assert!(masked
            .border_transport
            .iter()
            .all(|t| t.identification.is_none()));
        assert_eq!(masked.items.len(), original.items.len());
        for (m, o) in masked.items.iter().zip(&original.items) {
            assert_eq!(m.commodity_code, o.commodity_code);
            assert_eq!(m.price, o.price);
            assert_eq!(m.net_mass, o.net_mass);
        }
        assert_eq!(masked.invoice, original.invoice);
        assert_eq!(masked.lrn, original.lrn);
        assert!(!mask(&mut masked), "masking twice changes nothing more");
    }

    #[test]
    fn explanations_lose_the_names_of_watchlist_hits_only() {
        let mut explanation = serde_json::json!({
            "summary": "red",
            "profiles": [{"id": "p", "matched": {"importer": "UZ305123456"}}],
            "watchlist": [{"role": "importer", "party_id": "UZ305123456",
                           "party_name": "Ivan Petrov", "matched_name": "PETROV, Ivan",
                           "entry_id": "UN-1", "source": "un", "score": 0.97}],
        });
        let original = explanation.clone();
        assert!(mask_explanation(&mut explanation));
        assert_eq!(explanation["watchlist"][0]["party_name"], MASK);
        assert_eq!(explanation["watchlist"][0]["matched_name"], MASK);
        assert_eq!(explanation["watchlist"][0]["party_id"], "UZ305123456");
        assert_eq!(explanation["profiles"], original["profiles"]);
        assert!(!mask_explanation(&mut explanation));
        assert!(!mask_explanation(&mut serde_json::json!({"watchlist": []})));
    }

    #[test]
    fn cargo_reports_lose_consignors_consignees_and_the_vehicle() {
        let mut report = crate::cargo::CargoReport {
            reference: "M-1".into(),
            conveyance: Some(crate::cargo::Conveyance {
                identification: Some("01A123BC".into()),
                ..Default::default()
            }),
            consignments: vec![crate::cargo::Consignment {
                sequence: 1,
                consignor: Some("Li Wei, Urumqi".into()),
                consignee: None,
                containers: vec!["CSQU3054383".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(mask_cargo_report(&mut report));
        let c = &report.consignments[0];
        assert_eq!(c.consignor.as_deref(), Some(MASK));
        assert_eq!(c.consignee, None);
        assert_eq!(c.containers, ["CSQU3054383"]);
        assert_eq!(report.conveyance.as_ref().unwrap().identification, None);
        assert!(!mask_cargo_report(&mut report));
    }
}
