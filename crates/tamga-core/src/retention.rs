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
}
