//! Intake from bytes on the HMRC samples and on written cases: encodings, namespaces,
//! amendments, and what UK CDS traders legitimately leave out.

use rust_decimal::Decimal;
use tamga_core::refdata::ReferenceData;
use tamga_core::FieldError;
use tamga_wco::intake::{self, DocumentError, Lodgement, DEC_DMS, METADATA};

use super::samples;

fn declaration(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><md:MetaData xmlns:md="{METADATA}" xmlns="{DEC_DMS}"><Declaration>{body}</Declaration></md:MetaData>"#
    )
}

fn only(lodged: Vec<Lodgement>) -> Lodgement {
    assert_eq!(lodged.len(), 1);
    lodged.into_iter().next().unwrap()
}

fn draft(body: &str) -> tamga_core::draft::DeclarationDraft {
    match only(intake::read(declaration(body).as_bytes()).unwrap()) {
        Lodgement::Draft(d) => *d,
        other => panic!("{other:?}"),
    }
}

fn refused(body: &str) -> (Option<String>, Vec<FieldError>) {
    match only(intake::read(declaration(body).as_bytes()).unwrap()) {
        Lodgement::Refused { lrn, errors } => (lrn, errors),
        other => panic!("{other:?}"),
    }
}

fn validated(d: &tamga_core::draft::DeclarationDraft) -> Vec<FieldError> {
    let now = time::macros::datetime!(2026-11-22 12:00 UTC);
    tamga_core::validate::validate(d, ReferenceData::embedded(), now)
        .err()
        .unwrap_or_default()
}

#[test]
fn every_sample_is_read_refused_by_namespace_or_malformed() {
    let (mut drafts, mut amendments, mut foreign) = (0, 0, 0);
    for path in samples() {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        match intake::read(&bytes) {
            Ok(lodged) => {
                // A MetaData envelope around a notification holds no DEC-DMS declaration.
                assert!(
                    text.contains(DEC_DMS) || lodged.is_empty(),
                    "{}",
                    path.display()
                );
                for l in lodged {
                    match l {
                        Lodgement::Draft(_) => drafts += 1,
                        Lodgement::Refused { errors, .. } => {
                            assert_eq!(errors[0].code, "amendment_not_supported");
                            amendments += 1;
                        }
                    }
                }
            }
            Err(e @ DocumentError::Namespace { .. }) => {
                // Notifications, inventory linking and HMRC's API envelopes are not DEC-DMS.
                assert!(!e.to_string().is_empty());
                foreign += 1;
            }
            Err(DocumentError::Xml(e)) => assert!(e.position > 0, "{}", path.display()),
            Err(other) => panic!("{}: {other}", path.display()),
        }
    }
    assert!(drafts > 250, "{drafts}");
    // The samples hold 9 COR amendments, 3 INV invalidations and 5 GPR requests.
    assert_eq!(amendments, 17);
    assert!(foreign > 400, "{foreign}");
}

#[test]
fn no_sample_draft_is_refused_for_what_cds_leaves_out() {
    let mut checked = 0;
    for path in samples() {
        let Ok(lodged) = intake::read(&std::fs::read(&path).unwrap()) else {
            continue;
        };
        for l in lodged {
            let Lodgement::Draft(d) = l else { continue };
            // C21e and other simplified declarations give no prices: no invoice can be made.
            let priced = d.items.iter().all(|i| i.price.is_some());
            for e in validated(&d) {
                let left_out = (e.pointer.ends_with("/supplementary_quantity/unit")
                    && e.code == "missing")
                    || (e.pointer.contains("/declared_taxes/") && e.pointer.ends_with("tax_type"))
                    || (e.pointer.contains("/documents/") && e.code == "missing")
                    || (e.pointer.starts_with("/invoice") && priced);
                assert!(!left_out, "{}: {e:?}", path.display());
            }
            // Amendments and requests never reach validation as unknown declaration types
            // (CO, trade with special fiscal territories, does, and validation refuses it).
            let kind = format!(
                "{}{}",
                d.declaration_type.as_deref().unwrap_or(""),
                d.additional_type.as_deref().unwrap_or("")
            );
            assert!(
                !["COR", "INV", "GPR"].contains(&kind.as_str()),
                "{}",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 250, "{checked}");
}

#[test]
fn a_cds_import_without_invoice_amount_or_units_maps_whole() {
    let path = samples()
        .into_iter()
        .find(|p| p.ends_with("TT_IM019a/TT_IM019a.xml"))
        .unwrap();
    let d = match only(intake::read(&std::fs::read(path).unwrap()).unwrap()) {
        Lodgement::Draft(d) => *d,
        other => panic!("{other:?}"),
    };
    let invoice = d.invoice.as_ref().unwrap();
    assert_eq!(invoice.currency.as_deref(), Some("GBP"));
    assert_eq!(invoice.amount.as_ref().map(|a| a.0.as_str()), Some("1250"));
    let item = &d.items[0];
    let quantity = item.supplementary_quantity.as_ref().unwrap();
    assert_eq!(
        quantity.quantity.as_ref().map(|q| q.0.as_str()),
        Some("500")
    );
    assert_eq!(quantity.unit, None, "the tariff's supplementary unit");
    assert_eq!(item.preference.as_deref(), Some("100"));
    assert!(item.declared_taxes.is_empty(), "{:?}", item.declared_taxes);
    let documents: Vec<_> = item
        .documents
        .iter()
        .map(|x| {
            (
                x.document_type.as_deref(),
                x.status.as_deref(),
                x.statement.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        documents,
        [
            (Some("Y929"), None, Some("Reason for Waiver")),
            (Some("N935"), Some("AC"), None)
        ]
    );
}

#[test]
fn item_prices_make_the_invoice_when_no_invoice_amount_is_given() {
    let items = |prices: &[&str]| -> String {
        prices
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    "<GovernmentAgencyGoodsItem><SequenceNumeric>{}</SequenceNumeric><Commodity><InvoiceLine>{p}</InvoiceLine></Commodity></GovernmentAgencyGoodsItem>",
                    i + 1
                )
            })
            .collect()
    };
    let eur = |a: &str| format!(r#"<ItemChargeAmount currencyID="EUR">{a}</ItemChargeAmount>"#);
    let body = format!(
        "<FunctionCode>9</FunctionCode><TypeCode>IMA</TypeCode><GoodsShipment>{}</GoodsShipment>",
        items(&[&eur("1250.50"), &eur("0.25"), &eur("99")])
    );
    let invoice = draft(&body).invoice.unwrap();
    assert_eq!(invoice.currency.as_deref(), Some("EUR"));
    let total: Decimal = invoice.amount.unwrap().0.parse().unwrap();
    assert_eq!(total, "1349.75".parse::<Decimal>().unwrap());
    // A declared InvoiceAmount wins.
    let declared = body.replace(
        "<GoodsShipment>",
        r#"<InvoiceAmount currencyID="USD">10</InvoiceAmount><GoodsShipment>"#,
    );
    assert_eq!(
        draft(&declared).invoice.unwrap().currency.as_deref(),
        Some("USD")
    );
    // A price that is not a number leaves the total out, for validation to name the price.
    let body = format!(
        "<TypeCode>IMA</TypeCode><GoodsShipment>{}</GoodsShipment>",
        items(&[&eur("12,5"), &eur("3")])
    );
    let d = draft(&body);
    assert_eq!(d.invoice.as_ref().and_then(|i| i.amount.as_ref()), None);
    assert!(validated(&d).iter().any(|e| e.pointer == "/items/0/price"));
    // Prices without a currency make no invoice: validation asks for one.
    let body = format!(
        "<TypeCode>IMA</TypeCode><GoodsShipment>{}</GoodsShipment>",
        items(&["<ItemChargeAmount>5</ItemChargeAmount>"])
    );
    assert_eq!(draft(&body).invoice, None);
}

#[test]
fn item_prices_in_several_currencies_are_named_one_by_one() {
    let body = "<TypeCode>IMA</TypeCode><FunctionalReferenceID>L7</FunctionalReferenceID><GoodsShipment>\
        <GovernmentAgencyGoodsItem><Commodity><InvoiceLine><ItemChargeAmount currencyID=\"EUR\">1</ItemChargeAmount></InvoiceLine></Commodity></GovernmentAgencyGoodsItem>\
        <GovernmentAgencyGoodsItem><Commodity><InvoiceLine><ItemChargeAmount currencyID=\"USD\">2</ItemChargeAmount></InvoiceLine></Commodity></GovernmentAgencyGoodsItem>\
        <GovernmentAgencyGoodsItem><Commodity><InvoiceLine><ItemChargeAmount currencyID=\"EUR\">3</ItemChargeAmount></InvoiceLine></Commodity></GovernmentAgencyGoodsItem>\
        <GovernmentAgencyGoodsItem><Commodity><InvoiceLine><ItemChargeAmount>4</ItemChargeAmount></InvoiceLine></Commodity></GovernmentAgencyGoodsItem>\
        </GoodsShipment>";
    let (lrn, errors) = refused(body);
    assert_eq!(lrn.as_deref(), Some("L7"));
    let pointers: Vec<(&str, &str)> = errors
        .iter()
        .map(|e| (e.pointer.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        pointers,
        [
            ("/items/1/price", "invoice_currency_mixed"),
            ("/items/3/price", "invoice_currency_mixed")
        ]
    );
    assert!(errors[0].message.contains("EUR") && errors[0].message.contains("USD"));
    assert!(errors[1].message.contains("no currency"));
}

#[test]
fn a_regime_alone_is_a_preference_not_a_tax() {
    let fee = |inner: &str| {
        format!("<TypeCode>IMA</TypeCode><GoodsShipment><GovernmentAgencyGoodsItem><Commodity><DutyTaxFee>{inner}</DutyTaxFee></Commodity></GovernmentAgencyGoodsItem></GoodsShipment>")
    };
    let cases = [
        ("<DutyRegimeCode>300</DutyRegimeCode>", Some("300"), 0),
        ("<DutyRegimeCode>120</DutyRegimeCode><QuotaOrderID>094067</QuotaOrderID>", Some("120"), 0),
        ("<DutyRegimeCode>100</DutyRegimeCode><Payment><MethodCode>S</MethodCode></Payment>", Some("100"), 0),
        ("<SpecificTaxBaseQuantity unitCode=\"ASV\">5</SpecificTaxBaseQuantity>", None, 0),
        ("<DutyRegimeCode>100</DutyRegimeCode><TypeCode>A00</TypeCode><Payment><MethodCode>E</MethodCode></Payment>", Some("100"), 1),
        // An amount of no named tax is still declared, for validation to ask its type.
        ("<Payment><TaxAssessedAmount>12</TaxAssessedAmount></Payment>", None, 1),
    ];
    for (inner, preference, taxes) in cases {
        let d = draft(&fee(inner));
        let item = &d.items[0];
        assert_eq!(item.preference.as_deref(), preference, "{inner}");
        assert_eq!(item.declared_taxes.len(), taxes, "{inner}");
    }
    let untyped = draft(&fee(cases[5].0));
    assert!(validated(&untyped)
        .iter()
        .any(|e| e.pointer == "/items/0/declared_taxes/0/tax_type" && e.code == "missing"));
}

#[test]
fn documents_with_a_status_or_statement_need_no_identifier() {
    let body = "<TypeCode>IMA</TypeCode>\
        <AdditionalDocument><CategoryCode>Y</CategoryCode><TypeCode>923</TypeCode><Name>Excluded product</Name></AdditionalDocument>\
        <AdditionalDocument><CategoryCode>C</CategoryCode><TypeCode>505</TypeCode><LPCOExemptionCode>XX</LPCOExemptionCode></AdditionalDocument>\
        <AdditionalDocument><CategoryCode>N</CategoryCode><TypeCode>380</TypeCode></AdditionalDocument>";
    let d = draft(body);
    let errors: Vec<_> = validated(&d)
        .into_iter()
        .filter(|e| e.pointer.starts_with("/documents"))
        .map(|e| (e.pointer, e.code))
        .collect();
    assert_eq!(
        errors,
        [("/documents/2/reference".to_owned(), "missing".to_owned())]
    );
    assert_eq!(
        d.documents[0].statement.as_deref(),
        Some("Excluded product")
    );
    assert_eq!(d.documents[1].status.as_deref(), Some("XX"));
}

#[test]
fn amendments_and_requests_are_refused_at_their_function_code() {
    let cases = [
        (
            "<FunctionCode>13</FunctionCode><TypeCode>COR</TypeCode><ID>25GB3POHWIVZSF9AR0</ID>",
            "/Declaration/FunctionCode",
            "amendment",
        ),
        (
            "<FunctionCode>13</FunctionCode><TypeCode>INV</TypeCode>",
            "/Declaration/FunctionCode",
            "invalidate",
        ),
        (
            "<FunctionCode>13</FunctionCode><TypeCode>GPR</TypeCode>",
            "/Declaration/FunctionCode",
            "request",
        ),
        (
            "<FunctionCode>5</FunctionCode><TypeCode>IMA</TypeCode>",
            "/Declaration/FunctionCode",
            "function code 5",
        ),
        (
            "<FunctionCode>9</FunctionCode><TypeCode>COR</TypeCode>",
            "/Declaration/TypeCode",
            "amendment",
        ),
        (
            "<TypeCode>COR</TypeCode>",
            "/Declaration/TypeCode",
            "amendment",
        ),
    ];
    for (body, pointer, said) in cases {
        let body = format!("{body}<FunctionalReferenceID>U.1</FunctionalReferenceID>");
        let (lrn, errors) = refused(&body);
        assert_eq!(lrn.as_deref(), Some("U.1"));
        assert_eq!(errors.len(), 1, "{body}");
        assert_eq!(
            (errors[0].pointer.as_str(), errors[0].code.as_str()),
            (pointer, "amendment_not_supported"),
            "{body}"
        );
        assert!(
            errors[0].message.contains(said),
            "{body}: {}",
            errors[0].message
        );
        assert!(errors[0].message.contains("not supported"));
    }
    let (_, errors) = refused(cases[0].0);
    assert!(errors[0].message.contains("25GB3POHWIVZSF9AR0"));
    for original in [
        "<FunctionCode>9</FunctionCode><TypeCode>IMA</TypeCode>",
        "<TypeCode>EXA</TypeCode>",
    ] {
        draft(original);
    }
}
