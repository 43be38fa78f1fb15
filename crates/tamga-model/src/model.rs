//! A trained model: its metadata, feature space and trees; scoring, explanation and the
//! serialised form.

use serde::{Deserialize, Serialize};

use crate::features::{FeatureSpace, Layout};
use crate::gbdt::{sigmoid, Forest};
use crate::rank::Priority;
use crate::row::Row;
use crate::Params;

/// The version of the serialised form [`Model::to_bytes`] writes. Format 2 packs statistic
/// tables and tree nodes as base64 text; format 3 records the feature [`Layout`] (`kcs` or
/// `tamga`, in the feature parameters and the feature space; older files are KCS models);
/// format 4 may name the `item` field in its groups and records the number of bagged forests
/// (`bags`, 1 before). [`Model::from_bytes`] reads 1 to 4 and refuses others.
pub const FORMAT: u32 = 4;

/// The oldest format [`Model::from_bytes`] still reads.
pub const OLDEST_FORMAT: u32 = 1;

/// What a model was trained on and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub format: u32,
    pub training_rows: usize,
    pub fraud_rate: f64,
    /// The mean duty (item price × tax rate / 100) of the training rows, which scales the
    /// ranking's floor; 0 in format 1 models.
    #[serde(default)]
    pub mean_duty: f64,
    pub seed: u64,
    /// First and last date of acceptance in the training rows (`YYYY-MM-DD`).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub features: Vec<String>,
    pub params: Params,
}

/// A trained fraud model. Scoring needs no database: every statistic it uses is inside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub meta: Metadata,
    space: FeatureSpace,
    forest: Forest,
}

/// Why a model could not be stored or loaded.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("the model is not valid JSON of a tamga model: {0}")]
    Json(#[from] serde_json::Error),
    #[error("model format {found} is not supported (this build reads formats {OLDEST_FORMAT} to {FORMAT})")]
    Format { found: u32 },
    #[error("the model is damaged: {0}")]
    Damaged(&'static str),
}

impl Model {
    pub(crate) fn new(meta: Metadata, space: FeatureSpace, forest: Forest) -> Self {
        Self {
            meta,
            space,
            forest,
        }
    }

    /// The feature space.
    pub fn space(&self) -> &FeatureSpace {
        &self.space
    }

    /// The fields and features this model learns from: which kind of [`Row`] it should be
    /// given is the caller's business, but a tamga-layout model scores KCS rows (which lack
    /// tamga's fields) poorly, and the other way round.
    pub fn layout(&self) -> Layout {
        self.space.layout()
    }

    /// The ranking for hits and revenue this model was trained with.
    pub fn priority(&self) -> Priority {
        Priority::new(self.meta.params.rank, self.meta.mean_duty)
    }

    /// The probability of fraud of `row`, in `[0, 1]`.
    pub fn score(&self, row: &Row) -> f64 {
        let mut features = Vec::new();
        self.score_with(row, &mut features)
    }

    /// [`Model::score`] reusing `buffer` for the features, to score many rows without
    /// allocating.
    pub fn score_with(&self, row: &Row, buffer: &mut Vec<f32>) -> f64 {
        buffer.clear();
        buffer.resize(self.space.len(), 0.0);
        self.space.write(row, buffer);
        sigmoid(self.forest.margin(buffer))
    }

    /// The scores of many rows, the same as [`Model::score`] of each but faster: rows are
    /// scored in blocks, tree by tree.
    pub fn score_many(&self, rows: &[Row]) -> Vec<f64> {
        const BLOCK: usize = 64;
        let width = self.space.len().max(1);
        let mut features = vec![0.0; width * BLOCK];
        let mut margins = [0.0; BLOCK];
        let mut scores = Vec::with_capacity(rows.len());
        for block in rows.chunks(BLOCK) {
            for (row, x) in block.iter().zip(features.chunks_exact_mut(width)) {
                self.space.write(row, x);
            }
            let used = features.get(..block.len() * width).unwrap_or(&[]);
            let margins = margins.get_mut(..block.len()).unwrap_or(&mut []);
            self.forest.margins(used, width, margins);
            scores.extend(margins.iter().map(|m| sigmoid(*m)));
        }
        scores
    }

    /// The `top` features that moved the log-odds of `row` most, largest magnitude first,
    /// with their contribution in log-odds (positive raises the risk). The contributions of
    /// all features plus the model's base add up to the log-odds of the score.
    pub fn explain(&self, row: &Row, top: usize) -> Vec<(&str, f64)> {
        let features = self.space.transform(row);
        let mut contributions = vec![0.0; features.len()];
        self.forest.contributions(&features, &mut contributions);
        let mut named: Vec<(&str, f64)> = self
            .space
            .names()
            .iter()
            .map(String::as_str)
            .zip(contributions)
            .filter(|(_, c)| *c != 0.0)
            .collect();
        named.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
        named.truncate(top);
        named
    }

    /// The part of the log-odds of `row` that [`Model::explain`] gives to no feature: the
    /// prior log-odds plus each tree's root value.
    pub fn explain_base(&self, row: &Row) -> f64 {
        let features = self.space.transform(row);
        let mut contributions = vec![0.0; features.len()];
        self.forest.contributions(&features, &mut contributions)
    }

    /// The serialised model: JSON with the metadata readable and the statistic tables and
    /// trees packed (see [`crate::pack`]), in a stable order, so the same training gives the
    /// same bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelError> {
        Ok(serde_json::to_vec(self)?)
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        #[derive(Deserialize)]
        struct Probe {
            meta: ProbeMeta,
        }
        #[derive(Deserialize)]
        struct ProbeMeta {
            format: u32,
        }
        let probe: Probe = serde_json::from_slice(bytes)?;
        if !(OLDEST_FORMAT..=FORMAT).contains(&probe.meta.format) {
            return Err(ModelError::Format {
                found: probe.meta.format,
            });
        }
        let model: Model = serde_json::from_slice(bytes)?;
        if model.meta.features != model.space.names() {
            return Err(ModelError::Damaged(
                "the feature names do not match the feature space",
            ));
        }
        if model.meta.params.features.layout != model.space.layout() {
            return Err(ModelError::Damaged(
                "the layout of the parameters and of the feature space differ",
            ));
        }
        if !model.forest.is_valid(model.space.len()) {
            return Err(ModelError::Damaged("a tree is malformed"));
        }
        Ok(model)
    }
}

#[cfg(test)]
mod tests {
    use super::Model;

    #[test]
    fn models_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Model>();
    }
}
