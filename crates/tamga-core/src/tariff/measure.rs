//! Tariff measures: what applies to a commodity, for an origin, on a date.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::expr::DutyExpression;

/// What a measure levies or demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MeasureKind {
    /// The duty for goods of any origin without a preference.
    ThirdCountryDuty,
    /// A reduced duty for goods originating where the measure says, with proof of origin.
    Preference,
    AntiDumping,
    Countervailing,
    Excise,
    Vat,
    /// Goods that need a licence: the measure names the document code.
    Restriction,
}

impl MeasureKind {
    pub const ALL: [MeasureKind; 7] = [
        MeasureKind::ThirdCountryDuty,
        MeasureKind::Preference,
        MeasureKind::AntiDumping,
        MeasureKind::Countervailing,
        MeasureKind::Excise,
        MeasureKind::Vat,
        MeasureKind::Restriction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::ThirdCountryDuty => "third-country-duty",
            MeasureKind::Preference => "preference",
            MeasureKind::AntiDumping => "anti-dumping",
            MeasureKind::Countervailing => "countervailing",
            MeasureKind::Excise => "excise",
            MeasureKind::Vat => "vat",
            MeasureKind::Restriction => "restriction",
        }
    }

    pub fn parse(raw: &str) -> Option<MeasureKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// Where goods must originate for a measure to apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Origins {
    /// Any origin ("erga omnes").
    Any,
    /// One country (ISO 3166-1 alpha-2).
    Country(String),
    /// A named group of countries, e.g. `CIS-FTA`.
    Group(String),
}

/// One measure of the tariff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    /// Applies to every commodity code that starts with these digits (2 to 10).
    pub code: String,
    pub kind: MeasureKind,
    pub origins: Origins,
    /// The duty; absent for restrictions.
    pub expression: Option<DutyExpression>,
    /// The document the item must carry: proof of origin for a preference, the licence for a
    /// restriction.
    pub document: Option<String>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl Measure {
    pub fn in_force_on(&self, date: Date) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|end| date <= end)
    }

    /// Between measures of one kind that cover an origin, the greatest of these applies: the
    /// longest code, then one for the country over one for its group over one for any origin,
    /// then the latest to enter into force.
    pub fn specificity(&self) -> (usize, u8, Date) {
        let origin_rank = match self.origins {
            Origins::Country(_) => 2,
            Origins::Group(_) => 1,
            Origins::Any => 0,
        };
        (self.code.len(), origin_rank, self.valid_from)
    }
}

/// A national tariff line: a 10-digit code and its description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TariffLine {
    pub code: String,
    pub description: String,
}

/// Every measure, every tariff line, the country groups and the countries whose goods pay
/// double rates (no most-favoured-nation treatment).
#[derive(Debug, Clone, Default)]
pub struct Tariff {
    pub lines: BTreeMap<String, TariffLine>,
    measures: BTreeMap<String, Vec<Measure>>,
    pub groups: HashMap<String, Vec<String>>,
    pub without_mfn: Vec<String>,
}

impl Tariff {
    pub fn add_measure(&mut self, measure: Measure) {
        self.measures
            .entry(measure.code.clone())
            .or_default()
            .push(measure);
    }

    /// Every measure.
    pub fn measures(&self) -> impl Iterator<Item = &Measure> {
        self.measures.values().flatten()
    }

    pub fn measure_count(&self) -> usize {
        self.measures.values().map(Vec::len).sum()
    }

    /// Measures for `code` in force on `date`, from the chapter down to the full code.
    pub fn measures_for<'t>(
        &'t self,
        code: &'t str,
        date: Date,
    ) -> impl Iterator<Item = &'t Measure> + 't {
        (2..=code.len())
            .filter_map(move |n| code.get(..n).and_then(|prefix| self.measures.get(prefix)))
            .flatten()
            .filter(move |m| m.in_force_on(date))
    }

    /// Does `origin` belong to the origins of a measure? `None` is an unknown origin.
    pub fn covers(&self, origins: &Origins, origin: Option<&str>) -> bool {
        match (origins, origin) {
            (Origins::Any, _) => true,
            (Origins::Country(c), Some(o)) => c == o,
            (Origins::Group(g), Some(o)) => self
                .groups
                .get(g)
                .is_some_and(|members| members.iter().any(|m| m == o)),
            _ => false,
        }
    }

    /// Goods of unknown origin, or from a country without MFN treatment, pay double.
    pub fn doubles(&self, origin: Option<&str>) -> bool {
        origin.is_none_or(|o| self.without_mfn.iter().any(|c| c == o))
    }
}
