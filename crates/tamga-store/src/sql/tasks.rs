//! The control task lists, a page at a time, newest first: an office's tasks (a supervisor's)
//! and an officer's worklist. Each shape walks an index from its newest end and stops after a
//! page, so a page costs the same with 500 tasks as with 500,000:
//!
//! - **An office's tasks**, in one state or all: one branch per state, each walking
//!   `(state, office, opened_at)` newest opened first; the branches' pages are merged and cut to
//!   one. Ordered by opening and then id, the next page's cursor compared as that pair.
//! - **Every office's tasks** (administrators) walk the tasks by id, newest first, checking a
//!   state on the way. No index orders every office's tasks of one state (one would cost every
//!   opened task an entry more on the lodgement's path), so for a state that fewer than
//!   [`FEW_TASKS`] tasks are in (counted on `(state, office, opened_at)`, up to that many) the
//!   walk would read far more than a page: on SQLite such a page takes the state's task ids
//!   from that index, sorts them, and reads the page's tasks alone (PostgreSQL's planner makes
//!   that choice itself from its statistics). In a working administration every state but
//!   `completed` is such a state.
//! - **A worklist**: one branch per state for the tasks the officer examines and one per state
//!   for those they endorse as chief (not also examining them), each walking
//!   `(examiner_id, state)` or `(chief_id, state)`, whose entries of one state are in id order.
//!   Ordered by id.

use tamga_control::task::TaskState;
use tamga_control::transition::Lifecycle;

use super::Dialect;
use crate::conn::Bind;
use crate::control::{TASK_FIELDS, TASK_FROM};

/// Which tasks one page lists.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TaskList<'a> {
    /// An office's tasks (every office's when `None`), in one state when given; `few` when
    /// that state has fewer than [`FEW_TASKS`] tasks in every office ([`few_probe`]).
    Office {
        office: Option<&'a str>,
        state: Option<TaskState>,
        few: bool,
    },
    /// The tasks an officer examines or endorses.
    Worklist { officer: i64 },
}

/// How many tasks of one state every office's list may sort by id rather than walk every
/// task for (a sort of this many ids, covered by the index, takes a few milliseconds).
pub(crate) const FEW_TASKS: i64 = 20_000;

/// [`FEW_TASKS`], or what a test set to walk a state's tasks the other way
/// ([`crate::testing::set_few_tasks`]).
pub(crate) fn few_tasks() -> i64 {
    #[cfg(feature = "testing")]
    return crate::testing::few_tasks();
    #[cfg(not(feature = "testing"))]
    FEW_TASKS
}

/// Counts the tasks in `state`, up to [`few_tasks`], on `(state, office, opened_at)`.
pub(crate) fn few_probe(dialect: Dialect, state: TaskState) -> String {
    let indexed = indexed(dialect, "control_tasks_state_office");
    format!(
        "SELECT count(*) FROM (SELECT 1 FROM control_tasks{indexed} WHERE state = '{}' \
         LIMIT {}) AS few",
        state.as_str(),
        few_tasks()
    )
}

/// The page's query: `limit + 1` rows, so the caller knows whether a next page exists.
pub(crate) fn page<'a>(
    dialect: Dialect,
    list: TaskList<'a>,
    after: Option<i64>,
    limit: u32,
) -> (String, Vec<Bind<'a>>) {
    let mut binds = Vec::new();
    let branches = match list {
        TaskList::Office {
            office: Some(office),
            state,
            ..
        } => {
            binds.push(Bind::Str(office));
            let states = state.map_or(TaskState::ALL.to_vec(), |s| vec![s]);
            by_opening(dialect, &states, after, &mut binds)
        }
        TaskList::Office {
            office: None,
            state: Some(state),
            few: true,
        } => few_by_id(dialect, state, after, limit, &mut binds),
        TaskList::Office {
            office: None,
            state,
            ..
        } => by_id(dialect, state, after, &mut binds),
        TaskList::Worklist { officer } => {
            binds.push(Bind::Int(officer));
            worklist(dialect, after, &mut binds)
        }
    };
    binds.push(Bind::Int(i64::from(limit) + 1));
    let limit = binds.len();
    // A branch names its table's columns (the declaration has an id too); the union its own.
    let (inner, order) = match list {
        TaskList::Office {
            office: Some(_), ..
        } => ("t.opened_at DESC, t.id DESC", "opened_at DESC, id DESC"),
        _ => ("t.id DESC", "id DESC"),
    };
    let union: Vec<String> = branches
        .into_iter()
        .enumerate()
        .map(|(n, branch)| {
            format!("SELECT * FROM ({branch} ORDER BY {inner} LIMIT ${limit}) AS b{n}")
        })
        .collect();
    let sql = format!(
        "SELECT * FROM ({}) AS tasks ORDER BY {order} LIMIT ${limit}",
        union.join(" UNION ALL ")
    );
    (sql, binds)
}

/// One branch per state of the office bound as `$1`, each on `(state, office, opened_at)`.
fn by_opening<'a>(
    dialect: Dialect,
    states: &[TaskState],
    after: Option<i64>,
    binds: &mut Vec<Bind<'a>>,
) -> Vec<String> {
    let cursor = after.map(|after| {
        binds.push(Bind::Int(after));
        let a = binds.len();
        format!(
            " AND (t.opened_at, t.id) < \
             ((SELECT c.opened_at FROM control_tasks c WHERE c.id = ${a}), ${a})"
        )
    });
    let cursor = cursor.unwrap_or_default();
    states
        .iter()
        .map(|state| {
            let from = from(dialect, "control_tasks_state_office");
            let state = state.as_str();
            format!(
                "SELECT {TASK_FIELDS} {from} WHERE t.state = '{state}' AND t.office = $1{cursor}"
            )
        })
        .collect()
}

/// Every office's tasks by id, in one state when given. On SQLite the walk is named: its
/// planner took a state's `(state, office, opened_at)` entries and sorted every one of them
/// (0.35 s for the open tasks of 1,260,000 declarations).
fn by_id<'a>(
    dialect: Dialect,
    state: Option<TaskState>,
    after: Option<i64>,
    binds: &mut Vec<Bind<'a>>,
) -> Vec<String> {
    let mut conditions = Vec::new();
    if let Some(state) = state {
        conditions.push(format!("t.state = '{}'", state.as_str()));
    }
    if let Some(after) = after {
        binds.push(Bind::Int(after));
        conditions.push(format!("t.id < ${}", binds.len()));
    }
    let from = match dialect {
        Dialect::Sqlite => {
            "FROM control_tasks t NOT INDEXED JOIN declarations d ON d.id = t.declaration_id"
        }
        Dialect::Postgres => TASK_FROM,
    };
    let mut branch = format!("SELECT {TASK_FIELDS} {from}");
    if !conditions.is_empty() {
        branch.push_str(" WHERE ");
        branch.push_str(&conditions.join(" AND "));
    }
    vec![branch]
}

/// Every office's tasks in a state few tasks are in: the page's ids taken from the state's
/// `(state, office, opened_at)` entries, which hold every id of the state, sorted.
fn few_by_id<'a>(
    dialect: Dialect,
    state: TaskState,
    after: Option<i64>,
    limit: u32,
    binds: &mut Vec<Bind<'a>>,
) -> Vec<String> {
    let cursor = after.map(|after| {
        binds.push(Bind::Int(after));
        format!(" AND c.id < ${}", binds.len())
    });
    let indexed = indexed(dialect, "control_tasks_state_office");
    let ids = format!(
        "SELECT c.id FROM control_tasks c{indexed} WHERE c.state = '{}'{} \
         ORDER BY c.id DESC LIMIT {}",
        state.as_str(),
        cursor.unwrap_or_default(),
        u64::from(limit) + 1
    );
    vec![format!(
        "SELECT {TASK_FIELDS} {TASK_FROM} WHERE t.id IN ({ids})"
    )]
}

/// The branches of the officer bound as `$1`: as examiner, and as chief of tasks they do not
/// also examine, one per state.
fn worklist<'a>(dialect: Dialect, after: Option<i64>, binds: &mut Vec<Bind<'a>>) -> Vec<String> {
    let cursor = after.map(|after| {
        binds.push(Bind::Int(after));
        format!(" AND t.id < ${}", binds.len())
    });
    let cursor = cursor.unwrap_or_default();
    let roles = [
        ("control_tasks_examiner", "t.examiner_id = $1"),
        (
            "control_tasks_chief",
            "t.chief_id = $1 AND (t.examiner_id IS NULL OR t.examiner_id <> $1)",
        ),
    ];
    roles
        .into_iter()
        .flat_map(|(index, role)| {
            let from = from(dialect, index);
            let cursor = cursor.clone();
            TaskState::ALL.into_iter().map(move |state| {
                let state = state.as_str();
                format!("SELECT {TASK_FIELDS} {from} WHERE {role} AND t.state = '{state}'{cursor}")
            })
        })
        .collect()
}

/// The tasks joined to their declarations, walking `index` on SQLite (whose planner, without
/// statistics, could take another index and sort what it matches).
fn from(dialect: Dialect, index: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!(
            "FROM control_tasks t{} JOIN declarations d ON d.id = t.declaration_id",
            indexed(dialect, index)
        ),
        Dialect::Postgres => TASK_FROM.to_owned(),
    }
}

/// ` INDEXED BY index` on SQLite, which then walks that index; nothing on PostgreSQL.
fn indexed(dialect: Dialect, index: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!(" INDEXED BY {index}"),
        Dialect::Postgres => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every branch of every shape names the states apart, so a page never lists a task twice.
    #[test]
    fn a_worklist_has_a_branch_per_role_and_state() {
        let (sql, binds) = page(
            Dialect::Sqlite,
            TaskList::Worklist { officer: 7 },
            Some(40),
            10,
        );
        assert_eq!(sql.matches(" UNION ALL ").count(), 9);
        assert_eq!(sql.matches("INDEXED BY control_tasks_chief").count(), 5);
        assert_eq!(binds.len(), 3, "officer, cursor, limit");
    }

    #[test]
    fn an_office_in_one_state_is_one_branch() {
        let list = TaskList::Office {
            office: Some("UZTAS"),
            state: Some(TaskState::Completed),
            few: false,
        };
        let (sql, _) = page(Dialect::Postgres, list, None, 10);
        assert!(!sql.contains("UNION"));
        assert!(sql.contains("t.state = 'completed' AND t.office = $1"));
        assert!(!sql.contains("INDEXED BY"));
    }
}
