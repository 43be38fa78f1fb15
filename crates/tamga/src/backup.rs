//! `tamga backup FILE` and `tamga restore FILE`: the SQLite database copied while servers use
//! it, and put back while none does. (PostgreSQL is backed up with its own tools, `pg_dump`;
//! see the README.)

use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use tamga_store::sqlite::backup::{self, Summary};

use crate::settings::Settings;

fn sqlite_only(settings: &Settings, what: &str) -> anyhow::Result<()> {
    if settings.database_url.is_some() {
        bail!("tamga {what} works on the embedded SQLite database; for PostgreSQL use pg_dump and pg_restore (see the README)");
    }
    Ok(())
}

pub async fn backup(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    sqlite_only(settings, "backup")?;
    let started = Instant::now();
    let summary = backup::backup(&settings.data_dir, file).await?;
    let took = started.elapsed().as_secs_f64();
    println!(
        "backed up to {} in {took:.3} s: {}",
        file.display(),
        describe(&summary)
    );
    Ok(())
}

pub async fn restore(settings: &Settings, file: &Path) -> anyhow::Result<()> {
    sqlite_only(settings, "restore")?;
    let (summary, kept) = backup::restore(&settings.data_dir, file).await?;
    println!(
        "restored {} into {}: {}",
        file.display(),
        settings.data_dir.display(),
        describe(&summary)
    );
    if let Some(kept) = kept {
        println!("the database it replaced is kept as {}", kept.display());
    }
    Ok(())
}

fn describe(s: &Summary) -> String {
    format!(
        "{} declarations, {} audit entries, migration {}, {} bytes",
        s.declarations, s.audit_entries, s.migration, s.bytes
    )
}
