//! Decoding by the declared character set, CONTRL as ISO 9735 lays it out, CUSRES error codes.

use tamga_edifact::contrl::{acknowledge, locate, Acknowledger, Location};
use tamga_edifact::cusres::{self, Verdict};
use tamga_edifact::interchange::{self, Header};
use tamga_edifact::{decode, SyntaxErrorCode};

const SAMPLES: [&[u8]; 6] = [
    include_bytes!("../../../../data/edifact/messages/ts-edifact/d99b_cusdec.edi"),
    include_bytes!("../../../../data/edifact/messages/ts-edifact/d99b_cuscar.edi"),
    include_bytes!("../../../../data/edifact/messages/ts-edifact/d99b_genral.edi"),
    include_bytes!("../../../../data/edifact/messages/apimeister/d04b_baplie.edi"),
    include_bytes!("../../../../data/edifact/messages/apimeister/d00b_iftsta.edi"),
    include_bytes!("../../../../data/edifact/messages/apimeister/d00b_iftmin_bring.edi"),
];

fn header() -> Header {
    Header {
        syntax: "UNOC".into(),
        version: "3".into(),
        sender: "BROKER1".into(),
        recipient: "UZCUSTOMS".into(),
        date: "260101".into(),
        time: "1200".into(),
        reference: "42".into(),
    }
}

fn tamga() -> Acknowledger<'static> {
    Acknowledger {
        identity: "UZCUSTOMS",
        date: "261122",
        time: "1200",
        reference: "900001",
    }
}

/// An interchange declaring `syntax`, with `value` (raw bytes) as free text of its message.
fn with_text(syntax: &str, value: &[u8]) -> Vec<u8> {
    let mut bytes =
        format!("UNB+{syntax}:3+S+R+260101:1200+7'UNH+1+CUSDEC:D:96B:UN'FTX+AAA+++").into_bytes();
    bytes.extend_from_slice(value);
    bytes.extend_from_slice(b"'UNT+3+1'UNZ+1+7'");
    bytes
}

#[test]
fn the_real_samples_decode_to_their_text() {
    for bytes in SAMPLES {
        let text = decode(bytes).unwrap();
        // Each byte one character: the samples declare UNOA or UNOC (reading them is tested
        // elsewhere; the IFTSTA sample's UNZ reference is wrong upstream).
        let latin1: String = bytes.iter().map(|b| char::from(*b)).collect();
        assert_eq!(text, latin1);
    }
    // The Bring IFTMIN declares UNOC but writes "på" in UTF-8: read as declared, never guessed.
    let iftmin = decode(SAMPLES[5]).unwrap();
    assert!(iftmin.contains("Dekk p\u{C3}\u{A5} felg"), "{iftmin}");
    assert!(!iftmin.contains("på"));
}

#[test]
fn unoc_is_iso_8859_1_whatever_else_its_bytes_spell() {
    // EF BF BD is U+FFFD in UTF-8, and "ï¿½" in ISO 8859-1: a UNOC interchange means the latter.
    let text = decode(&with_text("UNOC", b"\xEF\xBF\xBD caf\xE9")).unwrap();
    let read = interchange::read(&text).unwrap();
    let ftx = &read.messages[0].body()[0];
    assert_eq!(ftx.value(3, 0), Some("\u{EF}\u{BF}\u{BD} café"));
    // UTF-8 of "é" (C3 A9) in a UNOC interchange is two Latin-1 characters, not one.
    let text = decode(&with_text("UNOC", "é".as_bytes())).unwrap();
    assert!(text.contains("\u{C3}\u{A9}"), "{text}");
}

#[test]
fn bytes_outside_the_declared_repertoire_are_refused_where_they_are() {
    let cases: [(&str, &[u8], &str); 5] = [
        ("UNOC", b"ab\x8Bc", "0x8B"),
        ("UNOC", b"tab\there", "0x09"),
        ("UNOA", b"CAF\xC9", "0xC9"),
        ("UNOB", "café".as_bytes(), "0xC3"),
        ("UNOY", b"caf\xE9", "0xE9"),
    ];
    for (syntax, value, byte) in cases {
        let error = decode(&with_text(syntax, value)).unwrap_err();
        assert_eq!(error.code, SyntaxErrorCode::InvalidCharacter, "{syntax}");
        assert_eq!(
            (error.segment, error.tag.as_deref()),
            (3, Some("FTX")),
            "{syntax}: {error}"
        );
        assert!(error.message.contains(byte), "{error}");
        assert!(error.message.contains("offset"), "{error}");
    }
}

#[test]
fn unoy_and_unow_are_utf8() {
    for syntax in ["UNOY", "UNOW"] {
        let text = decode(&with_text(syntax, "Тошкент, Oʻzbekiston".as_bytes())).unwrap();
        let read = interchange::read(&text).unwrap();
        let ftx = &read.messages[0].body()[0];
        assert_eq!(ftx.value(3, 0), Some("Тошкент, Oʻzbekiston"));
    }
}

#[test]
fn positions_follow_the_una_and_released_terminators() {
    // The UNA is segment 1, the UNB 2; a released terminator inside a value ends nothing.
    let bytes =
        b"UNA:+.? 'UNB+UNOA:3+S+R+260101:1200+7'UNH+1+X:D:96B:UN'FTX+AAA+++IT?'S'FTX+AAA+++\xFF'";
    let error = decode(bytes).unwrap_err();
    assert_eq!((error.segment, error.tag.as_deref()), (5, Some("FTX")));
    // Custom separators: the UNA says `|` separates elements and `!` ends segments.
    let bytes = b"UNA:|.? !\r\nUNB|UNOC:3|S|R|260101:1200|7!\r\nUNH|1|X:D:96B:UN!\r\nBGM|\x85!";
    let error = decode(bytes).unwrap_err();
    assert_eq!((error.segment, error.tag.as_deref()), (4, Some("BGM")));
    let custom =
        decode(b"UNA:|.? !UNB|UNOC:3|S|R|260101:1200|7!UNH|1|X:D:96B:UN!BGM|\xC5!").unwrap();
    assert!(custom.ends_with("BGM|Å!"));
}

#[test]
fn what_declares_no_known_character_set_is_refused() {
    let error = decode(b"UNB+UNOZ:3+S+R+260101:1200+7'UNZ+0+7'").unwrap_err();
    assert_eq!(error.code, SyntaxErrorCode::ValueNotSupported);
    assert_eq!(
        (error.segment, error.tag.as_deref(), error.element),
        (1, Some("UNB"), Some(1))
    );
    // A bare message declares nothing, so it must be UTF-8.
    assert_eq!(
        decode(b"UNH+1+X:D:96B:UN'FTX+AAA+++Stra\xDFe'UNT+2+1'")
            .unwrap_err()
            .segment,
        2
    );
    assert!(decode("UNH+1+X:D:96B:UN'FTX+AAA+++Straße'UNT+2+1'".as_bytes()).is_ok());
    // A UTF-8 byte order mark contradicts a single-byte character set, not UNOY.
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend(with_text("UNOC", b"x"));
    assert!(decode(&marked)
        .unwrap_err()
        .message
        .contains("byte order mark"));
    let mut marked = b"\xEF\xBB\xBF".to_vec();
    marked.extend(with_text("UNOY", "ё".as_bytes()));
    assert!(decode(&marked).unwrap().starts_with("UNB+UNOY"));
    assert!(decode(b"").is_ok_and(|t| t.is_empty()));
}

#[test]
fn contrl_envelope_errors_carry_the_tag_and_element_positions() {
    let error = interchange::read("UNB+UNOA:3+S+R+260101:1200+7'UNH+1+X:D:96B:UN'UNT+2+1'UNZ+1+8'")
        .unwrap_err();
    let contrl = acknowledge(&header(), Some((&error, None)), &tamga());
    let read = interchange::read(&contrl).unwrap();
    assert_eq!(read.messages[0].directory(), Some(("D", "3", "UN")));
    let uci = &read.messages[0].body()[0];
    assert_eq!(uci.tag, "UCI");
    // 0020, S002, S003, 0083, 0085, 0013, S011 (element : component).
    assert_eq!(uci.value(0, 0), Some("42"));
    assert_eq!(
        (uci.value(1, 0), uci.value(2, 0)),
        (Some("BROKER1"), Some("UZCUSTOMS"))
    );
    assert_eq!(uci.value(3, 0), Some("4"));
    assert_eq!(uci.value(4, 0), Some(error.code.code()));
    assert_eq!(uci.value(5, 0), Some("UNZ"));
    let element = error.element.map(|e| e.to_string());
    assert_eq!(uci.value(6, 0), element.as_deref());
    assert_eq!(uci.elements().len(), 7, "{contrl}");
}

#[test]
fn contrl_message_errors_name_the_message_segment_and_element() {
    let text = "UNB+UNOA:3+S+R+260101:1200+7'UNH+77+CUSDEC:D:96B:UN'BGM+929'FTX+AAA+++lower'UNT+4+77'UNZ+1+7'";
    let error = interchange::read(text).unwrap_err();
    let at = locate(text, error.segment).unwrap();
    assert_eq!(at.identifier, "CUSDEC:D:96B:UN");
    assert_eq!((at.reference.as_str(), at.unh_position), ("77", 2));
    let contrl = acknowledge(&header(), Some((&error, Some(at.location()))), &tamga());
    let read = interchange::read(&contrl).unwrap();
    let body = read.messages[0].body();
    let tags: Vec<&str> = body.iter().map(|s| s.tag).collect();
    assert_eq!(tags, ["UCI", "UCM", "UCS", "UCD"]);
    let ucm = &body[1];
    assert_eq!(ucm.value(0, 0), Some("77"));
    let s009: Vec<&str> = (0..4).filter_map(|c| ucm.value(1, c)).collect();
    assert_eq!(s009, ["CUSDEC", "D", "96B", "UN"]);
    assert_eq!(ucm.value(2, 0), Some("4"));
    assert_eq!(
        body[2].value(0, 0),
        Some("3"),
        "FTX is the third segment from the UNH"
    );
    assert_eq!(body[2].value(1, 0), Some("21"));
    assert_eq!(body[3].value(0, 0), Some("21"));
    assert_eq!(
        (body[3].value(1, 0), body[3].value(1, 1)),
        (Some("4"), Some("1"))
    );
    // After the UNT the error is the envelope's, not a message's.
    assert_eq!(locate(text, 6), None);
    // A location given with the bare type still reads back.
    let bare = Location {
        message_reference: "77",
        message_type: "CUSDEC",
        unh_position: 2,
    };
    let contrl = acknowledge(&header(), Some((&error, Some(bare))), &tamga());
    assert!(interchange::read(&contrl).is_ok());
}

#[test]
fn cusres_error_codes_fit_data_element_9321() {
    let codes = [
        "missing",
        "commodity_code_not_leaf",
        "procedure_type_mismatch",
        "amendment_not_supported",
        "a_code_nobody_listed_yet",
        "another_code_nobody_listed",
    ];
    let errors: Vec<_> = codes
        .iter()
        .map(|c| tamga_core::FieldError::new("/items/0/x", c, "why"))
        .collect();
    let answer = cusres::respond(
        &header(),
        &[("LRN1".into(), Verdict::Rejected { errors })],
        &tamga(),
    );
    let read = interchange::read(&answer).unwrap();
    let erc: Vec<&str> = read.messages[0]
        .body()
        .iter()
        .filter(|s| s.tag == "ERC")
        .filter_map(|s| s.value(0, 0))
        .collect();
    assert_eq!(&erc[..3], ["missing", "HSNOLEAF", "PROCTYPE"]);
    assert!(erc.iter().all(|c| c.len() <= cusres::MAX_CODE), "{erc:?}");
    assert_ne!(erc[4], erc[5], "unlisted codes stay distinct");
    assert_eq!(
        cusres::error_code(codes[4]),
        erc[4],
        "the same code, the same answer"
    );
    let texts: Vec<&str> = read.messages[0]
        .body()
        .iter()
        .filter(|s| s.tag == "FTX")
        .filter_map(|s| s.value(3, 0))
        .collect();
    assert!(texts[1].starts_with("commodity_code_not_leaf /items/0/x"));
    for (long, short) in cusres::SHORT_CODES {
        assert!(
            short.len() <= cusres::MAX_CODE && long.len() > short.len(),
            "{long}"
        );
    }
}
