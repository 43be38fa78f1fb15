//! `tamga bench submit`: lodges realistic declarations against a running server and reports
//! throughput and latency. A measurement, not a test: it asserts nothing.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::Mutex;

use crate::client::Target;
use crate::settings::Settings;

mod data;
mod fill;
mod nodes;
mod post;
mod staff;
mod transit;

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Lodge COUNT distinct valid declarations with CLIENTS concurrent connections.
    Submit {
        #[command(flatten)]
        target: Target,
        /// Concurrent clients.
        #[arg(long, default_value_t = 32)]
        clients: usize,
        /// Declarations to lodge.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        /// Declarant party for the generated declarations (default: the token's own party,
        /// or UZ305123456 for customs staff).
        #[arg(long)]
        party: Option<String>,
        /// Before the clock starts, put this many officers on duty at every office the
        /// declarations go to, so that controlled lodgements draw their examiners (needs an
        /// administrator's token).
        #[arg(long, default_value_t = 0)]
        staff: usize,
        /// Before the clock starts, set the server's default random yellow rate to this share
        /// (0 to 1; 1 makes every lodgement a controlled one).
        #[arg(long)]
        random_yellow: Option<f64>,
    },
    /// Fill the configured database with COUNT declarations through the lodgement pipeline,
    /// without HTTP (to measure what grows with history).
    Fill {
        /// Declarations to add.
        #[arg(long, default_value_t = 100_000)]
        count: usize,
        /// Lodgements in flight at once (the store's group commits take them together).
        #[arg(long, default_value_t = 64)]
        workers: usize,
    },
    /// Simulate a border post's gate: lodge the announced trucks' declarations at OFFICE with
    /// --lodger-token, then report COUNT crossings with the post's token (--token) and print
    /// the rate and the alerts raised against the mix sent.
    Post {
        #[command(flatten)]
        target: Target,
        /// A token that may lodge declarations (a declarant's or an officer's).
        #[arg(long)]
        lodger_token: String,
        /// The post's office: the one its token is bound to.
        #[arg(long)]
        office: String,
        /// Crossings to report.
        #[arg(long, default_value_t = 1_000)]
        count: usize,
        /// Concurrent gate clients.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// A plate on a named list of codes or a watchlist: one truck in ten uses it.
        #[arg(long)]
        listed_plate: Option<String>,
    },
    /// Drive COUNT transit movements through their whole lifecycle across three nodes (UZ,
    /// KZ, TJ) started in this process on loopback, each with its own SQLite database.
    Transit {
        /// Movements to run.
        #[arg(long, default_value_t = 500)]
        count: usize,
        /// Movements in flight at once.
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// How often an idle outbox looks for messages to deliver, in milliseconds.
        #[arg(long, default_value_t = 10)]
        poll_ms: u64,
    },
}

#[derive(Debug, Default)]
struct Tally {
    accepted: usize,
    resubmitted: usize,
    failed: usize,
    first_failure: Option<String>,
}

pub async fn run(settings: &Settings, command: BenchCommand) -> anyhow::Result<()> {
    let (target, clients, count, party, control) = match command {
        BenchCommand::Submit {
            target,
            clients,
            count,
            party,
            staff,
            random_yellow,
        } => (target, clients, count, party, (staff, random_yellow)),
        BenchCommand::Fill { count, workers } => return fill::run(settings, count, workers).await,
        BenchCommand::Post {
            target,
            lodger_token,
            office,
            count,
            clients,
            listed_plate,
        } => {
            let (url, post_token) = target.resolve(settings)?;
            let run = post::PostRun {
                url,
                post_token,
                lodger_token,
                office,
                count,
                clients,
                listed_plate,
            };
            return post::run(run).await;
        }
        BenchCommand::Transit {
            count,
            concurrency,
            poll_ms,
        } => return transit::run(count, concurrency, poll_ms).await,
    };
    anyhow::ensure!(
        clients > 0 && count > 0,
        "--clients and --count must be positive"
    );
    anyhow::ensure!(
        control.1.is_none_or(|rate| (0.0..=1.0).contains(&rate)),
        "--random-yellow must be a share from 0 to 1"
    );
    let (url, token) = target.resolve(settings)?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(60))
        .build()?;
    let party = match party {
        Some(p) => p,
        None => own_party(&http, &url, &token).await?,
    };
    let (bodies, offices) = prepare(count, &party)?;
    let api = staff::Api {
        http: http.clone(),
        url: url.clone(),
        token: token.clone(),
    };
    staff_run(&api, &offices, control).await?;
    eprintln!("tamga bench submit: {count} declarations, {clients} clients, {url}");
    let outcome = drive(&http, &url, &token, bodies, clients).await?;
    report(&outcome.0, &outcome.1, outcome.2);
    Ok(())
}

async fn own_party(http: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<String> {
    let me: serde_json::Value = http
        .get(format!("{url}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?
        .error_for_status()
        .context("the token was refused")?
        .json()
        .await?;
    Ok(me["party_id"].as_str().unwrap_or("UZ305123456").to_owned())
}

/// The run's request bodies, shared by its clients.
type Bodies = Arc<Vec<Vec<u8>>>;

/// Serialises every body before the clock starts, so the client measures the server; with
/// the offices they are lodged at.
fn prepare(count: usize, party: &str) -> anyhow::Result<(Bodies, BTreeSet<String>)> {
    let (lines, offices) = (data::lines()?, data::offices());
    let run = format!("{:06}", rand::random::<u32>() % 1_000_000);
    let mut used = BTreeSet::new();
    let mut bodies = Vec::with_capacity(count);
    for n in 0..count {
        let declaration = data::declaration(n, &run, party, &lines, &offices);
        if let Some(office) = declaration["customs_office"].as_str() {
            used.insert(office.to_owned());
        }
        bodies.push(serde_json::to_vec(&declaration)?);
    }
    Ok((Arc::new(bodies), used))
}

/// The staffed run's set-up ([`staff`]): officers on duty, then the random yellow rate.
async fn staff_run(
    api: &staff::Api,
    offices: &BTreeSet<String>,
    (per_office, random_yellow): (usize, Option<f64>),
) -> anyhow::Result<()> {
    if per_office > 0 {
        staff::roster(api, offices, per_office).await?;
    }
    if let Some(rate) = random_yellow {
        staff::random_yellow(api, rate).await?;
    }
    Ok(())
}

async fn drive(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    bodies: Arc<Vec<Vec<u8>>>,
    clients: usize,
) -> anyhow::Result<(Tally, Histogram<u64>, Duration)> {
    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let progress = ProgressBar::new(bodies.len() as u64);
    progress.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} {per_sec} eta {eta}",
    )?);
    let started = Instant::now();
    let mut workers = Vec::with_capacity(clients);
    for _ in 0..clients {
        let worker = Worker {
            http: http.clone(),
            endpoint: format!("{url}/api/v1/declarations"),
            token: token.to_owned(),
            bodies: bodies.clone(),
            next: next.clone(),
            tally: tally.clone(),
            progress: progress.clone(),
        };
        workers.push(tokio::spawn(worker.run()));
    }
    let mut latencies = Histogram::<u64>::new(3)?;
    for worker in workers {
        latencies.add(worker.await??)?;
    }
    let elapsed = started.elapsed();
    progress.finish_and_clear();
    let tally = std::mem::take(&mut *tally.lock().await);
    Ok((tally, latencies, elapsed))
}

struct Worker {
    http: reqwest::Client,
    endpoint: String,
    token: String,
    bodies: Arc<Vec<Vec<u8>>>,
    next: Arc<AtomicUsize>,
    tally: Arc<Mutex<Tally>>,
    progress: ProgressBar,
}

impl Worker {
    /// Lodges bodies until none are left; returns latencies in microseconds.
    async fn run(self) -> anyhow::Result<Histogram<u64>> {
        let mut latencies = Histogram::<u64>::new(3)?;
        while let Some(body) = self.bodies.get(self.next.fetch_add(1, Ordering::Relaxed)) {
            let sent = Instant::now();
            let response = self
                .http
                .post(&self.endpoint)
                .bearer_auth(&self.token)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone())
                .send()
                .await;
            let status = match response {
                Ok(r) => Ok((r.status(), r.text().await.unwrap_or_default())),
                Err(e) => Err(e.to_string()),
            };
            latencies.record(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX))?;
            self.count(status).await;
            self.progress.inc(1);
        }
        Ok(latencies)
    }

    async fn count(&self, status: Result<(reqwest::StatusCode, String), String>) {
        let mut tally = self.tally.lock().await;
        match status {
            Ok((reqwest::StatusCode::CREATED, _)) => tally.accepted += 1,
            Ok((reqwest::StatusCode::OK, _)) => tally.resubmitted += 1,
            Ok((status, body)) => {
                tally.failed += 1;
                tally
                    .first_failure
                    .get_or_insert(format!("{status}: {body}"));
            }
            Err(e) => {
                tally.failed += 1;
                tally.first_failure.get_or_insert(e);
            }
        }
    }
}

fn report(tally: &Tally, latencies: &Histogram<u64>, elapsed: Duration) {
    let ms = |q: f64| latencies.value_at_quantile(q) as f64 / 1000.0;
    let seconds = elapsed.as_secs_f64();
    println!(
        "accepted: {}  resubmitted: {}  failed: {}",
        tally.accepted, tally.resubmitted, tally.failed
    );
    println!(
        "elapsed: {seconds:.2} s  throughput: {:.0} accepted/s",
        tally.accepted as f64 / seconds
    );
    println!(
        "latency: p50 {:.1} ms  p90 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        ms(0.5),
        ms(0.9),
        ms(0.99),
        latencies.max() as f64 / 1000.0
    );
    if let Some(failure) = &tally.first_failure {
        println!("first failure: {failure}");
    }
}
