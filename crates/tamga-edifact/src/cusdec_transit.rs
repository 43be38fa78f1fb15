//! The transit particulars of a CUSDEC (a TR declaration, `BGM+934`) → the draft's `transit`
//! block, which the core validates as it validates a JSON lodgement's, so a movement opens from
//! an EDIFACT declaration through the same pipeline.
//!
//! Offices and countries use the UNCL 3227 location qualifiers; the time limit, seals and
//! guarantees follow tamga's profile of CUSDEC (CUSDEC has no guarantee segment of its own):
//!
//! | segment (before `UNS`) | transit block |
//! |---|---|
//! | `LOC+118` | office of departure |
//! | `LOC+50` (repeated, in order) | offices of transit |
//! | `LOC+122` or `LOC+45` | office of destination |
//! | `LOC+49` (repeated, in order) | itinerary (countries of routing); `LOC+49+CC+BIN` marks it binding |
//! | `DTM+36` (format 102) | time limit |
//! | `EQD` | a piece of transport equipment (its container number when `EQD+CN`) |
//! | `SEL` 9308, 4525 | a seal of the equipment before it, and its ISO 17712 class (I, S, H) |
//! | `GIR` 7297; C206 7402 qualified `GRN` and `ACD` by 7405 | a guarantee of that NCTS type, a reference's GRN and access code |
//! | `MOA` 5004, 6345 right after a `GIR` (any qualifier but 39) | that reference's amount and currency |
//!
//! A message with none of these segments has no transit block.

use tamga_core::draft::DecimalText;
use tamga_core::transit::draft::{
    EquipmentDraft, GuaranteeDraft, GuaranteeReferenceDraft, SealDraft, TransitDraft,
};

use crate::parse::Segment;

/// Reads the transit particulars from the header's segments.
#[derive(Debug, Default)]
pub(crate) struct TransitReader {
    transit: TransitDraft,
    seen: bool,
    /// The guarantee whose reference the segment before (a `GIR`) added: a `MOA` then is
    /// that reference's amount.
    after_reference: Option<usize>,
}

impl TransitReader {
    /// Takes one header segment; the others are left to the declaration's mapping.
    pub(crate) fn segment(&mut self, s: &Segment<'_>) {
        let after_reference = self.after_reference.take();
        let qualifier = s.value(0, 0).unwrap_or("");
        let t = &mut self.transit;
        let text = |e: usize, c: usize| s.nonempty(e, c).map(str::to_owned);
        match (s.tag, qualifier) {
            ("LOC", "118") => t.office_of_departure = text(1, 0),
            ("LOC", "50") => t.offices_of_transit.extend(text(1, 0)),
            ("LOC", "122" | "45") => t.office_of_destination = text(1, 0),
            ("LOC", "49") => {
                t.itinerary.extend(text(1, 0));
                t.binding_itinerary |= s.value(2, 0) == Some("BIN");
            }
            ("DTM", "36") => t.time_limit = s.nonempty(0, 1).map(super::cusdec::date_102),
            ("EQD", kind) => {
                // Equipment alone (declared for any type) does not make particulars of transit.
                t.equipment.push(EquipmentDraft {
                    container: text(1, 0).filter(|_| kind == "CN"),
                    seals: Vec::new(),
                });
                return;
            }
            ("SEL", _) => self.seal(s),
            ("GIR", _) => self.after_reference = Some(self.reference(s)),
            ("MOA", q) if q != "39" => match after_reference {
                Some(guarantee) => self.amount(guarantee, s),
                None => return,
            },
            _ => return,
        }
        self.seen = true;
    }

    /// The transit block, when the message gave any transit particulars.
    pub(crate) fn finish(self) -> Option<TransitDraft> {
        self.seen.then_some(self.transit)
    }

    fn seal(&mut self, s: &Segment<'_>) {
        let seal = SealDraft {
            identifier: s.nonempty(0, 0).map(str::to_owned),
            class: s.nonempty(4, 0).map(str::to_owned),
        };
        if self.transit.equipment.is_empty() {
            // A seal with no equipment before it seals the means of transport itself.
            self.transit.equipment.push(EquipmentDraft::default());
        }
        if let Some(last) = self.transit.equipment.last_mut() {
            last.seals.push(seal);
        }
    }

    /// A reference joins the guarantee of its type, opened by its first reference; returns
    /// that guarantee's index.
    fn reference(&mut self, s: &Segment<'_>) -> usize {
        let kind = s.nonempty(0, 0).map(str::to_owned);
        let mut reference = GuaranteeReferenceDraft::default();
        for element in s.elements().iter().skip(1) {
            let value = element.component(0).filter(|v| !v.is_empty());
            match element.component(1) {
                Some("GRN") => reference.grn = value.map(str::to_owned),
                Some("ACD") => reference.access_code = value.map(str::to_owned),
                _ => {}
            }
        }
        let guarantees = &mut self.transit.guarantees;
        let index = match guarantees.iter().position(|g| g.guarantee_type == kind) {
            Some(i) => i,
            None => {
                guarantees.push(GuaranteeDraft {
                    guarantee_type: kind,
                    references: Vec::new(),
                });
                guarantees.len() - 1
            }
        };
        if let Some(g) = guarantees.get_mut(index) {
            g.references.push(reference);
        }
        index
    }

    fn amount(&mut self, guarantee: usize, s: &Segment<'_>) {
        let reference = self
            .transit
            .guarantees
            .get_mut(guarantee)
            .and_then(|g| g.references.last_mut());
        if let Some(r) = reference {
            r.amount = s.nonempty(0, 1).map(|n| DecimalText(n.replace(',', ".")));
            r.currency = s.nonempty(0, 2).map(str::to_owned);
        }
    }
}
