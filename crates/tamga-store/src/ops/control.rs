//! Control tasks: opened in the lodgement's transaction from the settled channel and allocated
//! there by the random, workload-weighted draw of `tamga-control`, with the draw recorded so an
//! auditor can replay it; green and blue declarations released automatically once nothing is
//! owed; the tasks, their draws and their history read back.

use tamga_control::allocation::{allocate, declaration_weight, Allocation, Draw, DrawContext};
use tamga_control::task::{tasks_for, Channel, ControlTask, NewTask};
use tamga_core::codes::PartyId;
use time::OffsetDateTime;

use super::roster;
use crate::conn::{Bind, Conn};
use crate::control::{state_str, StoredDraw, TaskEvent, TaskRow, ALLOCATION_SECRET, TASK_COLUMNS};
use crate::records::{Event, Lodgement};
use crate::{Result, StoreError, SYSTEM_ACTOR};

/// Opens the tasks the settled channel asks for and allocates each one when officers are on
/// duty; a task nobody can take yet stays open, said so in its history.
pub(crate) async fn open_tasks(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    mrn: &str,
    l: &Lodgement,
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
    for task in new {
        let id = insert_task(conn, declaration_id, &task, weight).await?;
        let detail = format!("{} channel", channel.as_str());
        insert_event(conn, id, l.at, SYSTEM_ACTOR, "opened", Some(&detail)).await?;
        let mut task = ControlTask::open(id, mrn, task, weight);
        draw_officers(conn, &mut task, &parties, l.at).await?;
        tasks.push(task);
    }
    Ok(tasks)
}

async fn insert_task(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    task: &NewTask,
    weight: u32,
) -> Result<i64> {
    let insert =
        "INSERT INTO control_tasks (declaration_id, task_type, office, explanation, state, \
         weight, due, opened_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7) RETURNING id";
    let binds = [
        Bind::Int(declaration_id),
        Bind::Str(task.task_type.as_str()),
        Bind::Str(task.office.as_str()),
        Bind::Str(&task.explanation),
        Bind::Int(i64::from(weight)),
        Bind::OptText(task.due.map(tamga_core::dates::format_date)),
        Bind::Time(task.opened_at),
    ];
    conn.scalar(insert, &binds).await
}

/// Draws the officers of an open task from the roster on duty at `at`, records the draws and
/// moves the task to allocated; leaves it open (and says why) when nobody eligible is on duty.
pub(crate) async fn draw_officers(
    conn: &mut Conn<'_>,
    task: &mut ControlTask,
    parties: &[PartyId],
    at: OffsetDateTime,
) -> Result<bool> {
    let secret = secret(conn).await?;
    let on_duty = roster::on_duty(conn, &task.office, at, parties).await?;
    let context = DrawContext {
        secret: &secret,
        roster: &on_duty.roster,
        loads: &on_duty.loads,
        at,
        parties,
    };
    let key = format!("{}/{}", task.mrn, task.id);
    let (examiner, chief) = match allocate(&context, task, &key) {
        Allocation::Drawn { examiner, chief } => (examiner, chief),
        refused => {
            let why = match refused {
                Allocation::NoChiefOnDuty => "no chief examiner of the office is on duty",
                _ => "no examiner of the office is on duty",
            };
            insert_event(
                conn,
                task.id,
                at,
                SYSTEM_ACTOR,
                "awaiting-allocation",
                Some(why),
            )
            .await?;
            return Ok(false);
        }
    };
    task.allocate(examiner.chosen, chief.as_ref().map(|c| c.chosen), at)
        .map_err(|e| StoreError::Corrupt(format!("control task {}: {e}", task.id)))?;
    save_allocation(conn, task).await?;
    super::roster::add_workload(conn, &[task.examiner, task.chief], i64::from(task.weight)).await?;
    for draw in std::iter::once(&examiner).chain(chief.as_ref()) {
        insert_draw(conn, task.id, draw, at, SYSTEM_ACTOR, None).await?;
    }
    Ok(true)
}

async fn save_allocation(conn: &mut Conn<'_>, task: &ControlTask) -> Result<()> {
    let update = "UPDATE control_tasks SET state = $1, examiner_id = $2, chief_id = $3, \
         allocated_at = $4 WHERE id = $5";
    let binds = [
        Bind::Str(state_str(task.state)),
        Bind::OptInt(task.examiner.map(|u| u.0)),
        Bind::OptInt(task.chief.map(|u| u.0)),
        Bind::Time(task.allocated_at.unwrap_or(task.opened_at)),
        Bind::Int(task.id),
    ];
    conn.execute(update, &binds).await?;
    Ok(())
}

pub(crate) async fn insert_draw(
    conn: &mut Conn<'_>,
    task_id: i64,
    draw: &Draw,
    at: OffsetDateTime,
    by: &str,
    reason: Option<&str>,
) -> Result<()> {
    let candidates =
        serde_json::to_string(&draw.candidates).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let insert = format!(
        "INSERT INTO control_draws (task_id, grp, draw_key, candidates, chosen, drawn_at, \
         drawn_by, reason) VALUES ($1, $2, $3, {}, $5, $6, $7, $8)",
        conn.dialect().json_param(4)
    );
    let binds = [
        Bind::Int(task_id),
        Bind::Str(draw.group.as_str()),
        Bind::Str(&draw.key),
        Bind::Text(candidates),
        Bind::Int(draw.chosen.0),
        Bind::Time(at),
        Bind::Str(by),
        Bind::OptStr(reason),
    ];
    conn.execute(&insert, &binds).await?;
    let detail = format!(
        "{} {} drawn among {}",
        draw.group.as_str(),
        draw.chosen,
        draw.candidates.len()
    );
    insert_event(conn, task_id, at, by, "allocated", Some(&detail)).await
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
    let insert = "INSERT INTO control_task_events (task_id, at, actor, event, detail) \
         VALUES ($1, $2, $3, $4, $5)";
    let binds = [
        Bind::Int(task_id),
        Bind::Time(at),
        Bind::Str(actor),
        Bind::Str(event),
        Bind::OptStr(detail),
    ];
    conn.execute(insert, &binds).await?;
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
                let candidates = serde_json::from_str(&candidates)
                    .map_err(|e| StoreError::Corrupt(format!("draw of task {task_id}: {e}")))?;
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
