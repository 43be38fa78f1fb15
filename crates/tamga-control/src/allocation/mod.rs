//! Who may be drawn to control a declaration: officers of an office's sections in one of two
//! groups (examiners inspect, chief examiners endorse; nobody is in both), on duty by shift, not
//! suspended, not linked to a party of the declaration; and how loaded each one is.
//!
//! The draw itself is in [`draw`]; the rule behind it is ASYCUDA's anti-corruption control:
//! neither the officer nor the trader chooses who inspects.

pub mod draw;
pub mod duty;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tamga_core::codes::{Locode, PartyId};
use tamga_core::role::Role;
use time::OffsetDateTime;

use crate::task::ControlTask;
use crate::UserId;

pub use draw::{
    allocate, reallocate, replay, weight, Allocation, Candidate, Draw, DrawContext, DrawError,
    Reallocation,
};
pub use duty::Duty;

/// ASYCUDA's groups: G1 inspects, G2 endorses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    /// G1: examiners.
    Examiner,
    /// G2: chief examiners.
    ChiefExaminer,
}

impl Group {
    pub const ALL: [Group; 2] = [Group::Examiner, Group::ChiefExaminer];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Examiner => "examiner",
            Group::ChiefExaminer => "chief-examiner",
        }
    }

    pub fn parse(raw: &str) -> Option<Group> {
        Group::ALL.into_iter().find(|g| g.as_str() == raw)
    }
}

/// An officer of a section; the group is one value, so nobody can be in both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub id: UserId,
    pub office: Locode,
    pub section: String,
    pub group: Group,
    pub suspended: bool,
}

/// A shift: the officer is on duty from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    pub officer: UserId,
    #[serde(with = "time::serde::rfc3339")]
    pub start: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub end: OffsetDateTime,
}

impl Shift {
    pub fn covers(&self, at: OffsetDateTime) -> bool {
        self.start <= at && at < self.end
    }
}

/// An officer linked to a party (a relative, a former employer...): never drawn for its goods.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Conflict {
    pub officer: UserId,
    pub party: PartyId,
}

/// Everything the draw needs to know about people, at one office or many.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub officers: Vec<Officer>,
    pub shifts: Vec<Shift>,
    pub conflicts: Vec<Conflict>,
}

/// What the draw is for: the office, the group wanted, the instant and the declaration's parties.
#[derive(Debug, Clone, Copy)]
pub struct Need<'a> {
    pub office: &'a Locode,
    pub group: Group,
    pub at: OffsetDateTime,
    pub parties: &'a [PartyId],
}

impl Roster {
    pub fn officer(&self, id: UserId) -> Option<&Officer> {
        self.officers.iter().find(|o| o.id == id)
    }
}

/// ASYCUDA's weight of a declaration: 10, plus 5 per goods item (8 items weigh 50).
pub fn declaration_weight(items: usize) -> u32 {
    let items = u32::try_from(items).unwrap_or(u32::MAX);
    items.saturating_mul(5).saturating_add(10)
}

/// Each officer's current workload: the weights of the tasks allocated to them that are not yet
/// completed or cancelled. A chief's workload counts the red tasks they endorse.
pub fn workloads<'a>(tasks: impl IntoIterator<Item = &'a ControlTask>) -> BTreeMap<UserId, u64> {
    let mut loads = BTreeMap::new();
    for task in tasks.into_iter().filter(|t| t.state.is_active()) {
        for officer in [task.examiner, task.chief].into_iter().flatten() {
            *loads.entry(officer).or_insert(0) += u64::from(task.weight);
        }
    }
    loads
}

/// Why a suspension is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuspendError {
    #[error("only a supervisor may suspend an examiner, not the role {0}")]
    NotSupervisor(&'static str),
    #[error("the officer still has open tasks: {0:?}")]
    OpenTasks(Vec<i64>),
}

/// A supervisor may suspend an examiner only when none of the examiner's tasks is open
/// (allocated or in progress): a suspension must not strand a control half-done.
pub fn check_suspension<'a>(
    role: Role,
    officer: UserId,
    tasks: impl IntoIterator<Item = &'a ControlTask>,
) -> Result<(), SuspendError> {
    if role != Role::Supervisor {
        return Err(SuspendError::NotSupervisor(role.as_str()));
    }
    let open: Vec<i64> = tasks
        .into_iter()
        .filter(|t| t.state.is_active() && t.is_allocated_to(officer))
        .map(|t| t.id)
        .collect();
    if open.is_empty() {
        Ok(())
    } else {
        Err(SuspendError::OpenTasks(open))
    }
}
