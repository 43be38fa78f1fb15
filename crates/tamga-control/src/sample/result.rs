//! Laboratory results under the four-eyes rule: an analyst enters them, a different lab user
//! verifies them, and only then may they be published. A classification opinion that differs
//! from the declared code proposes a misclassification finding for the officer to confirm.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tamga_core::codes::CommodityCode;
use tamga_core::problem::Findings;
use tamga_core::role::Role;
use tamga_core::FieldError;
use time::{Duration, OffsetDateTime};

use super::custody::CustodyFlag;
use super::Sample;
use crate::finding::{Finding, FindingKind};
use crate::text;
use crate::UserId;

/// One measured parameter: a value as measured (a number or "positive", "absent") and its unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub unit: Option<String>,
}

/// The laboratory's opinion on classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opinion {
    pub commodity_code: CommodityCode,
    pub reasoning: String,
}

/// What the analyst enters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabResult {
    pub method: String,
    pub parameters: Vec<Parameter>,
    pub conclusion: String,
    #[serde(default)]
    pub opinion: Option<Opinion>,
}

impl LabResult {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Findings::default();
        text::single_line(&mut out, "/method", &self.method, 200);
        if self.parameters.is_empty() {
            out.missing("/parameters", "(at least one measured parameter)");
        }
        for (i, p) in self.parameters.iter().enumerate() {
            text::single_line(&mut out, &format!("/parameters/{i}/name"), &p.name, 200);
            text::single_line(&mut out, &format!("/parameters/{i}/value"), &p.value, 100);
            text::optional(
                &mut out,
                &format!("/parameters/{i}/unit"),
                p.unit.as_deref(),
                20,
            );
        }
        text::required(&mut out, "/conclusion", &self.conclusion, 4000);
        if let Some(o) = &self.opinion {
            text::required(&mut out, "/opinion/reasoning", &o.reasoning, 4000);
        }
        out.errors
    }
}

/// A result entered by an analyst.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entered {
    pub result: LabResult,
    pub analyst: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Why a lab step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FourEyesError {
    #[error("only laboratory users enter and verify results, not the role {0}")]
    NotLab(&'static str),
    #[error("the analyst who entered a result cannot verify it")]
    SelfVerification,
}

/// Records a result entered by a lab user.
pub fn enter(
    result: LabResult,
    (role, analyst): (Role, UserId),
    at: OffsetDateTime,
) -> Result<Entered, FourEyesError> {
    if role != Role::Lab {
        return Err(FourEyesError::NotLab(role.as_str()));
    }
    Ok(Entered {
        result,
        analyst,
        at,
    })
}

/// A verified result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub entered: Entered,
    pub verifier: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Verifies `entered` by another lab user: self-verification is never allowed.
pub fn verify(
    entered: Entered,
    (role, verifier): (Role, UserId),
    at: OffsetDateTime,
) -> Result<Verified, FourEyesError> {
    if role != Role::Lab {
        return Err(FourEyesError::NotLab(role.as_str()));
    }
    if verifier == entered.analyst {
        return Err(FourEyesError::SelfVerification);
    }
    Ok(Verified {
        entered,
        verifier,
        at,
    })
}

/// The published report, attached to the declaration and the task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabReport {
    pub sample_id: String,
    pub mrn: String,
    pub task_id: i64,
    pub verified: Verified,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    /// Doubts about the chain of custody, shown on the report.
    pub custody_flags: Vec<CustodyFlag>,
}

impl LabReport {
    pub fn new(
        sample: &Sample,
        verified: Verified,
        custody_flags: Vec<CustodyFlag>,
        published_at: OffsetDateTime,
    ) -> Self {
        Self {
            sample_id: sample.request.sample_id.clone(),
            mrn: sample.request.mrn.clone(),
            task_id: sample.request.task_id,
            verified,
            published_at,
            custody_flags,
        }
    }

    pub fn flagged(&self) -> bool {
        !self.custody_flags.is_empty()
    }

    /// The misclassification finding the opinion proposes on the sampled item, when its code
    /// disagrees with the declared one. A code that is a prefix of the other (the laboratory
    /// stopping at the HS subheading, say) agrees.
    pub fn proposed_finding(&self, sample: &Sample) -> Option<Finding> {
        let opinion = self.verified.entered.result.opinion.as_ref()?;
        let declared = sample.request.declared_code.as_str();
        let found = opinion.commodity_code.as_str();
        if declared.starts_with(found) || found.starts_with(declared) {
            return None;
        }
        Some(Finding {
            item: sample.request.item,
            kind: FindingKind::Misclassification {
                commodity_code: opinion.commodity_code.clone(),
            },
            notes: Some(format!(
                "laboratory report {}: {}",
                self.sample_id, opinion.reasoning
            )),
            attachments: Vec::new(),
        })
    }
}

/// Turnaround figures of one laboratory, in whole seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Turnaround {
    pub samples: usize,
    pub mean_seconds: i64,
    pub median_seconds: i64,
    pub max_seconds: i64,
}

/// Turnaround (received → published) per laboratory, over the published samples.
pub fn turnaround_by_lab<'a>(
    samples: impl IntoIterator<Item = &'a Sample>,
) -> BTreeMap<String, Turnaround> {
    let mut by_lab: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for s in samples {
        if let Some(t) = s.turnaround() {
            by_lab
                .entry(s.request.lab.clone())
                .or_default()
                .push(t.whole_seconds());
        }
    }
    by_lab
        .into_iter()
        .filter_map(|(lab, mut secs)| Some((lab, figures(&mut secs)?)))
        .collect()
}

fn figures(secs: &mut [i64]) -> Option<Turnaround> {
    secs.sort_unstable();
    let n = i64::try_from(secs.len()).ok()?;
    let total: i64 = secs.iter().sum();
    Some(Turnaround {
        samples: secs.len(),
        mean_seconds: total.checked_div(n)?,
        median_seconds: *secs.get(secs.len() / 2)?,
        max_seconds: *secs.last()?,
    })
}

/// A sample's turnaround, for callers that want a `Duration`.
pub fn turnaround(sample: &Sample) -> Option<Duration> {
    sample.turnaround()
}
