//! The chain of custody of a sample: every hand-over is a record, and the chain is checked for
//! what would let a defence lawyer or an auditor doubt the result. A problem is a flag (a value),
//! not an error: the sample is still analysed, but the sample and its report carry the flags.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{Sample, SampleState};
use crate::UserId;

/// The state of the sample bag as the receiver saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    Intact,
    Damaged,
    SealBroken,
}

/// One hand-over of the sample from one person to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub from: UserId,
    pub to: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Where: an office, the laboratory, a courier's depot.
    pub place: String,
    /// The seal number the receiver read on the bag.
    pub seal_seen: String,
    pub condition: Condition,
}

/// A doubt about the chain of custody; `index` is the hand-over's position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "flag")]
pub enum CustodyFlag {
    /// The seal read is not the seal applied at sampling.
    SealMismatch {
        index: usize,
        expected: String,
        seen: String,
    },
    /// Handed over by someone who did not hold the sample.
    NotHolder {
        index: usize,
        holder: UserId,
        from: UserId,
    },
    /// The bag arrived damaged or with its seal broken.
    BadCondition { index: usize, condition: Condition },
    /// A hand-over dated before the previous one, or before the sample was collected.
    OutOfOrder { index: usize },
    /// The sample was received or taken into analysis by someone to whom no hand-over gave it.
    Gap {
        state: SampleState,
        by: UserId,
        holder: UserId,
    },
}

/// Checks the hand-overs of `sample` (in recorded order) against the seal applied at sampling
/// and against its state changes. Custody begins with the sampling officer at collection.
pub fn check(sample: &Sample, handovers: &[Handover]) -> Vec<CustodyFlag> {
    let mut flags = Vec::new();
    let start = sample.entered(SampleState::Collected);
    let mut holder = sample.request.sampled_by;
    let mut last = start;
    for (index, h) in handovers.iter().enumerate() {
        if last.is_some_and(|l| h.at < l) {
            flags.push(CustodyFlag::OutOfOrder { index });
        }
        if h.seal_seen.trim() != sample.request.seal_number {
            let expected = sample.request.seal_number.clone();
            flags.push(CustodyFlag::SealMismatch {
                index,
                expected,
                seen: h.seal_seen.clone(),
            });
        }
        if h.from != holder {
            flags.push(CustodyFlag::NotHolder {
                index,
                holder,
                from: h.from,
            });
        }
        if h.condition != Condition::Intact {
            flags.push(CustodyFlag::BadCondition {
                index,
                condition: h.condition,
            });
        }
        holder = h.to;
        last = Some(h.at);
    }
    flags.extend(gaps(sample, handovers));
    flags
}

/// Receipt and analysis need the actor to hold the sample at that instant.
fn gaps(sample: &Sample, handovers: &[Handover]) -> Vec<CustodyFlag> {
    sample
        .history
        .iter()
        .filter(|c| matches!(c.state, SampleState::Received | SampleState::InAnalysis))
        .filter_map(|c| {
            let holder = holder_at(sample.request.sampled_by, handovers, c.at);
            (holder != c.by).then_some(CustodyFlag::Gap {
                state: c.state,
                by: c.by,
                holder,
            })
        })
        .collect()
}

/// Who held the sample at `at`, following the hand-overs recorded up to then.
pub fn holder_at(first: UserId, handovers: &[Handover], at: OffsetDateTime) -> UserId {
    handovers
        .iter()
        .filter(|h| h.at <= at)
        .max_by_key(|h| h.at)
        .map_or(first, |h| h.to)
}
