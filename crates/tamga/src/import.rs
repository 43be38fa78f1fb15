//! `tamga import tariff|rates FILE.csv`: replaces the tariff in force, or adds exchange rates,
//! straight on the database. A running server picks them up within ten seconds. Every bad row
//! is reported and nothing is imported from a file with one.

use std::path::Path;

use anyhow::{bail, Context};
use tamga_store::{RateRow, TariffImport};

use crate::settings::Settings;

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// A tariff CSV (format in crates/tamga-core/src/tariff/load.rs and the README); the latest
    /// import is the tariff in force.
    Tariff { file: std::path::PathBuf },
    /// Exchange rates CSV: currency,valid_from,rate (UZS per unit); added to those stored.
    Rates { file: std::path::PathBuf },
}

pub async fn run(settings: &Settings, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Tariff { file } => tariff(settings, &file).await,
        ImportCommand::Rates { file } => rates(settings, &file).await,
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
