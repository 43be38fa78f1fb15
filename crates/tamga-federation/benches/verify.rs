//! Signed messages verified per second on one core: the inbox's whole check (parse, key
//! lookup, Ed25519 verification, window, body) of a typical alert, and the signature alone.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tamga_federation::inbox::{admit, Peer, Policy};
use tamga_federation::keys::NodeKey;
use tamga_federation::{Kind, Unsigned};

fn bench(c: &mut Criterion) {
    let key = NodeKey::from_seed([9; 32]);
    let body = r#"{"containers":["CSQU3054383","MSKU9070323"],"consignor":"Silk Road Trading LLC","consignee":"Almaty Import TOO","commodity":"cigarettes declared as paper","commodity_code":"240220","route":["CNURC","UZTAS","KZALA"],"reason":"tip-off from the source; weight inconsistent with paper"}"#;
    let now = time::OffsetDateTime::now_utc();
    let message = Unsigned {
        id: "0b7c5c1e-alert-1".into(),
        sender: "UZ".into(),
        recipient: "KZ".into(),
        kind: Kind::Alert,
        conversation: "0b7c5c1e-alert-1".into(),
        body: body.into(),
    }
    .sign(&key, now);
    let bytes = message.to_json().into_bytes();
    let peers = [Peer {
        country: "UZ".into(),
        base_url: String::new(),
        key: key.public(),
    }];
    let policy = Policy {
        me: "KZ".into(),
        window: time::Duration::minutes(5),
        max_bytes: 65536,
    };
    let mut group = c.benchmark_group("federation");
    group.throughput(Throughput::Elements(1));
    group.bench_function("admit", |b| {
        b.iter(|| admit(&bytes, &policy, &peers, now).is_ok())
    });
    group.bench_function("verify_signature", |b| {
        b.iter(|| message.verify(&key.public()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
