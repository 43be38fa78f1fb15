//! WCO DM declarations read and mapped per second: `cargo bench -p tamga-wco --bench map`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn mapping(c: &mut Criterion) {
    let annotated = include_str!(
        "../../../data/wco-dm/examples/annotated_XML_samples/TT_IM001a/Step1_TT_IM001a.xml"
    );
    let example = include_str!("../../../examples/declaration.xml");
    let mut group = c.benchmark_group("wco");
    group.throughput(Throughput::Elements(1));
    group.bench_function("HMRC TT_IM001a (17 KB, annotated)", |b| {
        b.iter(|| {
            tamga_wco::dec::drafts(annotated)
                .map(|d| d.len())
                .unwrap_or_default()
        })
    });
    group.bench_function("examples/declaration.xml (two items)", |b| {
        b.iter(|| {
            tamga_wco::dec::drafts(example)
                .map(|d| d.len())
                .unwrap_or_default()
        })
    });
    group.finish();
}

criterion_group!(benches, mapping);
criterion_main!(benches);
