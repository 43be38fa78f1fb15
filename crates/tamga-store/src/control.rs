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

/// Which control tasks a page lists, and where it starts.
#[derive(Debug, Clone, Default)]
pub struct TaskQuery {
    /// An office's tasks; every office's when `None`.
    pub office: Option<String>,
    /// Tasks in this state only.
    pub state: Option<TaskState>,
    /// The `next_after` of the page before; the first page when `None`.
    pub after: Option<i64>,
    /// Tasks on the page (at least one).
    pub limit: u32,
}

/// One page of control tasks, newest first.
#[derive(Debug, Clone)]
pub struct TaskPage {
    pub tasks: Vec<ControlTask>,
    /// The `after` of the next page, when there is one.
    pub next_after: Option<i64>,
}

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

macro_rules! task_fields {
    () => {
        "t.id, d.mrn, t.task_type, t.office, t.explanation, t.state, t.weight, t.examiner_id, \
         t.chief_id, t.scanner_image, t.due, t.opened_at, t.allocated_at, t.started_at, \
         t.completed_at, t.cancelled_at, t.cancel_reason"
    };
}
macro_rules! task_from {
    () => {
        "FROM control_tasks t JOIN declarations d ON d.id = t.declaration_id"
    };
}

/// A task's columns as [`TaskRow`] reads them (`t`, with its declaration as `d`).
pub(crate) const TASK_FIELDS: &str = task_fields!();
/// The tasks with their declarations, as [`TASK_FIELDS`] names them.
pub(crate) const TASK_FROM: &str = task_from!();
/// [`TASK_FIELDS`] from [`TASK_FROM`].
pub(crate) const TASK_COLUMNS: &str = concat!(task_fields!(), " ", task_from!());

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

/// A step on a task asked by a user; the API decides which roles may ask for which step.
#[derive(Debug, Clone)]
pub enum TaskStep {
    /// The allocated examiner starts the control; the declaration goes under control.
    Start,
    /// The allocated examiner completes it with the findings (JSON), the inspection outcome
    /// they imply (JSON, `tamga-risk`'s shape) and the re-assessment they call for.
    Complete {
        findings: String,
        outcome: String,
        reassessment: Option<Box<crate::NewAssessment>>,
    },
    /// Cancelled with a reason.
    Cancel { reason: String },
    /// The chief examiner of a completed physical examination endorses its release.
    Endorse,
    /// A new draw replacing the task's officer of a group, with a reason; never a choice.
    Reallocate { group: Group, reason: String },
    /// Draws the officers of a task still open (nobody was on duty when it was opened).
    Allocate,
}

impl TaskStep {
    /// The step's name in the audit log.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            TaskStep::Start => "start",
            TaskStep::Complete { .. } => "complete",
            TaskStep::Cancel { .. } => "cancel",
            TaskStep::Endorse => "endorse",
            TaskStep::Reallocate { .. } => "reallocate",
            TaskStep::Allocate => "allocate",
        }
    }

    /// The event the step writes in the task's history (a draw writes its own).
    pub(crate) fn event(&self) -> Option<&'static str> {
        match self {
            TaskStep::Start => Some("started"),
            TaskStep::Complete { .. } => Some("completed"),
            TaskStep::Cancel { .. } => Some("cancelled"),
            TaskStep::Endorse => Some("endorsed"),
            TaskStep::Reallocate { .. } | TaskStep::Allocate => None,
        }
    }
}

/// What became of a task step.
#[derive(Debug, Clone)]
pub enum TaskOutcome {
    Done(Box<ControlTask>),
    NotFound,
    /// The step is the allocated examiner's (or chief's), and the user is not.
    NotAllocated,
    /// The state machine refuses the step: the current state and the allowed ones.
    Illegal(tamga_control::IllegalTransition),
    /// Refused for another reason, said in words (no eligible officer on duty, ...).
    Refused(String),
}

/// A hold on a declaration's goods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoldRecord {
    pub id: i64,
    pub reason: String,
    pub placed_by: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub placed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub lifted_at: Option<OffsetDateTime>,
    pub lift_reason: Option<String>,
}

/// What became of a suspension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuspendOutcome {
    Done,
    UnknownOfficer,
    Refused(tamga_control::allocation::SuspendError),
}
