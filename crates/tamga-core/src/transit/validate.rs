//! Validation of the transit particulars: every problem named by its JSON pointer under
//! `/transit`.

use std::collections::HashSet;

use time::Date;

use super::draft::{EquipmentDraft, GuaranteeDraft, GuaranteeReferenceDraft, TransitDraft};
use super::*;
use crate::codes;
use crate::dates::parse_date;
use crate::model::DeclarationType;
use crate::validate::{Sign, Validator};

impl Validator<'_> {
    /// The transit particulars: only on a TR declaration, where they are optional (a TR
    /// declaration without them opens no movement).
    pub(crate) fn transit(
        &mut self,
        draft: Option<&TransitDraft>,
        kind: Option<DeclarationType>,
        office: Option<&Locode>,
        lodged: Option<Date>,
    ) -> Option<Option<TransitParticulars>> {
        let Some(t) = draft else { return Some(None) };
        if kind.is_some_and(|k| k != DeclarationType::Transit) {
            self.findings.push(
                "/transit",
                "not_allowed",
                "transit particulars belong to a transit declaration (TR) only",
            );
            return None;
        }
        let departure = self.departure(t.office_of_departure.as_deref(), office);
        let transit = self.offices_of_transit(&t.offices_of_transit);
        let destination = self.transit_office(
            "/transit/office_of_destination",
            t.office_of_destination.as_deref(),
            true,
        );
        let itinerary = self.itinerary(&t.itinerary);
        let time_limit = self.time_limit(t.time_limit.as_deref(), lodged);
        let equipment = self.equipment(&t.equipment);
        let guarantees = self.guarantees(&t.guarantees);
        Some(Some(TransitParticulars {
            office_of_departure: departure?,
            offices_of_transit: transit?,
            office_of_destination: destination??,
            itinerary: itinerary?,
            binding_itinerary: t.binding_itinerary,
            time_limit: time_limit?,
            equipment: equipment?,
            guarantees: guarantees?,
        }))
    }

    fn departure(&mut self, raw: Option<&str>, lodged_at: Option<&Locode>) -> Option<Locode> {
        let pointer = "/transit/office_of_departure";
        let Some(raw) = raw else {
            return lodged_at.cloned();
        };
        let code = self.optional_code(pointer, Some(raw), codes::Locode::parse)??;
        if !self.reference.offices.contains(code.as_str()) {
            let message = format!("{code} is not a customs office known to tamga");
            self.findings.push(pointer, "office_unknown", message);
            return None;
        }
        Some(code)
    }

    /// An office of transit or destination: a known office, or a UN/LOCODE of another
    /// administration (its country known) that tamga's list does not hold.
    fn transit_office(
        &mut self,
        pointer: &str,
        raw: Option<&str>,
        required: bool,
    ) -> Option<Option<Locode>> {
        let code = if required {
            Some(self.required_code(pointer, raw, codes::Locode::parse, "")?)
        } else {
            self.optional_code(pointer, raw, codes::Locode::parse)?
        };
        let Some(code) = code else { return Some(None) };
        let known = self.reference.offices.contains(code.as_str());
        let foreign = code.country() != "UZ" && self.reference.countries.contains(code.country());
        if known || foreign {
            return Some(Some(code));
        }
        let message = format!("{code} is neither a customs office known to tamga nor a UN/LOCODE of another administration");
        self.findings.push(pointer, "office_unknown", message);
        None
    }

    fn offices_of_transit(&mut self, raw: &[String]) -> Option<Vec<Locode>> {
        let pointer = "/transit/offices_of_transit";
        if raw.len() > MAX_OFFICES_OF_TRANSIT {
            let message = format!("at most {MAX_OFFICES_OF_TRANSIT} offices of transit");
            self.findings.push(pointer, "too_many", message);
            return None;
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let mut ok = true;
        for (i, office) in raw.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            match self.transit_office(&at, Some(office), false) {
                Some(Some(code)) if seen.insert(code.clone()) => out.push(code),
                Some(Some(code)) => {
                    let message = format!("office of transit {code} is listed twice");
                    self.findings.push(&at, "duplicate", message);
                    ok = false;
                }
                _ => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn itinerary(&mut self, raw: &[String]) -> Option<Vec<CountryCode>> {
        if raw.len() > 99 {
            let message = "at most 99 countries of routing";
            self.findings
                .push("/transit/itinerary", "too_many", message);
            return None;
        }
        let countries: Vec<_> = raw
            .iter()
            .enumerate()
            .map(|(i, c)| self.country(&format!("/transit/itinerary/{i}"), c))
            .collect();
        countries.into_iter().collect()
    }

    fn time_limit(&mut self, raw: Option<&str>, lodged: Option<Date>) -> Option<Date> {
        let pointer = "/transit/time_limit";
        let Some(raw) = raw else {
            self.findings.missing(pointer, "for a transit movement");
            return None;
        };
        let Ok(date) = parse_date(raw) else {
            let message = format!("{raw:?} is not a date of the form YYYY-MM-DD");
            self.findings.push(pointer, "invalid_format", message);
            return None;
        };
        if lodged.is_some_and(|l| date < l) {
            let message = format!("the time limit {raw} is before the lodgement date");
            self.findings.push(pointer, "date_in_past", message);
            return None;
        }
        Some(date)
    }

    fn equipment(&mut self, raw: &[EquipmentDraft]) -> Option<Vec<Equipment>> {
        if raw.len() > MAX_EQUIPMENT {
            let message = format!("at most {MAX_EQUIPMENT} pieces of equipment");
            self.findings
                .push("/transit/equipment", "too_many", message);
            return None;
        }
        let mut seals_seen = HashSet::new();
        let pieces: Vec<_> = raw
            .iter()
            .enumerate()
            .map(|(i, e)| self.piece(i, e, &mut seals_seen))
            .collect();
        pieces.into_iter().collect()
    }

    fn piece(
        &mut self,
        i: usize,
        e: &EquipmentDraft,
        seen: &mut HashSet<String>,
    ) -> Option<Equipment> {
        let pointer = format!("/transit/equipment/{i}");
        let container = self.optional_code(
            &format!("{pointer}/container"),
            e.container.as_deref(),
            codes::ContainerNumber::parse,
        );
        if e.seals.len() > MAX_SEALS {
            let message = format!("at most {MAX_SEALS} seals per piece of equipment");
            self.findings
                .push(format!("{pointer}/seals"), "too_many", message);
            return None;
        }
        let mut seals = Vec::with_capacity(e.seals.len());
        let mut ok = true;
        for (j, s) in e.seals.iter().enumerate() {
            let at = format!("{pointer}/seals/{j}");
            let identifier = match s.identifier.as_deref() {
                None => {
                    self.findings.missing(&format!("{at}/identifier"), "");
                    None
                }
                Some(id) if !seal_identifier_ok(id) => {
                    let message = format!("{id:?} is not a seal identifier: 1 to 20 capital letters, digits or inner hyphens");
                    self.findings
                        .push(format!("{at}/identifier"), "invalid_format", message);
                    None
                }
                Some(id) if !seen.insert(id.to_owned()) => {
                    let message = format!("seal {id} is declared twice");
                    self.findings
                        .push(format!("{at}/identifier"), "duplicate", message);
                    None
                }
                Some(id) => Some(id.to_owned()),
            };
            let class = match s.class.as_deref() {
                None => {
                    self.findings.missing(&format!("{at}/class"), "");
                    None
                }
                Some(c) => {
                    let class = SealClass::parse(c);
                    if class.is_none() {
                        let message = format!(
                            "{c:?} is not an ISO 17712 class: I indicative, S security, H high security"
                        );
                        self.findings
                            .push(format!("{at}/class"), "invalid_code", message);
                    }
                    class
                }
            };
            match (identifier, class) {
                (Some(identifier), Some(class)) => seals.push(Seal { identifier, class }),
                _ => ok = false,
            }
        }
        let container = container?;
        ok.then_some(Equipment { container, seals })
    }

    fn guarantees(&mut self, raw: &[GuaranteeDraft]) -> Option<Vec<Guarantee>> {
        let pointer = "/transit/guarantees";
        if raw.is_empty() {
            let message = "a transit movement needs at least one guarantee";
            self.findings.push(pointer, "missing", message);
            return None;
        }
        if raw.len() > MAX_GUARANTEES {
            let message = format!("at most {MAX_GUARANTEES} guarantees");
            self.findings.push(pointer, "too_many", message);
            return None;
        }
        let all: Vec<_> = raw
            .iter()
            .enumerate()
            .map(|(i, g)| self.guarantee(i, g))
            .collect();
        all.into_iter().collect()
    }

    fn guarantee(&mut self, i: usize, g: &GuaranteeDraft) -> Option<Guarantee> {
        let pointer = format!("/transit/guarantees/{i}");
        let kind = match g.guarantee_type.as_deref() {
            None => {
                self.findings.missing(&format!("{pointer}/type"), "");
                None
            }
            Some(raw) => {
                let kind = GuaranteeType::parse(raw);
                if kind.is_none() {
                    let list: Vec<_> = GuaranteeType::ALL.iter().map(|t| t.as_str()).collect();
                    let message = format!(
                        "unknown guarantee type {raw:?}; expected one of {}",
                        list.join(", ")
                    );
                    self.findings
                        .push(format!("{pointer}/type"), "invalid_code", message);
                }
                kind
            }
        };
        if g.references.len() > MAX_REFERENCES {
            let message = format!("at most {MAX_REFERENCES} references per guarantee");
            self.findings
                .push(format!("{pointer}/references"), "too_many", message);
            return None;
        }
        let references: Vec<_> = g
            .references
            .iter()
            .enumerate()
            .map(|(j, r)| self.reference_of(&format!("{pointer}/references/{j}"), kind, r))
            .collect();
        let references: Option<Vec<_>> = references.into_iter().collect();
        Some(Guarantee {
            guarantee_type: kind?,
            references: references?,
        })
    }

    fn reference_of(
        &mut self,
        at: &str,
        kind: Option<GuaranteeType>,
        r: &GuaranteeReferenceDraft,
    ) -> Option<GuaranteeReference> {
        let amounts = kind.map(GuaranteeType::has_amount);
        let grn = match r.grn.as_deref() {
            None if amounts == Some(true) => {
                self.findings
                    .missing(&format!("{at}/grn"), "for a guarantee of this type");
                None
            }
            None => Some(String::new()),
            Some(grn) if !grn_ok(grn) => {
                let message = format!("{grn:?} is not a guarantee reference number: 1 to 24 capital letters and digits");
                self.findings
                    .push(format!("{at}/grn"), "invalid_format", message);
                None
            }
            Some(grn) => Some(grn.to_owned()),
        };
        let access = match r.access_code.as_deref() {
            None if amounts == Some(true) => {
                self.findings
                    .missing(&format!("{at}/access_code"), "for a guarantee of this type");
                None
            }
            Some(code) if !access_code_ok(code) => {
                let message = "an access code is exactly 4 letters or digits";
                self.findings
                    .push(format!("{at}/access_code"), "invalid_format", message);
                None
            }
            _ => Some(()),
        };
        let (amount, currency) = self.reference_amount(at, amounts, r);
        access?;
        Some(GuaranteeReference {
            grn: grn?,
            amount: amount?,
            currency: currency?,
        })
    }

    /// The amount and currency: required for the types that declare amounts, refused for the
    /// others.
    fn reference_amount(
        &mut self,
        at: &str,
        amounts: Option<bool>,
        r: &GuaranteeReferenceDraft,
    ) -> (Option<Option<Decimal>>, Option<Option<CurrencyCode>>) {
        if amounts == Some(false) {
            for (field, given) in [
                ("amount", r.amount.is_some()),
                ("currency", r.currency.is_some()),
            ] {
                if given {
                    let message = "only guarantees of types 0, 1, 2, 4 and 9 declare an amount";
                    self.findings
                        .push(format!("{at}/{field}"), "not_allowed", message);
                }
            }
            let fine = r.amount.is_none() && r.currency.is_none();
            return (fine.then_some(None), fine.then_some(None));
        }
        let amount = self
            .required_amount(&format!("{at}/amount"), r.amount.as_ref(), Sign::Positive)
            .map(Some);
        let pointer = format!("{at}/currency");
        let currency = self.required_code(
            &pointer,
            r.currency.as_deref(),
            codes::CurrencyCode::parse,
            "",
        );
        let currency = match currency {
            Some(c) if !self.reference.currencies.contains(c.as_str()) => {
                let message = format!("{c} is not an ISO 4217 currency");
                self.findings.push(&pointer, "currency_unknown", message);
                None
            }
            other => other.map(Some),
        };
        (amount, currency)
    }
}
