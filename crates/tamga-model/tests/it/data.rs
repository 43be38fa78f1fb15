use tamga_model::read_kcs;

use super::{sample_rows, train_rows, valid_rows};

#[test]
fn reads_the_kcs_files() {
    assert_eq!(train_rows().len(), 37_385);
    assert_eq!(valid_rows().len(), 8_134);
    assert_eq!(sample_rows().len(), 3_000);
    let frauds = train_rows()
        .iter()
        .filter(|r| r.fraud == Some(true))
        .count();
    assert_eq!(frauds, 8_114);
    let first = &train_rows()[0];
    assert_eq!(first.id, "97061800");
    assert_eq!(first.date.to_string(), "2020-01-01");
    assert_eq!(first.office.as_deref(), Some("30"));
    assert_eq!(first.hs6.as_deref(), Some("440890"));
    assert_eq!(first.courier, None);
    assert_eq!(
        (first.tax_rate, first.net_mass, first.item_price),
        (0.0, 108.0, 372_254.4)
    );
    assert!(valid_rows()
        .iter()
        .all(|r| r.date.year() == 2021 && u8::from(r.date.month()) <= 3));
}

#[test]
fn unlabelled_files_read_without_fraud() {
    let text = "Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price\n\
        1,2021-04-01,30,B,11,21,11,10,A,B,C,,440890,BE,BE,8,A,G,1.5,100\n";
    let rows = read_kcs(text.as_bytes()).unwrap();
    assert_eq!(rows[0].fraud, None);
}

#[test]
fn bad_dates_are_named() {
    let text = "Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud\n\
        1,2021-04-01,30,B,11,21,11,10,A,B,C,,440890,BE,BE,8,A,G,1.5,100,0\n\
        2,2021-13-01,30,B,11,21,11,10,A,B,C,,440890,BE,BE,8,A,G,1.5,100,0\n";
    let err = read_kcs(text.as_bytes()).unwrap_err().to_string();
    assert_eq!(
        err,
        "line 3, column \"Date\": \"2021-13-01\" is not a date (YYYY-MM-DD)"
    );
}
