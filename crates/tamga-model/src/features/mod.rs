//! Feature extraction: a [`FeatureSpace`] fitted on training rows turns any [`Row`] into a
//! fixed-length vector of named `f32` features.
//!
//! For every group of categorical fields (a single field such as `importer`, or a pair such as
//! `importer+hs6`) there are two features: `te_<group>`, the fraud rate of the group's value in
//! training shrunk towards the overall rate by `smoothing` pseudo-rows (a smoothed target
//! statistic, the "fraud history" of an importer, declarant, commodity...), and `n_<group>`, how
//! many training rows had that value. For the training rows themselves both are computed
//! out-of-fold: a row is described by the other folds only, so its own label never leaks into
//! its features. Then come the [`numeric`] features: amounts, the unit value per kg against the
//! HS2/HS4/HS6/HS6+origin references, the duty rate against its commodity's usual rate, and the
//! month, day and weekday of acceptance.
//!
//! Which fields and numeric features there are is the [`Layout`]'s choice: the KCS columns, or
//! tamga's own fields (see [`layout`]).

pub mod field;
pub mod layout;
pub mod numeric;
pub mod table;

use rand::{rngs::StdRng, seq::SliceRandom, SeedableRng};
use serde::{Deserialize, Serialize};

pub use self::layout::Layout;

use self::field::{group_name, hashes, key_of, Field, FieldHashes};
use self::numeric::Numeric;
use self::table::{FoldStats, KeyTable, Stat};
use crate::row::Row;

/// How features are built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    /// Pseudo-rows of the overall fraud rate added to every target statistic.
    pub smoothing: f64,
    /// Pseudo-rows of the coarser reference added to every unit-value and rate reference.
    pub reference_smoothing: f64,
    /// Folds for the out-of-fold statistics of the training rows (at least 2).
    pub folds: usize,
    /// The groups of categorical fields that get a target statistic and a count.
    pub groups: Vec<Vec<Field>>,
    /// The fields and features the model learns from (absent before format 3: KCS).
    #[serde(default)]
    pub layout: Layout,
}

impl Default for FeatureParams {
    /// The KCS layout's features (see [`FeatureParams::of`]).
    fn default() -> Self {
        Self::of(Layout::Kcs)
    }
}

impl FeatureParams {
    /// Every single field of `layout`, plus its pairs and lanes ([`Layout::pairs`]).
    pub fn of(layout: Layout) -> Self {
        let mut groups: Vec<Vec<Field>> = layout.fields().iter().map(|f| vec![*f]).collect();
        groups.extend(layout.pairs());
        Self {
            smoothing: 5.0,
            reference_smoothing: 5.0,
            folds: 5,
            groups,
            layout,
        }
    }
}

/// One group of categorical fields and its training statistics (fraud label sums).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Group {
    fields: Vec<Field>,
    table: KeyTable,
}

/// The fitted feature space: turns any row into [`FeatureSpace::len`] named features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpace {
    /// Absent before format 3: KCS.
    #[serde(default)]
    layout: Layout,
    prior: f64,
    smoothing: f64,
    numeric: Numeric,
    groups: Vec<Group>,
    names: Vec<String>,
}

/// Training rows' features, column by column (`columns[feature][row]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub columns: Vec<Vec<f32>>,
}

impl FeatureSpace {
    /// Fits the space on labelled `rows` (unlabelled rows count as not fraud) and returns the
    /// out-of-fold features of those rows. The fold assignment depends only on `seed`.
    pub fn fit(rows: &[Row], params: &FeatureParams, seed: u64) -> (Self, Columns) {
        let labels: Vec<f64> = rows
            .iter()
            .map(|r| f64::from(u8::from(r.fraud == Some(true))))
            .collect();
        let folds = params.folds.max(2);
        let fitting = Fitting {
            hashes: rows.iter().map(hashes).collect(),
            prior: labels.iter().sum::<f64>() / (rows.len().max(1) as f64),
            fold_of: assign_folds(rows.len(), folds, seed),
            labels,
            folds,
            smoothing: params.smoothing,
        };
        let layout = params.layout;
        let mut names: Vec<String> = numeric::names(layout).map(str::to_owned).collect();
        let (mut groups, mut group_columns) = (Vec::new(), Vec::new());
        for fields in &params.groups {
            let (group, columns) = fitting.group(fields);
            let name = group_name(fields);
            names.extend([format!("te_{name}"), format!("n_{name}")]);
            groups.push(group);
            group_columns.extend(columns);
        }
        let numeric = Numeric::fit(rows, params.reference_smoothing);
        let (prior, smoothing) = (fitting.prior, params.smoothing);
        let space = Self {
            layout,
            prior,
            smoothing,
            numeric,
            groups,
            names,
        };
        let mut columns = space.numeric_columns(rows);
        columns.extend(group_columns);
        (space, Columns { columns })
    }

    fn numeric_columns(&self, rows: &[Row]) -> Vec<Vec<f32>> {
        let width = numeric::width(self.layout);
        let mut columns = vec![Vec::with_capacity(rows.len()); width];
        let mut buffer = [0.0_f32; numeric::MAX];
        for row in rows {
            self.numeric
                .write(self.layout, row, &hashes(row), &mut buffer);
            for (column, value) in columns.iter_mut().zip(buffer) {
                column.push(value);
            }
        }
        columns
    }

    /// The number of features.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the space has no features (never true for a fitted space).
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The feature names, in vector order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The fields and features this space was fitted for.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The overall fraud rate of the training rows.
    pub fn prior(&self) -> f64 {
        self.prior
    }

    /// Writes the features of `row` into `out`, which should be [`FeatureSpace::len`] long
    /// (extra slots are left alone, missing ones are skipped).
    pub fn write(&self, row: &Row, out: &mut [f32]) {
        let hashes = hashes(row);
        let width = numeric::width(self.layout).min(out.len());
        let (numeric, categorical) = out.split_at_mut(width);
        self.numeric.write(self.layout, row, &hashes, numeric);
        for (group, pair) in self.groups.iter().zip(categorical.chunks_mut(2)) {
            let stat = group.table.get(key_of(&group.fields, &hashes));
            let (te, n) = encode(stat, self.prior, self.smoothing);
            for (slot, value) in pair.iter_mut().zip([te, n]) {
                *slot = value;
            }
        }
    }

    /// The features of `row` as a new vector.
    pub fn transform(&self, row: &Row) -> Vec<f32> {
        let mut out = vec![0.0; self.len()];
        self.write(row, &mut out);
        out
    }
}

/// What fitting the categorical groups needs, computed once.
struct Fitting {
    hashes: Vec<FieldHashes>,
    labels: Vec<f64>,
    fold_of: Vec<usize>,
    folds: usize,
    prior: f64,
    smoothing: f64,
}

impl Fitting {
    /// The statistics of one group, and its two out-of-fold training columns.
    fn group(&self, fields: &[Field]) -> (Group, [Vec<f32>; 2]) {
        let keys: Vec<u64> = self.hashes.iter().map(|h| key_of(fields, h)).collect();
        let stats = FoldStats::new(&keys, &self.labels, &self.fold_of, self.folds);
        let out_of_fold = keys
            .iter()
            .zip(&self.fold_of)
            .map(|(k, f)| stats.out_of_fold(*k, *f));
        let (te, n) = out_of_fold
            .map(|s| encode(s, self.prior, self.smoothing))
            .unzip();
        (
            Group {
                fields: fields.to_vec(),
                table: stats.table(),
            },
            [te, n],
        )
    }
}

/// The target statistic and the count of one categorical value.
fn encode(stat: Stat, prior: f64, smoothing: f64) -> (f32, f32) {
    (stat.smoothed(prior, smoothing) as f32, stat.n as f32)
}

/// A seeded, balanced assignment of `n` rows to `folds` folds.
fn assign_folds(n: usize, folds: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed ^ 0x5eed_f01d));
    let mut fold_of = vec![0; n];
    for (position, row) in order.into_iter().enumerate() {
        if let Some(slot) = fold_of.get_mut(row) {
            *slot = position % folds.max(1);
        }
    }
    fold_of
}
