//! Seizure records, after the WCO Customs Enforcement Network (CEN): what was seized, where,
//! how it was hidden and carried, and who was involved. Validation reports every field at once.
//! The export to the CEN shape is in [`crate::case::cen`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::codes::{CommodityCode, CountryCode, Locode, PartyId};
use tamga_core::model::TransportMode;
use tamga_core::problem::Findings;
use tamga_core::FieldError;
use time::Date;

use crate::finding::{check_attachment, Attachment, AttachmentLimits};
use crate::text;

/// The categories of the WCO Illicit Trade Report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Drugs,
    CulturalHeritage,
    Environment,
    IprHealthAndSafety,
    Revenue,
    Security,
}

/// How the goods were hidden (CEN's concealment methods, grouped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concealment {
    NotConcealed,
    Baggage,
    OnBody,
    InBody,
    Cargo,
    FalseCompartment,
    MixedWithLegitimateGoods,
    Vehicle,
    PostalItem,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conveyance {
    pub mode: TransportMode,
    /// Registration, flight or voyage number.
    #[serde(default)]
    pub identification: Option<String>,
    #[serde(default)]
    pub nationality: Option<CountryCode>,
}

/// The route: where the goods came from, through which countries, and where they were going.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    #[serde(default)]
    pub departure: Option<CountryCode>,
    #[serde(default)]
    pub transit: Vec<CountryCode>,
    #[serde(default)]
    pub destination: Option<CountryCode>,
}

/// A person involved. Names, birth dates and document numbers are personal data: they leave
/// tamga only under a lawful exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    /// "driver", "passenger", "courier", "owner"...
    pub role: String,
    #[serde(default, with = "crate::optional_date")]
    pub birth_date: Option<Date>,
    #[serde(default)]
    pub nationality: Option<CountryCode>,
    #[serde(default)]
    pub document_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub id: Option<PartyId>,
    #[serde(default)]
    pub country: Option<CountryCode>,
}

/// A seizure as an officer records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seizure {
    #[serde(with = "tamga_core::dates::iso")]
    pub date: Date,
    pub office: Locode,
    pub category: Category,
    pub description: String,
    #[serde(default)]
    pub commodity_code: Option<CommodityCode>,
    pub quantity: Decimal,
    /// "kg", "g", "l", "pieces"...
    pub unit: String,
    pub concealment: Concealment,
    #[serde(default)]
    pub concealment_details: Option<String>,
    #[serde(default)]
    pub conveyance: Option<Conveyance>,
    #[serde(default)]
    pub route: Option<Route>,
    #[serde(default)]
    pub persons: Vec<Person>,
    #[serde(default)]
    pub companies: Vec<Company>,
    #[serde(default)]
    pub photos: Vec<Attachment>,
    /// The declaration the goods were declared on, when there was one.
    #[serde(default)]
    pub mrn: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Seizure {
    /// Every problem of the record; `today` bounds the dates.
    pub fn validate(&self, today: Date, limits: &AttachmentLimits) -> Vec<FieldError> {
        let mut out = Findings::default();
        if self.date > today {
            out.push(
                "/date",
                "in_future",
                "the seizure date cannot be after today",
            );
        }
        text::single_line(&mut out, "/description", &self.description, 500);
        if self.quantity <= Decimal::ZERO {
            out.push(
                "/quantity",
                "not_positive",
                "the quantity seized must be greater than zero",
            );
        }
        text::single_line(&mut out, "/unit", &self.unit, 20);
        text::optional(
            &mut out,
            "/concealment_details",
            self.concealment_details.as_deref(),
            2000,
        );
        if let Some(c) = &self.conveyance {
            text::optional(
                &mut out,
                "/conveyance/identification",
                c.identification.as_deref(),
                70,
            );
        }
        if let Some(mrn) = &self.mrn {
            text::single_line(&mut out, "/mrn", mrn, 35);
        }
        text::optional(&mut out, "/notes", self.notes.as_deref(), 4000);
        self.check_people(&mut out, today);
        for (i, photo) in self.photos.iter().enumerate() {
            check_attachment(&mut out, &format!("/photos/{i}"), photo, limits);
        }
        out.errors
    }

    fn check_people(&self, out: &mut Findings, today: Date) {
        for (i, p) in self.persons.iter().enumerate() {
            text::single_line(out, &format!("/persons/{i}/name"), &p.name, 200);
            text::single_line(out, &format!("/persons/{i}/role"), &p.role, 50);
            if let Some(doc) = &p.document_number {
                text::single_line(out, &format!("/persons/{i}/document_number"), doc, 35);
            }
            if p.birth_date.is_some_and(|b| b > today) {
                out.push(
                    format!("/persons/{i}/birth_date"),
                    "in_future",
                    "a birth date cannot be after today",
                );
            }
        }
        for (i, c) in self.companies.iter().enumerate() {
            text::single_line(out, &format!("/companies/{i}/name"), &c.name, 200);
            text::single_line(out, &format!("/companies/{i}/role"), &c.role, 50);
        }
    }
}
/// What a masked person's name reads (the declarations' mask).
pub const MASK: &str = tamga_core::retention::MASK;

/// Masks the persons of a seizure once its case is closed and the retention period is over:
/// names, birth dates and document numbers go, the conveyance's identification (a plate can
/// name its owner) too; roles, nationalities, companies, goods, places and dates stay for the
/// seizure statistics. Returns whether anything changed.
pub fn mask_persons(seizure: &mut Seizure) -> bool {
    let before = seizure.clone();
    for person in &mut seizure.persons {
        MASK.clone_into(&mut person.name);
        person.birth_date = None;
        person.document_number = None;
    }
    if let Some(conveyance) = &mut seizure.conveyance {
        conveyance.identification = None;
    }
    *seizure != before
}
