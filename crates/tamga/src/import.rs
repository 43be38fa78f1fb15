//! `tamga import tariff|rates|valuation|watchlist FILE`: replaces the tariff in force, adds
//! exchange rates or valuation references, or replaces a watchlist, straight on the database. A running server picks them up within ten seconds. Every bad row
//! is reported and nothing is imported from a file with one.

use std::path::Path;

use anyhow::{bail, Context};
use rust_decimal::Decimal;
use tamga_core::tariff::valuation::Reference;
use tamga_store::{RateRow, TariffImport};

use crate::settings::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// A tariff CSV; the latest import is the tariff in force. Columns:
    /// kind,code,origins,expression,document,valid_from,valid_to,description. kind is line,
    /// group, no-mfn, third-country-duty, preference, anti-dumping, countervailing, excise,
    /// vat or restriction; origins is * (any), a country code or group:NAME; expression a duty
    /// expression such as "10 %", "93.10 EUR / 100 kg" or "15 % + 1.25 USD / cm3"; dates
    /// YYYY-MM-DD (an empty valid_to is open-ended); "#" starts a comment. Example line:
    /// "third-country-duty,8471,*,5 %,,2022-01-01,,". The illustrative starter tariff that
    /// tamga imports on first start follows this format.
    Tariff { file: std::path::PathBuf },
    /// Exchange rates CSV: currency,valid_from,rate (UZS per unit); added to those stored.
    Rates { file: std::path::PathBuf },
    /// Valuation references CSV: hs6,origin,median,q1,q3,count (UZS per kg); they replace
    /// references of the same subheading and origin.
    Valuation { file: std::path::PathBuf },
    /// A watchlist of parties (and vessels, containers, vehicles) screened at every acceptance:
    /// the UN Security Council consolidated list (XML), the OFAC SDN list (CSV), or an
    /// analysts' CSV (id,kind,name,aliases,country,remarks). It replaces the list of that name.
    Watchlist {
        #[arg(long, value_enum)]
        format: WatchlistFormat,
        /// The watchlist's name; defaults to un-sc, ofac-sdn or the file's stem.
        #[arg(long)]
        name: Option<String>,
        /// Why it is imported, kept with the version.
        #[arg(long, default_value = "imported with tamga import watchlist")]
        reason: String,
        file: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WatchlistFormat {
    Un,
    Ofac,
    Csv,
}

impl From<WatchlistFormat> for tamga_watchlist::read::Format {
    fn from(format: WatchlistFormat) -> Self {
        match format {
            WatchlistFormat::Un => Self::Un,
            WatchlistFormat::Ofac => Self::Ofac,
            WatchlistFormat::Csv => Self::Csv,
        }
    }
}

pub async fn run(settings: &Settings, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Tariff { file } => tariff(settings, &file).await,
        ImportCommand::Rates { file } => rates(settings, &file).await,
        ImportCommand::Valuation { file } => valuation(settings, &file).await,
        ImportCommand::Watchlist {
            format,
            name,
            reason,
            file,
        } => crate::watchlist::import(settings, format, name, &reason, &file).await,
    }
}

fn read(file: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

fn refuse(file: &Path, errors: &[impl std::fmt::Display]) -> anyhow::Result<()> {
    for error in errors {
        eprintln!("{}: {error}", file.display());
    }
    bail!(
        "{} bad row(s) in {}; nothing imported",
        errors.len(),
        file.display()
    )
}

async fn tariff(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let content = read(file)?;
    let tariff = match tamga_core::tariff::load::parse_tariff(&content) {
        Ok(tariff) => tariff,
        Err(errors) => return refuse(file, &errors),
    };
    let store = crate::serve::open_store(settings).await?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    store
        .import_tariff(TariffImport {
            name: name.clone(),
            content,
            imported_at: tamga_store::sql::now(),
            imported_by: std::env::var("USER").unwrap_or_else(|_| "tamga import".into()),
        })
        .await?;
    println!(
        "imported tariff {name}: {} national lines, {} measures, {} country groups",
        tariff.lines.len(),
        tariff.measure_count(),
        tariff.groups.len()
    );
    Ok(())
}

async fn rates(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let rows = match tamga_core::tariff::load::parse_rate_rows(&read(file)?) {
        Ok(rows) => rows,
        Err(errors) => return refuse(file, &errors),
    };
    let rows: Vec<RateRow> = rows
        .into_iter()
        .map(|(currency, valid_from, rate)| RateRow {
            currency,
            valid_from,
            rate,
        })
        .collect();
    let currencies: std::collections::BTreeSet<_> =
        rows.iter().map(|r| r.currency.clone()).collect();
    let store = crate::serve::open_store(settings).await?;
    let written = store.import_rates(rows).await?;
    println!(
        "imported {written} exchange rates for {} currencies",
        currencies.len()
    );
    Ok(())
}

async fn valuation(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    let text = read(file)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let (mut references, mut errors) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        match record
            .map_err(|e| e.to_string())
            .and_then(|row| reference(&row))
        {
            Ok(r) => references.push(r),
            Err(problem) => errors.push(format!("line {}: {problem}", i + 2)),
        }
    }
    if !errors.is_empty() {
        return refuse(file, &errors);
    }
    let store = crate::serve::open_store(settings).await?;
    let saved = store.save_references(references, "import").await?;
    println!("imported {saved} valuation references");
    Ok(())
}

fn reference(row: &csv::StringRecord) -> Result<Reference, String> {
    let field = |i: usize| row.get(i).unwrap_or("").trim();
    let number = |i: usize| {
        field(i)
            .parse::<Decimal>()
            .map_err(|_| format!("{:?} is not a decimal", field(i)))
    };
    let (hs6, origin) = (field(0), field(1));
    if hs6.len() != 6 || !hs6.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{hs6:?} is not a 6-digit subheading"));
    }
    if origin.len() != 2 || !origin.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("{origin:?} is not a country code"));
    }
    let count = field(5)
        .parse::<i64>()
        .map_err(|_| "count must be a whole number".to_owned())?;
    let (median, q1, q3) = (number(2)?, number(3)?, number(4)?);
    if !(q1 <= median && median <= q3) || q1 < Decimal::ZERO || count < 1 {
        return Err("expected 0 <= q1 <= median <= q3 and a positive count".into());
    }
    Ok(Reference {
        hs6: hs6.into(),
        origin: origin.into(),
        median,
        q1,
        q3,
        count,
    })
}

/// `tamga valuation rebuild`: references from every accepted item's unit value.
pub async fn rebuild_valuation(settings: &Settings) -> anyhow::Result<()> {
    let store = crate::serve::open_store(settings).await?;
    let groups = store.unit_value_samples().await?;
    let progress = indicatif::ProgressBar::new(groups.len() as u64);
    let mut references = Vec::with_capacity(groups.len());
    for (hs6, origin, values) in groups {
        references.extend(Reference::from_sample(&hs6, &origin, values));
        progress.inc(1);
    }
    progress.finish_and_clear();
    let saved = store.save_references(references, "history").await?;
    println!("built {saved} valuation references from accepted declarations");
    Ok(())
}
