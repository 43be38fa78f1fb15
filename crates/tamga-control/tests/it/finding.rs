//! Findings: validation, the corrections they give the re-assessment, and hits.

use rust_decimal::Decimal;
use serde_json::json;
use tamga_control::finding::{
    is_hit, outcome_findings, reassessment, validate, Attachment, AttachmentLimits, Finding,
    FindingKind, TOO_LARGE,
};
use tamga_core::codes::{CommodityCode, CountryCode, UnitCode};
use tamga_core::model::Quantity;

use crate::fixture::declaration;

fn on(item: u16, kind: FindingKind) -> Finding {
    Finding {
        item,
        kind,
        notes: None,
        attachments: Vec::new(),
    }
}

fn code(raw: &str) -> CommodityCode {
    CommodityCode::parse(raw).unwrap()
}

fn dec(raw: &str) -> Decimal {
    raw.parse().unwrap()
}

fn photo() -> Attachment {
    Attachment {
        file_name: "carton-12.jpg".into(),
        sha256: "ab".repeat(32),
        size: 480_000,
    }
}

#[test]
fn findings_arrive_as_json_with_a_type_tag() {
    let raw = json!([
        {"item": 1, "type": "misclassification", "commodity_code": "8471410000", "notes": "desktop units"},
        {"item": 2, "type": "undervaluation", "price": "9100.50", "attachments": [
            {"file_name": "invoice.pdf", "sha256": "0f".repeat(32), "size": 1024}]},
        {"item": 2, "type": "drugs"}
    ]);
    let findings: Vec<Finding> = serde_json::from_value(raw).unwrap();
    assert_eq!(
        findings[0].kind,
        FindingKind::Misclassification {
            commodity_code: code("8471410000")
        }
    );
    assert_eq!(
        findings[1].kind,
        FindingKind::Undervaluation {
            price: dec("9100.50")
        }
    );
    assert_eq!(findings[1].attachments.len(), 1);
    assert!(validate(&findings, &declaration(), &AttachmentLimits::default()).is_empty());
    let bad = serde_json::from_value::<Vec<Finding>>(json!([{"item": 1, "type": "smuggling"}]));
    assert!(bad.is_err());
}

#[test]
fn every_problem_is_reported_at_once_with_pointers() {
    let mut notes = on(1, FindingKind::Other);
    notes.notes = Some("seal\u{0}broken".into());
    let mut files = on(2, FindingKind::Counterfeit);
    files.attachments = vec![
        Attachment {
            size: 30 * 1024 * 1024,
            ..photo()
        },
        Attachment {
            file_name: "../etc/passwd".into(),
            sha256: "XYZ".into(),
            size: 0,
        },
    ];
    let findings = vec![
        on(9, FindingKind::Drugs),
        on(
            1,
            FindingKind::Misclassification {
                commodity_code: code("8471300000"),
            },
        ),
        on(2, FindingKind::Undervaluation { price: dec("0") }),
        on(
            2,
            FindingKind::Origin {
                origin: CountryCode::parse("CN").unwrap(),
            },
        ),
        on(
            1,
            FindingKind::Quantity {
                net_mass: Some(dec("400")),
                gross_mass: None,
                supplementary_quantity: None,
            },
        ),
        on(
            1,
            FindingKind::Quantity {
                net_mass: None,
                gross_mass: None,
                supplementary_quantity: None,
            },
        ),
        notes,
        files,
        on(2, FindingKind::AsDeclared),
    ];
    let errors = validate(&findings, &declaration(), &AttachmentLimits::default());
    let got: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.code.as_str()))
        .collect();
    for expected in [
        ("/findings/0/item", "unknown_item"),
        ("/findings/1/commodity_code", "unchanged"),
        ("/findings/2/price", "not_positive"),
        ("/findings/3/origin", "unchanged"),
        ("/findings/4/net_mass", "net_above_gross"),
        ("/findings/5", "missing"),
        ("/findings/6/notes", "control_character"),
        ("/findings/7/attachments/0/size", TOO_LARGE),
        ("/findings/7/attachments/1/file_name", "invalid_file_name"),
        ("/findings/7/attachments/1/sha256", "invalid_digest"),
        ("/findings/7/attachments/1/size", "empty_file"),
        ("/findings/8/type", "contradictory"),
    ] {
        assert!(got.contains(&expected), "missing {expected:?} in {got:?}");
    }
}

#[test]
fn each_value_finding_becomes_its_correction() {
    let cases: Vec<(FindingKind, serde_json::Value)> = vec![
        (
            FindingKind::Misclassification {
                commodity_code: code("8471410000"),
            },
            json!({"commodity_code": "8471410000"}),
        ),
        (
            FindingKind::Undervaluation {
                price: dec("51000.00"),
            },
            json!({"price": "51000"}),
        ),
        (
            FindingKind::Origin {
                origin: CountryCode::parse("VN").unwrap(),
            },
            json!({"origin": "VN"}),
        ),
        (
            FindingKind::Quantity {
                net_mass: Some(dec("280.5")),
                gross_mass: Some(dec("330")),
                supplementary_quantity: None,
            },
            json!({"net_mass": "280.5", "gross_mass": "330"}),
        ),
        (
            FindingKind::Quantity {
                net_mass: None,
                gross_mass: None,
                supplementary_quantity: Some(Quantity {
                    quantity: dec("150"),
                    unit: Some(UnitCode::parse("p/st").unwrap()),
                }),
            },
            json!({"supplementary_quantity": {"quantity": "150", "unit": "p/st"}}),
        ),
    ];
    for (kind, changed) in cases {
        let name = kind.name();
        let r =
            reassessment(&[on(1, kind)]).unwrap_or_else(|| panic!("{name} needs a re-assessment"));
        assert_eq!(r.corrections.len(), 1);
        let mut expected = json!({"sequence": 1, "commodity_code": null, "origin": null, "price": null,
            "net_mass": null, "gross_mass": null, "supplementary_quantity": null});
        for (k, v) in changed.as_object().unwrap() {
            expected[k] = v.clone();
        }
        assert_eq!(
            serde_json::to_value(&r.corrections[0]).unwrap(),
            expected,
            "{name}"
        );
        assert!(r.reason.contains(&format!("{name} of item 1")));
    }
}

#[test]
fn findings_that_change_no_value_need_no_reassessment() {
    for kind in [
        FindingKind::AsDeclared,
        FindingKind::ProhibitedOrRestricted,
        FindingKind::Counterfeit,
        FindingKind::Drugs,
        FindingKind::Weapons,
        FindingKind::Other,
    ] {
        assert_eq!(reassessment(&[on(1, kind.clone()), on(2, kind)]), None);
    }
}

#[test]
fn findings_on_one_item_merge_and_items_stay_apart() {
    let r = reassessment(&[
        on(
            2,
            FindingKind::Origin {
                origin: CountryCode::parse("VN").unwrap(),
            },
        ),
        on(1, FindingKind::Drugs),
        on(2, FindingKind::Undervaluation { price: dec("7000") }),
        on(
            1,
            FindingKind::Misclassification {
                commodity_code: code("8471410000"),
            },
        ),
    ])
    .unwrap();
    let json = serde_json::to_value(&r.corrections).unwrap();
    assert_eq!(json[0]["sequence"], 1);
    assert_eq!(json[0]["commodity_code"], "8471410000");
    assert_eq!(json[1]["sequence"], 2);
    assert_eq!(json[1]["origin"], "VN");
    assert_eq!(json[1]["price"], "7000");
}

#[test]
fn outcome_types_and_hits_follow_the_inspection_outcome() {
    assert!(!is_hit(&[
        on(1, FindingKind::AsDeclared),
        on(2, FindingKind::AsDeclared)
    ]));
    assert!(outcome_findings(&[on(1, FindingKind::AsDeclared)]).is_empty());
    let expected = [
        (
            FindingKind::Misclassification {
                commodity_code: code("8471410000"),
            },
            "misclassification",
        ),
        (
            FindingKind::Undervaluation { price: dec("1") },
            "undervaluation",
        ),
        (
            FindingKind::Origin {
                origin: CountryCode::parse("VN").unwrap(),
            },
            "origin",
        ),
        (
            FindingKind::Quantity {
                net_mass: Some(dec("1")),
                gross_mass: None,
                supplementary_quantity: None,
            },
            "quantity",
        ),
        (FindingKind::ProhibitedOrRestricted, "prohibited_goods"),
        (FindingKind::Counterfeit, "prohibited_goods"),
        (FindingKind::Drugs, "prohibited_goods"),
        (FindingKind::Weapons, "prohibited_goods"),
        (FindingKind::Other, "other"),
    ];
    for (kind, outcome) in expected {
        let mut f = on(1, kind);
        assert!(is_hit(std::slice::from_ref(&f)));
        assert_eq!(
            outcome_findings(std::slice::from_ref(&f))[0].finding_type,
            outcome
        );
        f.notes = Some("seen on opening carton 4".into());
        let json = serde_json::to_value(outcome_findings(&[f])).unwrap();
        assert_eq!(
            json,
            json!([{"type": outcome, "note": "seen on opening carton 4"}])
        );
    }
}
