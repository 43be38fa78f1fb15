//! `tamga bench transit`: end-to-end transit movements across three nodes on loopback (see
//! `nodes`), each through its whole lifecycle over HTTP and the federation: the TR declaration
//! lodged at UZ, released for transit there (reserving the guarantee), its arrival reported at
//! the KZ office of transit, then at the TJ office of destination, the unloading's control
//! results, and the write-off at UZ once the goods are released at destination (restoring the
//! guarantee). Reports movements/s and the lifecycle's latency. A measurement: it checks only
//! that every movement ended and the guarantee's balance is whole again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use hdrhistogram::Histogram;
use serde_json::{json, Value};
use tamga_core::role::Role;

use super::nodes::{user, Node, Nodes};

const TRANSIT: &str = include_str!("../../../../examples/transit.json");
const GRN: &str = "26UZ0000010000001";
const REFERENCE_AMOUNT: &str = "100000000.00";
/// How long a movement may take before the run is abandoned.
const PATIENCE: Duration = Duration::from_secs(120);

/// What the movements are driven with.
struct Run {
    http: reqwest::Client,
    uz: Node,
    kz: Node,
    tj: Node,
    broker: String,
    time_limit: String,
    prefix: String,
}

pub async fn run(count: usize, concurrency: usize, poll_ms: u64) -> anyhow::Result<()> {
    anyhow::ensure!(
        count > 0 && concurrency > 0,
        "--count and --concurrency must be positive"
    );
    let nodes = Nodes::start(Duration::from_millis(poll_ms.max(1))).await?;
    let run = prepare(&nodes).await?;
    eprintln!("tamga bench transit: {count} movements UZ → KZ → TJ, {concurrency} at once");
    let started = Instant::now();
    let outcome = drive(Arc::new(run), count, concurrency).await;
    let elapsed = started.elapsed();
    let (latencies, run) = match outcome {
        Ok(done) => done,
        Err(e) => {
            nodes.stop().await;
            return Err(e);
        }
    };
    let balance = balance(&run).await;
    nodes.stop().await;
    report(count, concurrency, elapsed, &latencies);
    let balance = balance?;
    anyhow::ensure!(
        balance == REFERENCE_AMOUNT,
        "the guarantee's balance is {balance}, not {REFERENCE_AMOUNT}, after every write-off"
    );
    println!("guarantee {GRN}: balance {balance} restored at UZ");
    Ok(())
}

/// The broker and the guarantee account at UZ; the nodes' tokens.
async fn prepare(nodes: &Nodes) -> anyhow::Result<Run> {
    let [uz, kz, tj] = &nodes.nodes[..] else {
        bail!("three nodes were started");
    };
    let broker = user(
        &*uz.store,
        "bench-broker",
        Role::Declarant,
        Some("UZ305123456"),
    )
    .await?
    .1;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .timeout(Duration::from_secs(60))
        .build()?;
    let account = json!({"grn": GRN, "type": "1", "holder": "UZ305123456", "currency": "USD",
        "reference_amount": REFERENCE_AMOUNT, "access_code": "AB12"});
    http.post(format!("{}/api/v1/transit/guarantees", uz.url))
        .bearer_auth(&uz.admin)
        .json(&account)
        .send()
        .await?
        .error_for_status()
        .context("cannot open the guarantee account")?;
    let limit = time::OffsetDateTime::now_utc().date() + time::Duration::days(8);
    Ok(Run {
        http,
        uz: uz.clone(),
        kz: kz.clone(),
        tj: tj.clone(),
        broker,
        time_limit: tamga_core::dates::format_date(limit),
        prefix: format!("{:06}", rand::random::<u32>() % 1_000_000),
    })
}

/// Runs `count` movements, `concurrency` at once; the latency of each, in microseconds.
async fn drive(
    run: Arc<Run>,
    count: usize,
    concurrency: usize,
) -> anyhow::Result<(Histogram<u64>, Arc<Run>)> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (run, next) = (run.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Histogram::<u64>::new(3)?;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    return anyhow::Ok(latencies);
                }
                let started = Instant::now();
                tokio::time::timeout(PATIENCE, run.movement(n))
                    .await
                    .with_context(|| format!("movement {n} took longer than {PATIENCE:?}"))??;
                latencies
                    .record(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX))?;
            }
        }));
    }
    let mut latencies = Histogram::<u64>::new(3)?;
    for worker in workers {
        latencies.add(worker.await??)?;
    }
    Ok((latencies, run))
}

impl Run {
    /// One movement through its whole lifecycle.
    async fn movement(&self, n: usize) -> anyhow::Result<()> {
        let mrn = self.lodge(n).await?;
        let steps = format!("{}/api/v1/transit/movements/{mrn}/steps", self.uz.url);
        let release = json!({"step": "release"});
        self.call(&steps, &self.uz.officer, &release, 200).await?;
        let arrival = format!("/api/v1/federation/movements/{mrn}/arrival");
        // Each report waits for the anticipated arrival to reach its node (404 until then).
        let at_kz = json!({"office": "KZCIT"});
        self.report(&self.kz, &arrival, &at_kz).await?;
        self.wait_for(&mrn, |m| passed(m, "transit_passage"))
            .await?;
        self.report(&self.tj, &arrival, &json!({"office": "TJDYU"}))
            .await?;
        let results = json!({"office": "TJDYU", "conform": true, "seals_intact": true});
        let path = format!("/api/v1/federation/movements/{mrn}/control-results");
        self.report(&self.tj, &path, &results).await?;
        self.wait_for(&mrn, |m| m["state"] == "goods_released")
            .await?;
        let ended = self
            .call(&steps, &self.uz.officer, &json!({"step": "write_off"}), 200)
            .await?;
        anyhow::ensure!(ended["state"] == "ended", "{mrn} did not end: {ended}");
        Ok(())
    }

    async fn lodge(&self, n: usize) -> anyhow::Result<String> {
        let mut d: Value = serde_json::from_str(TRANSIT)?;
        d["lrn"] = json!(format!("LRN-TRB-{}-{n:07}", self.prefix));
        d["country_of_destination"] = json!("TJ");
        let t = &mut d["transit"];
        t["offices_of_transit"] = json!(["KZCIT"]);
        t["office_of_destination"] = json!("TJDYU");
        t["itinerary"] = json!(["UZ", "KZ", "TJ"]);
        t["time_limit"] = json!(self.time_limit);
        let url = format!("{}/api/v1/declarations", self.uz.url);
        let lodged = self.call(&url, &self.broker, &d, 201).await?;
        lodged["mrn"]
            .as_str()
            .map(str::to_owned)
            .context("no MRN in the lodgement's answer")
    }

    /// A report at a partner node, repeated while that node has not heard of the movement.
    async fn report(&self, node: &Node, path: &str, body: &Value) -> anyhow::Result<()> {
        let url = format!("{}{path}", node.url);
        let mut pause = Duration::from_millis(2);
        loop {
            let answer = self.send(&url, &node.officer, body).await?;
            match answer.0.as_u16() {
                201 => return Ok(()),
                404 => {}
                status => bail!("{url}: {status} {}", answer.1),
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    /// Polls the movement at UZ until `done` says so.
    async fn wait_for(&self, mrn: &str, done: impl Fn(&Value) -> bool) -> anyhow::Result<()> {
        let url = format!("{}/api/v1/transit/movements/{mrn}", self.uz.url);
        let mut pause = Duration::from_millis(2);
        loop {
            let response = self
                .http
                .get(&url)
                .bearer_auth(&self.uz.officer)
                .send()
                .await?;
            let movement: Value = response.error_for_status()?.json().await?;
            if done(&movement) {
                return Ok(());
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(50));
        }
    }

    async fn call(&self, url: &str, token: &str, body: &Value, want: u16) -> anyhow::Result<Value> {
        let (status, text) = self.send(url, token, body).await?;
        if status.as_u16() != want {
            bail!("{url}: {status} {text}");
        }
        Ok(serde_json::from_str(&text)?)
    }

    async fn send(
        &self,
        url: &str,
        token: &str,
        body: &Value,
    ) -> anyhow::Result<(reqwest::StatusCode, String)> {
        let response = self
            .http
            .post(url)
            .bearer_auth(token)
            .json(body)
            .send()
            .await?;
        Ok((response.status(), response.text().await?))
    }
}

fn passed(movement: &Value, step: &str) -> bool {
    movement["events"]
        .as_array()
        .is_some_and(|events| events.iter().any(|e| e["step"] == step))
}

async fn balance(run: &Run) -> anyhow::Result<String> {
    let url = format!(
        "{}/api/v1/transit/guarantees/{GRN}?access_code=AB12",
        run.uz.url
    );
    let account: Value = run
        .http
        .get(url)
        .bearer_auth(&run.broker)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(account["balance"].as_str().unwrap_or_default().to_owned())
}

fn report(count: usize, concurrency: usize, elapsed: Duration, latencies: &Histogram<u64>) {
    let ms = |q: f64| latencies.value_at_quantile(q) as f64 / 1000.0;
    let seconds = elapsed.as_secs_f64();
    println!(
        "{count} movements ended in {seconds:.2} s with {concurrency} at once: {:.1} movements/s",
        count as f64 / seconds
    );
    println!(
        "lifecycle latency: p50 {:.0} ms  p90 {:.0} ms  p99 {:.0} ms  max {:.0} ms",
        ms(0.5),
        ms(0.9),
        ms(0.99),
        latencies.max() as f64 / 1000.0
    );
}
