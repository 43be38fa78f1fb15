//! Checks of what a declaration carries beside the goods: authorisations, the duties the
//! declarant computed, valuation adjustment codes.

use super::{Sign, Validator};
use crate::codes::PartyId;
use crate::draft::{AuthorisationDraft, DeclaredTaxDraft};
use crate::model::{Authorisation, DeclaredTax};

/// A short code: 1 to 4 capital letters or digits.
fn short_code(raw: &str) -> bool {
    (1..=4).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

impl Validator<'_> {
    fn short_code(&mut self, pointer: &str, raw: Option<&str>) -> Option<String> {
        let Some(raw) = raw else {
            self.findings.missing(pointer, "");
            return None;
        };
        if short_code(raw) {
            return Some(raw.to_owned());
        }
        self.findings.push(
            pointer,
            "invalid_code",
            format!("{pointer} is 1 to 4 capital letters or digits, got {raw:?}"),
        );
        None
    }

    pub(super) fn short_codes(&mut self, pointer: &str, raw: &[String]) -> Option<Vec<String>> {
        let codes: Vec<Option<String>> = raw
            .iter()
            .enumerate()
            .map(|(i, code)| self.short_code(&format!("{pointer}/{i}"), Some(code)))
            .collect();
        codes.into_iter().collect()
    }

    pub(super) fn authorisations(
        &mut self,
        raw: &[AuthorisationDraft],
    ) -> Option<Vec<Authorisation>> {
        let parsed: Vec<Option<Authorisation>> = raw
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let pointer = format!("/authorisations/{i}");
                let id = self.required_code(
                    &format!("{pointer}/id"),
                    a.id.as_deref(),
                    PartyId::parse,
                    "",
                );
                let category =
                    self.short_code(&format!("{pointer}/category"), a.category.as_deref());
                Some(Authorisation {
                    id: id?,
                    category: category?,
                })
            })
            .collect();
        parsed.into_iter().collect()
    }

    pub(super) fn declared_taxes(
        &mut self,
        base: &str,
        raw: &[DeclaredTaxDraft],
    ) -> Option<Vec<DeclaredTax>> {
        let parsed: Vec<Option<DeclaredTax>> = raw
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let pointer = format!("{base}/declared_taxes/{i}");
                let at = |field: &str| format!("{pointer}/{field}");
                let tax_type = self.short_code(&at("tax_type"), t.tax_type.as_deref());
                let tax_base =
                    self.optional_amount(&at("base"), t.base.as_ref(), Sign::NonNegative);
                let rate = self.optional_amount(&at("rate"), t.rate.as_ref(), Sign::NonNegative);
                let amount =
                    self.optional_amount(&at("amount"), t.amount.as_ref(), Sign::NonNegative);
                let method = match t.payment_method.as_deref() {
                    None => Some(None),
                    Some(m) => self.short_code(&at("payment_method"), Some(m)).map(Some),
                };
                Some(DeclaredTax {
                    tax_type: tax_type?,
                    base: tax_base?,
                    rate: rate?,
                    amount: amount?,
                    payment_method: method?,
                })
            })
            .collect();
        parsed.into_iter().collect()
    }
}
