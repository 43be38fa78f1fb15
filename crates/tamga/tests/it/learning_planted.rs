//! A model learns tamga's own fields (issue 16): generated declarations with planted fraud
//! patterns are lodged through a real server and an officer records what inspection found on
//! each; `tamga valuation rebuild`, `tamga model train --from-db` and `tamga model activate`
//! follow; then fresh declarations lodged at a restarted server are scored at acceptance, and
//! the planted ones must rank first. `tamga model evaluate --from-db --since` then evaluates
//! the model on the fresh declarations' outcomes alone.
//!
//! The patterns: importer `UZ310000007` declares its clothing (chapter 61) at a third of the
//! usual value, and telephones (heading 8517) declared of Turkish origin are misdeclared. Both
//! are always found; besides them 2 % of the training declarations have a finding at random.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::{tamga, Server};

const TRAINING: usize = 3_000;
const HELD_OUT: usize = 500;
const WORKERS: usize = 8;

/// Subheadings with a usual price in USD per kg.
const GOODS: [(&str, f64); 16] = [
    ("610910", 18.0),
    ("611020", 22.0),
    ("610462", 20.0),
    ("620342", 16.0),
    ("847130", 180.0),
    ("847160", 40.0),
    ("851713", 260.0),
    ("851762", 120.0),
    ("940360", 4.0),
    ("940161", 6.0),
    ("690721", 0.8),
    ("392690", 3.0),
    ("090240", 5.0),
    ("401110", 3.5),
    ("841810", 7.0),
    ("852872", 25.0),
];
const ORIGINS: [&str; 7] = ["CN", "TR", "RU", "KZ", "DE", "IN", "KR"];
const OFFICES: [&str; 4] = ["UZTAS", "UZALT", "UZTER", "UZALK"];
const OFFENDER: usize = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plant {
    None,
    Undervalued,
    Origin,
}

/// SplitMix64: the same declarations on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// The `n`-th declaration of a run, the pattern it carries and whether it has a finding.
fn generate(run: &str, n: usize, rng: &mut Rng) -> (Value, Plant, bool) {
    let roll = rng.unit();
    let with = |prefix: &str| -> Vec<usize> {
        (0..GOODS.len())
            .filter(|i| GOODS[*i].0.starts_with(prefix))
            .collect()
    };
    let (importer, goods, origin) = if roll < 0.06 {
        let ch61 = with("61");
        (OFFENDER, ch61[rng.below(ch61.len())], rng.pick(&ORIGINS))
    } else if roll < 0.12 {
        let phones = with("8517");
        (rng.below(40), phones[rng.below(phones.len())], "TR")
    } else {
        (rng.below(40), rng.below(GOODS.len()), rng.pick(&ORIGINS))
    };
    let (hs6, usual) = GOODS[goods];
    let plant = if importer == OFFENDER && hs6.starts_with("61") {
        Plant::Undervalued
    } else if origin == "TR" && hs6.starts_with("8517") {
        Plant::Origin
    } else {
        Plant::None
    };
    let mass = 50.0 + rng.below(1_950) as f64;
    let mut per_kg = usual * (0.8 + 0.4 * rng.unit());
    if plant == Plant::Undervalued {
        per_kg /= 3.0;
    }
    let price = (mass * per_kg * 100.0).round() / 100.0;
    let dispatch = if rng.unit() < 0.85 {
        origin
    } else {
        rng.pick(&ORIGINS)
    };
    let party = |id: String, country: &str| json!({"id": id, "name": format!("Trader {id}"), "country": country});
    let declaration = json!({
        "type": "IM",
        "lrn": format!("{run}-{n}"),
        "declarant": party(format!("UZ20000000{}", rng.below(6)), "UZ"),
        "importer": party(format!("UZ3100000{importer:02}"), "UZ"),
        "exporter": party(format!("EX{dispatch}{:03}", rng.below(30)), dispatch),
        "customs_office": rng.pick(&OFFICES),
        "country_of_dispatch": dispatch,
        "country_of_destination": "UZ",
        "border_transport": {"mode": "3", "identification": format!("01A{:03}BC", n % 1000), "nationality": "UZ"},
        "invoice": {"currency": "USD", "amount": format!("{price:.2}")},
        "incoterm": "FCA",
        "freight": "350.00",
        "items": [{
            "sequence": 1,
            "description": format!("Goods of subheading {hs6}"),
            "commodity_code": format!("{hs6}0000"),
            "origin": origin,
            "procedure": "4000",
            "packages": {"count": 10, "kind": "PK"},
            "net_mass": format!("{mass:.3}"),
            "gross_mass": format!("{:.3}", mass * 1.05 + 1.0),
            "price": format!("{price:.2}"),
        }],
    });
    let noise = plant == Plant::None && rng.unit() < 0.02;
    (declaration, plant, plant != Plant::None || noise)
}

/// What one worker does with one declaration against the server at `url`.
#[derive(Clone, Copy)]
enum Step {
    /// Lodge it and record the inspection outcome.
    Train,
    /// Lodge it, read the model's score and top features from its risk decision, then record
    /// whether it carries a planted pattern as the inspection outcome.
    Score,
}

type Scored = (Plant, f64, Vec<String>);

async fn lodge(http: &reqwest::Client, url: &str, token: &str, body: &Value) -> String {
    let response = http
        .post(format!("{url}/api/v1/declarations"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let created: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{created}");
    created["mrn"].as_str().unwrap().to_owned()
}

/// Records an inspection outcome on the declaration at `path`: a finding or none.
async fn record(http: &reqwest::Client, path: &str, token: &str, found: bool) {
    let findings = if found {
        json!([{"type": "undervaluation"}])
    } else {
        json!([])
    };
    let recorded = http
        .post(format!("{path}/inspection"))
        .bearer_auth(token)
        .json(&json!({"findings": findings}))
        .send()
        .await
        .unwrap();
    assert_eq!(recorded.status().as_u16(), 201);
}

async fn handle(
    http: &reqwest::Client,
    server: (&str, &str),
    work: (Value, Plant, bool),
    step: Step,
) -> Option<Scored> {
    let (url, token) = server;
    let (body, plant, found) = work;
    let mrn = lodge(http, url, token, &body).await;
    let path = format!("{url}/api/v1/declarations/{mrn}");
    match step {
        Step::Train => {
            record(http, &path, token, found).await;
            None
        }
        Step::Score => {
            let risk: Value = http
                .get(format!("{path}/risk"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let model = &risk["explanation"]["model"];
            let score = model["score"]
                .as_f64()
                .unwrap_or_else(|| panic!("no model score: {risk}"));
            let features = model["top_features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f[0].as_str().unwrap().to_owned())
                .collect();
            // What inspection then found, for the evaluation on held-out outcomes.
            record(http, &path, token, plant != Plant::None).await;
            Some((plant, score, features))
        }
    }
}

/// Generates `count` declarations of `run` and runs `step` on each with [`WORKERS`] clients.
async fn run_all(
    server: &Server,
    token: &str,
    run: &'static str,
    count: usize,
    step: Step,
) -> Vec<Scored> {
    let mut rng = Rng(run.bytes().map(u64::from).sum());
    let work: Arc<Vec<_>> = Arc::new((0..count).map(|n| generate(run, n, &mut rng)).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..WORKERS {
        let (work, next, http) = (work.clone(), next.clone(), reqwest::Client::new());
        let (url, token) = (server.url.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = work.get(n) else { return out };
                out.extend(handle(&http, (&url, &token), item.clone(), step).await);
            }
        }));
    }
    let mut scored = Vec::new();
    for task in tasks {
        scored.extend(task.await.unwrap());
    }
    scored
}

fn cli(data: &str, args: &[&str]) -> String {
    let (code, out, err) = tamga(&[&["--data-dir", data][..], args].concat(), &[]);
    assert_eq!(code, 0, "tamga {args:?}: {err}");
    out
}

/// Rebuilds the valuation references, trains on the recorded outcomes and activates the
/// model, checking it learned the tamga layout.
fn train_and_activate(data: &str, model: &str) {
    cli(data, &["valuation", "rebuild"]);
    let out = cli(data, &["model", "train", "--from-db", "--out", model]);
    assert!(out.contains(&format!("{TRAINING} item rows")), "{out}");
    assert!(out.contains("layout tamga"), "{out}");
    let saved: Value = serde_json::from_slice(&std::fs::read(model).unwrap()).unwrap();
    assert_eq!(saved["meta"]["params"]["features"]["layout"], "tamga");
    let names = saved["meta"]["features"].as_array().unwrap();
    for name in [
        "te_commodity",
        "te_importer+hs2",
        "te_aeo",
        "te_procedure",
        "uv_vs_valuation",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing from {names:?}"
        );
    }
    let reason = "trained on own outcomes";
    cli(data, &["model", "activate", model, "--reason", reason]);
}

/// The planted declarations rank first: precision at the top k (k the number planted) and
/// each pattern's share found there. Returns the precision.
fn assert_planted_rank_first(scored: &mut [Scored]) -> f64 {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let planted = scored.iter().filter(|s| s.0 != Plant::None).count();
    assert!(
        planted >= 20,
        "only {planted} planted declarations held out"
    );
    let top = &scored[..planted];
    let precision = top.iter().filter(|s| s.0 != Plant::None).count() as f64 / planted as f64;
    assert!(
        precision >= 0.9,
        "precision at the top {planted}: {precision}"
    );
    for plant in [Plant::Undervalued, Plant::Origin] {
        let all = scored.iter().filter(|s| s.0 == plant).count();
        let found = top.iter().filter(|s| s.0 == plant).count();
        assert!(
            found * 5 >= all * 4,
            "{plant:?}: {found} of {all} at the top"
        );
    }
    // The engine scored with the tamga layout: the explanations name its features.
    let kcs_lacks = |name: &str| {
        ["commodity", "hs2+", "importer+hs2", "importer+hs4"]
            .iter()
            .any(|p| name.contains(p))
            || name == "uv_vs_valuation"
    };
    let named = top.iter().any(|s| s.2.iter().any(|n| kcs_lacks(n)));
    assert!(named, "{:?}", top.first());
    precision
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn planted_fraud_patterns_rank_first_after_training_on_own_outcomes() {
    let started = std::time::Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    let token = server.admin_token.clone().unwrap();
    run_all(&server, &token, "OWN", TRAINING, Step::Train).await;
    drop(server);
    let lodged = started.elapsed();
    let model = dir.path().join("own.json");
    let model = model.to_str().unwrap();
    train_and_activate(data, model);
    let trained = started.elapsed();

    let since = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let server = Server::start(&["--data-dir", data]);
    let mut scored = run_all(&server, &token, "NEW", HELD_OUT, Step::Score).await;
    let precision = assert_planted_rank_first(&mut scored);
    eprintln!(
        "lodged and recorded {TRAINING} in {:.1} s, trained by {:.1} s, scored {HELD_OUT} by {:.1} s: precision at the top = {precision:.3}",
        lodged.as_secs_f64(),
        trained.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    drop(server);
    // Evaluation on the held-out outcomes alone; KCS files cannot evaluate this model.
    let args = [
        "model",
        "evaluate",
        "--model",
        model,
        "--from-db",
        "--since",
        &since,
        "--json",
    ];
    let (code, out, err) = tamga(&[&["--data-dir", data][..], &args].concat(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("{HELD_OUT} item rows")), "{err}");
    let metrics: Value = serde_json::from_str(&out).unwrap();
    let at_10 = metrics["probability"]["precision_at"]["10"]
        .as_f64()
        .unwrap();
    assert!(at_10 >= 0.9, "{metrics}");
    let kcs = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/kcs/sample_train_2020.csv"
    );
    let (code, _, err) = tamga(&["model", "evaluate", "--model", model, "--data", kcs], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("evaluate it with --from-db"), "{err}");
}
