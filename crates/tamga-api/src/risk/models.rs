//! Learned models as stored documents: each model a versioned document with its training
//! summary and metrics; one `model-activation` document says which (name, version) is active,
//! and its versions are the audit trail of activations.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tamga_model::Model;
use tamga_risk::model::ModelScorer;
use tamga_store::risk::{kind, StoredDocument};
use tamga_store::{Store, StoreError};

/// The name of the activation document.
pub const ACTIVE: &str = "active";

/// A stored model: the model itself (its JSON form), what it was trained on, how it scored.
#[derive(Debug, Serialize, Deserialize)]
pub struct ModelDocument {
    pub model: serde_json::Value,
    /// Rows, fraud rate, date range, seed, features: the model's own metadata.
    pub summary: serde_json::Value,
    /// Metrics on an evaluation file, when one was given at activation.
    pub metrics: Option<serde_json::Value>,
}

/// Which model is active (`name: None`: none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activation {
    pub name: Option<String>,
    pub version: Option<u32>,
}

impl ModelDocument {
    pub fn new(model: &Model, metrics: Option<serde_json::Value>) -> Result<Self, String> {
        let bytes = model.to_bytes().map_err(|e| e.to_string())?;
        let model: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        let summary = model.get("meta").cloned().unwrap_or_default();
        Ok(Self {
            model,
            summary,
            metrics,
        })
    }

    pub fn load(&self) -> Result<Model, String> {
        let bytes = serde_json::to_vec(&self.model).map_err(|e| e.to_string())?;
        Model::from_bytes(&bytes).map_err(|e| e.to_string())
    }
}

/// The active activation, if a model was ever activated.
pub async fn activation(store: &dyn Store) -> Result<Option<Activation>, StoreError> {
    let docs = store
        .documents(kind::MODEL_ACTIVATION, Some(ACTIVE), false)
        .await?;
    Ok(docs
        .first()
        .and_then(|d| serde_json::from_str(&d.document).ok()))
}

fn find(docs: Vec<StoredDocument>, version: u32) -> Option<StoredDocument> {
    docs.into_iter().find(|d| d.version == version)
}

/// Loads the active model, or `None` when none is active.
pub async fn active(
    store: &dyn Store,
) -> Result<Option<((String, u32), Arc<ModelScorer>)>, StoreError> {
    let Some(Activation {
        name: Some(name),
        version: Some(version),
    }) = activation(store).await?
    else {
        return Ok(None);
    };
    let docs = store.documents(kind::MODEL, Some(&name), true).await?;
    let doc = find(docs, version)
        .ok_or_else(|| StoreError::Corrupt(format!("active model {name} v{version} is missing")))?;
    let parsed: ModelDocument = serde_json::from_str(&doc.document)
        .map_err(|e| StoreError::Corrupt(format!("model {name} v{version}: {e}")))?;
    let model = parsed
        .load()
        .map_err(|e| StoreError::Corrupt(format!("model {name} v{version}: {e}")))?;
    let scorer = ModelScorer {
        name: format!("{name} v{version}"),
        model,
    };
    Ok(Some(((name, version), Arc::new(scorer))))
}
