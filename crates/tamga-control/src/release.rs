//! Whether a declaration may be released. Green and blue are released automatically once the
//! assessment is covered (the administration's goal of release with no human step); yellow and
//! red by the allocated examiner once the task is completed and nothing is owed, red only with a
//! chief examiner's endorsement. Holds block every release. Reasons are values, all at once.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::task::{Channel, ControlTask, TaskState};
use crate::transition::Lifecycle;
use crate::UserId;

/// What the latest assessment still asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// The balance still owed (zero or negative when paid in full).
    pub owed: Decimal,
    /// A guarantee covers what is owed.
    pub guaranteed: bool,
}

impl Coverage {
    pub fn is_covered(self) -> bool {
        self.owed <= Decimal::ZERO || self.guaranteed
    }
}

/// A hold on the goods (by a service, a court, the laboratory), with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    pub reason: String,
    pub by: UserId,
}

/// What the release rule looks at.
#[derive(Debug, Clone, Copy)]
pub struct ReleaseFacts<'a> {
    pub channel: Channel,
    pub coverage: Coverage,
    /// The declaration's control task, for yellow and red.
    pub task: Option<&'a ControlTask>,
    pub holds: &'a [Hold],
    /// A chief examiner endorsed the release (red).
    pub chief_endorsed: bool,
}

/// Why the goods may not leave yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "blocker")]
pub enum Blocker {
    NotCovered { owed: Decimal },
    Held { reason: String },
    NoTask,
    TaskNotCompleted { state: String },
    ChiefEndorsementMissing,
}

impl Blocker {
    /// What the declarant may read: what is owed, or only that control is under way; never the
    /// risk reasons, the officers or the laboratory's work.
    pub fn for_declarant(&self) -> String {
        match self {
            Blocker::NotCovered { owed } => format!("{owed} is to be paid or guaranteed"),
            Blocker::Held { .. } => "the goods are held by customs".to_owned(),
            _ => "customs control is not finished".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "release")]
pub enum Release {
    /// Released now, with no human step.
    Automatic,
    /// The allocated examiner may release.
    ByExaminer {
        examiner: UserId,
    },
    Refused {
        blockers: Vec<Blocker>,
    },
}

/// The release rule.
pub fn decide(facts: &ReleaseFacts<'_>) -> Release {
    let mut blockers = Vec::new();
    if !facts.coverage.is_covered() {
        blockers.push(Blocker::NotCovered {
            owed: facts.coverage.owed,
        });
    }
    blockers.extend(facts.holds.iter().map(|h| Blocker::Held {
        reason: h.reason.clone(),
    }));
    let controlled = matches!(facts.channel, Channel::Yellow | Channel::Red);
    let examiner = if controlled {
        task_blockers(facts, &mut blockers)
    } else {
        None
    };
    match (blockers.is_empty(), examiner) {
        (false, _) => Release::Refused { blockers },
        (true, Some(examiner)) => Release::ByExaminer { examiner },
        (true, None) => Release::Automatic,
    }
}

/// The task's part of the rule; the examiner who may release when it is satisfied.
fn task_blockers(facts: &ReleaseFacts<'_>, blockers: &mut Vec<Blocker>) -> Option<UserId> {
    let Some(task) = facts.task else {
        blockers.push(Blocker::NoTask);
        return None;
    };
    if task.state != TaskState::Completed {
        blockers.push(Blocker::TaskNotCompleted {
            state: task.state.as_str().to_owned(),
        });
    }
    if facts.channel == Channel::Red && !facts.chief_endorsed {
        blockers.push(Blocker::ChiefEndorsementMissing);
    }
    if task.examiner.is_none() {
        blockers.push(Blocker::NoTask);
    }
    task.examiner
}

/// May `actor` carry out a release the rule allows? Only the allocated examiner, for yellow and
/// red; nobody needs to for an automatic release.
pub fn may_release(release: &Release, actor: UserId) -> bool {
    match release {
        Release::ByExaminer { examiner } => *examiner == actor,
        Release::Automatic | Release::Refused { .. } => false,
    }
}
