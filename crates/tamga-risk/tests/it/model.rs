//! The learned model's view of a declaration: the row the engine builds for both feature
//! layouts, and the AEO status it hands the model from its register.

use std::sync::{Arc, Mutex};

use tamga_risk::engine::{Engine, EngineParts, ItemScorer};
use tamga_risk::facts::{ItemFacts, ScoredItem};
use tamga_risk::fields::ListKind;
use tamga_risk::lists::NamedList;
use tamga_risk::selectivity::{Capacity, Selectivity};

use crate::fixture::{declaration, subject, TODAY};

#[test]
fn rows_carry_tamga_fields_and_the_kcs_mapping() {
    let d = declaration(|_| {});
    let facts = ItemFacts {
        value: Some(540_000_000.0),
        unit_value_ratio: Some(0.25),
        duty_rate: Some(10.0),
    };
    let item = ScoredItem {
        declaration: &d,
        index: 0,
        facts,
        aeo: true,
    };
    let row = tamga_risk::model::row(item).unwrap();
    assert_eq!(row.commodity.as_deref(), Some("8471300000"));
    assert_eq!(row.hs6.as_deref(), Some("847130"));
    assert_eq!(row.procedure.as_deref(), Some("4000"));
    assert_eq!(
        (row.import_type.as_deref(), row.import_use.as_deref()),
        (Some("40"), Some("00"))
    );
    assert_eq!(row.tax_type.as_deref(), Some("100"));
    assert_eq!((row.aeo, row.unit_value_ratio), (Some(true), Some(0.25)));
    assert_eq!((row.item_price, row.tax_rate), (540_000_000.0, 10.0));
    assert_eq!(row.seller.as_deref(), Some("CN91310000MA1"));
    assert_eq!(row.departure.as_deref(), Some("CN"));
    // A ratio that is no ratio is left out rather than fed to the model.
    let nan = ItemFacts {
        unit_value_ratio: Some(f64::NAN),
        ..facts
    };
    let row = tamga_risk::model::row(ScoredItem { facts: nan, ..item }).unwrap();
    assert_eq!(row.unit_value_ratio, None);
    assert!(tamga_risk::model::row(ScoredItem { index: 9, ..item }).is_none());
}

/// Records the AEO status each scored item came with.
#[derive(Debug, Default)]
struct Recorder(Mutex<Vec<bool>>);

impl ItemScorer for Recorder {
    fn name(&self) -> &str {
        "recorder"
    }

    fn score(&self, item: ScoredItem<'_>) -> f64 {
        self.0.lock().unwrap().push(item.aeo);
        0.5
    }

    fn explain(&self, _: ScoredItem<'_>, _: usize) -> Vec<(String, f64)> {
        Vec::new()
    }
}

fn aeo_seen(register: &[&str]) -> Vec<bool> {
    let recorder = Arc::new(Recorder::default());
    let engine = Engine::build(EngineParts {
        lists: vec![NamedList {
            name: "aeo-register".into(),
            kind: ListKind::Parties,
            entries: register.iter().map(|s| (*s).to_owned()).collect(),
        }],
        selectivity: Selectivity::default(),
        scorer: Some(recorder.clone()),
        snapshot: "test".into(),
        ..EngineParts::default()
    });
    let d = declaration(|_| {});
    engine.assess(subject(&d, &[]), TODAY, &Capacity::default());
    assert_eq!(engine.aeo(&d), register.contains(&"UZ305123456"));
    let seen = recorder.0.lock().unwrap().clone();
    seen
}

#[test]
fn the_model_is_told_the_aeo_status_of_the_register() {
    // Both items of the example are scored, each with the declaration's status.
    assert_eq!(aeo_seen(&["UZ305123456"]), [true, true]);
    assert_eq!(aeo_seen(&["UZ999999999"]), [false, false]);
}
