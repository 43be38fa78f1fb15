//! Steps on control tasks, each under a lock on the task's row: start (the declaration goes
//! under control), completion with findings (the inspection outcome and the re-assessment they
//! imply are stored in the same transaction), cancellation, the chief's endorsement, a
//! supervisor's reallocation by a new draw, and the draw of a task left open; the worklists.

use tamga_control::allocation::{reallocate, DrawContext, DrawError, Duty};
use tamga_control::task::{ControlTask, TaskError};
use tamga_control::transition::Lifecycle;
use tamga_control::UserId;
use tamga_core::codes::PartyId;
use tamga_core::status::Status;
use time::OffsetDateTime;

use super::allocation::{draw_officers, secret};
use super::control::{append_status, insert_draw, insert_entries_into, insert_event};
use crate::conn::{Bind, Conn};
use crate::control::{TaskOutcome, TaskPage, TaskQuery, TaskRow, TaskStep, TASK_COLUMNS};
use crate::records::User;
use crate::risk::StoredOutcome;
use crate::roster_cache::ControlCache;
use crate::script::Script;
use crate::sql::{self, Dialect, TaskList};
use crate::{Result, StoreError};

/// Takes one step on a task as `by`.
pub(crate) async fn step(
    conn: &mut Conn<'_>,
    cache: &ControlCache,
    id: i64,
    by: &User,
    step: TaskStep,
) -> Result<TaskOutcome> {
    let Some((declaration_id, mut task)) = locked(conn, id).await? else {
        return Ok(TaskOutcome::NotFound);
    };
    let before = (task.state, task.examiner, task.chief);
    let at = crate::sql::now();
    let me = UserId(by.id);
    let event = step.event();
    let (action, detail) = (format!("task.{}", step.name()), format!("{step:?}"));
    let refusal = match step {
        TaskStep::Start => start(conn, declaration_id, &mut task, by, at).await?,
        TaskStep::Complete {
            findings,
            outcome,
            reassessment,
        } => {
            if task.examiner != Some(me) {
                return Ok(TaskOutcome::NotAllocated);
            }
            let done = task.complete(at);
            if done.is_ok() {
                let record = StoredOutcome {
                    recorded_by: by.name.clone(),
                    recorded_at: at,
                    document: outcome,
                };
                super::decisions::insert_outcome(conn, &task.mrn, record).await?;
                save_findings(conn, id, &findings).await?;
                let used = super::attachments::of_findings(&findings)?;
                let referrer = super::attachments::Referrer::Task(id);
                super::attachments::link(conn, referrer, &used).await?;
                if let Some(new) = reassessment {
                    super::revenue::reassess(conn, &task.mrn, &crate::Scope::All, *new).await?;
                }
            }
            refused(done)
        }
        TaskStep::Cancel { reason } => refused(task.cancel(&reason, at)),
        TaskStep::Endorse => endorse(conn, &task, me, at).await?,
        TaskStep::Reallocate { group, reason } => {
            let parties = parties(conn, declaration_id).await?;
            let secret = secret(conn, cache).await?;
            let drawing = (&mut task, parties.as_slice(), at);
            reallocation(conn, &secret, drawing, by, (group, &reason)).await?
        }
        TaskStep::Allocate => {
            if task.state != tamga_control::task::TaskState::Open {
                return Ok(TaskOutcome::Illegal(illegal_allocation(&task)));
            }
            let parties = parties(conn, declaration_id).await?;
            let (mut script, mut entries) = (Script::default(), Vec::new());
            let drawing = (&mut task, parties.as_slice(), at);
            let writes = (&mut script, &mut entries);
            let drawn = draw_officers(conn, cache, drawing, None, writes).await?;
            insert_entries_into(&mut script, (id, at, crate::SYSTEM_ACTOR), entries);
            script.run(conn).await?;
            if drawn {
                None
            } else {
                Some(Refusal::Words(
                    "no eligible officer of the office is on duty".to_owned(),
                ))
            }
        }
    };
    match refusal {
        Some(Refusal::Illegal(illegal)) => return Ok(TaskOutcome::Illegal(illegal)),
        Some(Refusal::NotAllocated) => return Ok(TaskOutcome::NotAllocated),
        Some(Refusal::Words(words)) => return Ok(TaskOutcome::Refused(words)),
        None => {}
    }
    save(conn, &task).await?;
    workloads(conn, before, &task).await?;
    if let Some(event) = event {
        let detail = task
            .cancel_reason
            .as_deref()
            .filter(|_| event == "cancelled");
        insert_event(conn, id, at, &by.name, event, detail).await?;
    }
    let object = format!("task:{id}");
    let change = super::audit::Change::new(&by.name, &action, &object, detail.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(TaskOutcome::Done(Box::new(task)))
}

/// Keeps the officers' workloads: a task that ends (completed, cancelled) no longer weighs on
/// them; a reallocated one moves from the replaced officer to the drawn one. (A draw of an open
/// task adds its weight where it records the draw.)
async fn workloads(
    conn: &mut Conn<'_>,
    (state, examiner, chief): (
        tamga_control::task::TaskState,
        Option<UserId>,
        Option<UserId>,
    ),
    task: &ControlTask,
) -> Result<()> {
    if !state.is_active() {
        return Ok(());
    }
    let weight = i64::from(task.weight);
    if !task.state.is_active() {
        return super::roster::add_workload(conn, &[examiner, chief], -weight).await;
    }
    for (old, new) in [(examiner, task.examiner), (chief, task.chief)] {
        if old != new {
            super::roster::add_workload(conn, &[old], -weight).await?;
            super::roster::add_workload(conn, &[new], weight).await?;
        }
    }
    Ok(())
}

/// Why a step was not taken.
enum Refusal {
    Illegal(tamga_control::IllegalTransition),
    NotAllocated,
    Words(String),
}

fn refused(result: std::result::Result<(), TaskError>) -> Option<Refusal> {
    match result {
        Ok(()) => None,
        Err(TaskError::Illegal(e)) => Some(Refusal::Illegal(e)),
        Err(other) => Some(Refusal::Words(other.to_string())),
    }
}

fn illegal_allocation(task: &ControlTask) -> tamga_control::IllegalTransition {
    tamga_control::IllegalTransition {
        what: "a control task",
        current: task.state.as_str(),
        requested: "allocated",
        allowed: task.state.next().iter().map(|s| s.as_str()).collect(),
    }
}

async fn start(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    task: &mut ControlTask,
    by: &User,
    at: OffsetDateTime,
) -> Result<Option<Refusal>> {
    if task.examiner != Some(UserId(by.id)) {
        return Ok(Some(Refusal::NotAllocated));
    }
    if let Some(refusal) = refused(task.start(at)) {
        return Ok(Some(refusal));
    }
    let status: String = conn
        .scalar(
            "SELECT status FROM declarations WHERE id = $1",
            &[Bind::Int(declaration_id)],
        )
        .await?;
    if crate::rows::status(&status)?.can_become(Status::UnderControl) {
        let seq: i64 = conn
            .scalar(crate::sql::NEXT_EVENT_SEQ, &[Bind::Int(declaration_id)])
            .await?;
        let reason = format!("{} started", task.task_type.as_str());
        // The declarant reads this history: the examiner stays unnamed until the goods leave.
        let change = (Status::UnderControl, crate::SYSTEM_ACTOR, reason.as_str());
        append_status(conn, declaration_id, seq, change, at).await?;
    }
    Ok(None)
}

async fn endorse(
    conn: &mut Conn<'_>,
    task: &ControlTask,
    me: UserId,
    at: OffsetDateTime,
) -> Result<Option<Refusal>> {
    if task.chief != Some(me) {
        return Ok(Some(Refusal::NotAllocated));
    }
    if task.state != tamga_control::task::TaskState::Completed {
        return Ok(Some(Refusal::Words(format!(
            "a control task that is {} cannot be endorsed; allowed: completed",
            task.state.as_str()
        ))));
    }
    let update = "UPDATE control_tasks SET endorsed_by = $1, endorsed_at = $2 WHERE id = $3";
    conn.execute(
        update,
        &[Bind::Int(me.0), Bind::Time(at), Bind::Int(task.id)],
    )
    .await?;
    Ok(None)
}

async fn reallocation(
    conn: &mut Conn<'_>,
    secret: &[u8],
    (task, parties, at): (&mut ControlTask, &[PartyId], OffsetDateTime),
    by: &User,
    (group, reason): (tamga_control::allocation::Group, &str),
) -> Result<Option<Refusal>> {
    let on_duty = super::roster::on_duty(conn, &task.office, at, parties).await?;
    let duty = Duty::new(&on_duty.roster);
    let context = DrawContext {
        secret,
        duty: &duty,
        loads: &on_duty.loads,
        at,
        parties,
    };
    let key = format!("{}/{}/{}", task.mrn, task.id, at.unix_timestamp_nanos());
    let done = match reallocate(
        &context,
        task,
        group,
        (by.role, UserId(by.id)),
        reason,
        &key,
    ) {
        Ok(done) => done,
        Err(DrawError::NotAllocated(_)) => {
            let requested = tamga_control::task::TaskState::Allocated;
            return Ok(Some(task.state.step(requested).err().map_or_else(
                || Refusal::Words("the task cannot be reallocated".to_owned()),
                Refusal::Illegal,
            )));
        }
        Err(other) => return Ok(Some(Refusal::Words(other.to_string()))),
    };
    done.apply(task);
    let recorded = (at, by.name.as_str(), Some(done.reason.as_str()));
    insert_draw(conn, task.id, &done.draw, recorded).await?;
    Ok(None)
}

async fn locked(conn: &mut Conn<'_>, id: i64) -> Result<Option<(i64, ControlTask)>> {
    let select = format!(
        "SELECT declaration_id FROM control_tasks WHERE id = $1{}",
        conn.dialect().lock_row()
    );
    let Some(declaration_id) = conn
        .optional_scalar::<i64>(&select, &[Bind::Int(id)])
        .await?
    else {
        return Ok(None);
    };
    let task = super::control::task(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("task {id} vanished")))?;
    Ok(Some((declaration_id, task)))
}

async fn parties(conn: &mut Conn<'_>, declaration_id: i64) -> Result<Vec<PartyId>> {
    let select = format!(
        "SELECT {} FROM declarations WHERE id = $1",
        conn.dialect().json_column("document")
    );
    let document: String = conn.scalar(&select, &[Bind::Int(declaration_id)]).await?;
    let declaration: tamga_core::Declaration = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("declaration {declaration_id}: {e}")))?;
    Ok(declaration.party_ids().cloned().collect())
}

async fn save(conn: &mut Conn<'_>, task: &ControlTask) -> Result<()> {
    let update = "UPDATE control_tasks SET state = $1, examiner_id = $2, chief_id = $3, \
         allocated_at = $4, started_at = $5, completed_at = $6, cancelled_at = $7, \
         cancel_reason = $8 WHERE id = $9";
    let binds = [
        Bind::Str(task.state.as_str()),
        Bind::OptInt(task.examiner.map(|u| u.0)),
        Bind::OptInt(task.chief.map(|u| u.0)),
        Bind::OptTime(task.allocated_at),
        Bind::OptTime(task.started_at),
        Bind::OptTime(task.completed_at),
        Bind::OptTime(task.cancelled_at),
        Bind::OptStr(task.cancel_reason.as_deref()),
        Bind::Int(task.id),
    ];
    conn.execute(update, &binds).await?;
    Ok(())
}

async fn save_findings(conn: &mut Conn<'_>, id: i64, findings: &str) -> Result<()> {
    let update = format!(
        "UPDATE control_tasks SET findings = {} WHERE id = $2",
        conn.dialect().json_param(1)
    );
    conn.execute(&update, &[Bind::Str(findings), Bind::Int(id)])
        .await?;
    Ok(())
}

/// The findings recorded at completion (JSON text), if any.
pub(crate) async fn findings(conn: &mut Conn<'_>, id: i64) -> Result<Option<String>> {
    let select = format!(
        "SELECT {} FROM control_tasks WHERE id = $1",
        conn.dialect().json_column("findings")
    );
    Ok(conn
        .optional_scalar::<Option<String>>(&select, &[Bind::Int(id)])
        .await?
        .flatten())
}

/// A page of the tasks allocated to an officer (as examiner or chief), newest first.
pub(crate) async fn worklist(
    conn: &mut Conn<'_>,
    user: i64,
    after: Option<i64>,
    limit: u32,
) -> Result<TaskPage> {
    task_page(conn, TaskList::Worklist { officer: user }, after, limit).await
}

/// A page of an office's tasks (every office's when none is named), newest first, in one
/// state when given.
pub(crate) async fn office_tasks(conn: &mut Conn<'_>, query: &TaskQuery) -> Result<TaskPage> {
    // PostgreSQL's planner, with its statistics, takes a rare state's index by itself (2.2 ms
    // at 100,000 tasks); counting a common state's first 20,000 would cost it 7 ms.
    let few = match (&query.office, query.state) {
        (None, Some(state)) if conn.dialect() == Dialect::Sqlite => {
            let probe = sql::few_tasks_probe(conn.dialect(), state);
            conn.scalar::<i64>(&probe, &[]).await? < sql::few_tasks()
        }
        _ => false,
    };
    let list = TaskList::Office {
        office: query.office.as_deref(),
        state: query.state,
        few,
    };
    task_page(conn, list, query.after, query.limit).await
}

/// The tasks an officer holds now (allocated or in progress), as examiner or chief, however
/// many others they have had.
pub(crate) async fn active(conn: &mut Conn<'_>, user: i64) -> Result<Vec<ControlTask>> {
    let select = format!(
        "SELECT {TASK_COLUMNS} WHERE (t.examiner_id = $1 OR t.chief_id = $1) \
         AND t.state IN ('allocated', 'in-progress') ORDER BY t.id"
    );
    let rows: Vec<TaskRow> = conn.all(&select, &[Bind::Int(user)]).await?;
    rows.into_iter().map(TaskRow::into_task).collect()
}

async fn task_page(
    conn: &mut Conn<'_>,
    list: TaskList<'_>,
    after: Option<i64>,
    limit: u32,
) -> Result<TaskPage> {
    let limit = limit.max(1);
    let (select, binds) = sql::task_page(conn.dialect(), list, after, limit);
    let rows: Vec<TaskRow> = conn.all(&select, &binds).await?;
    let mut tasks = rows
        .into_iter()
        .map(TaskRow::into_task)
        .collect::<Result<Vec<_>>>()?;
    let more = tasks.len() > limit as usize;
    tasks.truncate(limit as usize);
    let next_after = tasks.last().map(|t| t.id).filter(|_| more);
    Ok(TaskPage { tasks, next_after })
}
