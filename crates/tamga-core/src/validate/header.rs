//! Checks of the declaration header: parties, office, transport, containers, invoice,
//! incoterm and documents.

use std::collections::HashSet;

use super::{Requirements, Sign, Validator};
use crate::codes;
use crate::draft::{DeclarationDraft, DocumentDraft, PartyDraft, TransportDraft};
use crate::model::{BorderTransport, Document, Incoterm, Invoice, Party, TransportMode};
use crate::party::Representation;

impl Validator<'_> {
    pub(super) fn party(&mut self, pointer: &str, p: &PartyDraft) -> Option<Party> {
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

    pub(super) fn required_party(
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

    pub(super) fn party_if(
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

    /// The kind of representation, which only a declaration naming a representative states.
    pub(super) fn representation(
        &mut self,
        d: &DeclarationDraft,
    ) -> Option<Option<Representation>> {
        let pointer = "/representation";
        let Some(raw) = d.representation.as_deref() else {
            return Some(None);
        };
        let Some(representation) = Representation::parse(raw.trim()) else {
            let message = format!("{pointer} is direct or indirect, not {raw:?}");
            self.findings
                .push(pointer, "representation_unknown", message);
            return None;
        };
        if d.representative.is_none() {
            let message = "a representation is stated only with the /representative it concerns";
            self.findings
                .push(pointer, "representation_without_representative", message);
            return None;
        }
        Some(Some(representation))
    }

    pub(super) fn office(&mut self, raw: Option<&str>) -> Option<codes::Locode> {
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

    pub(super) fn transport(
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

    pub(super) fn containers(&mut self, raw: &[String]) -> Option<Vec<codes::ContainerNumber>> {
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

    pub(super) fn invoice(
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

    pub(super) fn incoterm(
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
        let parsed: Vec<Option<Document>> = docs
            .iter()
            .enumerate()
            .map(|(i, doc)| self.document(&format!("{base}/documents/{i}"), doc))
            .collect();
        parsed.into_iter().collect()
    }

    /// A document names its reference, or a status or statement saying why it has none (e.g.
    /// status XX, not required; a waiver "Excluded product").
    fn document(&mut self, pointer: &str, doc: &DocumentDraft) -> Option<Document> {
        let at = |field: &str| format!("{pointer}/{field}");
        let kind = self.required_code(
            &at("type"),
            doc.document_type.as_deref(),
            codes::DocumentType::parse,
            "",
        );
        let reference = self.text(&at("reference"), doc.reference.as_deref(), 70);
        let status = self.optional_status(&at("status"), doc.status.as_deref());
        let statement = self.text(&at("statement"), doc.statement.as_deref(), 256);
        if doc.reference.is_none() && doc.status.is_none() && doc.statement.is_none() {
            self.findings.missing(
                &at("reference"),
                "unless a status or statement says why the document has none",
            );
            return None;
        }
        Some(Document {
            document_type: kind?,
            reference: reference?,
            status: status?,
            statement: statement?,
        })
    }

    /// A document status: two capital letters or digits (WCO DM 2/3).
    fn optional_status(&mut self, pointer: &str, raw: Option<&str>) -> Option<Option<String>> {
        let Some(raw) = raw else {
            return Some(None);
        };
        let valid = raw.len() == 2
            && raw
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if valid {
            return Some(Some(raw.to_owned()));
        }
        self.findings.push(
            pointer,
            "invalid_code",
            format!("{pointer} is two capital letters or digits (e.g. AC, XX), got {raw:?}"),
        );
        None
    }
}
