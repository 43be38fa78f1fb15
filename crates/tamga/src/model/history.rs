//! Training rows from the system's own history: every risk-assessed declaration with a
//! recorded inspection outcome gives one row per goods item, labelled fraud when the latest
//! outcome had a finding (the label is the declaration's: items are not inspected apart).
//! Random selections are among them, so the labels are not only those the rules chose.
//!
//! A row is built as the engine builds it at acceptance (`tamga_risk::model::row`): the customs
//! value and duty rate of the latest assessment, the unit value against the valuation references
//! now in force, and the AEO status by the register the selectivity settings name, so a model
//! trained on these rows sees at acceptance the features it learned from.

use anyhow::Context;
use tamga_core::tariff::valuation::ValuationTable;
use tamga_risk::facts::ScoredItem;
use tamga_risk::feedback::Outcome;
use tamga_store::{Scope, Store};
use time::OffsetDateTime;

use crate::settings::Settings;

/// The rows of the declarations decided at or after `since` (all when `None`).
pub async fn rows(
    settings: &Settings,
    since: Option<OffsetDateTime>,
) -> anyhow::Result<Vec<tamga_model::Row>> {
    let store = crate::serve::open_store(settings).await?;
    let from = since.unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let decided = store.feedback(from, tamga_store::sql::now()).await?;
    let mut valuation = ValuationTable::default();
    for reference in store.references().await? {
        valuation.insert(reference);
    }
    let register = tamga_api::risk::register_engine(&*store).await?;
    let mut rows = Vec::new();
    for row in decided {
        let Some(outcome) = row.outcome.as_deref() else {
            continue;
        };
        let outcome: Outcome =
            serde_json::from_str(outcome).with_context(|| format!("outcome of {}", row.mrn))?;
        let found = declaration_rows(&*store, &row.mrn, &valuation, &register).await?;
        rows.extend(found.into_iter().map(|mut r| {
            r.fraud = Some(outcome.hit());
            r
        }));
    }
    Ok(rows)
}

/// The unlabelled rows of the items of declaration `mrn` (none if it is gone).
async fn declaration_rows(
    store: &dyn Store,
    mrn: &str,
    valuation: &ValuationTable,
    register: &tamga_risk::Engine,
) -> anyhow::Result<Vec<tamga_model::Row>> {
    let Some(record) = store.declaration(mrn, &Scope::All).await? else {
        return Ok(Vec::new());
    };
    let assessments = store
        .assessments(mrn, &Scope::All)
        .await?
        .unwrap_or_default();
    let d = &record.declaration;
    let facts =
        tamga_api::risk::item_facts(d, assessments.last().map(|a| &a.assessment), valuation);
    let aeo = register.aeo(d);
    Ok((0..d.items.len())
        .filter_map(|index| {
            tamga_risk::model::row(ScoredItem {
                declaration: d,
                index,
                facts: facts.get(index).copied().unwrap_or_default(),
                aeo,
            })
        })
        .collect())
}
