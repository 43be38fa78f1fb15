//! Feature layouts: which fields of a [`Row`](crate::Row) a model learns from.
//!
//! A model records its layout (in its feature parameters and its feature space), so the engine
//! scores a declaration with the features the model was trained on. Files written before
//! layouts existed (formats 1 and 2) read as [`Layout::Kcs`].
//!
//! - `kcs`, trained on the KCS files (`tamga model train --data`): every KCS column (office,
//!   process type, import type and use, payment type, transport, declarant, importer, seller,
//!   courier, HS6/HS4/HS2, departure, origin, tax type, origin indicator) and the numeric
//!   features [`NAMES`](super::numeric::NAMES).
//! - `tamga`, trained on tamga's recorded outcomes (`--from-db`): office, transport, procedure,
//!   declarant, importer, exporter, the full commodity code and its HS6/HS4/HS2 levels,
//!   dispatch, origin, preference and AEO status, and the same numeric features plus
//!   `uv_vs_valuation` ([`TAMGA`](super::numeric::TAMGA)), the unit value against tamga's
//!   valuation reference.
//!
//! Both also get target statistics of pairs (and lanes) of these fields; see
//! [`FeatureParams::of`](super::FeatureParams::of).

use serde::{Deserialize, Serialize};

use super::field::Field;

/// The fields and features a model learns from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// The Korea Customs columns, as [`read_kcs`](crate::read_kcs) reads them (the benchmark).
    #[default]
    Kcs,
    /// tamga's own declaration fields, as the risk engine builds them at acceptance.
    Tamga,
}

impl Layout {
    /// The layout's name in model files (`kcs`, `tamga`).
    pub fn name(self) -> &'static str {
        match self {
            Layout::Kcs => "kcs",
            Layout::Tamga => "tamga",
        }
    }

    /// The single fields the layout learns from, in feature order.
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            Layout::Kcs => &[
                Office,
                ProcessType,
                ImportType,
                ImportUse,
                PaymentType,
                Transport,
                Declarant,
                Importer,
                Seller,
                Courier,
                Hs6,
                Hs4,
                Hs2,
                Departure,
                Origin,
                TaxType,
                OriginIndicator,
            ],
            Layout::Tamga => &[
                Office, Transport, Procedure, Declarant, Importer, Exporter, Commodity, Hs6, Hs4,
                Hs2, Dispatch, Origin, Preference, Aeo,
            ],
        }
    }

    /// The groups of fields beyond the single ones that get a target statistic and a count.
    pub fn pairs(self) -> Vec<Vec<Field>> {
        use Field::*;
        match self {
            // The pairs and lanes that carried signal on the 2021 Q1 validation quarter: the
            // trade lane (commodity × origin × dispatch × duty regime) most, then parties by
            // commodity and by each other. Last the item pattern (commodity, origin and the
            // exact mass, value and rate): the KCS rows repeat such patterns, and a pattern's
            // fraud history tells more than any party's (AUC 0.909 → 0.981 on 2021 Q1; it
            // helps as much on 2020 Q4 with a model trained on Q1–Q3).
            Layout::Kcs => vec![
                vec![Hs6, Origin],
                vec![Importer, Hs6],
                vec![Declarant, Importer],
                vec![Importer, Seller],
                vec![Office, Hs6],
                vec![Declarant, Hs6],
                vec![Importer, Origin],
                vec![Seller, Hs6],
                vec![Office, Importer],
                vec![Hs6, Origin, TaxType],
                vec![Hs4, Origin],
                vec![Hs6, Origin, TaxType, Departure],
                vec![Hs6, Departure],
                vec![Hs6, TaxType],
                vec![Departure, Origin],
                vec![Hs6, Origin, Item],
            ],
            // The same ideas in tamga's words, with a trader's history per chapter, heading
            // and subheading, and the origin against each level of the commodity code.
            Layout::Tamga => vec![
                vec![Importer, Hs2],
                vec![Importer, Hs4],
                vec![Importer, Hs6],
                vec![Commodity, Origin],
                vec![Hs6, Origin],
                vec![Hs4, Origin],
                vec![Hs2, Origin],
                vec![Declarant, Importer],
                vec![Importer, Exporter],
                vec![Importer, Origin],
                vec![Exporter, Hs6],
                vec![Declarant, Hs6],
                vec![Office, Hs6],
                vec![Office, Importer],
                vec![Hs6, Origin, Preference],
                vec![Hs6, Dispatch],
                vec![Dispatch, Origin],
            ],
        }
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
