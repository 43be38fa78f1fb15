//! The benchmark of issue 16: a model trained on 2020 evaluated on 2021 Q1, and one trained on
//! 2020 Q1–Q3 evaluated on 2020 Q4, each under the three rankings, with training time, model
//! size and load time.
//!
//! `cargo run --release -p tamga-model --example quarters`

use std::time::Instant;

use tamga_model::{evaluate, read_kcs, train, Model, Params, Row};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/kcs/");

fn rows(file: &str) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    Ok(read_kcs(std::fs::File::open(format!("{DATA}{file}"))?)?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut all = rows("df_syn_train_eng.csv")?;
    all.extend(rows("df_syn_valid_eng.csv")?);
    let date = |r: &Row| r.date.to_string();
    let splits = [
        ("2021 Q1, trained on 2020", "2021-01-01", "2021-04-01"),
        ("2020 Q4, trained on 2020 Q1-Q3", "2020-10-01", "2021-01-01"),
    ];
    for (name, cut, end) in splits {
        let fit: Vec<Row> = all
            .iter()
            .filter(|r| date(r).as_str() < cut)
            .cloned()
            .collect();
        let test: Vec<Row> = all
            .iter()
            .filter(|r| (cut..end).contains(&date(r).as_str()))
            .cloned()
            .collect();
        let started = Instant::now();
        let model = train(&fit, &Params::default(), 42, &mut |_, _| {})?;
        let trained = started.elapsed().as_secs_f64();
        let bytes = model.to_bytes()?;
        let started = Instant::now();
        let loaded = Model::from_bytes(&bytes)?;
        let load_ms = started.elapsed().as_secs_f64() * 1000.0;
        let evaluation = evaluate(&loaded, &test)?;
        println!(
            "== {name}: {} training rows, {} evaluated",
            fit.len(),
            test.len()
        );
        println!(
            "trained in {trained:.1} s; model {} KB, loaded in {load_ms:.0} ms\n",
            bytes.len() / 1024
        );
        println!("{evaluation}\n");
    }
    Ok(())
}
