//! Laboratory samples, after SENAITE's lifecycle, with what SENAITE lacks: a chain of custody
//! ([`custody`]); results entered by an analyst and verified by another lab user ([`result`]).
//!
//! ```text
//! requested -> collected -> in-transit -> received -> in-analysis -> to-be-verified
//!     -> verified -> published -> disposed | returned (after the retention period)
//! requested/collected/in-transit/received -> rejected (with reasons) -> disposed | returned
//! to-be-verified/verified/published -> invalidated (a retest is requested) -> disposed | returned
//! to-be-verified -> in-analysis (sent back by the verifier)
//! ```

pub mod custody;
pub mod result;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tamga_core::codes::CommodityCode;
use tamga_core::problem::Findings;
use tamga_core::FieldError;
use time::{Duration, OffsetDateTime};

use crate::text;
use crate::transition::{IllegalTransition, Lifecycle};
use crate::UserId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SampleState {
    Requested,
    Collected,
    InTransit,
    Received,
    InAnalysis,
    ToBeVerified,
    Verified,
    Published,
    Rejected,
    Invalidated,
    Disposed,
    Returned,
}

impl Lifecycle for SampleState {
    const WHAT: &'static str = "a sample";

    fn as_str(self) -> &'static str {
        use SampleState::*;
        match self {
            Requested => "requested",
            Collected => "collected",
            InTransit => "in-transit",
            Received => "received",
            InAnalysis => "in-analysis",
            ToBeVerified => "to-be-verified",
            Verified => "verified",
            Published => "published",
            Rejected => "rejected",
            Invalidated => "invalidated",
            Disposed => "disposed",
            Returned => "returned",
        }
    }

    fn next(self) -> &'static [SampleState] {
        use SampleState::*;
        match self {
            Requested => &[Collected, Rejected],
            Collected => &[InTransit, Received, Rejected],
            InTransit => &[Received, Rejected],
            Received => &[InAnalysis, Rejected],
            InAnalysis => &[ToBeVerified],
            ToBeVerified => &[Verified, InAnalysis, Invalidated],
            Verified => &[Published, Invalidated],
            Published => &[Invalidated, Disposed, Returned],
            Rejected | Invalidated => &[Disposed, Returned],
            Disposed | Returned => &[],
        }
    }
}

impl SampleState {
    pub const ALL: [SampleState; 12] = [
        SampleState::Requested,
        SampleState::Collected,
        SampleState::InTransit,
        SampleState::Received,
        SampleState::InAnalysis,
        SampleState::ToBeVerified,
        SampleState::Verified,
        SampleState::Published,
        SampleState::Rejected,
        SampleState::Invalidated,
        SampleState::Disposed,
        SampleState::Returned,
    ];
}

/// The sampling form (EU SAMANCTA): what an officer fills in when taking a sample from a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleRequest {
    pub sample_id: String,
    pub mrn: String,
    pub task_id: i64,
    /// The goods item sampled; the result counts for all goods of the declaration.
    pub item: u16,
    /// The seal applied to the sample bag: every hand-over must see the same number.
    pub seal_number: String,
    pub quantity: Decimal,
    pub unit: String,
    pub packaging: String,
    pub reason: String,
    /// What the laboratory is asked to determine.
    pub determine: String,
    pub declared_code: CommodityCode,
    #[serde(default)]
    pub objections: Option<String>,
    /// The laboratory the sample goes to, e.g. `RCL-TASHKENT`.
    pub lab: String,
    pub sampled_by: UserId,
}

impl SampleRequest {
    /// Every problem of the form, with JSON pointers.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut out = Findings::default();
        check_id(&mut out, "/sample_id", &self.sample_id, 35);
        text::single_line(&mut out, "/mrn", &self.mrn, 35);
        check_id(&mut out, "/seal_number", &self.seal_number, 20);
        if self.quantity <= Decimal::ZERO {
            out.push(
                "/quantity",
                "not_positive",
                "the sample quantity must be greater than zero",
            );
        }
        text::single_line(&mut out, "/unit", &self.unit, 20);
        text::single_line(&mut out, "/packaging", &self.packaging, 200);
        text::required(&mut out, "/reason", &self.reason, 1000);
        text::required(&mut out, "/determine", &self.determine, 1000);
        text::optional(&mut out, "/objections", self.objections.as_deref(), 4000);
        text::single_line(&mut out, "/lab", &self.lab, 50);
        out.errors
    }
}

/// Identifiers (sample ids, seal numbers): letters, digits and `-`, `/`, `.`.
fn check_id(out: &mut Findings, pointer: &str, value: &str, max: usize) {
    text::single_line(out, pointer, value, max);
    let ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-/.".contains(c));
    if !value.is_empty() && !ok {
        out.push(
            pointer,
            "invalid_format",
            format!("{pointer} may hold only letters, digits, '-', '/' and '.'"),
        );
    }
}

/// One step of a sample's life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    pub state: SampleState,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub by: UserId,
}

/// A sample as stored: the form, its state and every step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    pub request: SampleRequest,
    pub state: SampleState,
    pub history: Vec<StateChange>,
    /// Why it was rejected or invalidated.
    pub reasons: Vec<String>,
    /// The sample this one retests.
    pub retest_of: Option<String>,
}

/// Why a sample step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SampleError {
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    #[error("a reason is required to reject or invalidate a sample")]
    ReasonRequired,
    #[error("the sample must be kept until {until}")]
    RetentionNotOver { until: OffsetDateTime },
    #[error("the step's time is before the sample's previous step")]
    TimeBeforePrevious,
}

impl Sample {
    /// A sample as requested by the sampling officer at `at`.
    pub fn requested(request: SampleRequest, at: OffsetDateTime) -> Self {
        let by = request.sampled_by;
        Self {
            request,
            state: SampleState::Requested,
            history: vec![StateChange {
                state: SampleState::Requested,
                at,
                by,
            }],
            reasons: Vec::new(),
            retest_of: None,
        }
    }

    /// A plain step of the lifecycle (not rejection, invalidation or disposal, which need more).
    pub fn move_to(
        &mut self,
        to: SampleState,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), SampleError> {
        use SampleState::*;
        if matches!(to, Rejected | Invalidated | Disposed | Returned) {
            let allowed = self.state.next().iter().map(|s| s.as_str()).collect();
            return Err(IllegalTransition {
                what: "a sample",
                current: self.state.as_str(),
                requested: to.as_str(),
                allowed,
            }
            .into());
        }
        self.record(to, by, at)
    }

    pub fn reject(
        &mut self,
        reasons: &[String],
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), SampleError> {
        self.with_reasons(SampleState::Rejected, reasons, by, at)
    }

    /// Invalidates the result and returns the retest to request: a new sample id
    /// `{id}-R{n}` with the same form, the reasons recorded on this one.
    pub fn invalidate(
        &mut self,
        reasons: &[String],
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<Sample, SampleError> {
        self.with_reasons(SampleState::Invalidated, reasons, by, at)?;
        let root = self
            .retest_of
            .clone()
            .unwrap_or_else(|| self.request.sample_id.clone());
        let n = retest_number(&self.request.sample_id, &root) + 1;
        let mut request = self.request.clone();
        request.sample_id = format!("{root}-R{n}");
        let mut retest = Sample::requested(request, at);
        retest.retest_of = Some(root);
        Ok(retest)
    }

    /// Disposes of or returns the sample, once `retention` has passed since its final result
    /// (publication, rejection or invalidation).
    pub fn end(
        &mut self,
        to: SampleState,
        retention: Duration,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), SampleError> {
        self.state.step(to).and_then(|to| {
            if matches!(to, SampleState::Disposed | SampleState::Returned) {
                Ok(to)
            } else {
                Err(IllegalTransition {
                    what: "a sample",
                    current: self.state.as_str(),
                    requested: to.as_str(),
                    allowed: vec!["disposed", "returned"],
                })
            }
        })?;
        let until = self.entered(self.state).unwrap_or(at) + retention;
        if at < until {
            return Err(SampleError::RetentionNotOver { until });
        }
        self.record(to, by, at)
    }

    fn with_reasons(
        &mut self,
        to: SampleState,
        reasons: &[String],
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), SampleError> {
        let reasons: Vec<String> = reasons
            .iter()
            .map(|r| r.trim().to_owned())
            .filter(|r| !r.is_empty())
            .collect();
        if reasons.is_empty() {
            return Err(SampleError::ReasonRequired);
        }
        self.record(to, by, at)?;
        self.reasons = reasons;
        Ok(())
    }

    fn record(
        &mut self,
        to: SampleState,
        by: UserId,
        at: OffsetDateTime,
    ) -> Result<(), SampleError> {
        let to = self.state.step(to)?;
        if self.history.last().is_some_and(|last| at < last.at) {
            return Err(SampleError::TimeBeforePrevious);
        }
        self.state = to;
        self.history.push(StateChange { state: to, at, by });
        Ok(())
    }

    /// When the sample last entered `state`.
    pub fn entered(&self, state: SampleState) -> Option<OffsetDateTime> {
        self.history
            .iter()
            .rev()
            .find(|c| c.state == state)
            .map(|c| c.at)
    }

    /// Received to published: the laboratory's turnaround, once published.
    pub fn turnaround(&self) -> Option<Duration> {
        let received = self
            .history
            .iter()
            .find(|c| c.state == SampleState::Received)?
            .at;
        Some(self.entered(SampleState::Published)? - received)
    }
}

/// The n of a retest id `{root}-R{n}`, 0 for the original.
fn retest_number(id: &str, root: &str) -> u32 {
    id.strip_prefix(root)
        .and_then(|rest| rest.strip_prefix("-R"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
