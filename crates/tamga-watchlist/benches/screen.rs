//! Screening throughput against the full UN and OFAC lists, one thread, and the time to build
//! the screener. Run with `cargo bench -p tamga-watchlist --bench screen`; the `queries`
//! group reports queries per second as elements per second.
//!
//! The query mix, 1,000 queries: 30 % listed names with a typo and the words reversed, 20 %
//! listed Latin names written in Cyrillic, 20 % listed names as they are, 30 % company names
//! that are on no list (the Norwegian test companies and variations of them).
//! The screener remembers the listed tokens near each query token, and a pass repeats the same
//! 1,000 queries, so after the first pass every look-up is remembered: as for the words of
//! party names, which recur, in a service. `screen_un_ofac_mix_tokens_forgotten` empties that
//! memory before every pass. `screen_variant_sets`: the positive and negative queries of the generated Uzbek, Russian
//! and Arabic spelling-variant sets (`tests/it/variants`), their entries added to the lists.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use tamga_watchlist::{read_ofac_sdn, read_un_consolidated, Entry, Screener, DEFAULT_THRESHOLD};

// The generated sets are shared with the tests; the bench uses only part of them.
#[allow(dead_code)]
#[path = "../tests/it/variants/mod.rs"]
mod variants;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sanctions/");
const QUERIES: usize = 1000;

fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{path}")).expect("the lists are in data/sanctions")
}

fn entries() -> Vec<Entry> {
    let xml = String::from_utf8(read("un-sc-consolidated/consolidated.xml")).expect("UTF-8");
    let mut all = read_un_consolidated(&xml).expect("UN list");
    all.extend(read_ofac_sdn(&read("ofac-sdn/sdn.csv")).expect("OFAC list"));
    all
}

/// A small deterministic generator (xorshift), so every run screens the same queries.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn typo_reversed(name: &str, rng: &mut Rng) -> String {
    let mut words: Vec<Vec<char>> = name
        .split_whitespace()
        .rev()
        .map(|w| w.chars().collect())
        .collect();
    let i = rng.below(words.len().max(1));
    if let Some(word) = words.get_mut(i).filter(|w| w.len() >= 4) {
        let at = 1 + rng.below(word.len() - 2);
        match rng.below(3) {
            0 => word.swap(at, at + 1),
            1 => drop(word.remove(at)),
            _ => word.insert(at, word[at]),
        }
    }
    words
        .iter()
        .map(|w| w.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A rough Russian-style Cyrillic spelling of a Latin name, as a declarant might type it.
fn cyrillic(name: &str) -> String {
    const DIGRAPHS: [(&str, &str); 6] = [
        ("sh", "ш"),
        ("ch", "ч"),
        ("kh", "х"),
        ("ya", "я"),
        ("yu", "ю"),
        ("zh", "ж"),
    ];
    let mut out = String::new();
    let lower = name.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some((latin, cyr)) = DIGRAPHS.iter().find(|(l, _)| rest.starts_with(l)) {
            out.push_str(cyr);
            rest = &rest[latin.len()..];
            continue;
        }
        let latin = "abvgdezijklmnoprstufhcy";
        let cyr = "абвгдезийклмнопрстуфхцы";
        out.push(
            latin
                .chars()
                .position(|l| l == c)
                .and_then(|i| cyr.chars().nth(i))
                .unwrap_or(c),
        );
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn queries(entries: &[Entry]) -> Vec<String> {
    let names: Vec<&str> = entries
        .iter()
        .flat_map(|e| e.names.iter().map(String::as_str))
        .collect();
    let latin: Vec<&str> = names.iter().copied().filter(|n| n.is_ascii()).collect();
    let companies_text = String::from_utf8(read("eu_test_queries_companies.csv")).expect("UTF-8");
    let companies: Vec<&str> = companies_text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').nth(1))
        .collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..QUERIES)
        .map(|i| match i % 10 {
            0..=2 => typo_reversed(names[rng.below(names.len())], &mut rng),
            3 | 4 => cyrillic(latin[rng.below(latin.len())]),
            5 | 6 => names[rng.below(names.len())].to_owned(),
            7 => companies[rng.below(companies.len())].to_owned(),
            _ => typo_reversed(companies[rng.below(companies.len())], &mut rng),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let entries = entries();
    let screener = Screener::build(&entries);
    let queries = queries(&entries);
    let hits: usize = queries
        .iter()
        .map(|q| usize::from(!screener.screen(q, None, DEFAULT_THRESHOLD).is_empty()))
        .sum();
    eprintln!(
        "{} entries, {} indexed names; {hits} of {} queries hit at {DEFAULT_THRESHOLD}",
        entries.len(),
        screener.name_count(),
        queries.len()
    );

    let mut group = c.benchmark_group("queries");
    group.throughput(Throughput::Elements(QUERIES as u64));
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("screen_un_ofac_mix", |b| {
        b.iter(|| {
            for q in &queries {
                black_box(screener.screen(black_box(q), None, DEFAULT_THRESHOLD));
            }
        })
    });
    // The same queries with the screener's memory of query tokens emptied before every pass:
    // what a new screener pays, or a stream whose words were never seen.
    group.bench_function("screen_un_ofac_mix_tokens_forgotten", |b| {
        b.iter_batched(
            || screener.forget_tokens(),
            |()| {
                for q in &queries {
                    black_box(screener.screen(black_box(q), None, DEFAULT_THRESHOLD));
                }
            },
            BatchSize::PerIteration,
        )
    });
    let sets = variants::all();
    let mut all = entries.clone();
    all.extend(sets.iter().flat_map(|s| s.entries.iter().cloned()));
    let with_sets = Screener::new(all);
    let variant_queries: Vec<&str> = sets
        .iter()
        .flat_map(|s| {
            let positives = s.positives.iter().map(|(q, _)| q.as_str());
            positives.chain(s.negatives.iter().map(String::as_str))
        })
        .collect();
    group.throughput(Throughput::Elements(variant_queries.len() as u64));
    group.bench_function("screen_variant_sets", |b| {
        b.iter(|| {
            for q in &variant_queries {
                black_box(with_sets.screen(black_box(q), None, DEFAULT_THRESHOLD));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("build");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("screener_un_ofac", |b| {
        b.iter(|| Screener::build(black_box(&entries)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
