//! Control tasks: opened in the lodgement's transaction from the settled channel and allocated
//! there by the random, workload-weighted draw of `tamga-control`, with the draw recorded so an
//! auditor can replay it; green and blue declarations released automatically once nothing is
//! owed; the tasks, their draws and their history read back.

use tamga_control::allocation::{declaration_weight, Draw};
use tamga_control::task::{tasks_for, Channel, ControlTask};
use tamga_core::codes::PartyId;
use time::OffsetDateTime;

use crate::conn::{Bind, Conn};
use crate::control::{state_str, StoredDraw, TaskEvent, TaskRow, ALLOCATION_SECRET, TASK_COLUMNS};
use crate::records::{Event, Lodgement};
use crate::roster_cache::ControlCache;
use crate::script::Script;
use crate::sql::Dialect;
use crate::{Result, StoreError, SYSTEM_ACTOR};

/// Where a lodgement's control task comes from: the lodgement's first read gives the task's id
/// (on PostgreSQL only when [`opens_task`] said so) and the office's roster token.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TaskSlot {
    pub id: Option<i64>,
    pub token: Option<Option<i64>>,
}

/// Whether the lodgement's channel opens a control task (every channel but green).
pub(crate) fn opens_task(l: &Lodgement) -> bool {
    let channel = l.risk.as_ref().and_then(|r| Channel::parse(&r.channel));
    channel.is_some_and(|c| c != Channel::Green)
}

/// Opens the tasks the settled channel asks for and allocates each one when officers are on
/// duty; a task nobody can take yet stays open, said so in its history. What it writes goes
/// into the lodgement's `script`: each task's row once, as its draw left it (drawn before it
/// is written, so no update follows the insert), then its history and its draws.
pub(crate) async fn open_tasks(
    conn: &mut Conn<'_>,
    (script, cache): (&mut Script<'_>, &ControlCache),
    (declaration_id, mrn): (i64, &str),
    l: &Lodgement,
    slot: TaskSlot,
) -> Result<Vec<ControlTask>> {
    let Some(risk) = &l.risk else {
        return Ok(Vec::new());
    };
    let Some(channel) = Channel::parse(&risk.channel) else {
        return Ok(Vec::new());
    };
    let d = &l.declaration;
    let new = tasks_for(channel, &d.customs_office, l.at, &risk.document, &l.control);
    let weight = declaration_weight(d.items.len());
    let parties: Vec<PartyId> = d.party_ids().cloned().collect();
    let mut tasks = Vec::with_capacity(new.len());
    for (n, task) in new.into_iter().enumerate() {
        // SQLite's single writer may number tasks on from the first; a sequence may not.
        let id = match slot.id {
            Some(first) if n == 0 || conn.dialect() == Dialect::Sqlite => {
                first + i64::try_from(n).unwrap_or(0)
            }
            _ => conn.scalar(NEXT_TASK_ID_POSTGRES, &[]).await?,
        };
        let mut task = ControlTask::open(id, mrn, task, weight);
        let mut drawn = Script::default();
        let mut entries = vec![("opened", Some(format!("{} channel", channel.as_str())))];
        let drawing = (&mut task, parties.as_slice(), l.at);
        let writes = (&mut drawn, &mut entries);
        super::allocation::draw_officers(conn, cache, drawing, slot.token, writes).await?;
        insert_task(script, conn.dialect(), declaration_id, &task);
        insert_entries_into(script, (id, l.at, SYSTEM_ACTOR), entries);
        script.append(drawn);
        tasks.push(task);
    }
    Ok(tasks)
}

/// PostgreSQL: the id the next control task takes.
const NEXT_TASK_ID_POSTGRES: &str = "SELECT nextval(pg_get_serial_sequence('control_tasks', 'id'))";

/// Inserts a new task, in `script`, with its id and as its draw (if any) left it.
fn insert_task(script: &mut Script<'_>, dialect: Dialect, declaration_id: i64, task: &ControlTask) {
    let binds = vec![
        Bind::Int(task.id),
        Bind::Int(declaration_id),
        Bind::Text(task.task_type.as_str().to_owned()),
        Bind::Text(task.office.as_str().to_owned()),
        Bind::Text(task.explanation.clone()),
        Bind::Str(state_str(task.state)),
        Bind::Int(i64::from(task.weight)),
        Bind::OptText(task.due.map(tamga_core::dates::format_date)),
        Bind::Time(task.opened_at),
        Bind::OptInt(task.examiner.map(|u| u.0)),
        Bind::OptInt(task.chief.map(|u| u.0)),
        Bind::OptTime(task.allocated_at),
    ];
    let overriding = match dialect {
        Dialect::Sqlite => "",
        Dialect::Postgres => " OVERRIDING SYSTEM VALUE",
    };
    let insert = format!(
        "INSERT INTO control_tasks (id, declaration_id, task_type, office, explanation, state, \
         weight, due, opened_at, examiner_id, chief_id, allocated_at){overriding} \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    );
    script.push(insert, binds);
}

/// Adds to `script` what records a task's allocation by `draws`, besides the task's own row
/// (inserted or saved by the caller): the officers' workloads and each draw; and to `entries`
/// each draw's history entry.
pub(crate) fn draw_writes<'d>(
    (script, entries, dialect): (&mut Script<'_>, &mut Vec<Entry>, Dialect),
    task: &ControlTask,
    draws: impl Iterator<Item = &'d Draw>,
    at: OffsetDateTime,
) {
    let workload = "UPDATE control_officers SET workload = workload + $1 WHERE user_id = $2";
    for officer in [task.examiner, task.chief].into_iter().flatten() {
        let binds = vec![Bind::Int(i64::from(task.weight)), Bind::Int(officer.0)];
        script.push(workload, binds);
    }
    for draw in draws {
        let (sql, binds) = draw_insert(dialect, task.id, draw, (at, SYSTEM_ACTOR, None));
        script.push(sql, binds);
        entries.push(allocated(draw));
    }
}

/// Records a draw made outside a lodgement (a supervisor's reallocation) with its history entry.
pub(crate) async fn insert_draw(
    conn: &mut Conn<'_>,
    task_id: i64,
    draw: &Draw,
    (at, by, reason): (OffsetDateTime, &str, Option<&str>),
) -> Result<()> {
    let (insert, binds) = draw_insert(conn.dialect(), task_id, draw, (at, by, reason));
    conn.execute(&insert, &binds).await?;
    let (event, detail) = allocated(draw);
    insert_event(conn, task_id, at, by, event, detail.as_deref()).await
}

/// The statement recording a draw; its candidates are written short ([`crate::candidates`]).
fn draw_insert<'b>(
    dialect: Dialect,
    task_id: i64,
    draw: &Draw,
    (at, by, reason): (OffsetDateTime, &str, Option<&str>),
) -> (String, Vec<Bind<'b>>) {
    let candidates = crate::candidates::pack(&draw.candidates);
    let insert = format!(
        "INSERT INTO control_draws (task_id, grp, draw_key, candidates, chosen, drawn_at, \
         drawn_by, reason) VALUES ($1, $2, $3, {}, $5, $6, $7, $8)",
        dialect.json_param(4)
    );
    let binds = vec![
        Bind::Int(task_id),
        Bind::Text(draw.group.as_str().to_owned()),
        Bind::Text(draw.key.clone()),
        Bind::Text(candidates),
        Bind::Int(draw.chosen.0),
        Bind::Time(at),
        Bind::Text(by.to_owned()),
        Bind::OptText(reason.map(str::to_owned)),
    ];
    (insert, binds)
}

/// The history entry of a draw.
fn allocated(draw: &Draw) -> (&'static str, Option<String>) {
    let detail = format!(
        "{} {} drawn among {}",
        draw.group.as_str(),
        draw.chosen,
        draw.candidates.len()
    );
    ("allocated", Some(detail))
}

/// A history entry of a task: the event and its detail.
pub(crate) type Entry = (&'static str, Option<String>);

/// Appends `entries` to a task's history, in `script`, as one statement: all at `at`, by
/// `actor`.
pub(crate) fn insert_entries_into(
    script: &mut Script<'_>,
    (task_id, at, actor): (i64, OffsetDateTime, &str),
    entries: Vec<Entry>,
) {
    if entries.is_empty() {
        return;
    }
    let mut binds = vec![
        Bind::Int(task_id),
        Bind::Time(at),
        Bind::Text(actor.to_owned()),
    ];
    let rows = entries.len();
    for (event, detail) in entries {
        binds.push(Bind::Str(event));
        binds.push(Bind::OptText(detail));
    }
    script.push(insert_entries(rows), binds);
}

/// The statement appending `rows` entries to one task's history: `$1` the task, `$2` the
/// instant, `$3` the actor, then each entry's event and detail.
fn insert_entries(rows: usize) -> String {
    let mut insert =
        String::from("INSERT INTO control_task_events (task_id, at, actor, event, detail) VALUES ");
    for n in 0..rows {
        let event = 4 + 2 * n;
        let comma = if n == 0 { "" } else { ", " };
        insert.push_str(&format!("{comma}($1, $2, $3, ${event}, ${})", event + 1));
    }
    insert
}

/// Appends to a task's history.
pub(crate) async fn insert_event(
    conn: &mut Conn<'_>,
    task_id: i64,
    at: OffsetDateTime,
    actor: &str,
    event: &str,
    detail: Option<&str>,
) -> Result<()> {
    let binds = [
        Bind::Int(task_id),
        Bind::Time(at),
        Bind::Str(actor),
        Bind::Str(event),
        Bind::OptStr(detail),
    ];
    conn.execute(&insert_entries(1), &binds).await?;
    Ok(())
}

/// The server's secret keying the draws, made at first use.
pub(crate) async fn secret(conn: &mut Conn<'_>) -> Result<Vec<u8>> {
    super::secrets::node_secret(conn, ALLOCATION_SECRET).await
}

/// Releases a green or blue declaration accepted with nothing owed, in the lodgement's
/// transaction: the administration's goal of release with no human step. Returns the event.
pub(crate) async fn release_at_acceptance(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    l: &Lodgement,
    seq: i64,
) -> Result<Option<Event>> {
    let auto = l.risk.as_ref().and_then(|r| Channel::parse(&r.channel));
    if !matches!(auto, Some(Channel::Green | Channel::Blue)) {
        return Ok(None);
    }
    let owed = l.assessment.as_ref().map(|a| a.total).unwrap_or_default();
    if owed > rust_decimal::Decimal::ZERO {
        return Ok(None);
    }
    release(conn, declaration_id, seq, l.at, "nothing owed")
        .await
        .map(Some)
}

/// Releases a green or blue declaration still waiting for its duties once a payment or
/// guarantee covers them.
pub(crate) async fn release_when_covered(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    at: OffsetDateTime,
) -> Result<()> {
    let select = "SELECT d.status, r.channel FROM declarations d \
         JOIN risk_decisions r ON r.declaration_id = d.id WHERE d.id = $1";
    let row: Option<(String, String)> = conn.optional(select, &[Bind::Int(declaration_id)]).await?;
    let Some((status, channel)) = row else {
        return Ok(());
    };
    if status != "risk-assessed" || !matches!(channel.as_str(), "green" | "blue") {
        return Ok(());
    }
    let seq: i64 = conn
        .scalar(crate::sql::NEXT_EVENT_SEQ, &[Bind::Int(declaration_id)])
        .await?;
    release(conn, declaration_id, seq, at, "duties covered").await?;
    Ok(())
}

async fn release(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    seq: i64,
    at: OffsetDateTime,
    why: &str,
) -> Result<Event> {
    let reason = format!("released automatically: {why}");
    let status = tamga_core::status::Status::Released;
    append_status(
        conn,
        declaration_id,
        seq,
        (status, SYSTEM_ACTOR, &reason),
        at,
    )
    .await
}

/// Sets a declaration's status and appends the change, as event `seq`, to its history.
pub(crate) async fn append_status(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    seq: i64,
    (status, actor, reason): (tamga_core::status::Status, &str, &str),
    at: OffsetDateTime,
) -> Result<Event> {
    conn.execute(
        crate::sql::UPDATE_STATUS,
        &[
            Bind::Str(status.as_str()),
            Bind::Time(at),
            Bind::Int(declaration_id),
        ],
    )
    .await?;
    let event = [
        Bind::Int(declaration_id),
        Bind::Int(seq),
        Bind::Time(at),
        Bind::Str(status.as_str()),
        Bind::Str(actor),
        Bind::Str(reason),
    ];
    conn.execute(crate::sql::INSERT_EVENT, &event).await?;
    Ok(Event {
        seq,
        at,
        status,
        actor: actor.to_owned(),
        reason: Some(reason.to_owned()),
    })
}

/// Every control task of a declaration, oldest first.
pub(crate) async fn tasks_of(conn: &mut Conn<'_>, mrn: &str) -> Result<Vec<ControlTask>> {
    let select = format!("SELECT {TASK_COLUMNS} WHERE d.mrn = $1 ORDER BY t.id");
    let rows: Vec<TaskRow> = conn.all(&select, &[Bind::Str(mrn)]).await?;
    rows.into_iter().map(TaskRow::into_task).collect()
}

pub(crate) async fn task(conn: &mut Conn<'_>, id: i64) -> Result<Option<ControlTask>> {
    let select = format!("SELECT {TASK_COLUMNS} WHERE t.id = $1");
    let row: Option<TaskRow> = conn.optional(&select, &[Bind::Int(id)]).await?;
    row.map(TaskRow::into_task).transpose()
}

/// A task's history, oldest first.
pub(crate) async fn task_events(conn: &mut Conn<'_>, id: i64) -> Result<Vec<TaskEvent>> {
    let select = "SELECT at, actor, event, detail FROM control_task_events \
         WHERE task_id = $1 ORDER BY id";
    let rows: Vec<(OffsetDateTime, String, String, Option<String>)> =
        conn.all(select, &[Bind::Int(id)]).await?;
    Ok(rows
        .into_iter()
        .map(|(at, actor, event, detail)| TaskEvent {
            at,
            actor,
            event,
            detail,
        })
        .collect())
}

/// The draws recorded for a task, oldest first.
pub(crate) async fn draws(conn: &mut Conn<'_>, task_id: i64) -> Result<Vec<StoredDraw>> {
    let select = format!(
        "SELECT grp, draw_key, {}, chosen, drawn_at, drawn_by, reason FROM control_draws \
         WHERE task_id = $1 ORDER BY id",
        conn.dialect().json_column("candidates")
    );
    type DrawRow = (
        String,
        String,
        String,
        i64,
        OffsetDateTime,
        String,
        Option<String>,
    );
    let rows: Vec<DrawRow> = conn.all(&select, &[Bind::Int(task_id)]).await?;
    rows.into_iter()
        .map(
            |(group, key, candidates, chosen, drawn_at, drawn_by, reason)| {
                let candidates = crate::candidates::unpack(&candidates).ok_or_else(|| {
                    StoreError::Corrupt(format!(
                        "draw of task {task_id}: candidates {candidates:?}"
                    ))
                })?;
                let draw = Draw {
                    key,
                    group: crate::control::group(&group)?,
                    candidates,
                    chosen: tamga_control::UserId(chosen),
                };
                Ok(StoredDraw {
                    task_id,
                    draw,
                    drawn_at,
                    drawn_by,
                    reason,
                })
            },
        )
        .collect()
}

/// Redoes a task's recorded draws with the server's secret (`None`: no such task).
pub(crate) async fn replay_draws(
    conn: &mut Conn<'_>,
    task_id: i64,
) -> Result<Option<Vec<crate::control::ReplayedDraw>>> {
    if task(conn, task_id).await?.is_none() {
        return Ok(None);
    }
    let secret = secret(conn).await?;
    let draws = draws(conn, task_id).await?;
    Ok(Some(
        draws
            .into_iter()
            .map(|stored| {
                let replayed = tamga_control::allocation::replay(
                    &secret,
                    &stored.draw.key,
                    &stored.draw.candidates,
                );
                crate::control::ReplayedDraw { stored, replayed }
            })
            .collect(),
    ))
}
