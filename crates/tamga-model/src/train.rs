//! Training a model on labelled rows and evaluating it.

use serde::{Deserialize, Serialize};

use crate::features::{FeatureParams, FeatureSpace, Layout};
use crate::gbdt::{BoostParams, Forest};
use crate::metrics::{self, Metrics};
use crate::model::{Metadata, Model, FORMAT};
use crate::rank::{self, RankParams};
use crate::row::Row;

/// Everything that shapes a model besides the data and the seed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub features: FeatureParams,
    pub boost: BoostParams,
    /// The ranking for revenue as well as hits (absent from format 1 models: the default).
    #[serde(default)]
    pub rank: RankParams,
}

impl Params {
    /// The default parameters for a model of `layout`.
    pub fn of(layout: Layout) -> Self {
        Self {
            features: FeatureParams::of(layout),
            ..Self::default()
        }
    }
}

/// Why a model could not be trained or evaluated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TrainError {
    #[error("there are no rows")]
    NoRows,
    #[error("row {index} (declaration {id:?}) has no fraud label")]
    Unlabelled { index: usize, id: String },
    #[error("the rows are all {0}: a model needs both fraud and clean rows")]
    OneClass(&'static str),
}

/// The labels of `rows`, all of which must be labelled.
fn labels(rows: &[Row]) -> Result<Vec<bool>, TrainError> {
    if rows.is_empty() {
        return Err(TrainError::NoRows);
    }
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            row.fraud.ok_or_else(|| TrainError::Unlabelled {
                index,
                id: row.id.clone(),
            })
        })
        .collect()
}

/// Trains a model on labelled `rows`; `progress(done, total)` is called after each tree. The
/// same rows, parameters and seed give the same model, whatever the number of threads.
pub fn train(
    rows: &[Row],
    params: &Params,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Model, TrainError> {
    let labels = labels(rows)?;
    let frauds = labels.iter().filter(|l| **l).count();
    if frauds == 0 || frauds == labels.len() {
        return Err(TrainError::OneClass(if frauds == 0 {
            "clean"
        } else {
            "fraud"
        }));
    }
    let (space, columns) = FeatureSpace::fit(rows, &params.features, seed);
    let bags = params.boost.bags.max(1);
    let total = params.boost.trees * bags;
    let mut forests = Vec::with_capacity(bags);
    let mut columns = Some(columns);
    for bag in 0..bags {
        let bag_seed = seed_of_bag(seed, bag);
        // Every bag's space has the same tables (they count all the rows); only the folds of
        // the training rows' out-of-fold statistics, and so their columns, differ.
        let columns = match columns.take() {
            Some(first) => first,
            None => FeatureSpace::fit(rows, &params.features, bag_seed).1,
        };
        let done_before = bag * params.boost.trees;
        forests.push(Forest::fit(
            &columns.columns,
            &labels,
            &params.boost,
            bag_seed,
            &mut |done, _| progress(done_before + done, total),
        ));
    }
    let forest = Forest::average(forests);
    let dates = rows.iter().map(|r| r.date);
    let meta = Metadata {
        format: FORMAT,
        training_rows: rows.len(),
        fraud_rate: frauds as f64 / rows.len() as f64,
        mean_duty: rows.iter().map(Row::duty).sum::<f64>() / rows.len() as f64,
        seed,
        first_date: dates.clone().min().map(|d| d.to_string()),
        last_date: dates.max().map(|d| d.to_string()),
        features: space.names().to_vec(),
        params: params.clone(),
    };
    Ok(Model::new(meta, space, forest))
}

/// The seed of bag `bag` of a model trained with `seed`: the first bag's is the seed itself.
fn seed_of_bag(seed: u64, bag: usize) -> u64 {
    seed.wrapping_add((bag as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Scores every row of `rows` (see [`Model::score_many`]).
pub fn score_all(model: &Model, rows: &[Row]) -> Vec<f64> {
    model.score_many(rows)
}

/// The metrics of the three rankings of a model on labelled rows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Ranked by fraud probability: hits.
    pub probability: Metrics,
    /// Ranked by probability × duty: revenue.
    pub expected_revenue: Metrics,
    /// Ranked by the model's [`Priority`](crate::rank::Priority): both.
    pub priority: Metrics,
}

/// Evaluates `model` on labelled `rows` under each ranking (see [`metrics`] for the
/// definitions).
pub fn evaluate(model: &Model, rows: &[Row]) -> Result<Evaluation, TrainError> {
    let labels = labels(rows)?;
    let duties: Vec<f64> = rows.iter().map(Row::duty).collect();
    let scores = score_all(model, rows);
    let by = |f: &dyn Fn(f64, f64) -> f64| -> Vec<f64> {
        scores.iter().zip(&duties).map(|(p, d)| f(*p, *d)).collect()
    };
    let priority = model.priority();
    Ok(Evaluation {
        probability: metrics::compute(&scores, &labels, &duties),
        expected_revenue: metrics::compute(&by(&rank::expected_revenue), &labels, &duties),
        priority: metrics::compute(&by(&|p, d| priority.of(p, d)), &labels, &duties),
    })
}

impl std::fmt::Display for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "ranked by fraud probability\n{}\n", self.probability)?;
        writeln!(
            f,
            "ranked by expected revenue (probability × duty)\n{}\n",
            self.expected_revenue
        )?;
        write!(
            f,
            "ranked by priority (hits and revenue)\n{}",
            self.priority
        )
    }
}
