//! `tamga bench fill --count N`: fills the configured database with N realistic declarations
//! quickly, straight through the lodgement pipeline (validation, assessment, targeting and the
//! store's group commits) without HTTP, so that the costs that grow with history (lists,
//! statistics, start-up, valuation rebuilds, bytes per declaration) can be measured at the
//! sizes an administration reaches. A measurement tool: it asserts nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tamga_api::lodge::{Lodger, Mode, Verdict};
use tamga_core::draft::DeclarationDraft;
use tamga_core::role::Role;
use tamga_store::{NewUser, Store, User};

use crate::settings::Settings;

pub async fn run(settings: &Settings, count: usize, workers: usize) -> anyhow::Result<()> {
    anyhow::ensure!(
        count > 0 && workers > 0,
        "--count and --workers must be positive"
    );
    let store = crate::serve::open_store(settings).await?;
    tamga_api::revenue::bootstrap(&*store).await?;
    let state = tamga_api::AppState::new(store.clone(), tamga_api::ApiSettings::default());
    state.revenue.set(tamga_api::revenue::load(&*store).await?);
    state.risk.refresh(&*store).await?;
    let user = filler(&*store).await?;
    let started = Instant::now();
    let accepted = fill(&state, &user, count, workers).await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "filled {accepted} of {count} declarations in {seconds:.1} s ({:.0}/s, {workers} workers)",
        accepted as f64 / seconds
    );
    Ok(())
}

/// An officer account for this run's declarations (its token is not kept).
async fn filler(store: &dyn Store) -> anyhow::Result<User> {
    let token = tamga_store::token::generate();
    let user = store
        .create_user(NewUser {
            name: format!("bench-fill-{}", &token[..8]),
            role: Role::Officer,
            party_id: None,
            token_hash: tamga_store::token::hash(&token),
        })
        .await
        .context("cannot create the bench-fill account")?;
    Ok(user)
}

async fn fill(
    state: &tamga_api::AppState,
    user: &User,
    count: usize,
    workers: usize,
) -> anyhow::Result<usize> {
    let (lines, offices) = (super::data::lines()?, super::data::offices());
    let run = format!("F{:05}", rand::random::<u32>() % 100_000);
    let lines = Arc::new(lines);
    let offices = Arc::new(offices);
    let next = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let progress = ProgressBar::new(count as u64);
    progress.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} {per_sec} eta {eta}",
    )?);
    let mut tasks = Vec::with_capacity(workers);
    for _ in 0..workers {
        let (state, user, run) = (state.clone(), user.clone(), run.clone());
        let (lines, offices) = (lines.clone(), offices.clone());
        let (next, accepted, progress) = (next.clone(), accepted.clone(), progress.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    return anyhow::Ok(());
                }
                let value = super::data::declaration(n, &run, "UZ305123456", &lines, &offices);
                let draft: DeclarationDraft = serde_json::from_value(value)?;
                let lodger = Lodger::new(&state, Mode::Commit);
                if let Verdict::Accepted(_) = lodger.lodge_draft(&user, &draft).await? {
                    accepted.fetch_add(1, Ordering::Relaxed);
                }
                progress.inc(1);
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    progress.finish_and_clear();
    Ok(accepted.load(Ordering::Relaxed))
}
