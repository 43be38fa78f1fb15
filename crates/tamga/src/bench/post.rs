//! `tamga bench post`: a border post's gate simulator. It lodges the declarations of the
//! trucks that are announced (with a lodging token), then replays their crossings against a
//! running server with the post's token — a mix of trucks that match at the right weight,
//! 20 % heavy ones, unannounced ones and (with `--listed-plate`) listed ones — and prints the
//! rate, the latency and the alerts raised against the mix sent. A measurement: it asserts
//! nothing.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use hdrhistogram::Histogram;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use super::data;

/// What a simulated truck is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Matched,
    Heavy,
    Unannounced,
    Listed,
}

/// One truck: its kind, its crossing body, and its declaration when announced.
struct Truck {
    kind: Kind,
    declaration: Option<Value>,
    crossing: Vec<u8>,
}

pub struct PostRun {
    pub url: String,
    pub post_token: String,
    pub lodger_token: String,
    pub office: String,
    pub count: usize,
    pub clients: usize,
    pub listed_plate: Option<String>,
}

/// The `n`-th truck of the mix: of every 20, 14 match, 2 are 20 % heavy, 2 unannounced and 2
/// listed (matched instead when no listed plate is given).
fn kind_of(n: usize, listed: bool) -> Kind {
    match n % 20 {
        14 | 15 => Kind::Heavy,
        16 | 17 => Kind::Unannounced,
        18 | 19 if listed => Kind::Listed,
        _ => Kind::Matched,
    }
}

/// The heaviest load a road truck carries here, in kg: the sample declarations of a ship's
/// or a train's cargo (up to hundreds of tonnes) are no truck's and are passed over.
const TRUCK_LOAD_KG: f64 = 40_000.0;

/// The `n`th sample declaration that a truck can carry, with its declared gross mass.
fn truck_load(n: usize, run: &str, lines: &[data::Line], offices: &[String]) -> (Value, f64) {
    let mut index = n;
    for _ in 0..1_000 {
        let declaration = data::declaration(index, run, "", lines, offices);
        let declared = declared_mass(&declaration);
        if declared <= TRUCK_LOAD_KG {
            return (declaration, declared);
        }
        // Another sample, under an index no other truck of this run uses.
        index += 1_000_003;
    }
    // No sample light enough (not with the shipped data): the first, as heavy as it is.
    let declaration = data::declaration(n, run, "", lines, offices);
    let declared = declared_mass(&declaration);
    (declaration, declared)
}

/// The gross mass a declaration states, summed over its items, in kg.
fn declared_mass(declaration: &Value) -> f64 {
    declaration["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["gross_mass"].as_str()?.parse::<f64>().ok())
                .sum()
        })
        .unwrap_or(0.0)
}

fn trucks(run: &PostRun) -> anyhow::Result<Vec<Truck>> {
    let lines = data::lines()?;
    let offices = [run.office.clone()];
    let tag = format!("{:06}", rand::random::<u32>() % 1_000_000);
    let mut out = Vec::with_capacity(run.count);
    for n in 0..run.count {
        let kind = kind_of(n, run.listed_plate.is_some());
        let plate = match (&run.listed_plate, kind) {
            (Some(listed), Kind::Listed) => listed.clone(),
            _ => format!("P{tag}{n}"),
        };
        let (mut declaration, declared) = truck_load(n, &format!("P{tag}"), &lines, &offices);
        declaration["border_transport"] =
            json!({ "mode": "3", "identification": plate, "nationality": "UZ" });
        let load = if kind == Kind::Heavy {
            declared * 1.2
        } else {
            declared
        };
        let crossing = json!({
            "plate": plate,
            "gross_weight_kg": format!("{:.3}", load + 14_000.0),
            "tare_weight_kg": "14000",
            "lane": format!("{}", 1 + n % 4),
            "crossed_at": time::OffsetDateTime::now_utc().format(&time::format_description::well_known::Rfc3339)?,
            "direction": "entry",
            "images": [format!("cam-{tag}-{n}")],
            "seals": [],
        });
        let announced = matches!(kind, Kind::Matched | Kind::Heavy);
        out.push(Truck {
            kind,
            declaration: announced.then_some(declaration),
            crossing: serde_json::to_vec(&crossing)?,
        });
    }
    Ok(out)
}

pub async fn run(run: PostRun) -> anyhow::Result<()> {
    anyhow::ensure!(
        run.count > 0 && run.clients > 0,
        "--count and --clients must be positive"
    );
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(run.clients)
        .timeout(Duration::from_secs(60))
        .build()?;
    let party = super::own_party(&http, &run.url, &run.lodger_token).await?;
    let mut trucks = trucks(&run)?;
    for truck in &mut trucks {
        if let Some(d) = truck.declaration.as_mut() {
            for role in ["declarant", "importer"] {
                d[role]["id"] = json!(party);
            }
        }
    }
    eprintln!(
        "tamga bench post: lodging the announced trucks' declarations at {}",
        run.office
    );
    lodge(&http, &run, &trucks).await?;
    eprintln!(
        "replaying {} crossings with {} clients",
        run.count, run.clients
    );
    let trucks = Arc::new(trucks);
    let (tally, latencies, elapsed) = replay(&http, &run, trucks.clone()).await?;
    print(&trucks, &tally, &latencies, elapsed);
    Ok(())
}

async fn lodge(http: &reqwest::Client, run: &PostRun, trucks: &[Truck]) -> anyhow::Result<()> {
    for d in trucks.iter().filter_map(|t| t.declaration.as_ref()) {
        let response = http
            .post(format!("{}/api/v1/declarations", run.url))
            .bearer_auth(&run.lodger_token)
            .json(d)
            .send()
            .await
            .with_context(|| format!("cannot reach {}", run.url))?;
        let status = response.status();
        if !status.is_success() {
            bail!(
                "a declaration was refused ({status}): {}",
                response.text().await?
            );
        }
    }
    Ok(())
}

/// Alerts raised per truck kind, and failures.
#[derive(Debug, Default)]
struct Tally {
    alerts: BTreeMap<(Kind, String), usize>,
    clean: BTreeMap<Kind, usize>,
    failed: usize,
    first_failure: Option<String>,
}

async fn replay(
    http: &reqwest::Client,
    run: &PostRun,
    trucks: Arc<Vec<Truck>>,
) -> anyhow::Result<(Tally, Histogram<u64>, Duration)> {
    let next = Arc::new(AtomicUsize::new(0));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..run.clients {
        let (http, trucks, next, tally) =
            (http.clone(), trucks.clone(), next.clone(), tally.clone());
        let endpoint = format!("{}/api/v1/crossings", run.url);
        let token = run.post_token.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Histogram::<u64>::new(3)?;
            while let Some(truck) = trucks.get(next.fetch_add(1, Ordering::Relaxed)) {
                let sent = Instant::now();
                let answer = http
                    .post(&endpoint)
                    .bearer_auth(&token)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(truck.crossing.clone())
                    .send()
                    .await;
                let answer = match answer {
                    Ok(r) => Ok((r.status(), r.text().await.unwrap_or_default())),
                    Err(e) => Err(e.to_string()),
                };
                latencies.record(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX))?;
                count(&mut *tally.lock().await, truck.kind, answer);
            }
            anyhow::Ok(latencies)
        }));
    }
    let mut latencies = Histogram::<u64>::new(3)?;
    for worker in workers {
        latencies.add(worker.await??)?;
    }
    let elapsed = started.elapsed();
    let tally = std::mem::take(&mut *tally.lock().await);
    Ok((tally, latencies, elapsed))
}

fn count(tally: &mut Tally, kind: Kind, answer: Result<(reqwest::StatusCode, String), String>) {
    let body = match answer {
        Ok((reqwest::StatusCode::CREATED, body)) => body,
        Ok((status, body)) => {
            tally.failed += 1;
            tally
                .first_failure
                .get_or_insert(format!("{status}: {body}"));
            return;
        }
        Err(e) => {
            tally.failed += 1;
            tally.first_failure.get_or_insert(e);
            return;
        }
    };
    let crossing: Value = serde_json::from_str(&body).unwrap_or_default();
    let alerts = crossing["alerts"].as_array().cloned().unwrap_or_default();
    if alerts.is_empty() {
        *tally.clean.entry(kind).or_default() += 1;
    }
    for alert in alerts {
        let name = alert["kind"].as_str().unwrap_or("?").to_owned();
        *tally.alerts.entry((kind, name)).or_default() += 1;
    }
}

fn print(trucks: &[Truck], tally: &Tally, latencies: &Histogram<u64>, elapsed: Duration) {
    let secs = elapsed.as_secs_f64().max(1e-9);
    let done = trucks.len() - tally.failed;
    println!(
        "crossings: {done} recorded, {} failed in {secs:.2} s: {:.1} crossings/s",
        tally.failed,
        done as f64 / secs
    );
    println!(
        "latency ms: p50 {:.1}, p95 {:.1}, p99 {:.1}, max {:.1}",
        latencies.value_at_quantile(0.50) as f64 / 1000.0,
        latencies.value_at_quantile(0.95) as f64 / 1000.0,
        latencies.value_at_quantile(0.99) as f64 / 1000.0,
        latencies.max() as f64 / 1000.0
    );
    let mut sent: BTreeMap<Kind, usize> = BTreeMap::new();
    for t in trucks {
        *sent.entry(t.kind).or_default() += 1;
    }
    for (kind, n) in sent {
        let raised: Vec<String> = tally
            .alerts
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|((_, a), c)| format!("{a} {c}"))
            .collect();
        let clean = tally.clean.get(&kind).copied().unwrap_or(0);
        println!(
            "{kind:?}: {n} sent, {clean} without alert; alerts: {}",
            raised.join(", ")
        );
    }
    if let Some(f) = &tally.first_failure {
        println!("first failure: {f}");
    }
}
