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

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use crate::draft::{DecimalText, DeclarationDraft, QuantityDraft};
    use crate::refdata::ReferenceData;

    const SAMPLE: &str = include_str!("../../../../examples/declaration.json");

    fn quantity(quantity: Option<&str>, unit: Option<&str>) -> QuantityDraft {
        QuantityDraft {
            quantity: quantity.map(|q| DecimalText(q.to_owned())),
            unit: unit.map(str::to_owned),
        }
    }

    fn check(quantities: Vec<QuantityDraft>) -> Result<crate::model::Declaration, Vec<String>> {
        let mut draft: DeclarationDraft = serde_json::from_str(SAMPLE).unwrap();
        draft.items[1].additional_quantities = quantities;
        crate::validate::validate(
            &draft,
            ReferenceData::embedded(),
            datetime!(2026-11-22 12:00 UTC),
        )
        .map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("{} {}", e.pointer, e.code))
                .collect()
        })
    }

    #[test]
    fn long_units_are_kept_with_single_spaces() {
        let declaration = check(vec![
            quantity(Some("40"), Some("% vol")),
            quantity(Some("59.5"), Some("l  alc.   100%")),
            quantity(Some("800"), Some("kg/biodiesel")),
        ])
        .unwrap();
        let units: Vec<&str> = declaration.items[1]
            .additional_quantities
            .iter()
            .map(|q| q.unit.as_str())
            .collect();
        assert_eq!(units, ["% vol", "l alc. 100%", "kg/biodiesel"]);
    }

    #[test]
    fn every_bad_quantity_is_named() {
        let errors = check(vec![
            quantity(None, Some("kg N")),
            quantity(Some("-3"), None),
            quantity(Some("101"), Some("% VOL")),
            quantity(Some("5"), Some(&"x".repeat(33))),
            quantity(Some("5"), Some("kg\u{7}")),
            quantity(Some("1"), Some("hl")),
            quantity(Some("2"), Some("HL")),
            quantity(Some("1"), Some("  ")),
        ])
        .unwrap_err();
        let at = "/items/1/additional_quantities";
        assert_eq!(
            errors,
            [
                format!("{at}/0/quantity missing"),
                format!("{at}/1/quantity not_positive"),
                format!("{at}/1/unit missing"),
                format!("{at}/2/quantity out_of_range"),
                format!("{at}/3/unit invalid_text"),
                format!("{at}/4/unit invalid_text"),
                format!("{at}/6/unit duplicate"),
                format!("{at}/7/unit empty"),
            ]
        );
    }
}
