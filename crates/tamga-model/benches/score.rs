//! Scoring throughput (one thread) and training time of the KCS model.
//!
//! `cargo bench -p tamga-model -- score` for scoring only; `-- train` for training.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tamga_model::{read_kcs, train, Model, Params, Row};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/kcs/");

fn rows(file: &str) -> Vec<Row> {
    let path = format!("{DATA}{file}");
    read_kcs(std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn model(rows: &[Row]) -> Model {
    train(rows, &Params::default(), 42, &mut |_, _| {}).unwrap_or_else(|e| panic!("training: {e}"))
}

fn scoring(c: &mut Criterion) {
    let model = model(&rows("df_syn_train_eng.csv"));
    let valid = rows("df_syn_valid_eng.csv");
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(valid.len() as u64));
    group.bench_function("batch_2021q1", |b| {
        b.iter(|| black_box(model.score_many(black_box(&valid))))
    });
    group.bench_function("one_by_one_2021q1", |b| {
        let mut buffer = Vec::new();
        b.iter(|| {
            valid
                .iter()
                .map(|row| model.score_with(black_box(row), &mut buffer))
                .sum::<f64>()
        })
    });
    group.finish();
}

fn training(c: &mut Criterion) {
    let rows = rows("df_syn_train_eng.csv");
    let mut group = c.benchmark_group("train");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("kcs_2020_default_params", |b| {
        b.iter(|| model(black_box(&rows)))
    });
    group.finish();
}

criterion_group!(benches, scoring, training);
criterion_main!(benches);
