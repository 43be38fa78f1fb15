//! Models in the database: stored as versioned documents, one of them active; every
//! activation and deactivation is a new version of the `active` document, with who and why.

use std::path::Path;

use anyhow::{bail, Context};
use tamga_api::risk::models::{Activation, ModelDocument, ACTIVE};
use tamga_store::risk::{kind, DocumentOutcome, Expected, NewDocument};
use tamga_store::Store;

use crate::settings::Settings;

fn who() -> String {
    std::env::var("USER").unwrap_or_else(|_| "tamga model".into())
}

async fn save(
    store: &dyn Store,
    kind: &'static str,
    name: &str,
    document: String,
    reason: &str,
) -> anyhow::Result<u32> {
    let outcome = store
        .save_document(NewDocument {
            kind,
            name: name.to_owned(),
            document,
            expected: Expected::Any,
            by: who(),
            reason: reason.to_owned(),
            at: tamga_store::sql::now(),
        })
        .await?;
    match outcome {
        DocumentOutcome::Saved(doc) => Ok(doc.version),
        DocumentOutcome::Conflict { .. } => {
            bail!("another change to {name} was written at the same moment; run it again")
        }
    }
}

pub async fn activate(
    settings: &Settings,
    file: &Path,
    name: Option<String>,
    evaluate_on: Option<&Path>,
    reason: &str,
) -> anyhow::Result<()> {
    let model = super::load(file)?;
    let name = name.unwrap_or_else(|| {
        file.file_stem()
            .map_or_else(|| "model".into(), |s| s.to_string_lossy().to_lowercase())
    });
    if !tamga_risk::profile::valid_id(&name) {
        bail!("the model name {name:?} must be 1 to 64 lowercase letters, digits, '-', '_' or '.'");
    }
    if reason.trim().is_empty() {
        bail!("say why with --reason");
    }
    let metrics = match evaluate_on {
        Some(data) => {
            super::check_kcs_rows(&model)?;
            let rows = super::read_rows(data)?;
            let metrics = tamga_model::evaluate(&model, &rows).context("evaluation failed")?;
            println!("{metrics}");
            Some(serde_json::to_value(metrics)?)
        }
        None => None,
    };
    let document = ModelDocument::new(&model, metrics).map_err(anyhow::Error::msg)?;
    let store = crate::serve::open_store(settings).await?;
    let version = save(
        &*store,
        kind::MODEL,
        &name,
        serde_json::to_string(&document)?,
        reason,
    )
    .await?;
    let activation = Activation {
        name: Some(name.clone()),
        version: Some(version),
    };
    save(
        &*store,
        kind::MODEL_ACTIVATION,
        ACTIVE,
        serde_json::to_string(&activation)?,
        reason,
    )
    .await?;
    println!("model {name} version {version} is active; running servers score with it within ten seconds");
    Ok(())
}

pub async fn deactivate(settings: &Settings, reason: &str) -> anyhow::Result<()> {
    if reason.trim().is_empty() {
        bail!("say why with --reason");
    }
    let store = crate::serve::open_store(settings).await?;
    let none = Activation {
        name: None,
        version: None,
    };
    save(
        &*store,
        kind::MODEL_ACTIVATION,
        ACTIVE,
        serde_json::to_string(&none)?,
        reason,
    )
    .await?;
    println!("no model is active");
    Ok(())
}

pub async fn list(settings: &Settings) -> anyhow::Result<()> {
    let store = crate::serve::open_store(settings).await?;
    for doc in store.documents(kind::MODEL, None, true).await? {
        let parsed: Option<ModelDocument> = serde_json::from_str(&doc.document).ok();
        let summary = parsed.as_ref().map(|m| &m.summary);
        let rows = summary
            .and_then(|s| s.get("training_rows"))
            .cloned()
            .unwrap_or_default();
        let layout = summary
            .and_then(|s| s.pointer("/params/features/layout"))
            .and_then(|l| l.as_str())
            .unwrap_or("kcs")
            .to_owned();
        let metrics = parsed.and_then(|m| m.metrics).map(|m| summary_of(&m));
        println!(
            "model {} v{}: layout {layout}, {rows} training rows, {}, stored {} by {}",
            doc.name,
            doc.version,
            metrics.unwrap_or_else(|| "not evaluated".into()),
            doc.changed_at,
            doc.changed_by
        );
    }
    for doc in store
        .documents(kind::MODEL_ACTIVATION, Some(ACTIVE), true)
        .await?
    {
        println!(
            "activation {} at {} by {} ({}): {}",
            doc.version, doc.changed_at, doc.changed_by, doc.reason, doc.document
        );
    }
    Ok(())
}

/// What `list` shows of stored metrics: the precision (and, since the revenue ranking, the
/// revenue) at 1/2/5/10 % of each ranking; older models stored one ranking's metrics.
fn summary_of(metrics: &serde_json::Value) -> String {
    if metrics.get("precision_at").is_some() {
        return format!("precision at 1/2/5/10 %: {}", metrics["precision_at"]);
    }
    ["probability", "priority"]
        .iter()
        .map(|ranking| {
            format!(
                "by {ranking}: precision {} revenue {}",
                metrics[ranking]["precision_at"], metrics[ranking]["revenue_at"]
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
