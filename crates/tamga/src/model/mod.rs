//! `tamga model`: train, evaluate, activate and list learned risk models.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use tamga_model::{Layout, Model, Params, Row};
use time::OffsetDateTime;

use crate::settings::Settings;

mod history;
mod store;

#[derive(Debug, clap::Subcommand)]
pub enum ModelCommand {
    /// Train a gradient-boosted fraud model on KCS-layout CSV files (see data/kcs/README.md),
    /// or on the inspection outcomes recorded in the database (tamga's own fields).
    Train {
        /// A CSV in the KCS layout; repeat for several files. The model learns the KCS layout.
        #[arg(long = "data", conflicts_with = "from_db")]
        data: Vec<PathBuf>,
        /// Train on the declarations whose inspection outcome was recorded in the database.
        /// The model learns tamga's own fields (the tamga layout).
        #[arg(long)]
        from_db: bool,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Precision, recall and the revenue proxy at 1, 2, 5 and 10 % inspection rates, and AUC,
    /// for three rankings: by fraud probability, by expected revenue and by priority.
    Evaluate {
        #[arg(long)]
        model: PathBuf,
        /// A CSV in the KCS layout (for KCS-layout models).
        #[arg(long, required_unless_present = "from_db", conflicts_with = "from_db")]
        data: Option<PathBuf>,
        /// Evaluate on the inspection outcomes recorded in the database.
        #[arg(long)]
        from_db: bool,
        /// With --from-db: only declarations decided at or after this instant (RFC 3339), e.g.
        /// those decided since the model was trained.
        #[arg(long, requires = "from_db", value_parser = instant)]
        since: Option<OffsetDateTime>,
        /// One JSON object instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Store a model and make it the one that scores every declaration at acceptance.
    Activate {
        model: PathBuf,
        /// The stored model's name; defaults to the file's stem.
        #[arg(long)]
        name: Option<String>,
        /// Evaluate on this CSV first and keep the metrics with the model.
        #[arg(long)]
        evaluate_on: Option<PathBuf>,
        /// Why, kept in the activation history.
        #[arg(long)]
        reason: String,
    },
    /// Stop scoring with any model.
    Deactivate {
        #[arg(long)]
        reason: String,
    },
    /// Stored models and the history of activations.
    List,
}

pub async fn run(settings: &Settings, command: ModelCommand) -> anyhow::Result<()> {
    match command {
        ModelCommand::Train {
            data,
            from_db,
            seed,
            out,
        } => train(settings, &data, from_db, seed, &out).await,
        ModelCommand::Evaluate {
            model,
            data,
            from_db,
            since,
            json,
        } => {
            let source = match data {
                Some(file) => Source::Kcs(file),
                None if from_db => Source::Db(since),
                None => bail!("give --data FILE.csv or --from-db"),
            };
            evaluate(settings, &model, source, json).await
        }
        ModelCommand::Activate {
            model,
            name,
            evaluate_on,
            reason,
        } => store::activate(settings, &model, name, evaluate_on.as_deref(), &reason).await,
        ModelCommand::Deactivate { reason } => store::deactivate(settings, &reason).await,
        ModelCommand::List => store::list(settings).await,
    }
}

fn instant(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("{text:?} is not an RFC 3339 instant: {e}"))
}

/// Where evaluation rows come from.
enum Source {
    Kcs(PathBuf),
    /// Recorded outcomes, of declarations decided since the instant if one is given.
    Db(Option<OffsetDateTime>),
}

/// Refuses to evaluate a tamga-layout model on KCS rows, which lack tamga's fields. (A KCS
/// model may score tamga's rows: the engine does so at acceptance.)
pub(crate) fn check_kcs_rows(model: &Model) -> anyhow::Result<()> {
    if model.layout() == Layout::Tamga {
        bail!("this model learned tamga's own fields (layout tamga), which KCS files lack; evaluate it with --from-db");
    }
    Ok(())
}

pub(crate) fn read_rows(file: &Path) -> anyhow::Result<Vec<Row>> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    tamga_model::read_kcs(std::io::BufReader::new(reader))
        .with_context(|| format!("{}", file.display()))
}

pub(crate) fn load(file: &Path) -> anyhow::Result<Model> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{} is not a tamga model", file.display()))
}

async fn train(
    settings: &Settings,
    data: &[PathBuf],
    from_db: bool,
    seed: u64,
    out: &Path,
) -> anyhow::Result<()> {
    if data.is_empty() && !from_db {
        bail!("give at least one --data FILE.csv, or --from-db");
    }
    let (rows, layout) = if from_db {
        let rows = history::rows(settings, None).await?;
        println!("{} item rows from recorded inspection outcomes", rows.len());
        (rows, Layout::Tamga)
    } else {
        let mut rows = Vec::new();
        for file in data {
            rows.extend(read_rows(file)?);
        }
        (rows, Layout::Kcs)
    };
    let started = std::time::Instant::now();
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("training {bar:40} {pos}/{len} trees {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let model = tamga_model::train(&rows, &Params::of(layout), seed, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })
    .context("training failed")?;
    bar.finish_and_clear();
    let bytes = model.to_bytes()?;
    std::fs::write(out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    let frauds = rows.iter().filter(|r| r.fraud == Some(true)).count();
    println!(
        "trained on {} rows ({frauds} fraud) in {:.1} s, seed {seed}, layout {layout}: {} ({} KB)",
        rows.len(),
        started.elapsed().as_secs_f64(),
        out.display(),
        bytes.len() / 1024
    );
    Ok(())
}

async fn evaluate(
    settings: &Settings,
    model: &Path,
    source: Source,
    json: bool,
) -> anyhow::Result<()> {
    let model = load(model)?;
    let (rows, from) = match source {
        Source::Kcs(file) => {
            check_kcs_rows(&model)?;
            (read_rows(&file)?, file.display().to_string())
        }
        Source::Db(since) => {
            let rows = history::rows(settings, since).await?;
            // Standard output holds nothing but the metrics' JSON with --json.
            eprintln!("{} item rows from recorded inspection outcomes", rows.len());
            (rows, "the database".to_owned())
        }
    };
    let metrics = tamga_model::evaluate(&model, &rows).context("evaluation failed")?;
    if json {
        println!("{}", serde_json::to_string(&metrics)?);
    } else {
        println!("{} rows of {from}\n{metrics}", rows.len());
    }
    Ok(())
}
