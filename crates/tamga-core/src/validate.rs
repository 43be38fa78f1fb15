//! Turns a [`DeclarationDraft`] into a [`Declaration`], reporting every problem at once.
//!
//! Each finding carries a JSON pointer into the submitted document, a stable code and a
//! message. The checks: the form of every code; existence of countries, currencies, offices
//! and commodity codes (in the HS edition in force on the lodgement date); mandatory fields by
//! declaration type; positive quantities, masses and prices; net mass not above gross mass;
//! unique item numbers and containers; procedure codes that fit the declaration type; no
//! lodgement date in the future.

use std::collections::HashSet;
use std::str::FromStr;

use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

use crate::codes::{self, CodeError};
use crate::dates::parse_date;
use crate::draft::{
    DecimalText, DeclarationDraft, DocumentDraft, ItemDraft, PartyDraft, TransportDraft,
};
use crate::model::{
    AdditionalType, BorderTransport, Declaration, DeclarationType, Document, GoodsItem, Incoterm,
    Invoice, Party, TransportMode,
};
use crate::problem::{FieldError, Findings};
use crate::refdata::{HsEditionYear, ReferenceData};

mod extras;
mod items;

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
        _ => Err(v.findings.errors),
    }
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
        let why = kind.map_or(String::new(), |k| {
            format!("for a {} declaration", k.as_str())
        });
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
        Some(Declaration {
            declaration_type: kind?,
            additional_type: additional_type?,
            lrn: lrn?,
            lodgement_date: date?,
            declarant: declarant?,
            importer: importer?,
            exporter: exporter?,
            representative: representative?,
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

    /// Records a code error at `pointer`.
    pub(crate) fn code_error(&mut self, pointer: &str, error: CodeError) {
        self.findings.push(pointer, error.code, error.message);
    }

    /// Parses an optional code; `None` inside means absent, the outer `None` means invalid.
    pub(crate) fn optional_code<T>(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        parse: fn(&str) -> Result<T, CodeError>,
    ) -> Option<Option<T>> {
        match raw.map(parse) {
            None => Some(None),
            Some(Ok(code)) => Some(Some(code)),
            Some(Err(e)) => {
                self.code_error(pointer, e);
                None
            }
        }
    }

    pub(crate) fn required_code<T>(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        parse: fn(&str) -> Result<T, CodeError>,
        why: &str,
    ) -> Option<T> {
        if raw.is_none() {
            self.findings.missing(pointer, why);
        }
        self.optional_code(pointer, raw, parse).flatten()
    }

    pub(crate) fn text(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        max: usize,
    ) -> Option<Option<String>> {
        let Some(raw) = raw else {
            return Some(None);
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            self.findings
                .push(pointer, "empty", format!("{pointer} must not be blank"));
            return None;
        }
        if trimmed.chars().count() > max || trimmed.chars().any(char::is_control) {
            self.findings.push(
                pointer,
                "invalid_text",
                format!("{pointer} must be at most {max} characters, without control characters"),
            );
            return None;
        }
        Some(Some(trimmed.to_owned()))
    }

    pub(crate) fn required_text(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        max: usize,
    ) -> Option<String> {
        if raw.is_none() {
            self.findings.missing(pointer, "");
        }
        self.text(pointer, raw, max).flatten()
    }

    pub(crate) fn country(&mut self, pointer: &str, raw: &str) -> Option<codes::CountryCode> {
        let code = self.optional_code(pointer, Some(raw), codes::CountryCode::parse)??;
        if self.reference.countries.contains(code.as_str()) {
            return Some(code);
        }
        self.findings.push(
            pointer,
            "country_unknown",
            format!("{raw} is not an ISO 3166-1 country code"),
        );
        None
    }

    fn country_if(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        required: bool,
        why: &str,
    ) -> Option<Option<codes::CountryCode>> {
        match raw {
            None if required => {
                self.findings.missing(pointer, why);
                None
            }
            None => Some(None),
            Some(raw) => self.country(pointer, raw).map(Some),
        }
    }

    fn party(&mut self, pointer: &str, p: &PartyDraft) -> Option<Party> {
        let id = self.required_code(
            &format!("{pointer}/id"),
            p.id.as_deref(),
            codes::PartyId::parse,
            "",
        );
        let name = self.required_text(&format!("{pointer}/name"), p.name.as_deref(), 70);
        let country_pointer = format!("{pointer}/country");
        let country = self.country_if(&country_pointer, p.country.as_deref(), true, "");
        let address = self.text(&format!("{pointer}/address"), p.address.as_deref(), 256);
        Some(Party {
            id: id?,
            name: name?,
            country: country??,
            address: address?,
        })
    }

    fn required_party(
        &mut self,
        pointer: &str,
        p: Option<&PartyDraft>,
        why: &str,
    ) -> Option<Party> {
        match p {
            Some(p) => self.party(pointer, p),
            None => {
                self.findings.missing(pointer, why);
                None
            }
        }
    }

    fn party_if(
        &mut self,
        pointer: &str,
        p: Option<&PartyDraft>,
        required: bool,
        why: &str,
    ) -> Option<Option<Party>> {
        match p {
            None if !required => Some(None),
            p => self.required_party(pointer, p, why).map(Some),
        }
    }

    fn office(&mut self, raw: Option<&str>) -> Option<codes::Locode> {
        let pointer = "/customs_office";
        let code = self.required_code(pointer, raw, codes::Locode::parse, "")?;
        if self.reference.offices.contains(code.as_str()) {
            return Some(code);
        }
        self.findings.push(
            pointer,
            "office_unknown",
            format!("{code} is not a customs office known to tamga"),
        );
        None
    }

    fn transport(
        &mut self,
        t: Option<&TransportDraft>,
        needs: &Requirements,
        why: &str,
    ) -> Option<Option<BorderTransport>> {
        let pointer = "/border_transport";
        let Some(t) = t else {
            if needs.transport_mode {
                self.findings.missing(pointer, why);
                return None;
            }
            return Some(None);
        };
        let mode = match t.mode.as_deref() {
            None => {
                self.findings.missing("/border_transport/mode", "");
                None
            }
            Some(raw) => {
                let mode = TransportMode::parse(raw);
                if mode.is_none() {
                    let message = format!(
                        "unknown mode of transport {raw:?}; expected one of {}",
                        TransportMode::list()
                    );
                    self.findings
                        .push("/border_transport/mode", "invalid_code", message);
                }
                mode
            }
        };
        if needs.transport_identification && t.identification.is_none() {
            self.findings
                .missing("/border_transport/identification", why);
        }
        let identification = self.text(
            "/border_transport/identification",
            t.identification.as_deref(),
            35,
        );
        let nationality = self.country_if(
            "/border_transport/nationality",
            t.nationality.as_deref(),
            false,
            "",
        );
        Some(Some(BorderTransport {
            mode: mode?,
            identification: identification?,
            nationality: nationality?,
        }))
    }

    fn containers(&mut self, raw: &[String]) -> Option<Vec<codes::ContainerNumber>> {
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(raw.len());
        let mut ok = true;
        for (i, number) in raw.iter().enumerate() {
            let pointer = format!("/containers/{i}");
            if !seen.insert(number.as_str()) {
                self.findings.push(
                    &pointer,
                    "duplicate",
                    format!("container {number} is listed twice"),
                );
                ok = false;
            }
            match codes::ContainerNumber::parse(number) {
                Ok(c) => out.push(c),
                Err(e) => {
                    self.code_error(&pointer, e);
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    fn invoice(
        &mut self,
        d: &DeclarationDraft,
        required: bool,
        why: &str,
    ) -> Option<Option<Invoice>> {
        let Some(invoice) = &d.invoice else {
            if required {
                self.findings.missing("/invoice", why);
                return None;
            }
            return Some(None);
        };
        let currency = self.required_code(
            "/invoice/currency",
            invoice.currency.as_deref(),
            codes::CurrencyCode::parse,
            "",
        );
        let currency = currency.and_then(|c| {
            if self.reference.currencies.contains(c.as_str()) {
                return Some(c);
            }
            self.findings.push(
                "/invoice/currency",
                "currency_unknown",
                format!("{c} is not a current ISO 4217 currency"),
            );
            None
        });
        let amount =
            self.required_amount("/invoice/amount", invoice.amount.as_ref(), Sign::Positive);
        Some(Some(Invoice {
            currency: currency?,
            amount: amount?,
        }))
    }

    fn incoterm(
        &mut self,
        raw: Option<&str>,
        required: bool,
        why: &str,
    ) -> Option<Option<Incoterm>> {
        let Some(raw) = raw else {
            if required {
                self.findings.missing("/incoterm", why);
                return None;
            }
            return Some(None);
        };
        let parsed = Incoterm::parse(raw);
        if parsed.is_none() {
            let message = format!(
                "unknown Incoterms 2020 code {raw:?}; expected one of {}",
                Incoterm::list()
            );
            self.findings.push("/incoterm", "invalid_code", message);
        }
        parsed.map(Some)
    }

    pub(crate) fn documents(
        &mut self,
        base: &str,
        docs: &[DocumentDraft],
    ) -> Option<Vec<Document>> {
        let mut out = Vec::with_capacity(docs.len());
        let mut ok = true;
        for (i, doc) in docs.iter().enumerate() {
            let pointer = format!("{base}/documents/{i}");
            let kind = self.required_code(
                &format!("{pointer}/type"),
                doc.document_type.as_deref(),
                codes::DocumentType::parse,
                "",
            );
            let reference = self.required_text(
                &format!("{pointer}/reference"),
                doc.reference.as_deref(),
                70,
            );
            match (kind, reference) {
                (Some(document_type), Some(reference)) => out.push(Document {
                    document_type,
                    reference,
                }),
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(crate) fn decimal(
        &mut self,
        pointer: &str,
        raw: &DecimalText,
        sign: Sign,
    ) -> Option<Decimal> {
        let text = raw.0.trim();
        let parsed = Decimal::from_str(text).or_else(|_| Decimal::from_scientific(text));
        let Ok(value) = parsed else {
            self.findings.push(
                pointer,
                "invalid_number",
                format!("{:?} is not a decimal number", raw.0),
            );
            return None;
        };
        let (fails, code, rule) = match sign {
            Sign::Positive | Sign::PositiveMeasure => {
                (value <= Decimal::ZERO, "not_positive", "greater than zero")
            }
            Sign::NonNegative => (value < Decimal::ZERO, "negative", "zero or more"),
        };
        let max = sign.max();
        if !fails && (value > max || value.normalize().scale() > MAX_DECIMALS) {
            self.findings.push(
                pointer,
                "out_of_range",
                format!("{pointer} must be at most {max} with at most {MAX_DECIMALS} decimals"),
            );
            return None;
        }
        if fails {
            self.findings.push(
                pointer,
                code,
                format!("{pointer} must be {rule}, got {value}"),
            );
            return None;
        }
        Some(value.normalize())
    }

    pub(crate) fn optional_amount(
        &mut self,
        pointer: &str,
        raw: Option<&DecimalText>,
        sign: Sign,
    ) -> Option<Option<Decimal>> {
        match raw {
            None => Some(None),
            Some(raw) => self.decimal(pointer, raw, sign).map(Some),
        }
    }

    pub(crate) fn required_amount(
        &mut self,
        pointer: &str,
        raw: Option<&DecimalText>,
        sign: Sign,
    ) -> Option<Decimal> {
        if raw.is_none() {
            self.findings.missing(pointer, "");
        }
        self.optional_amount(pointer, raw, sign).flatten()
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

/// The sign, and so the range, a number must have. Ranges keep every assessment far from the
/// limits of decimal arithmetic: amounts up to 10^12, masses and quantities up to 10^9.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Sign {
    /// A positive amount of money.
    Positive,
    /// Zero or a positive amount of money.
    NonNegative,
    /// A positive mass or quantity.
    PositiveMeasure,
}

/// The most decimals a number may carry.
pub const MAX_DECIMALS: u32 = 6;

impl Sign {
    fn max(self) -> Decimal {
        match self {
            Sign::Positive | Sign::NonNegative => Decimal::from(1_000_000_000_000_i64),
            Sign::PositiveMeasure => Decimal::from(1_000_000_000_i64),
        }
    }
}

#[cfg(test)]
mod tests;
