//! Cargo reports: stored once per carrier and reference.

use std::sync::Arc;

use tamga_core::cargo::{CargoGoods, CargoReport, Consignment};
use tamga_core::role::Role;
use tamga_store::cargo::{CargoOutcome, NewCargoReport};
use tamga_store::{sql, Store};

use crate::fixtures::user;

fn report(reference: &str, containers: &[&str]) -> CargoReport {
    CargoReport {
        reference: reference.into(),
        arrival_place: Some("UZTAS".into()),
        consignments: vec![Consignment {
            sequence: 1,
            containers: containers.iter().map(|c| (*c).to_owned()).collect(),
            goods: vec![CargoGoods {
                sequence: 1,
                commodity_code: Some("847130".into()),
                ..CargoGoods::default()
            }],
            ..Consignment::default()
        }],
        ..CargoReport::default()
    }
}

pub async fn cargo_reports_are_stored_once(store: Arc<dyn Store>) {
    let carrier = user(&*store, "carrier", Role::Declarant, Some("KZCARRIER")).await;
    let new = |r: CargoReport| NewCargoReport {
        carrier: "KZCARRIER".into(),
        report: r,
        by: carrier.clone(),
        at: sql::now(),
    };
    let first = match store
        .save_cargo_report(new(report("M-1", &["CSQU3054383"])))
        .await
        .unwrap()
    {
        CargoOutcome::Stored(stored) => stored,
        other => panic!("{other:?}"),
    };
    match store
        .save_cargo_report(new(report("M-1", &["CSQU3054383"])))
        .await
        .unwrap()
    {
        CargoOutcome::Resubmitted(again) => assert_eq!(again, first),
        other => panic!("{other:?}"),
    }
    match store
        .save_cargo_report(new(report("M-1", &[])))
        .await
        .unwrap()
    {
        CargoOutcome::ReferenceTaken { id } => assert_eq!(id, first.id),
        other => panic!("{other:?}"),
    }
    store
        .save_cargo_report(new(report("M-2", &[])))
        .await
        .unwrap();
    assert_eq!(
        store.cargo_report(first.id).await.unwrap(),
        Some(first.clone())
    );
    let other = NewCargoReport {
        carrier: "TJCARRIER".into(),
        ..new(report("T-1", &[]))
    };
    store.save_cargo_report(other).await.unwrap();
    let all = store.cargo_reports(None, None, 10).await.unwrap();
    assert_eq!(all.len(), 3);
    let listed = store
        .cargo_reports(Some("KZCARRIER"), None, 10)
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|r| r.report.reference.as_str())
            .collect::<Vec<_>>(),
        ["M-2", "M-1"]
    );
    let older = store
        .cargo_reports(Some("KZCARRIER"), Some(listed[0].id), 10)
        .await
        .unwrap();
    assert_eq!(older, [first]);
}
