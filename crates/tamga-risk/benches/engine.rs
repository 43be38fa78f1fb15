//! Targeting-engine throughput on one thread, and the same profiles in Rego under regorus.
//! Run with `cargo bench -p tamga-risk --bench engine`; every group reports declarations per
//! second as elements per second.
//!
//! The setup, built once and outside every timed loop: the KCS sample (`data/kcs/`) turned into
//! valid declarations of 1 to 4 items (`engine/data.rs`, `engine/parties.rs`), 500 profiles drawn
//! from a seed (`engine/profiles.rs`), 20 named lists (`engine/lists.rs`), the full UN and OFAC
//! lists (`data/sanctions/`); the Rego translation is in `engine/rego.rs`.
//!
//! - `engine/500-profiles-warm-watchlists`: a stream of 10,000 declarations by 2,000 traders
//!   and 50 brokers, exporters by the sample's sellers, every party name screened (containers
//!   and the border vehicle are looked up too). The screening memory starts empty on every
//!   pass, so a pass pays one screening per distinct name and a lookup for every repeat, as a
//!   service does in the hours after a start.
//! - `engine/500-profiles-memoised-watchlists`: the same stream once every name is remembered.
//! - `engine/500-profiles-cold-watchlists`: 2,000 declarations whose three party names were
//!   never seen: three screenings each.
//! - `engine/500-profiles-no-watchlists`: the warm stream without screening: the rules alone.
//! - `compare/*`: the first 100 profiles, no watchlists, on 1,000 declarations of the warm
//!   stream. `tamga-100` is a full assessment (facts, profiles, score, channel, explanation).
//!   `regorus-100` builds the input document from the declaration (`serde_json::Value`, then
//!   `regorus::Value`), sets it and evaluates `data.tamga.fired` with regorus's interpreter:
//!   what an integration pays per declaration, and less than tamga does, since it computes no
//!   channel or explanation. `regorus-100-rvm` does the same on regorus's bytecode VM (the
//!   policy compiled once), `regorus-100-eval-only` is the interpreter without the input
//!   building. Parsing and compiling the policy and loading the lists happen once, outside the
//!   timing. Before timing, tamga, the interpreter and the VM must fire exactly the same
//!   profiles on every one of the 1,000 declarations.

#[path = "engine/data.rs"]
mod data;
#[path = "engine/lists.rs"]
mod lists;
#[path = "engine/parties.rs"]
mod parties;
#[path = "engine/profiles.rs"]
mod profiles;
#[path = "engine/rego.rs"]
mod rego;
#[path = "engine/rng.rs"]
mod rng;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use tamga_risk::engine::{Engine, EngineParts, NameScreen};
use tamga_risk::lists::NamedList;
use tamga_risk::selectivity::{Capacity, DrawSecret, Selectivity};
use tamga_risk::watch::ListScreen;
use tamga_risk::{Channel, Profile};
use tamga_watchlist::{read_ofac_sdn, read_un_consolidated, Entry, Screener};

use data::{Case, Sources, TODAY};

const SANCTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sanctions/");
const PROFILES: usize = 500;
const COMPARED: usize = 100;
const WARM: usize = 10_000;
const COLD: usize = 2_000;
const COMPARE_DECLARATIONS: usize = 1_000;
const SEED: u64 = 0x7a6d_6761_0500;

fn watchlists() -> Vec<Entry> {
    let read = |path: &str| std::fs::read(format!("{SANCTIONS}{path}")).expect("data/sanctions");
    let xml = String::from_utf8(read("un-sc-consolidated/consolidated.xml")).expect("UTF-8");
    let mut all = read_un_consolidated(&xml).expect("UN list");
    all.extend(read_ofac_sdn(&read("ofac-sdn/sdn.csv")).expect("OFAC list"));
    all
}

fn engine(
    profiles: &[Profile],
    lists: &[NamedList],
    screen: Option<Arc<dyn NameScreen>>,
) -> Engine {
    let engine = Engine::build(EngineParts {
        profiles: profiles.to_vec(),
        lists: lists.to_vec(),
        selectivity: Selectivity::default(),
        draw_secret: DrawSecret::new(1, b"the bench's secret"),
        screen,
        scorer: None,
        snapshot: "bench".into(),
    });
    assert!(engine.skipped().is_empty(), "{:?}", engine.skipped());
    assert_eq!(engine.profiles(), profiles.len());
    engine
}

fn screen(screener: &Arc<Screener>) -> Option<Arc<dyn NameScreen>> {
    Some(Arc::new(ListScreen::new(screener.clone())))
}

fn assess_all(engine: &Engine, cases: &[Case], capacity: &Capacity) {
    for case in cases {
        black_box(engine.assess(black_box(case.subject()), TODAY, capacity));
    }
}

fn fired_ids(engine: &Engine, case: &Case) -> BTreeSet<String> {
    let decision = engine.assess(case.subject(), TODAY, &Capacity::default());
    decision
        .explanation
        .profiles
        .into_iter()
        .map(|p| p.id)
        .collect()
}

/// What the stream looks like to the engine, printed once.
fn describe(engine: &Engine, cases: &[Case]) {
    let capacity = Capacity::default();
    let (mut fired, mut hits, mut channels) = (0, 0, [0usize; 4]);
    let mut by_profile: HashMap<String, usize> = HashMap::new();
    for case in cases {
        let decision = engine.assess(case.subject(), TODAY, &capacity);
        fired += decision.explanation.profiles.len();
        for p in &decision.explanation.profiles {
            *by_profile.entry(p.id.clone()).or_default() += 1;
        }
        hits += usize::from(!decision.explanation.watchlist.is_empty());
        channels[Channel::ALL
            .iter()
            .position(|c| *c == decision.channel)
            .unwrap_or(0)] += 1;
    }
    let names: HashSet<&str> = cases
        .iter()
        .flat_map(|c| {
            let d = &c.declaration;
            [Some(&d.declarant), d.importer.as_ref(), d.exporter.as_ref()]
        })
        .flatten()
        .map(|p| p.name.as_str())
        .collect();
    let items: usize = cases.iter().map(|c| c.declaration.items.len()).sum();
    let busiest = by_profile.values().max().copied().unwrap_or(0);
    eprintln!(
        "warm stream: {} declarations, {items} items, {} distinct party names; {:.2} of {} \
         profiles fired per declaration on average; {} profiles fired at least once, the \
         busiest on {:.1} % of declarations; {hits} declarations with a watchlist hit; \
         channels green/blue/yellow/red: {channels:?}",
        cases.len(),
        names.len(),
        fired as f64 / cases.len() as f64,
        engine.profiles(),
        by_profile.len(),
        100.0 * busiest as f64 / cases.len() as f64,
    );
}

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, seconds: u64) {
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(seconds));
}

fn bench_engine(c: &mut Criterion, setup: &Setup) {
    let Setup {
        profiles,
        lists,
        warm,
        cold,
        screener,
        ..
    } = setup;
    let capacity = Capacity::default();
    let mut group = c.benchmark_group("engine");
    configure(&mut group, 8);

    group.throughput(Throughput::Elements(warm.len() as u64));
    group.bench_function("500-profiles-warm-watchlists", |b| {
        b.iter_batched_ref(
            || engine(profiles, lists, screen(screener)),
            |engine| assess_all(engine, warm, &capacity),
            BatchSize::PerIteration,
        )
    });
    let memoised = engine(profiles, lists, screen(screener));
    assess_all(&memoised, warm, &capacity);
    group.bench_function("500-profiles-memoised-watchlists", |b| {
        b.iter(|| assess_all(&memoised, warm, &capacity))
    });
    let bare = engine(profiles, lists, None);
    group.bench_function("500-profiles-no-watchlists", |b| {
        b.iter(|| assess_all(&bare, warm, &capacity))
    });

    group.throughput(Throughput::Elements(cold.len() as u64));
    group.bench_function("500-profiles-cold-watchlists", |b| {
        b.iter_batched_ref(
            || engine(profiles, lists, screen(screener)),
            |engine| assess_all(engine, cold, &capacity),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn bench_compare(c: &mut Criterion, setup: &Setup) {
    let cases = &setup.warm[..COMPARE_DECLARATIONS.min(setup.warm.len())];
    let first = &setup.profiles[..COMPARED];
    let tamga = engine(first, &setup.lists, None);
    let mut rego = rego::engine(first, &setup.lists);
    let mut vm = rego::vm(first, &setup.lists);
    let mut fired = 0;
    for case in cases {
        let ours = fired_ids(&tamga, case);
        let theirs = rego::ids(&rego::fired(&mut rego, rego::input(case).into()));
        assert_eq!(
            ours, theirs,
            "interpreter, declaration {}",
            case.declaration.lrn
        );
        let theirs = rego::ids(&rego::fired_vm(&mut vm, rego::input(case).into()));
        assert_eq!(ours, theirs, "RVM, declaration {}", case.declaration.lrn);
        fired += ours.len();
    }
    eprintln!(
        "compare: tamga, regorus and regorus's RVM fire the same profiles on all {} declarations \
         ({:.2} of {COMPARED} profiles per declaration on average; policy of {} lines)",
        cases.len(),
        fired as f64 / cases.len() as f64,
        rego::policy(first, &setup.lists).lines().count(),
    );
    let inputs: Vec<regorus::Value> = cases.iter().map(|c| rego::input(c).into()).collect();
    let capacity = Capacity::default();

    let mut group = c.benchmark_group("compare");
    configure(&mut group, 6);
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.bench_function("tamga-100", |b| {
        b.iter(|| assess_all(&tamga, cases, &capacity))
    });
    group.bench_function("regorus-100", |b| {
        b.iter(|| {
            for case in cases {
                let input = regorus::Value::from(rego::input(black_box(case)));
                black_box(rego::fired(&mut rego, input));
            }
        })
    });
    group.bench_function("regorus-100-rvm", |b| {
        b.iter(|| {
            for case in cases {
                let input = regorus::Value::from(rego::input(black_box(case)));
                black_box(rego::fired_vm(&mut vm, input));
            }
        })
    });
    group.bench_function("regorus-100-eval-only", |b| {
        b.iter(|| {
            for input in &inputs {
                black_box(rego::fired(&mut rego, black_box(input.clone())));
            }
        })
    });
    group.finish();
}

#[derive(Debug)]
struct Setup {
    profiles: Vec<Profile>,
    lists: Vec<NamedList>,
    warm: Vec<Case>,
    cold: Vec<Case>,
    screener: Arc<Screener>,
}

fn setup() -> Setup {
    let entries = watchlists();
    let sources = Sources::load(&entries);
    let warm = sources.warm(WARM);
    let cold = sources.cold(COLD);
    let lists = lists::lists(&sources);
    let profiles = profiles::profiles(PROFILES, SEED, &warm);
    eprintln!(
        "KCS sample: {} rows, {} with a known HS 2022 subheading and countries, {} of them \
         valid as goods lines; {} of {WARM} warm and {} of {COLD} cold \
         declarations valid; {} watchlist entries; {} profiles, {} lists",
        sources.rows,
        sources.known,
        sources.lines.len(),
        warm.len(),
        cold.len(),
        entries.len(),
        profiles.len(),
        lists.len(),
    );
    let screener = Arc::new(Screener::new(entries));
    Setup {
        profiles,
        lists,
        warm,
        cold,
        screener,
    }
}

fn bench(c: &mut Criterion) {
    let setup = setup();
    describe(
        &engine(&setup.profiles, &setup.lists, screen(&setup.screener)),
        &setup.warm,
    );
    bench_engine(c, &setup);
    bench_compare(c, &setup);
}

criterion_group!(benches, bench);
criterion_main!(benches);
