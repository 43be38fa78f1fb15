//! Checks of an item's additional quantities: the amounts in tariff units (`% vol`,
//! `l alc. 100%`, `kg/biodiesel`) that specific rates are charged on.

use super::{Sign, Validator};
use crate::draft::QuantityDraft;
use crate::model::TariffQuantity;
use crate::tariff::quantity::{normalise_unit, STRENGTH};

/// The longest tariff unit accepted; the longest in the EU and UK tariffs is about 20.
pub const MAX_UNIT_LENGTH: usize = 32;

impl Validator<'_> {
    pub(super) fn additional_quantities(
        &mut self,
        item: &str,
        raw: &[QuantityDraft],
    ) -> Option<Vec<TariffQuantity>> {
        let mut seen: Vec<String> = Vec::new();
        let mut parsed = Vec::with_capacity(raw.len());
        for (i, q) in raw.iter().enumerate() {
            let pointer = format!("{item}/additional_quantities/{i}");
            let quantity = self.tariff_quantity(&pointer, q);
            let unit = quantity.as_ref().map(|q| normalise_unit(&q.unit));
            if let Some(unit) = unit {
                if seen.contains(&unit) {
                    // One quantity per unit, or the rate would not know which to take.
                    self.findings.push(
                        format!("{pointer}/unit"),
                        "duplicate",
                        format!("a quantity in {unit} is already declared on this item"),
                    );
                    parsed.push(None);
                    continue;
                }
                seen.push(unit);
            }
            parsed.push(quantity);
        }
        parsed.into_iter().collect()
    }

    fn tariff_quantity(&mut self, pointer: &str, q: &QuantityDraft) -> Option<TariffQuantity> {
        let unit_pointer = format!("{pointer}/unit");
        let quantity_pointer = format!("{pointer}/quantity");
        let quantity = self.required_amount(
            &quantity_pointer,
            q.quantity.as_ref(),
            Sign::PositiveMeasure,
        );
        let unit = self.required_text(&unit_pointer, q.unit.as_deref(), MAX_UNIT_LENGTH);
        let (quantity, unit) = (quantity?, unit?);
        if normalise_unit(&unit) == STRENGTH && quantity > rust_decimal::Decimal::ONE_HUNDRED {
            self.findings.push(
                &quantity_pointer,
                "out_of_range",
                format!("an alcoholic strength is at most 100 % vol, got {quantity}"),
            );
            return None;
        }
        Some(TariffQuantity {
            quantity,
            unit: unit.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }
}
