//! `tamga retention apply`, and the hourly run inside `tamga serve`: closed declarations whose
//! last status change is older than `[retention] personal_data_days` have their personal data
//! masked, with their risk explanations; so have cargo reports received, seizures of closed
//! cases recorded and the notes of closed cases opened before then (`tamga_core::retention`
//! and `tamga_control` say what); each masking one audited write.

use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use clap::Subcommand;
use tamga_store::{RetentionRecord, Store};
use tokio::task::JoinSet;

use crate::settings::Settings;

/// Who the audit log names for maskings.
const ACTOR: &str = "tamga retention";

/// Declarations read per round, and maskings queued at once (the SQLite writer commits
/// what is queued together).
const ROUND: i64 = 256;

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Mask the personal data of every closed declaration older than the retention period
    /// (`[retention] personal_data_days`, or --days).
    Apply {
        #[arg(long)]
        days: Option<u32>,
    },
}

pub async fn run(settings: &Settings, command: RetentionCommand) -> anyhow::Result<()> {
    let RetentionCommand::Apply { days } = command;
    let Some(days) = days.or(settings.retention.personal_data_days) else {
        bail!("no retention period: set [retention] personal_data_days (or give --days)");
    };
    let store = crate::serve::open_store(settings).await?;
    let started = std::time::Instant::now();
    let masked = apply(&store, days).await?;
    let records = apply_records(&store, days).await?;
    println!(
        "{masked} declarations, {} cargo reports, {} seizures and {} offence cases masked \
         ({days} days after closing) in {:.3} s",
        records.cargo_reports,
        records.seizures,
        records.offence_cases,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Masks every closed declaration last changed more than `days` ago; how many it masked.
pub async fn apply(store: &Arc<dyn Store>, days: u32) -> anyhow::Result<u64> {
    let cutoff = time::OffsetDateTime::now_utc() - time::Duration::days(days.into());
    let mut masked = 0;
    loop {
        let mrns = store.retention_candidates(cutoff, ROUND).await?;
        if mrns.is_empty() {
            return Ok(masked);
        }
        let mut jobs = JoinSet::new();
        for mrn in mrns {
            let store = store.clone();
            jobs.spawn(async move { store.mask_personal_data(&mrn, cutoff, ACTOR).await });
        }
        let mut round = 0;
        while let Some(done) = jobs.join_next().await {
            round += u64::from(done??);
        }
        if round == 0 {
            // Another server masked them meanwhile; what is left is newer than the cut-off.
            return Ok(masked);
        }
        masked += round;
    }
}

/// How many records besides declarations a run masked.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Records {
    pub cargo_reports: u64,
    pub seizures: u64,
    pub offence_cases: u64,
}

/// Masks every cargo report received, and every seizure of a closed case recorded, more than
/// `days` ago.
pub async fn apply_records(store: &Arc<dyn Store>, days: u32) -> anyhow::Result<Records> {
    let cutoff = time::OffsetDateTime::now_utc() - time::Duration::days(days.into());
    let mut done = Records::default();
    loop {
        let records = store.retention_records(cutoff, ROUND).await?;
        if records.is_empty() {
            return Ok(done);
        }
        let mut jobs = JoinSet::new();
        for record in records {
            let store = store.clone();
            jobs.spawn(async move {
                let masked = store.mask_record(record.clone(), cutoff, ACTOR).await;
                masked.map(|m| (record, m))
            });
        }
        let mut round = 0;
        while let Some(joined) = jobs.join_next().await {
            let (record, masked) = joined??;
            round += u64::from(masked);
            match (record, masked) {
                (RetentionRecord::CargoReport(_), true) => done.cargo_reports += 1,
                (RetentionRecord::Seizure(_), true) => done.seizures += 1,
                (RetentionRecord::OffenceCase(_), true) => done.offence_cases += 1,
                (_, false) => {}
            }
        }
        if round == 0 {
            return Ok(done);
        }
    }
}

/// Applies the retention period every hour while the server runs.
pub async fn periodically(store: Arc<dyn Store>, days: u32) {
    let mut ticker = tokio::time::interval(Duration::from_secs(3600));
    loop {
        ticker.tick().await;
        match apply(&store, days).await {
            Ok(0) => {}
            Ok(masked) => {
                tracing::info!(masked, days, "personal data of closed declarations masked")
            }
            Err(e) => tracing::error!(error = %e, "cannot apply the retention period"),
        }
        match apply_records(&store, days).await {
            Ok(r) if r == Records::default() => {}
            Ok(r) => tracing::info!(
                cargo_reports = r.cargo_reports,
                seizures = r.seizures,
                offence_cases = r.offence_cases,
                days,
                "personal data of old cargo reports and closed seizures and cases masked"
            ),
            Err(e) => tracing::error!(error = %e, "cannot apply the retention period"),
        }
    }
}
