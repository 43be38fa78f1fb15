//! `tamga audit`: verifying the audit log's hash chains (against an exported checkpoint, if
//! given), signing a checkpoint now, exporting the latest one; and the server's task that signs
//! one periodically.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Subcommand;
use tamga_store::audit::{Checkpoint, Verification};
use tamga_store::Store;

use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute every chain of the audit log and name the first broken link; with
    /// --checkpoint, also check the log still holds what an exported checkpoint signed.
    Verify {
        #[arg(long)]
        checkpoint: Option<PathBuf>,
    },
    /// Sign a checkpoint of every chain's head now, with the node's Ed25519 key.
    Checkpoint,
    /// Write the latest checkpoint to FILE (JSON), to keep away from the server.
    ExportCheckpoint { file: PathBuf },
}

/// Runs the command; false when verification found a broken link or a bad checkpoint.
pub async fn run(settings: &Settings, command: AuditCommand) -> anyhow::Result<bool> {
    let store = crate::serve::open_store(settings).await?;
    match command {
        AuditCommand::Verify { checkpoint } => verify(&*store, checkpoint.as_deref()).await,
        AuditCommand::Checkpoint => {
            let checkpoint = store.audit_checkpoint().await?;
            print!("{}", checkpoint.message);
            Ok(true)
        }
        AuditCommand::ExportCheckpoint { file } => {
            let checkpoint = match store.latest_checkpoint().await? {
                Some((_, checkpoint)) => checkpoint,
                None => store.audit_checkpoint().await?,
            };
            let json = serde_json::to_string_pretty(&checkpoint)?;
            std::fs::write(&file, json + "\n")
                .with_context(|| format!("cannot write {}", file.display()))?;
            print!("{}", checkpoint.message);
            Ok(true)
        }
    }
}

async fn verify(store: &dyn Store, file: Option<&Path>) -> anyhow::Result<bool> {
    let checkpoint = file.map(read_checkpoint).transpose()?;
    let started = Instant::now();
    let report = store.audit_verify(checkpoint).await?;
    let took = started.elapsed();
    print_report(&report, took);
    Ok(report.broken.is_none() && report.checkpoint_problem.is_none())
}

fn read_checkpoint(path: &Path) -> anyhow::Result<Checkpoint> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a checkpoint", path.display()))
}

fn print_report(report: &Verification, took: Duration) {
    let rate = report.entries as f64 / took.as_secs_f64().max(1e-9);
    println!(
        "{} entries verified in {:.3} s ({rate:.0} entries/s)",
        report.entries,
        took.as_secs_f64()
    );
    for head in &report.heads {
        println!("chain {}: entry {} {}", head.chain, head.seq, head.hash);
    }
    if let Some(problem) = &report.checkpoint_problem {
        println!("checkpoint: {problem}");
    }
    match &report.broken {
        Some(b) => println!("BROKEN: chain {} at entry {}: {}", b.chain, b.seq, b.why),
        None => println!("every chain holds"),
    }
}

/// Signs a checkpoint every `every` while the server runs (a few hundred small rows a day at
/// the default interval; signing only when the log grew would need the heads read first, for
/// no real saving).
pub async fn checkpoints(store: std::sync::Arc<dyn Store>, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    ticker.tick().await;
    loop {
        ticker.tick().await;
        if let Err(e) = store.audit_checkpoint().await {
            tracing::error!(error = %e, "cannot sign an audit checkpoint");
        }
    }
}
