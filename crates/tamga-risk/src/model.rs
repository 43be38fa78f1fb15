//! The learned model in the engine: each goods item becomes a [`Row`], the model's fraud
//! probability becomes the `model_score` field and, weighted by the selectivity settings, a
//! contribution to the score.
//!
//! One row serves both feature layouts; the model picks its fields by the layout it was
//! trained on ([`tamga_model::Layout`]):
//!
//! | Row field | from the declaration | KCS layout | tamga layout |
//! |---|---|---|---|
//! | date | lodgement date | month, day, weekday | the same |
//! | office | office of lodgement | ✓ | ✓ |
//! | process_type | additional declaration type (A, B, ...) | ✓ | |
//! | import_type, import_use | the procedure code's first and last two digits | ✓ | |
//! | procedure | the procedure code | | ✓ |
//! | transport_mode | border transport mode | ✓ | ✓ (`transport`) |
//! | declarant, importer | declarant and importer identifiers | ✓ | ✓ |
//! | seller | exporter identifier | ✓ | ✓ (`exporter`) |
//! | commodity | the full commodity code | | ✓ |
//! | hs6 | the commodity code's first six digits (HS4, HS2: four, two) | ✓ | ✓ |
//! | departure, origin | country of dispatch, the item's origin | ✓ | ✓ (`dispatch`, `origin`) |
//! | tax_rate | customs duty as a percentage of the customs value (assessment) | ✓ | ✓ |
//! | tax_type | the preference code claimed, or none | ✓ | ✓ (`preference`) |
//! | net_mass | net mass (kg) | ✓ | ✓ |
//! | item_price | customs value in national currency (assessment), else the item price | ✓ | ✓ |
//! | unit_value_ratio | unit value over the valuation reference median ([`ItemFacts`]) | | ✓ (`uv_vs_valuation`) |
//! | aeo | the declarant or the importer holds AEO status (the engine's register) | | ✓ |
//!
//! A model trained on the KCS files learned Korean amounts (KRW) and Korean codes: it scores
//! tamga's declarations, but only a model trained on tamga's own outcomes
//! (`tamga model train --from-db`, the tamga layout) speaks their language.

use rust_decimal::prelude::ToPrimitive;
use tamga_model::{Model, Row};

use crate::engine::ItemScorer;
use crate::facts::{ItemFacts, ScoredItem};

/// A loaded model, named for explanations.
#[derive(Debug)]
pub struct ModelScorer {
    pub name: String,
    pub model: Model,
}

/// The model's row for `item` (`None` when the declaration has no such item).
pub fn row(item: ScoredItem<'_>) -> Option<Row> {
    let d = item.declaration;
    let facts: &ItemFacts = &item.facts;
    let goods = d.items.get(item.index)?;
    let procedure = goods.procedure.as_str();
    let code = goods.commodity_code.as_str();
    let text = |s: &str| Some(s.to_owned());
    let price = facts
        .value
        .or_else(|| goods.price.and_then(|p| p.to_f64()))
        .unwrap_or(0.0);
    Some(Row {
        id: format!("{}/{}", d.lrn, goods.sequence),
        date: d.lodgement_date,
        office: text(d.customs_office.as_str()),
        process_type: text(d.additional_type.as_str()),
        import_type: procedure.get(..2).map(str::to_owned),
        import_use: procedure.get(2..4).map(str::to_owned),
        payment_type: None,
        transport_mode: d
            .border_transport
            .as_ref()
            .map(|t| t.mode.as_str().to_owned()),
        declarant: text(d.declarant.id.as_str()),
        importer: d.importer.as_ref().map(|p| p.id.to_string()),
        seller: d.exporter.as_ref().map(|p| p.id.to_string()),
        courier: None,
        hs6: code.get(..6).map(str::to_owned),
        departure: d.country_of_dispatch.as_ref().map(|c| c.to_string()),
        origin: goods.origin.as_ref().map(|c| c.to_string()),
        tax_rate: facts.duty_rate.unwrap_or(0.0),
        tax_type: goods.preference.as_ref().map(|p| p.to_string()),
        origin_indicator: None,
        net_mass: goods.net_mass.to_f64().unwrap_or(0.0),
        item_price: price,
        fraud: None,
        commodity: text(code),
        procedure: text(procedure),
        aeo: Some(item.aeo),
        unit_value_ratio: facts.unit_value_ratio.filter(|r| r.is_finite() && *r > 0.0),
    })
}

impl ItemScorer for ModelScorer {
    fn name(&self) -> &str {
        &self.name
    }

    fn score(&self, item: ScoredItem<'_>) -> f64 {
        row(item).map_or(0.0, |r| self.model.score(&r))
    }

    fn explain(&self, item: ScoredItem<'_>, top: usize) -> Vec<(String, f64)> {
        let Some(row) = row(item) else {
            return Vec::new();
        };
        self.model
            .explain(&row, top)
            .into_iter()
            .map(|(name, c)| (name.to_owned(), c))
            .collect()
    }
}
