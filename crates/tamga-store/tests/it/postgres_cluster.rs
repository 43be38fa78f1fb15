//! Two servers on one PostgreSQL database: MRN serials, LRN uniqueness and the daily red
//! capacity hold across them.

use std::collections::HashSet;
use std::sync::Arc;

use tamga_core::role::Role;
use tamga_store::postgres::PgStore;
use tamga_store::testing::TestStore;
use tamga_store::{LodgeOutcome, Store};

use crate::fixtures::{declaration, lodgement, user};
use crate::risk::red;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_share_serials_and_lrns() {
    let db = TestStore::postgres().await;
    let url = db.url.clone().unwrap();
    let first: Arc<dyn Store> = db.store.clone();
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&url, 8).await.unwrap());
    let broker = user(&*first, "broker", Role::Declarant, Some("UZ305123456")).await;
    let mut tasks = Vec::new();
    for i in 0..300 {
        let store = if i % 2 == 0 {
            first.clone()
        } else {
            second.clone()
        };
        let broker = broker.clone();
        // Each LRN goes to both servers at once.
        let lrn = format!("P-{}", i / 2);
        tasks.push(tokio::spawn(async move {
            store
                .lodge(lodgement(declaration(&lrn), &broker))
                .await
                .unwrap()
        }));
    }
    let mut mrns = HashSet::new();
    let mut resubmitted = 0;
    for task in tasks {
        match task.await.unwrap() {
            LodgeOutcome::Accepted(r) => assert!(mrns.insert(r.mrn), "an MRN was assigned twice"),
            LodgeOutcome::Resubmitted(_) => resubmitted += 1,
            LodgeOutcome::LrnTaken { mrn } => panic!("identical content refused: {mrn}"),
        }
    }
    assert_eq!(mrns.len(), 150);
    assert_eq!(resubmitted, 150);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_stores_never_exceed_the_red_capacity_together() {
    let db = TestStore::postgres().await;
    let url = db.url.clone().unwrap();
    let first: Arc<dyn Store> = db.store.clone();
    let second: Arc<dyn Store> = Arc::new(PgStore::connect(&url, 8).await.unwrap());
    let officer = user(&*first, "olim", Role::Officer, None).await;
    let day = time::macros::date!(2026 - 11 - 26);
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = [first.clone(), second.clone()][i % 2].clone();
        let l = lodgement(declaration(&format!("CAP-{i}")), &officer).with_risk(red(
            "UZTAS",
            day,
            Some(7),
            false,
        ));
        tasks.push(tokio::spawn(async move { store.lodge(l).await.unwrap() }));
    }
    let mut reds = 0;
    for task in tasks {
        let LodgeOutcome::Accepted(record) = task.await.unwrap() else {
            panic!("not accepted")
        };
        reds += usize::from(record.channel.as_deref() == Some("red"));
    }
    assert_eq!(reds, 7, "the day's capacity is 7 reds across both servers");
    assert_eq!(
        second.red_counts(day).await.unwrap(),
        [("UZTAS".to_owned(), 7)]
    );
}
