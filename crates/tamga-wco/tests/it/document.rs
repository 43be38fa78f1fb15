//! A document's encoding and namespaces, checked from its bytes before anything is mapped.

use tamga_wco::intake::{self, DocumentError, Lodgement, DEC_DMS, METADATA};

fn only(lodged: Vec<Lodgement>) -> Lodgement {
    assert_eq!(lodged.len(), 1);
    lodged.into_iter().next().unwrap()
}

#[test]
fn the_root_and_declarations_must_be_in_the_dec_dms_namespaces() {
    let wrong: [(&str, &str, &str); 5] = [
        (
            r#"<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:3"><TypeCode>IMA</TypeCode></Declaration>"#,
            DEC_DMS,
            "DEC-DMS:3",
        ),
        (
            "<Declaration><TypeCode>IMA</TypeCode></Declaration>",
            DEC_DMS,
            "no namespace",
        ),
        (
            r#"<MetaData xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><Declaration/></MetaData>"#,
            METADATA,
            DEC_DMS,
        ),
        (
            r#"<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"><Declaration/></md:MetaData>"#,
            DEC_DMS,
            "no namespace",
        ),
        (
            r#"<Response xmlns="urn:wco:datamodel:WCO:RES-DMS:2"/>"#,
            DEC_DMS,
            "RES-DMS",
        ),
    ];
    for (xml, expected, found) in wrong {
        let error = intake::read(xml.as_bytes()).unwrap_err();
        assert_eq!(error.code(), "namespace_mismatch", "{xml}");
        let message = error.to_string();
        assert!(
            message.contains(expected) && message.contains(found),
            "{xml}: {message}"
        );
        assert_eq!(error.to_field_error().pointer, "/");
    }
    let prefixed = format!(
        r#"<d:Declaration xmlns:d="{DEC_DMS}"><d:TypeCode>IMA</d:TypeCode></d:Declaration>"#
    );
    assert!(
        matches!(&only(intake::read(prefixed.as_bytes()).unwrap()), Lodgement::Draft(d) if d.declaration_type.as_deref() == Some("IM"))
    );
}

#[test]
fn encodings_are_read_as_declared_or_refused_by_name() {
    let body = |encoding: &str, name: &[u8]| -> Vec<u8> {
        let mut bytes = format!(r#"<?xml version="1.0" encoding="{encoding}"?><Declaration xmlns="{DEC_DMS}"><TypeCode>IMA</TypeCode><Declarant><Name>"#).into_bytes();
        bytes.extend_from_slice(name);
        bytes.extend_from_slice(b"</Name></Declarant></Declaration>");
        bytes
    };
    let name = |bytes: &[u8]| match only(intake::read(bytes).unwrap()) {
        Lodgement::Draft(d) => d.declarant.and_then(|p| p.name).unwrap(),
        other => panic!("{other:?}"),
    };
    assert_eq!(name(&body("UTF-8", "Café Ltd".as_bytes())), "Café Ltd");
    assert_eq!(name(&body("ISO-8859-1", b"Caf\xE9 Ltd")), "Café Ltd");
    assert_eq!(
        name(&body("iso-8859-1", b"\xC3\xA9")),
        "\u{C3}\u{A9}",
        "each byte one character"
    );
    assert_eq!(name(&body("US-ASCII", b"Cafe")), "Cafe");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(body("UTF-8", "Тошкент".as_bytes()));
    assert_eq!(name(&bom), "Тошкент");
    let no_declaration =
        format!("<Declaration xmlns=\"{DEC_DMS}\"><TypeCode>IMA</TypeCode></Declaration>");
    assert!(
        intake::read(no_declaration.as_bytes()).is_ok(),
        "UTF-8 by default"
    );

    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        "<?xml version=\"1.0\"?><Declaration/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let utf16_plain: Vec<u8> = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Declaration/>"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let ebcdic = b"\x4C\x6F\xA7\x94\x93\x40".to_vec();
    let mut bom_latin1 = b"\xEF\xBB\xBF".to_vec();
    bom_latin1.extend(body("ISO-8859-1", b"x"));
    let refused: [(Vec<u8>, &str, &str); 7] = [
        (utf16, "encoding_not_supported", "UTF-16"),
        (utf16_plain, "encoding_not_supported", "UTF-16"),
        (ebcdic, "encoding_not_supported", "EBCDIC"),
        (body("UTF-16", b"x"), "encoding_not_supported", "UTF-16"),
        (
            body("windows-1252", b"x"),
            "encoding_not_supported",
            "windows-1252",
        ),
        (bom_latin1, "encoding_not_supported", "byte order mark"),
        (body("US-ASCII", b"Caf\xE9"), "encoding_invalid", "0xE9"),
    ];
    for (bytes, code, said) in refused {
        let error = intake::read(&bytes).unwrap_err();
        assert_eq!(error.code(), code, "{error}");
        assert!(error.to_string().contains(said), "{error}");
    }
    let broken = body("UTF-8", b"Caf\xE9 Ltd");
    let error = intake::read(&broken).unwrap_err();
    let at = broken.iter().position(|b| *b == 0xE9).unwrap() as u64;
    assert_eq!(
        error,
        DocumentError::Bytes {
            encoding: "UTF-8".into(),
            byte: 0xE9,
            position: at
        }
    );
    assert!(matches!(
        intake::read(b"<Declaration").unwrap_err(),
        DocumentError::Xml(_)
    ));
}

#[test]
fn drafts_from_bytes_leaves_refused_declarations_out() {
    let two = format!(
        r#"<md:MetaData xmlns:md="{METADATA}" xmlns="{DEC_DMS}"><Declaration><TypeCode>IMA</TypeCode></Declaration><Declaration><FunctionCode>13</FunctionCode><TypeCode>COR</TypeCode></Declaration></md:MetaData>"#
    );
    let drafts = intake::drafts_from_bytes(two.as_bytes()).unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(intake::read(two.as_bytes()).unwrap().len(), 2);
}
