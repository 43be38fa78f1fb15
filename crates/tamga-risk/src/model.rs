//! The learned model in the engine: each goods item becomes a [`Row`] of the KCS layout the
//! model was trained on, and the model's fraud probability becomes the `model_score` field and,
//! weighted by the selectivity settings, a contribution to the score.
//!
//! | Row field | from the declaration |
//! |---|---|
//! | date | lodgement date |
//! | office | office of lodgement |
//! | process_type | additional declaration type (A, B, ...) |
//! | import_type, import_use | the procedure code's first and last two digits |
//! | transport_mode | border transport mode |
//! | declarant, importer, seller | declarant, importer, exporter identifiers |
//! | hs6 | the commodity code's first six digits |
//! | departure, origin | country of dispatch, the item's origin |
//! | tax_rate | customs duty as a percentage of the customs value (assessment) |
//! | tax_type | the preference code claimed, or none |
//! | net_mass | net mass (kg) |
//! | item_price | customs value in national currency (assessment), else the item price |
//!
//! A model trained on the KCS files learned Korean amounts (KRW) and Korean codes: it scores
//! tamga's declarations, but only a model trained on tamga's own outcomes
//! (`tamga model train --from-db`) speaks their language.

use rust_decimal::prelude::ToPrimitive;
use tamga_core::Declaration;
use tamga_model::{Model, Row};

use crate::engine::ItemScorer;
use crate::facts::ItemFacts;

/// A loaded model, named for explanations.
#[derive(Debug)]
pub struct ModelScorer {
    pub name: String,
    pub model: Model,
}

/// The model's row for item `index` of `declaration`.
pub fn row(declaration: &Declaration, index: usize, facts: &ItemFacts) -> Option<Row> {
    let d = declaration;
    let item = d.items.get(index)?;
    let procedure = item.procedure.as_str();
    let text = |s: &str| Some(s.to_owned());
    let price = facts
        .value
        .or_else(|| item.price.and_then(|p| p.to_f64()))
        .unwrap_or(0.0);
    Some(Row {
        id: format!("{}/{}", d.lrn, item.sequence),
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
        hs6: item.commodity_code.as_str().get(..6).map(str::to_owned),
        departure: d.country_of_dispatch.as_ref().map(|c| c.to_string()),
        origin: item.origin.as_ref().map(|c| c.to_string()),
        tax_rate: facts.duty_rate.unwrap_or(0.0),
        tax_type: item.preference.as_ref().map(|p| p.to_string()),
        origin_indicator: None,
        net_mass: item.net_mass.to_f64().unwrap_or(0.0),
        item_price: price,
        fraud: None,
    })
}

impl ItemScorer for ModelScorer {
    fn name(&self) -> &str {
        &self.name
    }

    fn score(&self, declaration: &Declaration, item: usize, facts: &ItemFacts) -> f64 {
        row(declaration, item, facts).map_or(0.0, |r| self.model.score(&r))
    }

    fn explain(
        &self,
        declaration: &Declaration,
        item: usize,
        facts: &ItemFacts,
        top: usize,
    ) -> Vec<(String, f64)> {
        let Some(row) = row(declaration, item, facts) else {
            return Vec::new();
        };
        self.model
            .explain(&row, top)
            .into_iter()
            .map(|(name, c)| (name.to_owned(), c))
            .collect()
    }
}
