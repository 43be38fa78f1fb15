use tamga_model::{FeatureParams, FeatureSpace};

use super::{sample_rows, valid_rows};

fn index(space: &FeatureSpace, name: &str) -> usize {
    space
        .names()
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no feature {name}"))
}

#[test]
fn names_are_unique_and_cover_the_fields() {
    let (space, columns) = FeatureSpace::fit(sample_rows(), &FeatureParams::default(), 1);
    let mut names = space.names().to_vec();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), space.len());
    for name in [
        "te_importer",
        "n_declarant",
        "te_seller",
        "te_hs6",
        "te_hs4",
        "te_hs2",
        "te_office",
        "uv_vs_hs6+origin",
        "tax_rate",
        "weekday",
    ] {
        index(&space, name);
    }
    assert_eq!(columns.columns.len(), space.len());
    assert!(columns
        .columns
        .iter()
        .all(|c| c.len() == sample_rows().len()));
}

#[test]
fn target_statistics_match_a_hand_count() {
    let params = FeatureParams::default();
    let rows = sample_rows();
    let (space, _) = FeatureSpace::fit(rows, &params, 1);
    let prior = rows.iter().filter(|r| r.fraud == Some(true)).count() as f64 / rows.len() as f64;
    let row = valid_rows()
        .iter()
        .find(|v| rows.iter().filter(|r| r.hs6 == v.hs6).count() > 3)
        .unwrap();
    let same: Vec<_> = rows.iter().filter(|r| r.hs6 == row.hs6).collect();
    let frauds = same.iter().filter(|r| r.fraud == Some(true)).count() as f64;
    let n = same.len() as f64;
    let features = space.transform(row);
    let expected = (frauds + prior * params.smoothing) / (n + params.smoothing);
    assert_eq!(features[index(&space, "te_hs6")], expected as f32);
    assert_eq!(features[index(&space, "n_hs6")], n as f32);
    assert_eq!(
        features[index(&space, "ln_price")],
        row.item_price.ln_1p() as f32
    );
    assert_eq!(features[index(&space, "tax_rate")], row.tax_rate as f32);
}

#[test]
fn unseen_values_get_the_prior() {
    let rows = sample_rows();
    let (space, _) = FeatureSpace::fit(rows, &FeatureParams::default(), 1);
    let mut row = valid_rows()[0].clone();
    row.importer = Some("NEVER-SEEN".into());
    let features = space.transform(&row);
    assert_eq!(features[index(&space, "te_importer")], space.prior() as f32);
    assert_eq!(features[index(&space, "n_importer")], 0.0);
}

#[test]
fn training_rows_are_described_out_of_fold() {
    let rows = sample_rows();
    let (space, columns) = FeatureSpace::fit(rows, &FeatureParams::default(), 1);
    let (te, n) = (index(&space, "te_importer"), index(&space, "n_importer"));
    for (i, row) in rows.iter().enumerate() {
        let total = rows.iter().filter(|r| r.importer == row.importer).count() as f32;
        // The row itself is never counted.
        assert!(columns.columns[n][i] <= total - 1.0, "row {i}");
        if total == 1.0 {
            assert_eq!(columns.columns[te][i], space.prior() as f32);
        }
    }
}

#[test]
fn date_parts_and_missing_unit_values() {
    let rows = sample_rows();
    let (space, _) = FeatureSpace::fit(rows, &FeatureParams::default(), 1);
    let mut row = rows[0].clone();
    assert_eq!(row.date.to_string(), "2020-01-01");
    row.net_mass = 0.0;
    let features = space.transform(&row);
    assert_eq!(features[index(&space, "month")], 1.0);
    assert_eq!(features[index(&space, "day")], 1.0);
    assert_eq!(features[index(&space, "weekday")], 2.0); // a Wednesday
    assert!(features[index(&space, "ln_unit_value")].is_nan());
    assert!(features[index(&space, "uv_vs_hs6+origin")].is_nan());
}

/// The item field is the exact mass, value and rate together, whoever declares them.
#[test]
fn the_item_is_mass_value_and_rate() {
    use tamga_model::features::field::{key, Field};
    let row = &valid_rows()[0];
    let mut other_trader = row.clone();
    other_trader.importer = Some("SOMEONE".into());
    other_trader.declarant = None;
    assert_eq!(key(&[Field::Item], row), key(&[Field::Item], &other_trader));
    assert_eq!(Field::Item.value(row), None);
    assert_eq!(Field::parse("item"), Some(Field::Item));
    for change in [
        |r: &mut tamga_model::Row| r.net_mass += 1.0,
        |r: &mut tamga_model::Row| r.item_price *= 2.0,
        |r: &mut tamga_model::Row| r.tax_rate += 0.5,
    ] {
        let mut changed = row.clone();
        change(&mut changed);
        assert_ne!(key(&[Field::Item], row), key(&[Field::Item], &changed));
    }
}
