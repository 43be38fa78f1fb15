//! The party registry's rules: what a registered party is (identifier, name, country, AEO
//! status), what a representative's mandate is (direct or indirect representation, the days it
//! applies), and whether a mandate stands on a given day. The HTTP edge and the CLI both check
//! their input here, so a party registered either way obeys the same rules.
//!
//! ```
//! use tamga_core::party::{mandate_on, MandateRefusal, MandateTerms, Representation};
//! use time::macros::date;
//!
//! let terms = [MandateTerms {
//!     representation: Representation::Direct,
//!     valid_from: date!(2026 - 01 - 01),
//!     valid_until: Some(date!(2026 - 06 - 30)),
//! }];
//! assert!(mandate_on(&terms, None, date!(2026 - 03 - 01)).is_ok());
//! assert_eq!(
//!     mandate_on(&terms, None, date!(2026 - 07 - 01)),
//!     Err(MandateRefusal::Expired(date!(2026 - 06 - 30)))
//! );
//! ```

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::codes::PartyId;
use crate::problem::Findings;
use crate::refdata::ReferenceData;
use crate::FieldError;

/// The Authorised Economic Operator status of a party (the EU's three kinds of certificate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum AeoStatus {
    /// Customs simplifications.
    #[serde(rename = "AEOC")]
    Aeoc,
    /// Security and safety.
    #[serde(rename = "AEOS")]
    Aeos,
    /// Both.
    #[serde(rename = "AEOF")]
    Aeof,
}

impl AeoStatus {
    pub const ALL: [AeoStatus; 3] = [AeoStatus::Aeoc, AeoStatus::Aeos, AeoStatus::Aeof];

    pub fn as_str(self) -> &'static str {
        match self {
            AeoStatus::Aeoc => "AEOC",
            AeoStatus::Aeos => "AEOS",
            AeoStatus::Aeof => "AEOF",
        }
    }

    pub fn parse(raw: &str) -> Option<AeoStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// How a representative acts for the party that mandated it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Representation {
    /// In the name and on behalf of the party.
    Direct,
    /// In its own name on behalf of the party (and liable with it).
    Indirect,
}

impl Representation {
    pub fn as_str(self) -> &'static str {
        match self {
            Representation::Direct => "direct",
            Representation::Indirect => "indirect",
        }
    }

    pub fn parse(raw: &str) -> Option<Representation> {
        [Representation::Direct, Representation::Indirect]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

/// A party as the registry keeps it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredParty {
    pub id: PartyId,
    pub name: String,
    pub country: String,
    pub address: Option<String>,
    pub aeo: Option<AeoStatus>,
}

/// A party as an administrator submits it.
#[derive(Debug, Clone, Copy, Default)]
pub struct PartyInput<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub country: Option<&'a str>,
    pub address: Option<&'a str>,
    pub aeo: Option<&'a str>,
}

impl PartyInput<'_> {
    /// The party, or every problem with a pointer (`/id`, `/name`, `/country`, `/address`,
    /// `/aeo`).
    pub fn check(&self, reference: &ReferenceData) -> Result<RegisteredParty, Vec<FieldError>> {
        let mut findings = Findings::default();
        let id = PartyId::parse(self.id)
            .map_err(|e| findings.push("/id", e.code, e.message))
            .ok();
        let name = required_text(&mut findings, "/name", self.name, 70);
        let country = self.country(&mut findings, reference);
        let address = text(&mut findings, "/address", self.address, 256);
        let aeo = self.aeo(&mut findings);
        match (id, name, country, address, aeo) {
            (Some(id), Some(name), Some(country), Some(address), Some(aeo)) => {
                Ok(RegisteredParty {
                    id,
                    name,
                    country,
                    address,
                    aeo,
                })
            }
            _ => Err(findings.errors),
        }
    }

    fn country(&self, findings: &mut Findings, reference: &ReferenceData) -> Option<String> {
        let Some(raw) = self.country else {
            findings.missing("/country", "");
            return None;
        };
        if reference.countries.contains(raw) {
            return Some(raw.to_owned());
        }
        let message = format!("{raw:?} is not an ISO 3166-1 alpha-2 country code");
        findings.push("/country", "country_unknown", message);
        None
    }

    fn aeo(&self, findings: &mut Findings) -> Option<Option<AeoStatus>> {
        match self.aeo {
            None => Some(None),
            Some(raw) => match AeoStatus::parse(raw) {
                Some(status) => Some(Some(status)),
                None => {
                    let message = "the AEO status is AEOC, AEOS or AEOF; leave it out for none";
                    findings.push("/aeo", "aeo_unknown", message);
                    None
                }
            },
        }
    }
}

/// Free text: trimmed, not blank, at most `max` characters, no control characters (NUL
/// included). `None` when it is absent.
fn text(
    findings: &mut Findings,
    pointer: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<Option<String>> {
    let Some(raw) = raw else {
        return Some(None);
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max || trimmed.chars().any(char::is_control)
    {
        let message =
            format!("{pointer} must be 1 to {max} characters, without control characters");
        findings.push(pointer, "invalid_text", message);
        return None;
    }
    Some(Some(trimmed.to_owned()))
}

fn required_text(
    findings: &mut Findings,
    pointer: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    if raw.is_none() {
        findings.missing(pointer, "");
    }
    text(findings, pointer, raw, max).flatten()
}

/// The terms of one mandate: its kind and the days it applies (both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MandateTerms {
    pub representation: Representation,
    pub valid_from: Date,
    /// The last day it applies; `None` while it runs until revoked.
    pub valid_until: Option<Date>,
}

impl MandateTerms {
    /// Whether the mandate applies on `day`.
    pub fn applies_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|until| day <= until)
    }

    /// Checks the dates a mandate is granted with: `/valid_until` may not precede
    /// `/valid_from`.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        match self.valid_until {
            Some(until) if until < self.valid_from => Err(vec![FieldError::new(
                "/valid_until",
                "before_valid_from",
                format!(
                    "the mandate cannot end ({until}) before it starts ({})",
                    self.valid_from
                ),
            )]),
            _ => Ok(()),
        }
    }
}

/// Why no mandate lets a representative act on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MandateRefusal {
    /// The party never mandated this representative (for this kind of representation).
    None,
    /// The latest mandate ended on this day.
    Expired(Date),
    /// The earliest mandate still to come starts on this day.
    NotYetValid(Date),
}

impl MandateRefusal {
    /// A sentence for the representative; `party` is the principal's identifier and `wanted`
    /// the representation the declaration states.
    pub fn message(
        &self,
        party: &str,
        representative: &str,
        wanted: Option<Representation>,
    ) -> String {
        match (self, wanted) {
            (MandateRefusal::None, None) => {
                format!("{party} has given {representative} no mandate to represent it")
            }
            (MandateRefusal::None, Some(kind)) => format!(
                "{party} has given {representative} no mandate for {} representation",
                kind.as_str()
            ),
            (MandateRefusal::Expired(until), _) => format!(
                "the mandate {party} gave {representative} expired: it applied until {until}"
            ),
            (MandateRefusal::NotYetValid(from), _) => format!(
                "the mandate {party} gave {representative} is not yet valid: it applies from {from}"
            ),
        }
    }
}

/// Whether one of `mandates` lets the representative act on `day`, in the representation
/// the declaration asks for (any, when it asks for none). A refusal says why: none was given,
/// the latest has expired, or the next is still to come.
pub fn mandate_on(
    mandates: &[MandateTerms],
    wanted: Option<Representation>,
    day: Date,
) -> Result<(), MandateRefusal> {
    let fitting = || {
        mandates
            .iter()
            .filter(move |m| wanted.is_none_or(|w| w == m.representation))
    };
    if fitting().any(|m| m.applies_on(day)) {
        return Ok(());
    }
    if let Some(from) = fitting().map(|m| m.valid_from).filter(|f| *f > day).min() {
        return Err(MandateRefusal::NotYetValid(from));
    }
    match fitting()
        .filter_map(|m| m.valid_until)
        .filter(|u| *u < day)
        .max()
    {
        Some(until) => Err(MandateRefusal::Expired(until)),
        None => Err(MandateRefusal::None),
    }
}

#[cfg(test)]
mod tests;
