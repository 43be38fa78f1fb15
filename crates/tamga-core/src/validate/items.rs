//! Checks of one goods item.

use rust_decimal::Decimal;
use time::Date;

use super::{Sign, Validator};
use crate::codes::{self, CommodityCode};
use crate::draft::{ItemDraft, PackagesDraft, QuantityDraft};
use crate::model::{DeclarationType, GoodsItem, Packages, Quantity};
use crate::refdata::HsEditionYear;

/// Requested procedures (first two digits of the procedure code) that fit each declaration
/// type; the codes are those the EU and the CIS customs codes share (40 release for free
/// circulation, 10 export, 80 transit, ...).
fn procedures_for(kind: DeclarationType) -> &'static [&'static str] {
    match kind {
        DeclarationType::Import => &[
            "01", "07", "40", "42", "43", "44", "45", "46", "48", "49", "51", "53", "54", "61",
            "63", "68", "71", "76", "77", "78",
        ],
        DeclarationType::Export => &["10", "11", "21", "22", "23", "24", "31"],
        DeclarationType::Transit => &["80"],
    }
}

impl Validator<'_> {
    pub(super) fn item(
        &mut self,
        i: usize,
        d: &ItemDraft,
        kind: Option<DeclarationType>,
        edition: Option<HsEditionYear>,
        date: Option<Date>,
    ) -> Option<GoodsItem> {
        let base = format!("/items/{i}");
        let at = |field: &str| format!("{base}/{field}");
        let sequence = self.sequence(&at("sequence"), d.sequence);
        let description = self.required_text(&at("description"), d.description.as_deref(), 512);
        let commodity = self.commodity(
            &at("commodity_code"),
            d.commodity_code.as_deref(),
            edition,
            date,
        );
        let needs_origin = kind == Some(DeclarationType::Import);
        let origin = self.item_origin(&at("origin"), d.origin.as_deref(), needs_origin);
        let preference = self.optional_code(
            &at("preference"),
            d.preference.as_deref(),
            codes::PreferenceCode::parse,
        );
        let procedure = self.procedure(&at("procedure"), d.procedure.as_deref(), kind);
        let packages = self.packages(&at("packages"), d.packages.as_ref());
        let net = self.required_amount(&at("net_mass"), d.net_mass.as_ref(), Sign::PositiveMeasure);
        let gross = self.required_amount(
            &at("gross_mass"),
            d.gross_mass.as_ref(),
            Sign::PositiveMeasure,
        );
        self.masses(&at("net_mass"), net, gross);
        let supplementary = self.quantity(
            &at("supplementary_quantity"),
            d.supplementary_quantity.as_ref(),
        );
        let additional = self.additional_quantities(&base, &d.additional_quantities);
        let priced = matches!(
            kind,
            Some(DeclarationType::Import | DeclarationType::Export)
        );
        let price = if priced {
            self.required_amount(&at("price"), d.price.as_ref(), Sign::Positive)
                .map(Some)
        } else {
            self.optional_amount(&at("price"), d.price.as_ref(), Sign::Positive)
        };
        let documents = self.documents(&base, &d.documents);
        let declared_taxes = self.declared_taxes(&base, &d.declared_taxes);
        let adjustments = self.short_codes(
            &format!("{base}/valuation_adjustments"),
            &d.valuation_adjustments,
        );
        Some(GoodsItem {
            sequence: sequence?,
            description: description?,
            commodity_code: commodity?,
            origin: origin?,
            preference: preference?,
            procedure: procedure?,
            packages: packages?,
            net_mass: net?,
            gross_mass: gross?,
            supplementary_quantity: supplementary?,
            additional_quantities: additional?,
            price: price?,
            documents: documents?,
            declared_taxes: declared_taxes?,
            valuation_adjustments: adjustments?,
        })
    }

    fn sequence(&mut self, pointer: &str, raw: Option<i64>) -> Option<u16> {
        let Some(raw) = raw else {
            self.findings.missing(pointer, "");
            return None;
        };
        let valid = u16::try_from(raw).ok().filter(|n| (1..=999).contains(n));
        if valid.is_none() {
            self.findings.push(
                pointer,
                "out_of_range",
                format!("a goods item number is 1 to 999, got {raw}"),
            );
        }
        valid
    }

    fn item_origin(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        required: bool,
    ) -> Option<Option<codes::CountryCode>> {
        match raw {
            None if required => {
                self.findings
                    .missing(pointer, DeclarationType::Import.described());
                None
            }
            None => Some(None),
            Some(raw) => self.country(pointer, raw).map(Some),
        }
    }

    /// A commodity code must be 6 to 10 digits whose first six are a subheading of the HS
    /// edition in force on the lodgement date.
    fn commodity(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        edition: Option<HsEditionYear>,
        date: Option<Date>,
    ) -> Option<CommodityCode> {
        let Some(raw) = raw else {
            self.findings.missing(pointer, "");
            return None;
        };
        if let Some(found) = self.not_a_leaf(pointer, raw, edition) {
            return found;
        }
        let code = self.required_code(pointer, Some(raw), CommodityCode::parse, "")?;
        let (Some(edition), Some(date)) = (edition, date) else {
            return None;
        };
        let hs = self.reference.nomenclature(edition);
        if hs.is_subheading(code.hs6()) {
            return Some(code);
        }
        let on = crate::dates::format_date(date);
        let replaced =
            edition == HsEditionYear::Hs2022 && self.reference.hs2017.is_subheading(code.hs6());
        let message = if replaced {
            let successors = self.reference.hs2017_to_2022.get(code.hs6());
            let hint = successors.map_or(String::new(), |s| {
                format!("; in HS 2022 it corresponds to {}", s.join(", "))
            });
            format!(
                "HS 2017 subheading {} was replaced by HS 2022 on 2022-01-01 (lodged {on}){hint}",
                code.hs6()
            )
        } else {
            format!(
                "{} is not a subheading of {}, in force on {on}",
                code.hs6(),
                edition.label()
            )
        };
        self.findings
            .push(pointer, "commodity_code_unknown", message);
        None
    }

    /// Reports a chapter or heading given where a subheading is needed.
    fn not_a_leaf(
        &mut self,
        pointer: &str,
        raw: &str,
        edition: Option<HsEditionYear>,
    ) -> Option<Option<CommodityCode>> {
        let edition = edition?;
        let short = matches!(raw.len(), 2 | 4) && raw.bytes().all(|b| b.is_ascii_digit());
        let entry = self
            .reference
            .nomenclature(edition)
            .get(raw)
            .filter(|_| short)?;
        let level = if entry.level() == 2 {
            "chapter"
        } else {
            "heading"
        };
        let message = format!(
            "{raw} is an HS {level} ({}); declare the 6-digit subheading, optionally with national digits",
            entry.description
        );
        self.findings
            .push(pointer, "commodity_code_not_leaf", message);
        Some(None)
    }

    fn procedure(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        kind: Option<DeclarationType>,
    ) -> Option<codes::ProcedureCode> {
        let code = self.required_code(pointer, raw, codes::ProcedureCode::parse, "")?;
        let Some(kind) = kind else {
            return Some(code);
        };
        let allowed = procedures_for(kind);
        if allowed.contains(&code.requested()) {
            return Some(code);
        }
        let message = format!(
            "requested procedure {} does not fit {}; expected one of {}",
            code.requested(),
            kind.described(),
            allowed.join(", ")
        );
        self.findings
            .push(pointer, "procedure_type_mismatch", message);
        None
    }

    fn packages(&mut self, pointer: &str, p: Option<&PackagesDraft>) -> Option<Option<Packages>> {
        let Some(p) = p else {
            return Some(None);
        };
        let count_pointer = format!("{pointer}/count");
        let count = match p.count {
            None => {
                self.findings.missing(&count_pointer, "");
                None
            }
            Some(n) => {
                // Stored as a 32-bit integer on both backends.
                let valid = u32::try_from(n)
                    .ok()
                    .filter(|n| *n > 0 && i32::try_from(*n).is_ok());
                if valid.is_none() {
                    let (code, bound) = if n > 0 {
                        ("out_of_range", "at most 2147483647")
                    } else {
                        ("not_positive", "greater than zero")
                    };
                    self.findings.push(
                        &count_pointer,
                        code,
                        format!("{count_pointer} must be {bound}, got {n}"),
                    );
                }
                valid
            }
        };
        let kind = self.required_code(
            &format!("{pointer}/kind"),
            p.kind.as_deref(),
            codes::PackageKind::parse,
            "",
        );
        let marks = self.text(&format!("{pointer}/marks"), p.marks.as_deref(), 512);
        Some(Some(Packages {
            count: count?,
            kind: kind?,
            marks: marks?,
        }))
    }

    fn masses(&mut self, pointer: &str, net: Option<Decimal>, gross: Option<Decimal>) {
        if let (Some(net), Some(gross)) = (net, gross) {
            if net > gross {
                self.findings.push(
                    pointer,
                    "net_mass_exceeds_gross",
                    format!("net mass {net} kg is above gross mass {gross} kg"),
                );
            }
        }
    }

    fn quantity(&mut self, pointer: &str, q: Option<&QuantityDraft>) -> Option<Option<Quantity>> {
        let Some(q) = q else {
            return Some(None);
        };
        let quantity = self.required_amount(
            &format!("{pointer}/quantity"),
            q.quantity.as_ref(),
            Sign::PositiveMeasure,
        );
        // Without a unit the quantity is in the commodity's supplementary unit (the tariff's).
        let unit = self.optional_code(
            &format!("{pointer}/unit"),
            q.unit.as_deref(),
            codes::UnitCode::parse,
        );
        Some(Some(Quantity {
            quantity: quantity?,
            unit: unit?,
        }))
    }
}
