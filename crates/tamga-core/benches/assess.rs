//! Assessed goods items per second, for declarations of 1 to 50 items, under the starter
//! tariff: `cargo bench -p tamga-core --bench assess`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tamga_core::draft::DeclarationDraft;
use tamga_core::refdata::ReferenceData;
use tamga_core::tariff::{assess, load, Context};
use tamga_core::Declaration;

const SAMPLE: &str = include_str!("../../../examples/declaration.json");
const STARTER: &str = include_str!("../../../data/tariff/uz-starter-tariff.csv");
const RATES: &str = include_str!("../../../data/tariff/uz-rates.csv");

/// The sample import with `n` items spread over the nomenclature.
fn declaration(n: usize) -> Declaration {
    let mut draft: DeclarationDraft = serde_json::from_str(SAMPLE).unwrap_or_default();
    let codes: Vec<String> = ReferenceData::embedded()
        .hs2022
        .subheadings()
        .map(|e| e.code.clone())
        .filter(|c| !["8703", "2402", "2208"].contains(&&c[..4]))
        .step_by(97)
        .collect();
    let template = draft.items[0].clone();
    draft.items = (0..n)
        .map(|i| {
            let mut item = template.clone();
            item.sequence = Some(i as i64 + 1);
            item.commodity_code = Some(format!("{}0000", codes[i % codes.len()]));
            item
        })
        .collect();
    let now = time::OffsetDateTime::now_utc();
    tamga_core::validate::validate(&draft, ReferenceData::embedded(), now)
        .expect("a valid declaration")
}

fn assessment(c: &mut Criterion) {
    let tariff = load::parse_tariff(STARTER).expect("the starter tariff");
    let rates = load::parse_rates(RATES, "UZS").expect("the starter rates");
    let mut group = c.benchmark_group("assess");
    for items in [1usize, 10, 50] {
        let declaration = declaration(items);
        let context = Context {
            tariff: &tariff,
            rates: &rates,
            date: declaration.lodgement_date,
        };
        group.throughput(Throughput::Elements(items as u64));
        group.bench_with_input(BenchmarkId::new("items", items), &declaration, |b, d| {
            b.iter(|| assess(d, &context).expect("assessable"))
        });
    }
    group.finish();
}

criterion_group!(benches, assessment);
criterion_main!(benches);
