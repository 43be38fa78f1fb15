//! Gradient-boosted trees for binary log-loss, histogram based: features are binned into at
//! most 255 bins, trees grow leaf-wise under a leaf and depth limit with L2 regularisation,
//! minimum child weight and shrinkage, and each tree sees a seeded sample of rows and columns.
//! Histograms are built by several threads, one feature per thread at a time, so the model
//! depends only on the data, the parameters and the seed.

pub mod bins;
pub mod grow;
pub mod hist;
pub mod tree;

use rand::{rngs::StdRng, seq::SliceRandom, Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use self::bins::Binned;
use self::grow::{Input, Shape};
use self::hist::SplitRules;
use self::tree::Tree;

/// The boosting parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoostParams {
    /// Trees per bag.
    pub trees: usize,
    pub learning_rate: f64,
    pub max_leaves: usize,
    pub max_depth: usize,
    /// Minimum sum of hessians in a child.
    pub min_child_weight: f64,
    pub min_data_in_leaf: u32,
    /// L2 regularisation of leaf values.
    pub lambda: f64,
    pub min_split_gain: f64,
    /// Share of rows each tree sees.
    pub row_subsample: f64,
    /// Share of features each tree may split on.
    pub col_subsample: f64,
    pub max_bins: usize,
    /// Threads building histograms; the result does not depend on it.
    pub threads: usize,
    /// Forests averaged into the model, each boosted with its own seed (and, in training, its
    /// own folds for the out-of-fold statistics); 1 in models written before format 4.
    #[serde(default = "one")]
    pub bags: usize,
}

fn one() -> usize {
    1
}

impl Default for BoostParams {
    fn default() -> Self {
        // Three bags of 100 trees: as many trees to walk when scoring as one forest of 300
        // at 0.05, and a steadier ranking of the few items that carry most of the duty.
        Self {
            trees: 100,
            learning_rate: 0.15,
            max_leaves: 31,
            max_depth: 6,
            min_child_weight: 1.0,
            min_data_in_leaf: 20,
            lambda: 1.0,
            min_split_gain: 0.0,
            row_subsample: 0.8,
            col_subsample: 0.8,
            max_bins: 255,
            threads: 2,
            bags: 3,
        }
    }
}

/// A trained ensemble: the log-odds of fraud is `base` plus the sum of the trees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub base: f64,
    pub trees: Vec<Tree>,
}

impl Forest {
    /// Boosts `params.trees` trees on `columns[feature][row]` against `labels`, calling
    /// `progress(done, total)` after each tree.
    pub fn fit(
        columns: &[Vec<f32>],
        labels: &[bool],
        params: &BoostParams,
        seed: u64,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Self {
        let binned = Binned::new(columns, params.max_bins);
        let positives = labels.iter().filter(|l| **l).count() as f64;
        let rate = ((positives + 0.5) / (labels.len() as f64 + 1.0)).clamp(1e-6, 1.0 - 1e-6);
        let base = (rate / (1.0 - rate)).ln();
        let mut margin = vec![base; labels.len()];
        let mut rng = StdRng::seed_from_u64(seed);
        let mut trees = Vec::with_capacity(params.trees);
        for done in 0..params.trees {
            let (grad, hess) = gradients(&margin, labels);
            let rows = sample_rows(labels.len(), params.row_subsample, &mut rng);
            let features = sample_features(columns.len(), params.col_subsample, &mut rng);
            let input = Input {
                binned: &binned,
                grad: &grad,
                hess: &hess,
                features: &features,
                rules: rules(params),
                shape: shape(params),
            };
            let tree = input.grow(rows);
            for (row, m) in margin.iter_mut().enumerate() {
                *m += f64::from(tree.predict_binned(&binned, row));
            }
            trees.push(tree);
            progress(done + 1, params.trees);
        }
        Self { base, trees }
    }

    /// The average of `forests` in log-odds, as one forest: the mean base and every tree with
    /// its values divided by the number of forests. Scoring it costs as many trees as all of
    /// them together.
    pub fn average(forests: Vec<Forest>) -> Self {
        let count = forests.len().max(1);
        let base = forests.iter().map(|f| f.base).sum::<f64>() / count as f64;
        let share = 1.0 / count as f32;
        let trees = forests
            .into_iter()
            .flat_map(|f| f.trees)
            .map(|mut tree| {
                if count > 1 {
                    for node in &mut tree.nodes {
                        node.value *= share;
                    }
                }
                tree
            })
            .collect();
        Self { base, trees }
    }

    /// Whether every tree is well formed for `features` features (see [`Tree::is_valid`]).
    pub fn is_valid(&self, features: usize) -> bool {
        self.base.is_finite() && self.trees.iter().all(|t| t.is_valid(features))
    }

    /// The log-odds of fraud for the feature vector `x`.
    pub fn margin(&self, x: &[f32]) -> f64 {
        // Eight trees walk in lockstep so that their memory accesses overlap; the sum is
        // taken in tree order, as in `margins`.
        let mut margin = self.base;
        for trees in self.trees.chunks(8) {
            let mut at = [0usize; 8];
            let depth = trees.iter().map(|t| t.depth).max().unwrap_or(0);
            for _ in 0..depth {
                for (node, tree) in at.iter_mut().zip(trees) {
                    *node = tree.step(*node, x);
                }
            }
            for (node, tree) in at.iter().zip(trees) {
                margin += f64::from(tree.value(*node));
            }
        }
        margin
    }

    /// The log-odds of several feature vectors laid out one after the other, `width` values
    /// each, written to `out` (one per vector). Tree by tree rather than row by row, so each
    /// tree stays in cache for the whole block; the sums are the same as [`Forest::margin`]'s.
    pub fn margins(&self, features: &[f32], width: usize, out: &mut [f64]) {
        out.fill(self.base);
        let width = width.max(1);
        for (block, out) in features
            .chunks(width * tree::BLOCK)
            .zip(out.chunks_mut(tree::BLOCK))
        {
            for tree in &self.trees {
                tree.predict_block(block, width, out);
            }
        }
    }

    /// Each feature's contribution to the log-odds of `x`, written into `out` (one slot per
    /// feature); returns the part no feature explains (base and root values).
    pub fn contributions(&self, x: &[f32], out: &mut [f64]) -> f64 {
        self.base
            + self
                .trees
                .iter()
                .map(|t| t.contributions(x, out))
                .sum::<f64>()
    }
}

fn rules(params: &BoostParams) -> SplitRules {
    SplitRules {
        lambda: params.lambda,
        min_child_weight: params.min_child_weight,
        min_data_in_leaf: params.min_data_in_leaf,
        min_split_gain: params.min_split_gain,
    }
}

fn shape(params: &BoostParams) -> Shape {
    Shape {
        max_leaves: params.max_leaves.max(2),
        max_depth: params.max_depth.max(1),
        learning_rate: params.learning_rate,
        threads: params.threads.max(1),
    }
}

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Log-loss gradients and hessians at the current margins.
fn gradients(margin: &[f64], labels: &[bool]) -> (Vec<f32>, Vec<f32>) {
    margin
        .iter()
        .zip(labels)
        .map(|(m, y)| {
            let p = sigmoid(*m);
            (
                (p - f64::from(u8::from(*y))) as f32,
                (p * (1.0 - p)).max(1e-16) as f32,
            )
        })
        .unzip()
}

fn sample_rows(n: usize, share: f64, rng: &mut StdRng) -> Vec<u32> {
    let all = (0..n).filter_map(|r| u32::try_from(r).ok());
    if share >= 1.0 {
        return all.collect();
    }
    all.filter(|_| rng.gen::<f64>() < share).collect()
}

fn sample_features(n: usize, share: f64, rng: &mut StdRng) -> Vec<usize> {
    let mut features: Vec<usize> = (0..n).collect();
    if share < 1.0 {
        features.shuffle(rng);
        features.truncate(((n as f64 * share).ceil() as usize).max(1));
        features.sort_unstable();
    }
    features
}
