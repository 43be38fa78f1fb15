//! What control stores and reads back: officers of an office's sections with their shifts and
//! conflicts, control tasks, the draws that allocated them and the tasks' history. The rules
//! (who may be drawn, the draw, the task's states) are `tamga-control`'s; the store keeps them
//! and runs them inside the transactions that need them.

use serde::Serialize;
use tamga_control::allocation::{Draw, Group};
use tamga_control::task::{ControlTask, TaskState, TaskType};
use tamga_control::transition::Lifecycle;
use tamga_control::UserId;
use tamga_core::codes::Locode;
use time::OffsetDateTime;

use crate::StoreError;

/// The name of the secret keying the allocation draws in `node_secrets`.
pub(crate) const ALLOCATION_SECRET: &str = "allocation";

/// What became of a change to the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterChange {
    Saved,
    /// No user has this id, or (for shifts and conflicts) the user is not an officer of a section.
    UnknownOfficer,
    /// The user exists but is not customs staff who may inspect (an officer or a supervisor).
    NotStaff,
}

/// One entry of a task's append-only history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskEvent {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: String,
    /// `opened`, `allocated`, `awaiting-allocation`, ...
    pub event: String,
    pub detail: Option<String>,
}

/// A draw as it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredDraw {
    pub task_id: i64,
    pub draw: Draw,
    #[serde(with = "time::serde::rfc3339")]
    pub drawn_at: OffsetDateTime,
    pub drawn_by: String,
    /// A reallocation's reason.
    pub reason: Option<String>,
}

/// A recorded draw redone with the server's secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplayedDraw {
    pub stored: StoredDraw,
    /// Who the replay chooses.
    pub replayed: Option<UserId>,
}

impl ReplayedDraw {
    /// Does the replay choose the officer recorded?
    pub fn matches(&self) -> bool {
        self.replayed == Some(self.stored.draw.chosen)
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct TaskRow {
    pub id: i64,
    pub mrn: String,
    pub task_type: String,
    pub office: String,
    pub explanation: String,
    pub state: String,
    pub weight: i64,
    pub examiner_id: Option<i64>,
    pub chief_id: Option<i64>,
    pub scanner_image: Option<String>,
    pub due: Option<String>,
    pub opened_at: OffsetDateTime,
    pub allocated_at: Option<OffsetDateTime>,
    pub started_at: Option<OffsetDateTime>,
    pub completed_at: Option<OffsetDateTime>,
    pub cancelled_at: Option<OffsetDateTime>,
    pub cancel_reason: Option<String>,
}

pub(crate) const TASK_COLUMNS: &str = "t.id, d.mrn, t.task_type, t.office, t.explanation, \
     t.state, t.weight, t.examiner_id, t.chief_id, t.scanner_image, t.due, t.opened_at, \
     t.allocated_at, t.started_at, t.completed_at, t.cancelled_at, t.cancel_reason \
     FROM control_tasks t JOIN declarations d ON d.id = t.declaration_id";

fn corrupt(what: &str, id: i64, raw: &str) -> StoreError {
    StoreError::Corrupt(format!("control task {id} has {what} {raw:?}"))
}

impl TaskRow {
    pub fn into_task(self) -> Result<ControlTask, StoreError> {
        let id = self.id;
        let due = match self.due.as_deref() {
            Some(raw) => {
                Some(tamga_core::dates::parse_date(raw).map_err(|_| corrupt("due date", id, raw))?)
            }
            None => None,
        };
        Ok(ControlTask {
            id,
            mrn: self.mrn,
            task_type: TaskType::parse(&self.task_type)
                .ok_or_else(|| corrupt("type", id, &self.task_type))?,
            office: Locode::parse(&self.office).map_err(|_| corrupt("office", id, &self.office))?,
            explanation: self.explanation,
            state: TaskState::parse(&self.state)
                .ok_or_else(|| corrupt("state", id, &self.state))?,
            weight: u32::try_from(self.weight).map_err(|_| corrupt("weight", id, "negative"))?,
            examiner: self.examiner_id.map(UserId),
            chief: self.chief_id.map(UserId),
            scanner_image: self.scanner_image,
            due,
            opened_at: self.opened_at,
            allocated_at: self.allocated_at,
            started_at: self.started_at,
            completed_at: self.completed_at,
            cancelled_at: self.cancelled_at,
            cancel_reason: self.cancel_reason,
        })
    }
}

/// The written form of a task state, for SQL.
pub(crate) fn state_str(state: TaskState) -> &'static str {
    state.as_str()
}

pub(crate) fn group(raw: &str) -> Result<Group, StoreError> {
    Group::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unknown group {raw:?}")))
}
