//! Control tasks: what a channel opens at acceptance, and the task's life.
//!
//! ```text
//! open -> allocated -> in-progress -> completed
//!   \         \             \
//!    `---------`-------------`-> cancelled (with a reason)
//! ```
//! Yellow opens a documentary check, red a physical examination (with an optional scanner image
//! reference), blue a post-clearance audit due a configurable number of days after acceptance;
//! green opens nothing and goes to release.

use serde::{Deserialize, Serialize};
use tamga_core::codes::Locode;
use time::{Date, Duration, OffsetDateTime};

use crate::transition::{IllegalTransition, Lifecycle};
use crate::UserId;

pub use tamga_core::channel::Channel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskType {
    DocumentaryCheck,
    PhysicalExamination,
    PostClearanceAudit,
}

impl TaskType {
    pub const ALL: [TaskType; 3] = [
        TaskType::DocumentaryCheck,
        TaskType::PhysicalExamination,
        TaskType::PostClearanceAudit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskType::DocumentaryCheck => "documentary-check",
            TaskType::PhysicalExamination => "physical-examination",
            TaskType::PostClearanceAudit => "post-clearance-audit",
        }
    }

    pub fn parse(raw: &str) -> Option<TaskType> {
        TaskType::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    /// Does this task need a chief examiner's endorsement as well as an examiner?
    pub fn needs_chief(self) -> bool {
        self == TaskType::PhysicalExamination
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskState {
    Open,
    Allocated,
    InProgress,
    Completed,
    Cancelled,
}

impl Lifecycle for TaskState {
    const WHAT: &'static str = "a control task";

    fn as_str(self) -> &'static str {
        match self {
            TaskState::Open => "open",
            TaskState::Allocated => "allocated",
            TaskState::InProgress => "in-progress",
            TaskState::Completed => "completed",
            TaskState::Cancelled => "cancelled",
        }
    }

    fn next(self) -> &'static [TaskState] {
        use TaskState::*;
        match self {
            Open => &[Allocated, Cancelled],
            Allocated => &[InProgress, Cancelled],
            InProgress => &[Completed, Cancelled],
            Completed | Cancelled => &[],
        }
    }
}

impl TaskState {
    pub const ALL: [TaskState; 5] = [
        TaskState::Open,
        TaskState::Allocated,
        TaskState::InProgress,
        TaskState::Completed,
        TaskState::Cancelled,
    ];

    pub fn parse(raw: &str) -> Option<TaskState> {
        TaskState::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Does a task in this state still weigh on its officers' workload?
    pub fn is_active(self) -> bool {
        matches!(self, TaskState::Allocated | TaskState::InProgress)
    }
}

/// Settings of the tasks a channel opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskSettings {
    /// Days from acceptance until a post-clearance audit is due.
    pub audit_due_days: u16,
}

impl Default for TaskSettings {
    fn default() -> Self {
        // Post-clearance audits are planned within the quarter that follows release.
        Self { audit_due_days: 90 }
    }
}

/// A task to open, before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTask {
    pub task_type: TaskType,
    pub office: Locode,
    /// The channel's explanation, for staff only (never shown to the declarant).
    pub explanation: String,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    /// When a post-clearance audit is due.
    #[serde(with = "crate::optional_date")]
    pub due: Option<Date>,
}

/// The tasks a declaration accepted on `channel` opens (none for green).
pub fn tasks_for(
    channel: Channel,
    office: &Locode,
    accepted_at: OffsetDateTime,
    explanation: &str,
    settings: &TaskSettings,
) -> Vec<NewTask> {
    let (task_type, due) = match channel {
        Channel::Green => return Vec::new(),
        Channel::Yellow => (TaskType::DocumentaryCheck, None),
        Channel::Red => (TaskType::PhysicalExamination, None),
        Channel::Blue => {
            let days = Duration::days(i64::from(settings.audit_due_days));
            (
                TaskType::PostClearanceAudit,
                accepted_at.date().checked_add(days),
            )
        }
    };
    vec![NewTask {
        task_type,
        office: office.clone(),
        explanation: explanation.to_owned(),
        opened_at: accepted_at,
        due,
    }]
}

/// A control task as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlTask {
    pub id: i64,
    pub mrn: String,
    pub task_type: TaskType,
    pub office: Locode,
    pub explanation: String,
    pub state: TaskState,
    /// The declaration's weight in workload units (see [`crate::allocation::declaration_weight`]).
    pub weight: u32,
    pub examiner: Option<UserId>,
    pub chief: Option<UserId>,
    /// A reference to the scanner (NII) image examined, for physical examinations.
    pub scanner_image: Option<String>,
    #[serde(with = "crate::optional_date")]
    pub due: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub allocated_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub started_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub completed_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub cancelled_at: Option<OffsetDateTime>,
    pub cancel_reason: Option<String>,
}

/// Why a task step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    #[error("a reason is required to cancel a control task")]
    ReasonRequired,
    #[error("a task cannot be allocated without an examiner, nor a physical examination without a chief")]
    OfficerMissing,
    #[error("the step's time is before the task's previous step")]
    TimeBeforePrevious,
}

impl ControlTask {
    /// A new task from what [`tasks_for`] opened.
    pub fn open(id: i64, mrn: &str, new: NewTask, weight: u32) -> Self {
        Self {
            id,
            mrn: mrn.to_owned(),
            task_type: new.task_type,
            office: new.office,
            explanation: new.explanation,
            state: TaskState::Open,
            weight,
            examiner: None,
            chief: None,
            scanner_image: None,
            due: new.due,
            opened_at: new.opened_at,
            allocated_at: None,
            started_at: None,
            completed_at: None,
            cancelled_at: None,
            cancel_reason: None,
        }
    }

    /// Records the drawn officers: an examiner, and a chief for a physical examination.
    pub fn allocate(
        &mut self,
        examiner: UserId,
        chief: Option<UserId>,
        at: OffsetDateTime,
    ) -> Result<(), TaskError> {
        if self.task_type.needs_chief() && chief.is_none() {
            return Err(TaskError::OfficerMissing);
        }
        self.advance(TaskState::Allocated, at)?;
        self.examiner = Some(examiner);
        self.chief = chief;
        self.allocated_at = Some(at);
        Ok(())
    }

    pub fn start(&mut self, at: OffsetDateTime) -> Result<(), TaskError> {
        self.advance(TaskState::InProgress, at)?;
        self.started_at = Some(at);
        Ok(())
    }

    pub fn complete(&mut self, at: OffsetDateTime) -> Result<(), TaskError> {
        self.advance(TaskState::Completed, at)?;
        self.completed_at = Some(at);
        Ok(())
    }

    pub fn cancel(&mut self, reason: &str, at: OffsetDateTime) -> Result<(), TaskError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(TaskError::ReasonRequired);
        }
        self.advance(TaskState::Cancelled, at)?;
        self.cancelled_at = Some(at);
        self.cancel_reason = Some(reason.to_owned());
        Ok(())
    }

    /// Checks the step and the clock, then moves the state.
    fn advance(&mut self, to: TaskState, at: OffsetDateTime) -> Result<(), TaskError> {
        let to = self.state.step(to)?;
        if at < self.last_step_at() {
            return Err(TaskError::TimeBeforePrevious);
        }
        self.state = to;
        Ok(())
    }

    fn last_step_at(&self) -> OffsetDateTime {
        [self.allocated_at, self.started_at, self.completed_at]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.opened_at)
            .max(self.opened_at)
    }

    /// From opening to the start of the control (time-release measure), once started.
    pub fn time_to_start(&self) -> Option<Duration> {
        self.started_at.map(|s| s - self.opened_at)
    }

    /// From opening to completion, once completed.
    pub fn time_to_complete(&self) -> Option<Duration> {
        self.completed_at.map(|c| c - self.opened_at)
    }

    /// Is `user` the examiner or the chief of this task? Officers see only such tasks.
    pub fn is_allocated_to(&self, user: UserId) -> bool {
        self.examiner == Some(user) || self.chief == Some(user)
    }
}

/// Who is looking at tasks: their role, their id and, for supervisors, the offices they oversee.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub role: tamga_core::role::Role,
    pub id: UserId,
    pub offices: &'a [Locode],
}

/// May `viewer` see `task`? Officers see only the tasks drawn for them (never the unallocated
/// ones, so nobody can pick a task); supervisors the tasks of their offices; administrators all.
/// Lab users, analysts and declarants see none: the declarant sees status and what is owed.
pub fn may_see(task: &ControlTask, viewer: &Viewer<'_>) -> bool {
    use tamga_core::role::Role;
    match viewer.role {
        Role::Officer => task.is_allocated_to(viewer.id),
        Role::Supervisor => viewer.offices.contains(&task.office),
        Role::Admin => true,
        Role::Declarant | Role::Analyst | Role::Lab | Role::Post => false,
    }
}
