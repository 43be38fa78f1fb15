//! Numeric features: amounts, the unit value against its commodity and origin references, the
//! duty rate against its commodity's usual rate, and date parts; in the tamga layout also the
//! unit value against tamga's valuation reference.

use serde::{Deserialize, Serialize};

use super::field::{key, key_of, Field, FieldHashes};
use super::layout::Layout;
use super::table::{FoldStats, KeyTable};
use crate::row::Row;

/// The reference chain, coarsest first: each level's mean is shrunk towards the one above.
const LEVELS: [&[Field]; 4] = [
    &[Field::Hs2],
    &[Field::Hs4],
    &[Field::Hs6],
    &[Field::Hs6, Field::Origin],
];

/// The names of the numeric features of every layout, in vector order.
pub const NAMES: [&str; 15] = [
    "tax_rate",
    "ln_price",
    "ln_mass",
    "ln_unit_value",
    "ln_duty",
    "uv_vs_hs2",
    "uv_vs_hs4",
    "uv_vs_hs6",
    "uv_vs_hs6+origin",
    "tax_vs_hs4",
    "tax_vs_hs6",
    "tax_vs_hs6+origin",
    "month",
    "day",
    "weekday",
];

/// The numeric features only the tamga layout has, after [`NAMES`]: the natural log of the
/// unit value over the valuation reference's median (0 at the median, negative below it).
pub const TAMGA: [&str; 1] = ["uv_vs_valuation"];

/// The most numeric features a layout has.
pub const MAX: usize = NAMES.len() + TAMGA.len();

/// The names of the numeric features of `layout`, in vector order.
pub fn names(layout: Layout) -> impl Iterator<Item = &'static str> {
    let (common, tamga): (&'static [&'static str], &'static [&'static str]) = (&NAMES, &TAMGA);
    common
        .iter()
        .chain(tamga.get(..extra(layout)).unwrap_or(&[]))
        .copied()
}

/// How many numeric features `layout` has.
pub fn width(layout: Layout) -> usize {
    NAMES.len() + extra(layout)
}

fn extra(layout: Layout) -> usize {
    match layout {
        Layout::Kcs => 0,
        Layout::Tamga => TAMGA.len(),
    }
}

/// The natural log of the value per kg; NaN (missing) when the mass is not positive.
fn ln_unit_value(row: &Row) -> f64 {
    if row.net_mass > 0.0 {
        ((row.item_price + 1.0) / row.net_mass).ln()
    } else {
        f64::NAN
    }
}

fn tax_rate(row: &Row) -> f64 {
    row.tax_rate
}

/// The mean of a quantity per commodity (and origin) seen in training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    global: f64,
    smoothing: f64,
    levels: Vec<KeyTable>,
}

impl Reference {
    fn fit(rows: &[Row], value: fn(&Row) -> f64, smoothing: f64) -> Self {
        let values: Vec<f64> = rows.iter().map(value).collect();
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        let global = finite.iter().sum::<f64>() / (finite.len().max(1) as f64);
        let folds = vec![0; rows.len()];
        let levels = LEVELS
            .iter()
            .map(|fields| {
                let keys: Vec<u64> = rows.iter().map(|r| key(fields, r)).collect();
                FoldStats::new(&keys, &values, &folds, 1).table()
            })
            .collect();
        Self {
            global,
            smoothing,
            levels,
        }
    }

    /// The reference at each level of the chain, coarsest first.
    fn chain(&self, hashes: &FieldHashes) -> [f64; 4] {
        let mut out = [self.global; 4];
        let mut above = self.global;
        for ((fields, table), slot) in LEVELS.iter().zip(&self.levels).zip(out.iter_mut()) {
            above = table
                .get(key_of(fields, hashes))
                .smoothed(above, self.smoothing);
            *slot = above;
        }
        out
    }
}

/// The fitted numeric part of the feature space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Numeric {
    unit_value: Reference,
    tax: Reference,
}

impl Numeric {
    pub fn fit(rows: &[Row], smoothing: f64) -> Self {
        Self {
            unit_value: Reference::fit(rows, ln_unit_value, smoothing),
            tax: Reference::fit(rows, tax_rate, smoothing),
        }
    }

    /// Writes the numeric features of `row` (whose field hashes are `hashes`) under `layout`
    /// into `out`, [`width`] of them.
    pub fn write(&self, layout: Layout, row: &Row, hashes: &FieldHashes, out: &mut [f32]) {
        let uv = ln_unit_value(row);
        let [uv2, uv4, uv6, uv6o] = self.unit_value.chain(hashes);
        let [_, tax4, tax6, tax6o] = self.tax.chain(hashes);
        let values = [
            row.tax_rate,
            row.item_price.max(0.0).ln_1p(),
            row.net_mass.max(0.0).ln_1p(),
            uv,
            row.duty().max(0.0).ln_1p(),
            uv - uv2,
            uv - uv4,
            uv - uv6,
            uv - uv6o,
            row.tax_rate - tax4,
            row.tax_rate - tax6,
            row.tax_rate - tax6o,
            f64::from(u8::from(row.date.month())),
            f64::from(row.date.day()),
            f64::from(row.date.weekday().number_days_from_monday()),
            row.unit_value_ratio.map_or(f64::NAN, f64::ln),
        ];
        for (slot, value) in out.iter_mut().zip(values).take(width(layout)) {
            *slot = if value.is_finite() {
                value as f32
            } else {
                f32::NAN
            };
        }
    }
}
