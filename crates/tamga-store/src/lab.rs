//! What the laboratory stores and reads back: samples with their form and lifecycle, the chain
//! of custody, the result entered and verified under the four-eyes rule, the published report
//! and the misclassification it proposes. The rules are `tamga-control`'s `sample` module.

use serde::Serialize;
use tamga_control::finding::Finding;
use tamga_control::sample::custody::{CustodyFlag, Handover};
use tamga_control::sample::result::{Entered, LabReport, LabResult, Verified};
use tamga_control::sample::{Sample, SampleRequest, SampleState};
use time::{Duration, OffsetDateTime};

use crate::control::TaskEvent;

/// A sample with everything recorded about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSample {
    pub sample: Sample,
    pub handovers: Vec<Handover>,
    pub custody_flags: Vec<CustodyFlag>,
    pub entered: Option<Entered>,
    pub verified: Option<Verified>,
    pub report: Option<LabReport>,
    /// The misclassification the published opinion proposes, for the officer to confirm.
    pub proposed_finding: Option<Finding>,
    pub history: Vec<TaskEvent>,
}

/// A step on a sample asked by a user; the API decides which roles may ask for which step.
#[derive(Debug, Clone)]
pub enum SampleStep {
    /// collected, in-transit, received, in-analysis.
    Move(SampleState),
    Handover(Handover),
    Reject(Vec<String>),
    /// Invalidates the result and requests a retest.
    Invalidate(Vec<String>),
    /// disposed or returned, once the retention period has passed.
    End(SampleState, Duration),
    /// The analyst's result; the sample goes to be verified.
    Enter(LabResult),
    /// Another lab user verifies the result.
    Verify,
    /// The verified report is published to the declaration and the task.
    Publish,
}

/// What became of a sample request or step.
#[derive(Debug, Clone)]
pub enum SampleOutcome {
    Done(Box<StoredSample>),
    NotFound,
    /// Sampling is the allocated examiner's, during the control.
    NotAllocated,
    Illegal(tamga_control::IllegalTransition),
    /// Refused for another reason, in words (self-verification, retention not over, a used id).
    Refused(String),
}

/// A new sample request.
#[derive(Debug, Clone)]
pub struct NewSample {
    pub request: SampleRequest,
    pub at: OffsetDateTime,
}

/// A line of the laboratory's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleSummary {
    pub sample: Sample,
    /// The chain of custody raised a doubt.
    pub flagged: bool,
}

/// A seizure as recorded, with the case it opened or joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredSeizure {
    pub id: i64,
    pub case_number: String,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    pub seizure: tamga_control::seizure::Seizure,
}

/// What became of a seizure, or of a change to a case.
#[derive(Debug, Clone)]
pub enum CaseOutcome {
    Done {
        seizure: Option<Box<StoredSeizure>>,
        case: Box<tamga_control::case::OffenceCase>,
    },
    /// No case has this number.
    UnknownCase,
    Illegal(tamga_control::IllegalTransition),
    /// Refused for another reason, in words (a closed case, an invalid note).
    Refused(String),
}

/// A change to an offence case.
#[derive(Debug, Clone)]
pub enum CaseStep {
    Note(String),
    Move(tamga_control::case::CaseState),
}
