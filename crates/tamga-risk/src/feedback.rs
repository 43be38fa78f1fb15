//! Inspection outcomes and the hit rates they give each profile, beside the hit rate of the
//! random selections, which no profile chose and which is therefore the baseline.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What an inspection found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingType {
    Misclassification,
    Undervaluation,
    Origin,
    ProhibitedGoods,
    Quantity,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    #[serde(rename = "type")]
    pub finding_type: FindingType,
    #[serde(default)]
    pub note: Option<String>,
}

/// An officer's record of one inspection. No findings means the inspection found nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Duties and taxes the findings add, national currency.
    #[serde(default)]
    pub extra_revenue: Decimal,
    #[serde(default)]
    pub notes: Option<String>,
}

impl Outcome {
    pub fn hit(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// One decided declaration, as the statistics see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decided {
    pub random: bool,
    /// The profiles that fired: (id, version).
    pub profiles: Vec<(String, u32)>,
    pub outcome: Option<Outcome>,
}

/// Selections, inspections and hits of one profile (or of the random draws).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Declarations it selected (fired on).
    pub selections: u64,
    /// Of those, how many have a recorded inspection outcome.
    pub inspected: u64,
    /// Of those, how many had a finding.
    pub hits: u64,
    /// hits / inspected; `None` before any inspection.
    pub hit_rate: Option<f64>,
    pub revenue_found: Decimal,
    /// Findings by type.
    pub findings: BTreeMap<FindingType, u64>,
}

impl Tally {
    fn add(&mut self, outcome: Option<&Outcome>) {
        self.selections += 1;
        let Some(outcome) = outcome else { return };
        self.inspected += 1;
        if outcome.hit() {
            self.hits += 1;
        }
        self.revenue_found += outcome.extra_revenue;
        for f in &outcome.findings {
            *self.findings.entry(f.finding_type).or_default() += 1;
        }
        self.hit_rate = Some(self.hits as f64 / self.inspected as f64);
    }
}

/// Every decided declaration of a window, whatever selected it (or nothing did).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Overall {
    /// Declarations risk-assessed in the window.
    pub decided: u64,
    pub inspected: u64,
    pub hits: u64,
    pub hit_rate: Option<f64>,
    pub revenue_found: Decimal,
    pub findings: BTreeMap<FindingType, u64>,
}

impl From<Tally> for Overall {
    fn from(t: Tally) -> Overall {
        Overall {
            decided: t.selections,
            inspected: t.inspected,
            hits: t.hits,
            hit_rate: t.hit_rate,
            revenue_found: t.revenue_found,
            findings: t.findings,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Statistics {
    /// Every decided declaration in the window.
    pub all: Overall,
    /// Declarations drawn at random: the baseline hit rate.
    pub random: Tally,
    /// Per profile id (all versions together).
    pub profiles: BTreeMap<String, Tally>,
}

/// Tallies `decided` declarations.
pub fn statistics<'a>(decided: impl IntoIterator<Item = &'a Decided>) -> Statistics {
    let mut stats = Statistics::default();
    let mut all = Tally::default();
    for d in decided {
        let outcome = d.outcome.as_ref();
        all.add(outcome);
        if d.random {
            stats.random.add(outcome);
        }
        for (id, _) in &d.profiles {
            stats.profiles.entry(id.clone()).or_default().add(outcome);
        }
    }
    stats.all = all.into();
    stats
}

/// Whose tally a kept day's counts are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TallySubject {
    /// Every decided declaration.
    All,
    /// The random selections.
    Random,
    /// One profile (all its versions).
    Profile(String),
}

/// One day's counts of one subject, as the store keeps them as decisions and outcomes arrive.
#[derive(Debug, Clone, PartialEq)]
pub struct DayTally {
    pub subject: TallySubject,
    pub decided: u64,
    pub inspected: u64,
    pub hits: u64,
    pub revenue: Decimal,
    pub findings: BTreeMap<FindingType, u64>,
}

impl Tally {
    fn merge(&mut self, day: &DayTally) {
        self.selections += day.decided;
        self.inspected += day.inspected;
        self.hits += day.hits;
        self.revenue_found += day.revenue;
        for (kind, n) in &day.findings {
            *self.findings.entry(*kind).or_default() += n;
        }
        self.hit_rate = (self.inspected > 0).then(|| self.hits as f64 / self.inspected as f64);
    }
}

/// The statistics of a window from the days' kept tallies: the same figures as
/// [`statistics`] over the window's decisions, without reading them.
pub fn statistics_from_tallies(days: impl IntoIterator<Item = DayTally>) -> Statistics {
    let mut stats = Statistics::default();
    let mut all = Tally::default();
    for day in days {
        match &day.subject {
            TallySubject::All => all.merge(&day),
            TallySubject::Random => stats.random.merge(&day),
            TallySubject::Profile(id) => stats.profiles.entry(id.clone()).or_default().merge(&day),
        }
    }
    stats.all = all.into();
    stats
}
