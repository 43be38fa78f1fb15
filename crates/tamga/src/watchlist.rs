//! `tamga import watchlist`: reads a UN, OFAC or analysts' list and stores it as the next
//! version of a named watchlist; running servers screen with it within ten seconds.

use std::path::Path;

use anyhow::{bail, Context};
use tamga_store::risk::{kind, DocumentOutcome, Expected, NewDocument};
use tamga_watchlist::Entry;

use crate::import::WatchlistFormat;
use crate::settings::Settings;

fn read_entries(format: WatchlistFormat, file: &Path, name: &str) -> anyhow::Result<Vec<Entry>> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    tamga_watchlist::read_watchlist(format.into(), &bytes, name)
        .with_context(|| format!("{}: nothing imported", file.display()))
}

fn default_name(format: WatchlistFormat, file: &Path) -> String {
    let format: tamga_watchlist::read::Format = format.into();
    format.default_name().map_or_else(
        || {
            file.file_stem().map_or_else(
                || "watchlist".into(),
                |s| s.to_string_lossy().to_lowercase(),
            )
        },
        str::to_owned,
    )
}

pub async fn import(
    settings: &Settings,
    format: WatchlistFormat,
    name: Option<String>,
    reason: &str,
    file: &Path,
) -> anyhow::Result<()> {
    let name = name.unwrap_or_else(|| default_name(format, file));
    if !tamga_risk::profile::valid_id(&name) {
        bail!("the watchlist name {name:?} must be 1 to 64 lowercase letters, digits, '-', '_' or '.'");
    }
    let entries = read_entries(format, file, &name)?;
    if entries.is_empty() {
        bail!("{} holds no entries; nothing imported", file.display());
    }
    let names: usize = entries.iter().map(|e| e.names.len()).sum();
    let store = crate::serve::open_store(settings).await?;
    let outcome = store
        .save_document(NewDocument {
            kind: kind::WATCHLIST,
            name: name.clone(),
            document: serde_json::to_string(&entries)?,
            expected: Expected::Any,
            by: std::env::var("USER").unwrap_or_else(|_| "tamga import".into()),
            reason: reason.to_owned(),
            at: tamga_store::sql::now(),
        })
        .await?;
    let DocumentOutcome::Saved(saved) = outcome else {
        bail!("another import of {name} was written at the same moment; run it again");
    };
    println!(
        "imported watchlist {name} version {}: {} entries, {names} names",
        saved.version,
        entries.len()
    );
    Ok(())
}
