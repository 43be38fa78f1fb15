//! Integration tests of tamga-model, on the real KCS files in `data/kcs/`.

mod data;
mod features;
mod layout;
mod training;

use std::sync::OnceLock;

use tamga_model::{read_kcs, Row};

pub const TRAIN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/kcs/df_syn_train_eng.csv"
);
pub const VALID: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/kcs/df_syn_valid_eng.csv"
);
pub const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../data/kcs/sample_train_2020.csv"
);

fn load(path: &str) -> Vec<Row> {
    read_kcs(std::fs::File::open(path).unwrap()).unwrap()
}

/// The 2020 rows (training year).
pub fn train_rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| load(TRAIN))
}

/// The 2021 Q1 rows (validation quarter).
pub fn valid_rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| load(VALID))
}

/// The 3,000-row sample of 2020.
pub fn sample_rows() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| load(SAMPLE))
}
