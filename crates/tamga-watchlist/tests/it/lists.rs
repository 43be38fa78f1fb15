//! The readers on the real lists and on broken input.

use tamga_watchlist::{read_csv_list, read_ofac_sdn, read_un_consolidated, EntryKind, ReadError};

use crate::data;

#[test]
fn un_list_has_its_1093_records() {
    let un = data::un();
    assert_eq!(un.len(), 1093);
    let individuals = un
        .iter()
        .filter(|e| e.kind == EntryKind::Individual)
        .count();
    assert_eq!((individuals, un.len() - individuals), (703, 390));
    let first = &un[0];
    assert_eq!(first.id, "UN:6908555");
    assert_eq!(first.names, ["RI WON HO"]);
    assert_eq!(first.reference.as_deref(), Some("KPi.033"));
    assert_eq!(
        first.country.as_deref(),
        Some("Democratic People's Republic of Korea")
    );
    let chang = un.iter().find(|e| e.id == "UN:6908570").unwrap();
    assert_eq!(chang.names, ["CHANG CHANG HA", "Jang Chang Ha"]);
}

#[test]
fn un_list_keeps_original_script_names() {
    let entry = data::un()
        .iter()
        .find(|e| e.primary_name() == "MAGHOMED MAGHOMEDZAKIROVICH ABDURAKHMANOV")
        .unwrap();
    assert!(entry
        .names
        .iter()
        .any(|n| n == "Абдурахманов Магомед Магомедзакирович"));
}

#[test]
fn ofac_list_has_its_14965_entries() {
    let ofac = data::ofac();
    assert_eq!(ofac.len(), 14_965);
    let count = |k| ofac.iter().filter(|e| e.kind == k).count();
    assert_eq!(count(EntryKind::Individual), 6854);
    assert_eq!(count(EntryKind::Vessel), 851);
    assert_eq!(count(EntryKind::Aircraft), 376);
    assert_eq!(count(EntryKind::Entity), 6884);
    let bnc = ofac.iter().find(|e| e.id == "OFAC:306").unwrap();
    assert_eq!(bnc.names, ["BANCO NACIONAL DE CUBA", "BNC"]);
    assert_eq!(bnc.reference.as_deref(), Some("CUBA"));
    let abbas = ofac.iter().find(|e| e.names[0] == "Abu ABBAS").unwrap();
    assert_eq!(abbas.kind, EntryKind::Individual);
}

#[test]
fn broken_xml_names_the_byte() {
    let xml = "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>\
               <FIRST_NAME>A</SECOND_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
    let err = read_un_consolidated(xml).unwrap_err();
    assert!(
        matches!(err, ReadError::Xml { position, .. } if position > 50),
        "{err}"
    );
    let truncated = "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>";
    let err = read_un_consolidated(truncated).unwrap_err();
    assert!(err.to_string().contains("INDIVIDUAL"), "{err}");
}

#[test]
fn un_record_without_dataid_is_refused() {
    let xml = "<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>X</FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>";
    let err = read_un_consolidated(xml).unwrap_err();
    assert!(
        matches!(&err, ReadError::Field { field: "DATAID", record, .. } if record.starts_with("ENTITY")),
        "{err}"
    );
}

#[test]
fn broken_ofac_rows_name_the_line() {
    let good =
        "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    let short = format!("{good}37,\"X\",-0- \n");
    let err = read_ofac_sdn(short.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: field record: 3 fields, expected 12"
    );
    let bad_id = good.replace("36,", "3x,");
    let err = read_ofac_sdn(bad_id.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::Field {
                field: "ent_num",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn ofac_is_latin1() {
    let row = b"1,\"M\xdcLLER, J\xfcrgen\",individual,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n\x1a\n";
    let entries = read_ofac_sdn(row).unwrap();
    assert_eq!(entries[0].names, ["Jürgen MÜLLER"]);
}

#[test]
fn analyst_lists_read_and_fail_precisely() {
    let text = "id,kind,name,aliases,country,remarks\n\
                1,Entity,Navoi Trade MChJ,Навои Трейд; NT,UZ,seen 2024\n\
                2,vehicle,01 A 123 BC,,,\n";
    let entries = read_csv_list(text, "CUSTOMS").unwrap();
    assert_eq!(entries[0].id, "CUSTOMS:1");
    assert_eq!(entries[0].names, ["Navoi Trade MChJ", "Навои Трейд", "NT"]);
    assert_eq!(entries[1].kind, EntryKind::Vehicle);

    let bad_kind = text.replace("vehicle", "truck");
    let err = read_csv_list(&bad_kind, "CUSTOMS").unwrap_err();
    assert!(
        matches!(&err, ReadError::Field { record, field: "kind", .. } if record == "line 3"),
        "{err}"
    );
    let err = read_csv_list("id,kind,name\n", "CUSTOMS").unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::Field {
                field: "header",
                ..
            }
        ),
        "{err}"
    );
    let err = read_csv_list(
        "id,kind,name,aliases,country,remarks\n1,entity\n",
        "CUSTOMS",
    )
    .unwrap_err();
    assert!(matches!(err, ReadError::Csv { line: 2, .. }), "{err}");
}
