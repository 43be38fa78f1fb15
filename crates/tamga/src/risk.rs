//! `tamga risk replay-draw`: the auditor's replay of a declaration's random draw, redone on the
//! server with the selectivity secret that keyed it, which never leaves the database.

use anyhow::{bail, Context};
use clap::Subcommand;
use tamga_risk::explain::Explanation;
use tamga_risk::selectivity::{replay, DrawSecret};
use tamga_store::Store;

use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum RiskCommand {
    /// Redo the random draw of a declaration's risk decision and compare it with the recorded
    /// one (exit 1 when they differ).
    ReplayDraw { mrn: String },
}

pub async fn run(settings: &Settings, command: RiskCommand) -> anyhow::Result<bool> {
    let store = crate::serve::open_store(settings).await?;
    match command {
        RiskCommand::ReplayDraw { mrn } => replay_draw(&*store, &mrn).await,
    }
}

async fn replay_draw(store: &dyn Store, mrn: &str) -> anyhow::Result<bool> {
    let Some(decision) = store.risk_decision(mrn).await? else {
        bail!("no risk decision for {mrn}");
    };
    let e: Explanation = serde_json::from_str(&decision.document)
        .with_context(|| format!("the decision of {mrn} is unreadable"))?;
    if e.random_secret == 0 {
        bail!("{mrn} was decided before random draws were keyed by the server's secret");
    }
    let Some(secret) = store.selectivity_secret_of(e.random_secret).await? else {
        bail!("the selectivity secret version {} is gone", e.random_secret);
    };
    let secret = DrawSecret::new(e.random_secret, &secret);
    let replayed = replay(&secret, &e.random_key, e.random_rates);
    let [red, yellow, blue] = replayed.numbers;
    let rates = e.random_rates;
    println!(
        "{mrn}: key {:?}, secret version {}",
        e.random_key, e.random_secret
    );
    println!("  red    {red:.6} against rate {}", rates.red);
    println!("  yellow {yellow:.6} against rate {}", rates.yellow);
    println!("  blue   {blue:.6} against rate {}", rates.blue);
    let name = |c: Option<tamga_risk::Channel>| c.map_or("none", |c| c.as_str());
    println!(
        "  drawn: {}; recorded: {}",
        name(replayed.channel),
        name(e.random_channel)
    );
    let same = replayed.channel == e.random_channel;
    println!("{}", if same { "the draw replays" } else { "MISMATCH" });
    Ok(same)
}
