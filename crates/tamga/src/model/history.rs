//! Training rows from the system's own history: every risk-assessed declaration with a
//! recorded inspection outcome gives one row per goods item, labelled fraud when the latest
//! outcome had a finding (the label is the declaration's: items are not inspected apart).
//! Random selections are among them, so the labels are not only those the rules chose.

use anyhow::Context;
use tamga_risk::feedback::Outcome;
use tamga_store::Scope;

use crate::settings::Settings;

pub async fn rows(settings: &Settings) -> anyhow::Result<Vec<tamga_model::Row>> {
    let store = crate::serve::open_store(settings).await?;
    let now = tamga_store::sql::now();
    let decided = store
        .feedback(time::OffsetDateTime::UNIX_EPOCH, now)
        .await?;
    let valuation = tamga_core::tariff::valuation::ValuationTable::default();
    let mut rows = Vec::new();
    for row in decided {
        let Some(outcome) = row.outcome.as_deref() else {
            continue;
        };
        let outcome: Outcome =
            serde_json::from_str(outcome).with_context(|| format!("outcome of {}", row.mrn))?;
        let Some(record) = store.declaration(&row.mrn, &Scope::All).await? else {
            continue;
        };
        let assessments = store
            .assessments(&row.mrn, &Scope::All)
            .await?
            .unwrap_or_default();
        let latest = assessments.last().map(|a| &a.assessment);
        let d = &record.declaration;
        let facts = tamga_api::risk::item_facts(d, latest, &valuation);
        for i in 0..d.items.len() {
            let item_facts = facts.get(i).copied().unwrap_or_default();
            if let Some(mut r) = tamga_risk::model::row(d, i, &item_facts) {
                r.fraud = Some(outcome.hit());
                rows.push(r);
            }
        }
    }
    println!("{} item rows from recorded inspection outcomes", rows.len());
    Ok(rows)
}
