//! The learned risk model of tamga: a gradient-boosted fraud score over customs goods items.
//!
//! - [`row`]: the [`Row`] the model sees and [`read_kcs`], the reader of the Korea Customs
//!   synthetic declarations layout (and the mapping of its columns to tamga's fields);
//! - [`features`]: the [`FeatureSpace`], fitted on training rows only: smoothed out-of-fold
//!   target statistics and counts of the categorical fields (importer, declarant, seller, HS
//!   codes, office, ...), unit value against commodity and origin references, rates, date parts.
//!   Its [`Layout`] says which fields: the KCS columns (the benchmark), or tamga's own
//!   (commodity code and its HS levels, procedure, AEO status, unit value against the valuation
//!   reference, ...), which a model trained with `tamga model train --from-db` uses;
//! - [`gbdt`]: histogram-based gradient-boosted trees for log-loss, deterministic for a seed;
//! - [`metrics`]: precision and recall at an inspection rate, AUC and the revenue proxy;
//! - [`rank`]: the [`Priority`] that ranks for revenue as well as hits, and the expected revenue;
//! - [`model`]: the trained [`Model`], its scoring, explanation and serialised form ([`pack`]:
//!   the compact tables and trees inside it);
//! - [`train()`](train::train) and [`evaluate`].
//!
//! Nothing here performs IO: callers hand in readers and bytes. A [`Model`] carries every
//! statistic it needs, so scoring a declaration at acceptance reads no database; it is
//! `Send + Sync` and can be shared behind an `Arc`. [`Model::explain`] lists the features that
//! moved a score most (path attribution over the trees, in log-odds).
//!
//! ```
//! use tamga_model::{evaluate, read_kcs, train, Model, Params};
//!
//! let csv = include_str!("../../../data/kcs/sample_train_2020.csv");
//! let rows = read_kcs(csv.as_bytes())?;
//! let (fit, test) = rows.split_at(2_500);
//! let mut params = Params::default();
//! params.boost.trees = 20;
//! let model = train(fit, &params, 7, &mut |_done, _total| {})?;
//! let metrics = evaluate(&model, test)?;
//! assert!(metrics.probability.auc > 0.5);
//!
//! let copy = Model::from_bytes(&model.to_bytes()?)?;
//! assert_eq!(copy.score(&test[0]), model.score(&test[0]));
//! for (feature, log_odds) in model.explain(&test[0], 3) {
//!     println!("{feature}: {log_odds:+.3}");
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod features;
pub mod gbdt;
pub mod metrics;
pub mod model;
pub mod pack;
pub mod rank;
pub mod row;
pub mod train;

pub use features::{FeatureParams, FeatureSpace, Layout};
pub use gbdt::BoostParams;
pub use metrics::Metrics;
pub use model::{Model, ModelError};
pub use rank::{expected_revenue, Priority, RankParams};
pub use row::{read_kcs, ReadError, Row};
pub use train::{evaluate, score_all, train, Evaluation, Params, TrainError};
