//! EDIFACT parsing throughput on a large generated interchange, tamga beside the `edifact-rs`
//! crate on the same input in the same run: `cargo bench -p tamga-edifact --bench parse`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// An interchange of `n` CUSDEC messages like `examples/declaration.edi`, with release
/// characters in some values.
fn interchange(n: usize) -> String {
    let sample = include_str!("../../../examples/declaration.edi");
    let start = sample.find("UNH+").unwrap_or(0);
    let end = sample.find("UNZ+").unwrap_or(sample.len());
    let message = sample.get(start..end).unwrap_or("").replace('\n', "");
    let mut out = String::from("UNA:+.? 'UNB+UNOC:3+UZ305123456+UZCUSTOMS+261120:0930+BENCH'");
    for i in 0..n {
        out.push_str(
            &message
                .replace("UNH+1+", &format!("UNH+{i}+"))
                .replace("UNT+33+1'", &format!("UNT+33+{i}'")),
        );
    }
    out.push_str(&format!("UNZ+{n}+BENCH'"));
    out
}

fn parsing(c: &mut Criterion) {
    let text = interchange(10_000);
    let mut group = c.benchmark_group("edifact");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    group.bench_function("tamga tokenize", |b| {
        b.iter(|| {
            let (d, rest) = tamga_edifact::Delimiters::from_una(&text)
                .ok()
                .flatten()
                .expect("UNA");
            tamga_edifact::parse(rest, &d, 2).expect("valid").len()
        })
    });
    group.bench_function("tamga read (envelope checked)", |b| {
        b.iter(|| {
            tamga_edifact::interchange::read(&text)
                .expect("valid")
                .messages
                .len()
        })
    });
    group.bench_function("edifact-rs from_bytes", |b| {
        b.iter(|| {
            edifact_rs::from_bytes(text.as_bytes())
                .collect::<Result<Vec<_>, _>>()
                .expect("valid")
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, parsing);
criterion_main!(benches);
