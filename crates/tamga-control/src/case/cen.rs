//! The export of a seizure in the shape of the WCO CEN simplified seizure form, as JSON.
//!
//! Documented shape (every key always present unless marked optional):
//!
//! | key | meaning |
//! |---|---|
//! | `reporting_country` | ISO 3166 alpha-2 of the office's country |
//! | `seizure_date` | `YYYY-MM-DD` |
//! | `place` | UN/LOCODE of the customs office |
//! | `category` | `drugs`, `cultural_heritage`, `environment`, `ipr_health_and_safety`, `revenue`, `security` |
//! | `commodity.description`, `commodity.hs_code` | description; HS subheading (6 digits) or null |
//! | `quantity`, `unit` | decimal as a string; unit as recorded |
//! | `concealment`, `concealment_details` | method code; free text or null |
//! | `transport` | `{mode, nationality, identification}` or null; `identification` only when nominal |
//! | `route` | `{departure, transit, destination}` or null |
//! | `persons` | `{"count": n, "nationalities": [...]}` by default; the full records when nominal |
//! | `companies` | `{name, role, id, country}` each |
//! | `photos` | the SHA-256 digests of the photos |
//! | `declaration` | the MRN or null |
//! | `nominal` | whether personal data is included |
//!
//! Personal (nominal) data — persons' names, birth dates, document numbers, and the conveyance's
//! identification (a private car's plate points at a person) — is exported only when the caller
//! says the exchange has a legal basis.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::Serialize;
use tamga_core::codes::{CountryCode, Locode};
use tamga_core::model::TransportMode;
use time::Date;

use crate::seizure::{Category, Company, Concealment, Person, Route, Seizure};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CenSeizure {
    pub reporting_country: String,
    #[serde(with = "tamga_core::dates::iso")]
    pub seizure_date: Date,
    pub place: Locode,
    pub category: Category,
    pub commodity: CenCommodity,
    pub quantity: Decimal,
    pub unit: String,
    pub concealment: Concealment,
    pub concealment_details: Option<String>,
    pub transport: Option<CenTransport>,
    pub route: Option<Route>,
    pub persons: CenPersons,
    pub companies: Vec<Company>,
    pub photos: Vec<String>,
    pub declaration: Option<String>,
    pub nominal: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CenCommodity {
    pub description: String,
    pub hs_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CenTransport {
    pub mode: TransportMode,
    pub nationality: Option<CountryCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identification: Option<String>,
}

/// Persons: a count and nationalities, or with a legal basis the full records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum CenPersons {
    Summary {
        count: usize,
        nationalities: BTreeSet<CountryCode>,
    },
    Nominal(Vec<Person>),
}

/// The CEN form of `seizure`; personal data only when `lawful_exchange` is true.
pub fn export(seizure: &Seizure, lawful_exchange: bool) -> CenSeizure {
    let persons = if lawful_exchange {
        CenPersons::Nominal(seizure.persons.clone())
    } else {
        CenPersons::Summary {
            count: seizure.persons.len(),
            nationalities: seizure
                .persons
                .iter()
                .filter_map(|p| p.nationality.clone())
                .collect(),
        }
    };
    let transport = seizure.conveyance.as_ref().map(|c| CenTransport {
        mode: c.mode,
        nationality: c.nationality.clone(),
        identification: c.identification.clone().filter(|_| lawful_exchange),
    });
    CenSeizure {
        reporting_country: seizure.office.country().to_owned(),
        seizure_date: seizure.date,
        place: seizure.office.clone(),
        category: seizure.category,
        commodity: CenCommodity {
            description: seizure.description.clone(),
            hs_code: seizure.commodity_code.as_ref().map(|c| c.hs6().to_owned()),
        },
        quantity: seizure.quantity,
        unit: seizure.unit.clone(),
        concealment: seizure.concealment,
        concealment_details: seizure.concealment_details.clone(),
        transport,
        route: seizure.route.clone(),
        persons,
        companies: seizure.companies.clone(),
        photos: seizure.photos.iter().map(|p| p.sha256.clone()).collect(),
        declaration: seizure.mrn.clone(),
        nominal: lawful_exchange,
    }
}
