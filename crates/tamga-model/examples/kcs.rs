//! Trains on the 2020 KCS declarations and evaluates on 2021 Q1 (the validation quarter),
//! printing the metrics, the training time and the scoring throughput.
//!
//! ```text
//! cargo run -p tamga-model --release --example kcs -- [--trees N] [--lr X] [--leaves N]
//!     [--depth N] [--bags N] [--min-data N] [--lambda X] [--rows X] [--cols X] [--smoothing X]
//!     [--folds N] [--seed N] [--threads N] [--train FILE] [--valid FILE] [--save FILE]
//!     [--explain N] [--groups importer,hs6,importer+hs6,...]
//! ```
//!
//! Scoring rates are per CPU-second of the scoring thread (read from `/proc`, Linux only) as
//! well as per wall-clock second, since the cores may be shared with other work.

use std::time::Instant;

use tamga_model::{evaluate, read_kcs, score_all, train, Params, Row};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/kcs/");

fn read(path: &str) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    Ok(read_kcs(std::fs::File::open(path)?)?)
}

struct Options {
    params: Params,
    seed: u64,
    train: String,
    valid: String,
    save: Option<String>,
    explain: usize,
}

fn options() -> Result<Options, Box<dyn std::error::Error>> {
    let mut o = Options {
        params: Params::default(),
        seed: 42,
        train: format!("{DATA}df_syn_train_eng.csv"),
        valid: format!("{DATA}df_syn_valid_eng.csv"),
        save: None,
        explain: 0,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let [flag, value] = pair else {
            return Err("flags take one value".into());
        };
        let (b, f) = (&mut o.params.boost, &mut o.params.features);
        match flag.as_str() {
            "--trees" => b.trees = value.parse()?,
            "--lr" => b.learning_rate = value.parse()?,
            "--leaves" => b.max_leaves = value.parse()?,
            "--depth" => b.max_depth = value.parse()?,
            "--min-data" => b.min_data_in_leaf = value.parse()?,
            "--min-weight" => b.min_child_weight = value.parse()?,
            "--lambda" => b.lambda = value.parse()?,
            "--rows" => b.row_subsample = value.parse()?,
            "--cols" => b.col_subsample = value.parse()?,
            "--threads" => b.threads = value.parse()?,
            "--bags" => b.bags = value.parse()?,
            "--smoothing" => f.smoothing = value.parse()?,
            "--ref-smoothing" => f.reference_smoothing = value.parse()?,
            "--folds" => f.folds = value.parse()?,
            "--seed" => o.seed = value.parse()?,
            "--groups" => {
                let parse = |g: &str| {
                    tamga_model::features::field::parse_group(g).ok_or(format!("bad group {g}"))
                };
                f.groups = value
                    .split(',')
                    .filter(|g| !g.is_empty())
                    .map(parse)
                    .collect::<Result<_, _>>()?;
            }
            "--train" => o.train = value.clone(),
            "--valid" => o.valid = value.clone(),
            "--save" => o.save = Some(value.clone()),
            "--explain" => o.explain = value.parse()?,
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    Ok(o)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let o = options()?;
    let (fit, valid) = (read(&o.train)?, read(&o.valid)?);
    let (started, cpu) = (Instant::now(), process_cpu_seconds());
    let model = train(&fit, &o.params, o.seed, &mut |_, _| {})?;
    let training = started.elapsed();
    let training_cpu = process_cpu_seconds()
        .zip(cpu)
        .map_or(f64::NAN, |(end, start)| end - start);
    let metrics = evaluate(&model, &valid)?;
    println!("{metrics}");
    println!("{}", serde_json::to_string(&metrics)?);
    let threads = o.params.boost.threads;
    println!(
        "training: {} rows in {:.2} s wall, {training_cpu:.2} s CPU ({threads} threads)",
        fit.len(),
        training.as_secs_f64()
    );
    // Rates per second of CPU time of this thread (Linux), so that other processes sharing
    // the cores do not distort them; wall-clock rates are printed too.
    let rate = |f: &dyn Fn() -> usize| {
        let (wall, cpu) = (Instant::now(), thread_cpu_seconds());
        let rows: usize = (0..20).map(|_| f()).sum();
        let cpu = thread_cpu_seconds()
            .zip(cpu)
            .map(|(end, start)| rows as f64 / (end - start));
        (
            rows as f64 / wall.elapsed().as_secs_f64(),
            cpu.unwrap_or(f64::NAN),
        )
    };
    let (batch_wall, batch) = rate(&|| score_all(&model, &valid).len());
    let (single_wall, single) = rate(&|| {
        let mut buffer = Vec::new();
        valid
            .iter()
            .map(|row| model.score_with(row, &mut buffer))
            .filter(|s| *s >= 0.0)
            .count()
    });
    println!("scoring per CPU-second of one thread: {batch:.0} rows/s batched, {single:.0} rows/s one by one");
    println!("scoring per wall-clock second: {batch_wall:.0} rows/s batched, {single_wall:.0} rows/s one by one");
    if let Some(path) = &o.save {
        std::fs::write(path, model.to_bytes()?)?;
    }
    if o.explain > 0 {
        print_importance(&model, &valid, o.explain);
    }
    Ok(())
}

/// Mean absolute contribution per feature over the validation rows.
fn print_importance(model: &tamga_model::Model, rows: &[Row], top: usize) {
    let mut totals: std::collections::BTreeMap<String, f64> = Default::default();
    for row in rows {
        for (name, c) in model.explain(row, usize::MAX) {
            *totals.entry(name.to_owned()).or_default() += c.abs() / rows.len() as f64;
        }
    }
    let mut sorted: Vec<_> = totals.into_iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (name, value) in sorted.into_iter().take(top) {
        println!("{value:8.4}  {name}");
    }
}

/// CPU time of the calling thread, from `/proc/thread-self/schedstat` (nanoseconds on CPU).
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(text.split_whitespace().next()?.parse::<f64>().ok()? / 1e9)
}

/// CPU time of the whole process (all threads), from `/proc/self/stat` (clock ticks of 10 ms).
fn process_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
