//! `tamga ingest --dry-run`: each file through the server's own lodgement pipeline
//! ([`tamga_api::lodge`]) in [`Mode::DryRun`], against the database the server uses (its
//! tariff, rates and LRNs), stopping short of the write. With `--token` the checks are the
//! token holder's (a declarant may lodge only for its party); without, they are customs
//! staff's. When the SQLite database does not exist yet, a throwaway one stands in for the
//! server's first start. Nothing is written to the server's database.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use tamga_api::lodge::{intake, Lodger, Mode, Unit, Verdict};
use tamga_store::{Location, Store, User};

use super::{read, Outcome};
use crate::settings::Settings;

/// The pipeline and the caller every file is checked as.
pub struct Checker {
    lodger: Lodger,
    user: User,
    /// Keeps a throwaway database alive for the run.
    _scratch: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for Checker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checker")
            .field("user", &self.user.name)
            .finish()
    }
}

impl Checker {
    pub async fn open(settings: &Settings, token: Option<&str>) -> anyhow::Result<Checker> {
        let (store, scratch) = open_store(settings).await?;
        if scratch.is_some() {
            tamga_api::revenue::bootstrap(&*store).await?;
        }
        let user = match token {
            Some(token) => store
                .user_by_token(&tamga_store::token::hash(token))
                .await?
                .context("the token is not known to this database")?,
            None => User {
                id: 0,
                name: "dry run".into(),
                role: tamga_core::role::Role::Officer,
                party_id: None,
            },
        };
        tamga_api::lodge::authorise(&user).map_err(|e| anyhow::anyhow!("{e}"))?;
        let revenue = Arc::new(tamga_api::revenue::load(&*store).await?);
        let lodger = Lodger::with(store, revenue, Arc::default(), Mode::DryRun);
        Ok(Checker {
            lodger,
            user,
            _scratch: scratch,
        })
    }

    /// The verdict of every declaration in `file`.
    pub async fn check(&self, file: &Path) -> anyhow::Result<Outcome> {
        let bytes = match read(file) {
            Ok(bytes) => bytes,
            Err(outcome) => return Ok(outcome),
        };
        let units = match intake::read(&bytes) {
            Ok(units) => units,
            Err(why) => return Ok(Outcome::Rejected(vec![why])),
        };
        let verdicts = self.lodger.lodge_all(&self.user, &units).await?;
        Ok(report(&units, &verdicts))
    }
}

async fn open_store(
    settings: &Settings,
) -> anyhow::Result<(Arc<dyn Store>, Option<tempfile::TempDir>)> {
    let location = crate::serve::location(settings);
    if let Location::SqliteDir(dir) = &location {
        if !dir.join(tamga_store::sqlite::FILE_NAME).exists() {
            let scratch = tempfile::tempdir()?;
            let store = tamga_store::connect(&Location::SqliteDir(scratch.path().into())).await?;
            return Ok((store, Some(scratch)));
        }
    }
    Ok((tamga_store::connect(&location).await?, None))
}

/// Valid when every declaration would be accepted (or was, identically), else every problem.
fn report(units: &[Unit], verdicts: &[Verdict]) -> Outcome {
    let mut valid = Vec::new();
    let mut problems = Vec::new();
    for (unit, verdict) in units.iter().zip(verdicts) {
        let name = &unit.reference;
        match verdict {
            Verdict::WouldResubmit { mrn: Some(mrn) } => {
                valid.push(format!("{name} (already accepted as {mrn})"));
            }
            Verdict::Valid | Verdict::WouldResubmit { .. } => valid.push(name.clone()),
            other => problems.extend(
                other
                    .problems()
                    .iter()
                    .map(|e| format!("{name}: {} [{}] {}", e.pointer, e.code, e.message)),
            ),
        }
    }
    if problems.is_empty() {
        Outcome::Accepted(valid)
    } else {
        Outcome::Rejected(problems)
    }
}
