//! Turns a [`DeclarationDraft`] into a [`Declaration`], reporting every problem at once.
//!
//! Each finding carries a JSON pointer into the submitted document, a stable code and a
//! message. The checks: the form of every code; existence of countries, currencies, offices
//! and commodity codes (in the HS edition in force on the lodgement date); mandatory fields by
//! declaration type; positive quantities, masses and prices; net mass not above gross mass;
//! unique item numbers and containers; procedure codes that fit the declaration type; no
//! lodgement date in the future.

use std::collections::HashSet;

use time::{Date, OffsetDateTime};

use crate::codes;
use crate::dates::parse_date;
use crate::draft::{DeclarationDraft, ItemDraft};
use crate::model::{AdditionalType, Declaration, DeclarationType, GoodsItem};
use crate::problem::{FieldError, Findings};
use crate::refdata::{HsEditionYear, ReferenceData};

mod extras;
mod fields;
mod header;
mod items;
mod quantities;

pub(crate) use fields::Sign;
pub use fields::MAX_DECIMALS;

/// The most goods items one declaration may carry.
pub const MAX_ITEMS: usize = 999;

/// Validates `draft` against `reference` at the instant `now`. "Today" is the calendar day at
/// the customs office (see [`crate::refdata::office_utc_offset`]), so a declarant in Tashkent
/// may date a declaration with its own date just after local midnight.
pub fn validate(
    draft: &DeclarationDraft,
    reference: &ReferenceData,
    now: OffsetDateTime,
) -> Result<Declaration, Vec<FieldError>> {
    let mut v = Validator {
        findings: Findings::default(),
        reference,
    };
    let declaration = v.declaration(draft, now);
    match declaration {
        Some(d) if v.findings.is_empty() => Ok(d),
        _ => Err(name_items(draft, v.findings.errors)),
    }
}

/// Item problems say which goods item, as the declarant numbers it (its sequence number, else
/// its position from 1); the JSON pointer stays 0-based.
fn name_items(draft: &DeclarationDraft, mut errors: Vec<FieldError>) -> Vec<FieldError> {
    for error in &mut errors {
        let Some(rest) = error.pointer.strip_prefix("/items/") else {
            continue;
        };
        let Some(index) = rest.split('/').next().and_then(|i| i.parse::<usize>().ok()) else {
            continue;
        };
        let number = draft
            .items
            .get(index)
            .and_then(|item| item.sequence)
            .filter(|n| *n > 0)
            .map_or(index + 1, |n| usize::try_from(n).unwrap_or(index + 1));
        error.message = format!("goods item {number}: {}", error.message);
    }
    errors
}

pub(crate) struct Validator<'r> {
    pub(crate) findings: Findings,
    pub(crate) reference: &'r ReferenceData,
}

/// What a declaration type demands of the header.
struct Requirements {
    importer: bool,
    exporter: bool,
    dispatch: bool,
    destination: bool,
    invoice: bool,
    transport_mode: bool,
    transport_identification: bool,
}

impl Requirements {
    fn of(kind: Option<DeclarationType>) -> Self {
        let is = |k| kind == Some(k);
        let (im, ex, tr) = (
            is(DeclarationType::Import),
            is(DeclarationType::Export),
            is(DeclarationType::Transit),
        );
        Self {
            importer: im,
            exporter: ex,
            dispatch: im || tr,
            destination: ex || tr,
            invoice: im || ex,
            transport_mode: im || ex || tr,
            transport_identification: tr,
        }
    }
}

impl Validator<'_> {
    fn declaration(&mut self, d: &DeclarationDraft, now: OffsetDateTime) -> Option<Declaration> {
        let kind = self.declaration_type(d.declaration_type.as_deref());
        let needs = Requirements::of(kind);
        let why = kind.map_or(String::new(), |k| format!("for {}", k.described()));
        let additional_type = self.additional_type(d.additional_type.as_deref());
        let lrn = self.required_code("/lrn", d.lrn.as_deref(), codes::Lrn::parse, "");
        let office = self.office(d.customs_office.as_deref());
        let country = office.as_ref().map_or("UZ", |o| o.country());
        let today = now
            .to_offset(crate::refdata::office_utc_offset(country))
            .date();
        let date = self.lodgement_date(d.lodgement_date.as_deref(), today);
        let declarant = self.required_party("/declarant", d.declarant.as_ref(), "");
        let importer = self.party_if("/importer", d.importer.as_ref(), needs.importer, &why);
        let exporter = self.party_if("/exporter", d.exporter.as_ref(), needs.exporter, &why);
        let representative = self.party_if("/representative", d.representative.as_ref(), false, "");
        let representation = self.representation(d);
        let dispatch = self.country_if(
            "/country_of_dispatch",
            d.country_of_dispatch.as_deref(),
            needs.dispatch,
            &why,
        );
        let destination = self.country_if(
            "/country_of_destination",
            d.country_of_destination.as_deref(),
            needs.destination,
            &why,
        );
        let transport = self.transport(d.border_transport.as_ref(), &needs, &why);
        let containers = self.containers(&d.containers);
        let invoice = self.invoice(d, needs.invoice, &why);
        let incoterm = self.incoterm(
            d.incoterm.as_deref(),
            kind == Some(DeclarationType::Import),
            &why,
        );
        let freight = self.optional_amount("/freight", d.freight.as_ref(), Sign::NonNegative);
        let insurance = self.optional_amount("/insurance", d.insurance.as_ref(), Sign::NonNegative);
        let documents = self.documents("", &d.documents);
        let authorisations = self.authorisations(&d.authorisations);
        let edition = date.and_then(HsEditionYear::in_force_on);
        let items = self.items(&d.items, kind, edition, date);
        let transit = self.transit(d.transit.as_ref(), kind, office.as_ref(), date);
        Some(Declaration {
            declaration_type: kind?,
            additional_type: additional_type?,
            lrn: lrn?,
            lodgement_date: date?,
            declarant: declarant?,
            importer: importer?,
            exporter: exporter?,
            representative: representative?,
            representation: representation?,
            customs_office: office?,
            country_of_dispatch: dispatch?,
            country_of_destination: destination?,
            border_transport: transport?,
            containers: containers?,
            invoice: invoice?,
            incoterm: incoterm?,
            freight: freight?,
            insurance: insurance?,
            documents: documents?,
            authorisations: authorisations?,
            items: items?,
            transit: transit?,
        })
    }

    fn declaration_type(&mut self, raw: Option<&str>) -> Option<DeclarationType> {
        let Some(raw) = raw else {
            self.findings.missing("/type", "");
            return None;
        };
        let parsed = DeclarationType::parse(raw);
        if parsed.is_none() {
            let message = format!(
                "unknown declaration type {raw:?}; expected one of {}",
                DeclarationType::list()
            );
            self.findings.push("/type", "invalid_code", message);
        }
        parsed
    }

    fn additional_type(&mut self, raw: Option<&str>) -> Option<AdditionalType> {
        let Some(raw) = raw else {
            return Some(AdditionalType::Standard);
        };
        let parsed = AdditionalType::parse(raw);
        if parsed.is_none() {
            let message = format!(
                "unknown additional declaration type {raw:?}; expected one of {}",
                AdditionalType::list()
            );
            self.findings
                .push("/additional_type", "invalid_code", message);
        }
        parsed
    }

    fn lodgement_date(&mut self, raw: Option<&str>, today: Date) -> Option<Date> {
        let Some(raw) = raw else {
            return Some(today);
        };
        let pointer = "/lodgement_date";
        let Ok(date) = parse_date(raw) else {
            self.findings.push(
                pointer,
                "invalid_format",
                format!("{raw:?} is not a date of the form YYYY-MM-DD"),
            );
            return None;
        };
        if date > today {
            self.findings.push(
                pointer,
                "date_in_future",
                format!("the lodgement date {raw} is after today"),
            );
            return None;
        }
        if HsEditionYear::in_force_on(date).is_none() {
            self.findings.push(
                pointer,
                "date_out_of_range",
                "tamga holds the HS editions from 2017 on; the lodgement date is before 2017-01-01",
            );
            return None;
        }
        Some(date)
    }

    fn items(
        &mut self,
        drafts: &[ItemDraft],
        kind: Option<DeclarationType>,
        edition: Option<HsEditionYear>,
        date: Option<Date>,
    ) -> Option<Vec<GoodsItem>> {
        if drafts.is_empty() {
            self.findings.push(
                "/items",
                "missing",
                "a declaration needs at least one goods item",
            );
            return None;
        }
        if drafts.len() > MAX_ITEMS {
            self.findings.push(
                "/items",
                "too_many_items",
                format!(
                    "a declaration may carry at most {MAX_ITEMS} goods items, got {}",
                    drafts.len()
                ),
            );
            return None;
        }
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(drafts.len());
        let mut ok = true;
        for (i, draft) in drafts.iter().enumerate() {
            let item = self.item(i, draft, kind, edition, date);
            match item {
                Some(item) if !seen.insert(item.sequence) => {
                    self.findings.push(
                        format!("/items/{i}/sequence"),
                        "duplicate",
                        format!("goods item number {} is used twice", item.sequence),
                    );
                    ok = false;
                }
                Some(item) => out.push(item),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_intake;
