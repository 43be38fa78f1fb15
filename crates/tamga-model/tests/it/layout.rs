//! Feature layouts: the KCS layout is what it was, the tamga layout learns tamga's own fields,
//! and a model says which it was trained on.

use tamga_model::{train, FeatureParams, FeatureSpace, Layout, Model, Params, Row};
use time::macros::date;

use super::sample_rows;

/// A tamga item: importer `i % 20`, a commodity of chapter 61 or 84, an origin; the importer
/// 7's clothing and Turkish laptops are the frauds.
fn tamga_row(i: usize) -> Row {
    let importer = i % 20;
    let commodity = ["6109100000", "6110200000", "8471300000", "8471600000"][(i / 20) % 4];
    let origin = ["CN", "TR", "KZ"][(i / 80) % 3];
    let fraud = (importer == 7 && commodity.starts_with("61"))
        || (origin == "TR" && commodity.starts_with("8471"));
    let mass = 100.0 + (i % 37) as f64;
    Row {
        id: format!("OWN-{i}/1"),
        date: date!(2026 - 11 - 30),
        office: Some("UZTAS".into()),
        process_type: Some("A".into()),
        import_type: Some("40".into()),
        import_use: Some("00".into()),
        payment_type: None,
        transport_mode: Some("3".into()),
        declarant: Some(format!("UZ20000000{}", i % 3)),
        importer: Some(format!("UZ3100000{importer:02}")),
        seller: Some(format!("EX{origin}{}", i % 5)),
        courier: None,
        hs6: Some(commodity[..6].to_owned()),
        departure: Some(origin.into()),
        origin: Some(origin.into()),
        tax_rate: 10.0,
        tax_type: None,
        origin_indicator: None,
        net_mass: mass,
        item_price: mass * 20.0,
        fraud: Some(fraud),
        commodity: Some(commodity.into()),
        procedure: Some("4000".into()),
        aeo: Some(importer == 3),
        unit_value_ratio: (!i.is_multiple_of(11)).then_some(0.5 + (i % 10) as f64 / 10.0),
    }
}

fn index(space: &FeatureSpace, name: &str) -> usize {
    space
        .names()
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no feature {name} in {:?}", space.names()))
}

#[test]
fn the_kcs_layout_is_the_default_and_has_no_tamga_fields() {
    let (space, _) = FeatureSpace::fit(sample_rows(), &FeatureParams::default(), 1);
    assert_eq!(space.layout(), Layout::Kcs);
    // 15 numeric features, then 17 fields and 16 pairs and lanes with two features each, the
    // item pattern last.
    assert_eq!(space.len(), 15 + 33 * 2);
    assert_eq!(space.names()[14], "weekday");
    assert_eq!(space.names()[15], "te_office");
    assert_eq!(space.names()[space.len() - 2], "te_hs6+origin+item");
    for tamga in ["commodity", "aeo", "procedure", "exporter", "valuation"] {
        assert!(!space.names().iter().any(|n| n.contains(tamga)), "{tamga}");
    }
}

#[test]
fn the_tamga_layout_learns_tamga_fields() {
    let rows: Vec<Row> = (0..400).map(tamga_row).collect();
    let (space, columns) = FeatureSpace::fit(&rows, &FeatureParams::of(Layout::Tamga), 1);
    assert_eq!(space.layout(), Layout::Tamga);
    assert_eq!(columns.columns.len(), space.len());
    for kcs in [
        "courier",
        "payment_type",
        "process_type",
        "import_use",
        "tax_type",
    ] {
        assert!(!space.names().iter().any(|n| n.contains(kcs)), "{kcs}");
    }
    let mut row = rows[3].clone();
    row.unit_value_ratio = Some(0.25);
    let features = space.transform(&row);
    assert_eq!(
        features[index(&space, "uv_vs_valuation")],
        0.25f64.ln() as f32
    );
    // Importer 3 holds AEO status: 20 of the 400 rows.
    let holders: Vec<&Row> = rows.iter().filter(|r| r.aeo == Some(true)).collect();
    let frauds = holders.iter().filter(|r| r.fraud == Some(true)).count() as f64;
    let smoothing = FeatureParams::default().smoothing;
    let expected = (frauds + space.prior() * smoothing) / (holders.len() as f64 + smoothing);
    assert_eq!(holders.len(), 20);
    assert_eq!(features[index(&space, "n_aeo")], 20.0);
    assert_eq!(features[index(&space, "te_aeo")], expected as f32);
    for name in [
        "te_importer+hs2",
        "te_commodity+origin",
        "te_exporter",
        "te_dispatch",
    ] {
        index(&space, name);
    }
    row.unit_value_ratio = None;
    row.commodity = Some("9999999999".into());
    let features = space.transform(&row);
    assert!(features[index(&space, "uv_vs_valuation")].is_nan());
    assert_eq!(features[index(&space, "n_commodity")], 0.0);
    assert_eq!(features[index(&space, "n_procedure")], 400.0);
}

#[test]
fn a_tamga_model_keeps_its_layout_and_ranks_its_patterns_first() {
    let rows: Vec<Row> = (0..1_600).map(tamga_row).collect();
    let mut params = Params::of(Layout::Tamga);
    params.boost.trees = 30;
    let model = train(&rows, &params, 3, &mut |_, _| {}).unwrap();
    assert_eq!(model.layout(), Layout::Tamga);
    let bytes = model.to_bytes().unwrap();
    let copy = Model::from_bytes(&bytes).unwrap();
    assert_eq!(copy.layout(), Layout::Tamga);
    let fresh: Vec<Row> = (1_600..2_000).map(tamga_row).collect();
    assert_eq!(copy.score_many(&fresh), model.score_many(&fresh));
    let mut scored: Vec<(f64, bool)> = fresh
        .iter()
        .map(|r| (model.score(r), r.fraud == Some(true)))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let frauds = scored.iter().filter(|s| s.1).count();
    let hits = scored[..frauds].iter().filter(|s| s.1).count();
    assert!(frauds > 20, "{frauds}");
    assert!(hits as f64 >= 0.95 * frauds as f64, "{hits} of {frauds}");
    // A file whose parameters and feature space disagree on the layout is damaged.
    let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    json["meta"]["params"]["features"]["layout"] = "kcs".into();
    let err = Model::from_bytes(&serde_json::to_vec(&json).unwrap()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the model is damaged: the layout of the parameters and of the feature space differ"
    );
}
