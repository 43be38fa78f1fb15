//! The EDIFACT crate on the real samples in `data/edifact/messages`.

use tamga_edifact::contrl::{acknowledge, Acknowledger, Location};
use tamga_edifact::interchange::{self, Header};
use tamga_edifact::write::{write_segment, Envelope, InterchangeWriter};
use tamga_edifact::{Delimiters, SyntaxErrorCode};

const SAMPLES: &[(&str, &str)] = &[
    (
        "d99b_cusdec",
        include_str!("../../../../data/edifact/messages/ts-edifact/d99b_cusdec.edi"),
    ),
    (
        "d99b_cuscar",
        include_str!("../../../../data/edifact/messages/ts-edifact/d99b_cuscar.edi"),
    ),
    (
        "d99b_cusrep",
        include_str!("../../../../data/edifact/messages/ts-edifact/d99b_cusrep.edi"),
    ),
    (
        "d99b_genral",
        include_str!("../../../../data/edifact/messages/ts-edifact/d99b_genral.edi"),
    ),
    (
        "d04b_baplie",
        include_str!("../../../../data/edifact/messages/apimeister/d04b_baplie.edi"),
    ),
];
const IFTMIN: &str =
    include_str!("../../../../data/edifact/messages/apimeister/d00b_iftmin_bring.edi");
const IFTSTA: &str = include_str!("../../../../data/edifact/messages/apimeister/d00b_iftsta.edi");
const COPRAR: &str = include_str!("../../../../data/edifact/messages/apimeister/d95b_coprar.edi");

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

#[test]
fn every_valid_sample_reads_with_its_envelope() {
    for (name, text) in SAMPLES {
        let interchange = interchange::read(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!interchange.messages.is_empty(), "{name}");
        for message in &interchange.messages {
            assert_eq!(
                message.segments.last().map(|s| s.tag),
                Some("UNT"),
                "{name}"
            );
        }
    }
    let cusdec = interchange::read(SAMPLES[0].1).unwrap();
    let header = cusdec.header.as_ref().unwrap();
    assert_eq!(
        (
            header.syntax.as_str(),
            header.sender.as_str(),
            header.reference.as_str()
        ),
        ("UNOC", "AAA676Y", "200401270001")
    );
    let message = &cusdec.messages[0];
    assert_eq!(message.kind(), Some("CUSDEC"));
    assert_eq!(message.directory(), Some(("D", "99B", "UN")));
    let tariff = message
        .body()
        .iter()
        .find(|s| s.tag == "RFF" && s.value(0, 0) == Some("HS"));
    assert_eq!(tariff.and_then(|s| s.value(0, 1)), Some("03026200"));
}

#[test]
fn a_wrong_unt_count_is_rejected_and_acknowledged_by_contrl() {
    let error = interchange::read(COPRAR).unwrap_err();
    assert_eq!(error.code, SyntaxErrorCode::ControlCountMismatch);
    assert_eq!(error.tag.as_deref(), Some("UNT"));
    assert_eq!(error.element, Some(1));
    assert!(error.message.contains("56"), "{error}");
    // The COPRAR sample has no UNB: its UNH is segment 1, so positions agree.
    let location = Location {
        message_reference: "638",
        message_type: "COPRAR",
        unh_position: 1,
    };
    let contrl = acknowledge(&header(), Some((&error, Some(location))), &tamga());
    let read = interchange::read(&contrl).unwrap();
    let body = read.messages[0].body();
    assert_eq!(body[0].tag, "UCI");
    assert_eq!(body[0].value(3, 0), Some("4"), "rejected");
    // An error in the UNT is the message's own: UCM carries the code, the tag and the element.
    assert_eq!(body[1].tag, "UCM");
    assert_eq!(body[1].value(1, 0), Some("COPRAR"));
    assert_eq!(
        body[1].value(3, 0),
        Some("29"),
        "control count does not match"
    );
    assert_eq!(body[1].value(4, 0), Some("UNT"));
    assert_eq!(body[1].value(5, 0), Some("1"));
    assert_eq!(body.len(), 2, "no UCS for a service segment");
}

#[test]
fn an_iftmin_whose_unt_miscounts_is_rejected() {
    // The IFTMIN sample's UNT says 61 segments; the message has 70 (one stray empty segment,
    // which is skipped, is not among them).
    let error = interchange::read(IFTMIN).unwrap_err();
    assert_eq!(
        (error.code, error.tag.as_deref()),
        (SyntaxErrorCode::ControlCountMismatch, Some("UNT"))
    );
    assert!(
        error.message.contains("61") && error.message.contains("70"),
        "{error}"
    );
}

#[test]
fn a_unz_reference_that_does_not_match_the_unb_is_rejected() {
    // The IFTSTA sample's UNZ says 2805570 where its UNB says 2803570.
    let error = interchange::read(IFTSTA).unwrap_err();
    assert_eq!(
        (error.code, error.tag.as_deref(), error.element),
        (SyntaxErrorCode::ReferencesDoNotMatch, Some("UNZ"), Some(2))
    );
    assert!(
        error.message.contains("2805570") && error.message.contains("2803570"),
        "{error}"
    );
}

#[test]
fn an_accepted_interchange_gets_an_accepting_contrl() {
    let contrl = acknowledge(&header(), None, &tamga());
    let read = interchange::read(&contrl).unwrap();
    assert_eq!(read.messages[0].kind(), Some("CONTRL"));
    let uci = &read.messages[0].body()[0];
    assert_eq!((uci.value(0, 0), uci.value(3, 0)), (Some("42"), Some("7")));
}

#[test]
fn writing_what_was_read_gives_the_same_segments() {
    for (name, text) in SAMPLES {
        let first = interchange::read(text).unwrap();
        let mut out = String::new();
        if first.una {
            out.push_str(&first.delimiters.una());
        }
        let all: Vec<_> = first
            .messages
            .iter()
            .flat_map(|m| m.segments.iter())
            .collect();
        let mut segments =
            tamga_edifact::parse(text.trim_start_matches(|c| c != 'U'), &first.delimiters, 1)
                .unwrap_or_default();
        if segments.is_empty() {
            continue;
        }
        segments.retain(|s| s.tag != "UNA");
        for segment in &segments {
            write_segment(&mut out, &first.delimiters, segment);
        }
        let second = interchange::read(&out).unwrap_or_else(|e| panic!("{name}: {e}\n{out}"));
        let again: Vec<_> = second
            .messages
            .iter()
            .flat_map(|m| m.segments.iter())
            .collect();
        assert_eq!(all.len(), again.len(), "{name}");
        for (a, b) in all.iter().zip(again) {
            assert_eq!((a.tag, a.values()), (b.tag, b.values()), "{name}");
        }
    }
}

#[test]
fn una_sets_custom_separators_and_release() {
    let text = "UNA|^,! ~UNB^UNOB|3^S^R^260101|1200^7~UNH^1^CUSDEC|D|96B|UN~FTX^AAA^^^A!^B!|C!!D!~~UNT^3^1~UNZ^1^7~";
    let read = interchange::read(text).unwrap();
    assert_eq!(read.delimiters.component, '|');
    assert_eq!(read.delimiters.release, Some('!'));
    assert_eq!(read.messages[0].body()[0].value(3, 0), Some("A^B|C!D~"));
}

#[test]
fn envelope_errors_are_precise() {
    let cases = [
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNH+1+CUSDEC:D:96B:UN'UNT+2+1'UNZ+2+7'",
            SyntaxErrorCode::ControlCountMismatch,
            "UNZ",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNH+1+CUSDEC:D:96B:UN'UNT+2+1'UNZ+1+8'",
            SyntaxErrorCode::ReferencesDoNotMatch,
            "UNZ",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNH+1+CUSDEC:D:96B:UN'UNT+2+2'UNZ+1+7'",
            SyntaxErrorCode::ReferencesDoNotMatch,
            "UNT",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNH+1+CUSDEC:D:96B:UN'BGM+9'UNZ+1+7'",
            SyntaxErrorCode::SegmentMissing,
            "UNH",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNH+1+CUSDEC:D:96B:UN'UNT+2+1'",
            SyntaxErrorCode::SegmentMissing,
            "UNZ",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'BGM+9'UNZ+0+7'",
            SyntaxErrorCode::NotSupportedInPosition,
            "BGM",
        ),
        (
            "UNB+UNOX:3+S+R+260101:1200+7'UNZ+0+7'",
            SyntaxErrorCode::ValueNotSupported,
            "UNB",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNH+1+CUSDEC:D:96B:UN'FTX+AAA+++lower'UNT+3+1'UNZ+1+7'",
            SyntaxErrorCode::InvalidCharacter,
            "FTX",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNZ+0+7'",
            SyntaxErrorCode::Missing,
            "UNZ",
        ),
        (
            "UNB+UNOA:3+S+R+260101:1200+7'UNG+X+S+R+260101:1200+5'UNH+1+CUSDEC:D:96B:UN'UNT+2+1'UNE+1+5'UNH+2+CUSDEC:D:96B:UN'UNT+2+2'UNZ+1+7'",
            SyntaxErrorCode::NotSupportedInPosition,
            "UNH",
        ),
    ];
    for (text, code, tag) in cases {
        let error = interchange::read(text).unwrap_err();
        assert_eq!(
            (error.code, error.tag.as_deref()),
            (code, Some(tag)),
            "{text}: {error}"
        );
    }
}

#[test]
fn version_4_repetitions_and_latin1_text() {
    let text = "UNB+UNOC:4+S+R+20260101:1200+9'UNH+1+CUSDEC:D:01B:UN'NAD+CN+++Müller GmbH*Niederlassung+Straße 1'UNT+3+1'UNZ+1+9'";
    let read = interchange::read(text).unwrap();
    let nad = &read.messages[0].body()[0];
    assert_eq!(nad.elements()[3].repetitions.len(), 2);
    assert_eq!(nad.value(4, 0), Some("Straße 1"));
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    let decoded = tamga_edifact::charset::decode(&latin1);
    assert_eq!(interchange::read(&decoded).unwrap().messages.len(), 1);
}

#[test]
fn a_written_interchange_reads_back() {
    let envelope = Envelope {
        syntax: "UNOC",
        version: "3",
        sender: "UZCUSTOMS",
        recipient: "BROKER1",
        date: "261122",
        time: "0930",
        reference: "77",
    };
    let mut writer = InterchangeWriter::new(Delimiters::version_3(), &envelope);
    let body = vec![
        (
            "BGM",
            vec![
                vec!["962".to_owned()],
                vec!["26UZTAS000000001R0".to_owned()],
            ],
        ),
        (
            "FTX",
            vec![
                vec!["AAA".to_owned()],
                vec![],
                vec![],
                vec!["ok: 5+3 isn't 9?".to_owned()],
            ],
        ),
    ];
    writer.message("1", &["CUSRES", "D", "96B", "UN"], &body);
    writer.message("2", &["CUSRES", "D", "96B", "UN"], &body);
    let text = writer.finish();
    let read = interchange::read(&text).unwrap();
    assert_eq!(read.messages.len(), 2);
    assert_eq!(
        read.messages[1].body()[1].value(3, 0),
        Some("ok: 5+3 isn't 9?")
    );
}

mod syntax;

mod properties {
    use proptest::prelude::*;
    use tamga_edifact::write::segment;
    use tamga_edifact::{parse, Delimiters};

    fn delimiters() -> impl Strategy<Value = Delimiters> {
        prop_oneof![
            Just(Delimiters::version_3()),
            Just(Delimiters::version_4()),
            Just(Delimiters {
                component: '|',
                element: '^',
                decimal: ',',
                release: Some('!'),
                repetition: Some('#'),
                segment: '~'
            }),
        ]
    }

    proptest! {
        #[test]
        fn what_is_written_is_read_back(
            d in delimiters(),
            elements in prop::collection::vec(prop::collection::vec("[A-Za-z0-9 :+'?*|^!#~.,ßЖ]{0,8}", 1..4), 1..6),
        ) {
            let refs: Vec<Vec<&str>> = elements.iter().map(|e| e.iter().map(String::as_str).collect()).collect();
            let slices: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
            let mut text = String::new();
            segment(&mut text, &d, "FTX", &slices);
            let read = parse(&text, &d, 1).unwrap();
            prop_assert_eq!(read.len(), 1);
            // Trailing empty elements and components are not written; compare what remains.
            let last = elements.iter().rposition(|e| e.iter().any(|c| !c.is_empty())).map_or(0, |l| l + 1);
            prop_assert_eq!(read[0].element_count(), last);
            for (written, element) in elements.iter().zip(&read[0].elements()) {
                let used = written.iter().rposition(|c| !c.is_empty()).map_or(0, |l| l + 1);
                let got: Vec<&str> = element.repetitions[0].iter().map(AsRef::as_ref).collect();
                let want: Vec<&str> = written.iter().take(used).map(String::as_str).collect();
                if used > 0 {
                    prop_assert_eq!(got, want);
                }
            }
        }

        #[test]
        fn decoding_never_panics(
            head in "(UNA:\\+\\.\\? ')?UNB\\+UNO[A-DWYZ]:3\\+",
            bytes in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let mut all = head.into_bytes();
            all.extend(bytes);
            if let Err(e) = tamga_edifact::decode(&all) {
                prop_assert!(e.segment >= 1);
            }
        }

        #[test]
        fn reading_never_panics(text in "\\PC{0,200}") {
            let _ = tamga_edifact::interchange::read(&text);
        }

        #[test]
        fn reading_near_valid_text_never_panics(cut in 0usize..300, noise in "[+:'?*A-Z0-9]{0,5}") {
            let base = "UNA:+.? 'UNB+UNOC:4+S+R+20260101:1200+9'UNH+1+CUSDEC:D:01B:UN'NAD+CN+++A?+B*C+D'UNT+3+1'UNZ+1+9'";
            let mut text: String = base.chars().take(cut).collect();
            text.push_str(&noise);
            text.extend(base.chars().skip(cut));
            let _ = tamga_edifact::interchange::read(&text);
        }
    }
}

mod cusdec {
    use tamga_edifact::{cusdec, interchange};

    const UZ: &str = include_str!("../../../../examples/declaration.edi");

    #[test]
    fn the_australian_sample_maps_field_by_field() {
        let read = interchange::read(super::SAMPLES[0].1).unwrap();
        let draft = cusdec::to_draft(&read.messages[0]);
        assert_eq!(draft.declaration_type.as_deref(), Some("EX"));
        assert_eq!(draft.lrn.as_deref(), Some("200401270001"));
        assert_eq!(draft.country_of_destination.as_deref(), Some("US"));
        assert_eq!(
            draft.invoice.as_ref().and_then(|i| i.currency.as_deref()),
            Some("AUD")
        );
        assert_eq!(draft.items.len(), 1);
        let item = &draft.items[0];
        assert_eq!(item.sequence, Some(1));
        assert_eq!(item.commodity_code.as_deref(), Some("03026200"));
        assert_eq!(item.description.as_deref(), Some("GOODS DESCRIPTION"));
        assert_eq!(item.origin.as_deref(), Some("US"));
        assert_eq!(item.net_mass.as_ref().map(|m| m.0.as_str()), Some("10"));
        assert_eq!(item.price.as_ref().map(|m| m.0.as_str()), Some("5000"));
    }

    #[test]
    fn the_uzbek_example_maps_to_a_valid_declaration() {
        let read = interchange::read(UZ).unwrap();
        let draft = cusdec::to_draft(&read.messages[0]);
        let now = time::OffsetDateTime::now_utc();
        let declaration = tamga_core::validate::validate(
            &draft,
            tamga_core::refdata::ReferenceData::embedded(),
            now,
        )
        .unwrap_or_else(|e| panic!("{e:#?}"));
        assert_eq!(declaration.lrn.as_str(), "LRN-EDI-000123");
        assert_eq!(
            declaration.declarant.address.as_deref(),
            Some("Amir Temur ko'chasi 15, Toshkent")
        );
        assert_eq!(
            declaration
                .border_transport
                .as_ref()
                .and_then(|t| t.identification.as_deref()),
            Some("01A123BC")
        );
        assert_eq!(declaration.items[1].commodity_code.as_str(), "847160");
        assert_eq!(declaration.documents[0].document_type.as_str(), "N380");
    }
}

mod cuscar {
    use tamga_edifact::{cuscar, interchange};

    const SAMPLE: &str =
        include_str!("../../../../data/edifact/messages/ts-edifact/d99b_cuscar.edi");

    #[test]
    fn the_australian_cargo_report_maps() {
        let read = interchange::read(SAMPLE).unwrap();
        let sender = read.header.as_ref().map(|h| h.sender.clone());
        let report = cuscar::to_report(&read.messages[0], sender.as_deref());
        assert_eq!(report.reference, "200401270003");
        assert_eq!(report.carrier.as_deref(), Some("AAA676Y"));
        assert_eq!(report.consignments.len(), 1);
        let consignment = &report.consignments[0];
        assert_eq!(consignment.sequence, 1);
        // Its RFF+ED stands before the CNI, at report level: not a consignment's document.
        assert_eq!(consignment.transport_document, None);
        assert_eq!(consignment.goods.len(), 1);
        let goods = &consignment.goods[0];
        assert_eq!(
            (goods.sequence, goods.commodity_code.as_deref()),
            (1, Some("03026200"))
        );
        assert_eq!(goods.description.as_deref(), Some("GOODS DESCRIPTION"));
        assert!(tamga_core::cargo::check(&report).is_ok());
    }

    #[test]
    fn a_full_cargo_report_maps_conveyance_arrival_and_containers() {
        let text = "UNB+UNOC:3+KZCARRIER+UZCUSTOMS+261120:0800+77'UNH+1+CUSCAR:D:96B:UN'BGM+785+MANIFEST-42+9'\
TDT+20++3+++++01A777AA::::KZ'LOC+60+UZTAS'DTM+132:20261122:102'CNI+1+CMR-001'NAD+CZ+++Almaty Trade LLP'NAD+CN+++Samarqand Savdo MChJ'\
EQD+CN+CSQU3054383'GID+1+40:CT'FTX+AAA+++Laptops'PIA+5+847130'MEA+WT+AAB+KGM:520'UNT+14+1'UNZ+1+77'";
        let read = interchange::read(text).unwrap();
        let report = cuscar::to_report(&read.messages[0], Some("KZCARRIER"));
        assert_eq!(report.reference, "MANIFEST-42");
        assert_eq!(report.arrival_place.as_deref(), Some("UZTAS"));
        assert_eq!(report.expected_arrival.as_deref(), Some("2026-11-22"));
        let conveyance = report.conveyance.as_ref().unwrap();
        assert_eq!(
            (
                conveyance.mode.as_deref(),
                conveyance.identification.as_deref(),
                conveyance.nationality.as_deref()
            ),
            (Some("3"), Some("01A777AA"), Some("KZ"))
        );
        let consignment = &report.consignments[0];
        assert_eq!(consignment.containers, ["CSQU3054383"]);
        assert_eq!(consignment.consignor.as_deref(), Some("Almaty Trade LLP"));
        let goods = &consignment.goods[0];
        assert_eq!(
            (goods.packages, goods.commodity_code.as_deref()),
            (Some(40), Some("847130"))
        );
        assert_eq!(goods.gross_mass.map(|m| m.to_string()), Some("520".into()));
        let mut bad = report.clone();
        bad.consignments[0].containers.push("CSQU3054384".into());
        let errors = tamga_core::cargo::check(&bad).unwrap_err();
        assert_eq!(errors[0].pointer, "/consignments/0/containers/1");
    }
}
