//! What one lodgement costs through the store on PostgreSQL, where every statement is a round
//! trip to the server: lodgements per second, 16 at a time, with a decision that opens no task
//! and with a yellow one whose task is opened (nobody on duty), each the median of `ROUNDS`
//! runs taken in turn on one growing database.
//!
//! `TAMGA_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//!  cargo bench --workspace --bench lodge_postgres` (a throwaway database is created)

mod common;

use std::sync::Arc;

use common::{block_on, decision, lodge_all, median, user, LODGEMENTS};
use tamga_core::role::Role;
use tamga_store::Store;

const ROUNDS: usize = 5;

fn main() {
    block_on(async {
        let url = tamga_store::testing::fresh_database().await;
        let store = tamga_store::postgres::PgStore::connect(&url, 16)
            .await
            .unwrap();
        let store: Arc<dyn Store> = Arc::new(store);
        let lodger = user(&*store, "lodger", Role::Officer).await;
        let mut rates: [Vec<f64>; 2] = Default::default();
        for round in 0..ROUNDS {
            let none = Some(decision("UZTAS", "none", 50));
            let opened = Some(decision("UZSKD", "yellow", 50));
            let kinds = [("BASE", "UZTAS", none), ("OPEN", "UZSKD", opened)];
            for (rate, (prefix, office, risk)) in rates.iter_mut().zip(kinds) {
                let prefix = format!("{prefix}{round}");
                rate.push(lodge_all(store.clone(), &lodger, (&prefix, office), risk).await);
            }
        }
        let [baseline, opened] = rates.map(median);
        println!("lodgements/s on PostgreSQL, median of {ROUNDS} runs of {LODGEMENTS} lodgements, 16 at a time:");
        println!("  decision opening no task:             {baseline:8.0}");
        println!(
            "  yellow, task opened, nobody on duty:  {opened:8.0} ({:+.1} %)",
            (opened / baseline - 1.0) * 100.0
        );
    });
}
