//! The random, workload-weighted draw of the officers of a control task, recorded so an auditor
//! holding the server's secret can replay it and get the same officer.
//!
//! **Weight.** An eligible officer with current workload `w` (in ASYCUDA units: 10 per declaration
//! plus 5 per goods item) weighs `floor(2^32 / (50 + w))`. The chance of being drawn is inversely
//! proportional to `50 + w`: an idle officer is twice as likely as one carrying a typical
//! 8-item declaration (50 units), three times as likely as one carrying two. The offset of 50
//! keeps an idle officer from being drawn almost always, which officers would find unfair, and
//! it never reaches zero, so nobody on duty is ever exempt. The weights are integers, so the
//! expected share of each officer is an exact fraction, `weight / sum of weights`.
//!
//! **Randomness.** `r` = the first 8 bytes (big-endian) of HMAC-SHA256(secret, draw key); the
//! point `floor(r * total / 2^64)` is uniform in `[0, total)`, and the chosen officer is the
//! first candidate (in id order) whose cumulative weight exceeds it. Without the secret nobody
//! can predict or steer a draw; with it, anyone can redo one.

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tamga_core::codes::PartyId;
use tamga_core::role::Role;
use time::OffsetDateTime;

use super::{Duty, Group, Need};
use crate::task::{ControlTask, TaskState};
use crate::UserId;

/// The numerator of the weight formula.
pub const WEIGHT_SCALE: u64 = 1 << 32;
/// The workload offset of the weight formula: one typical declaration of 8 items.
pub const WORKLOAD_OFFSET: u64 = 50;

/// The weight of an officer with workload `workload` (see the module documentation).
pub fn weight(workload: u64) -> u64 {
    WEIGHT_SCALE / WORKLOAD_OFFSET.saturating_add(workload)
}

/// One officer who could have been drawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub officer: UserId,
    pub workload: u64,
    pub weight: u64,
}

/// A recorded draw: enough, with the secret, to redo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    pub key: String,
    pub group: Group,
    pub candidates: Vec<Candidate>,
    pub chosen: UserId,
}

impl Draw {
    /// Does the recorded choice follow from the key and the candidates under `secret`?
    pub fn verify(&self, secret: &[u8]) -> bool {
        replay(secret, &self.key, &self.candidates) == Some(self.chosen)
    }
}

/// Redoes a draw from its key and candidates; `None` when there were no candidates.
pub fn replay(secret: &[u8], key: &str, candidates: &[Candidate]) -> Option<UserId> {
    let total = candidates
        .iter()
        .fold(0u64, |sum, c| sum.saturating_add(c.weight));
    if total == 0 {
        return None;
    }
    let point = point(secret, key, total);
    let mut cumulative = 0u64;
    candidates.iter().find_map(|c| {
        cumulative = cumulative.saturating_add(c.weight);
        (point < cumulative).then_some(c.officer)
    })
}

/// A uniform point in `[0, total)` from the secret and the key.
fn point(secret: &[u8], key: &str, total: u64) -> u64 {
    let r = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(key.as_bytes());
            let bytes = mac.finalize().into_bytes();
            let mut first = [0u8; 8];
            first.copy_from_slice(bytes.get(..8).unwrap_or(&[0; 8]));
            u64::from_be_bytes(first)
        }
        // HMAC accepts keys of any length, so this arm is never taken.
        Err(_) => 0,
    };
    ((u128::from(r) * u128::from(total)) >> 64) as u64
}

/// What the draws need besides the task: the secret, the people (arranged for drawing), their
/// loads, the instant and the declaration's parties.
#[derive(Debug, Clone, Copy)]
pub struct DrawContext<'a> {
    pub secret: &'a [u8],
    pub duty: &'a Duty,
    pub loads: &'a BTreeMap<UserId, u64>,
    pub at: OffsetDateTime,
    pub parties: &'a [PartyId],
}

impl DrawContext<'_> {
    /// Draws one officer of `group` at the task's office, leaving out `excluded`.
    fn draw(
        &self,
        task: &ControlTask,
        group: Group,
        key: String,
        excluded: &[UserId],
    ) -> Option<Draw> {
        let need = Need {
            office: &task.office,
            group,
            at: self.at,
            parties: self.parties,
        };
        // Both in id order: the workloads are walked beside the officers, not looked up.
        let mut loads = self.loads.iter().peekable();
        let candidates: Vec<Candidate> = self
            .duty
            .eligible(&need)
            .into_iter()
            .filter(|id| !excluded.contains(id))
            .map(|officer| {
                while loads.next_if(|(id, _)| **id < officer).is_some() {}
                let workload = loads
                    .next_if(|(id, _)| **id == officer)
                    .map_or(0, |(_, load)| *load);
                Candidate {
                    officer,
                    workload,
                    weight: weight(workload),
                }
            })
            .collect();
        let chosen = replay(self.secret, &key, &candidates)?;
        Some(Draw {
            key,
            group,
            candidates,
            chosen,
        })
    }
}

/// The result of allocating a new task: officers drawn, or why the task stays open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum Allocation {
    Drawn {
        examiner: Draw,
        chief: Option<Draw>,
    },
    /// No examiner of the office is eligible: the task stays open.
    NoExaminerOnDuty,
    /// A physical examination needs a chief and none is eligible: the task stays open.
    NoChiefOnDuty,
}

/// Draws the examiner of a new task (and the chief of a physical examination). `key` identifies
/// this draw uniquely, e.g. `"{mrn}/{task id}"`; the groups' draws use `key/examiner` and
/// `key/chief`, so they are independent.
pub fn allocate(context: &DrawContext<'_>, task: &ControlTask, key: &str) -> Allocation {
    let Some(examiner) = context.draw(task, Group::Examiner, format!("{key}/examiner"), &[]) else {
        return Allocation::NoExaminerOnDuty;
    };
    if !task.task_type.needs_chief() {
        return Allocation::Drawn {
            examiner,
            chief: None,
        };
    }
    match context.draw(task, Group::ChiefExaminer, format!("{key}/chief"), &[]) {
        Some(chief) => Allocation::Drawn {
            examiner,
            chief: Some(chief),
        },
        None => Allocation::NoChiefOnDuty,
    }
}

/// Why a reallocation is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("only a supervisor may reallocate a control task, not the role {0}")]
    NotSupervisor(&'static str),
    #[error("a reason is required to reallocate a control task")]
    ReasonRequired,
    #[error("a control task that is {0} cannot be reallocated; allowed: allocated, in-progress")]
    NotAllocated(&'static str),
    #[error("no other eligible officer of the group is on duty")]
    NoCandidate,
}

/// A supervisor's reallocation: who was replaced, the new draw, by whom and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reallocation {
    pub replaced: Option<UserId>,
    pub draw: Draw,
    pub by: UserId,
    pub reason: String,
}

impl Reallocation {
    /// Puts the newly drawn officer on the task. The state stays as it was: a task in progress
    /// continues with the new officer, and its timings still measure the declaration's wait.
    pub fn apply(&self, task: &mut ControlTask) {
        match self.draw.group {
            Group::Examiner => task.examiner = Some(self.draw.chosen),
            Group::ChiefExaminer => task.chief = Some(self.draw.chosen),
        }
    }
}

/// Replaces the task's officer of `group` by a new random draw that leaves the current one out.
/// Only a supervisor may, and only with a reason; the supervisor never picks the officer.
pub fn reallocate(
    context: &DrawContext<'_>,
    task: &ControlTask,
    group: Group,
    (role, by): (Role, UserId),
    reason: &str,
    key: &str,
) -> Result<Reallocation, DrawError> {
    if role != Role::Supervisor {
        return Err(DrawError::NotSupervisor(role.as_str()));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DrawError::ReasonRequired);
    }
    if !matches!(task.state, TaskState::Allocated | TaskState::InProgress) {
        return Err(DrawError::NotAllocated(
            crate::transition::Lifecycle::as_str(task.state),
        ));
    }
    let replaced = match group {
        Group::Examiner => task.examiner,
        Group::ChiefExaminer => task.chief,
    };
    let excluded: Vec<UserId> = replaced.into_iter().collect();
    let draw = context
        .draw(task, group, format!("{key}/reallocation"), &excluded)
        .ok_or(DrawError::NoCandidate)?;
    Ok(Reallocation {
        replaced,
        draw,
        by,
        reason: reason.to_owned(),
    })
}
