//! The laboratory: samples requested from a control task by its examiner, their lifecycle
//! under a row lock, hand-overs checked into custody flags after each step, the four-eyes
//! result, the published report (noted in the task's history, with the misclassification it
//! proposes), retests, the lab's queue and turnaround.

use tamga_control::sample::custody::{check, Handover};
use tamga_control::sample::result::{enter, verify, LabReport};
use tamga_control::sample::{Sample, SampleError, SampleState};
use tamga_control::task::TaskState;
use tamga_control::transition::Lifecycle;
use tamga_control::UserId;
use time::OffsetDateTime;

use super::control::{insert_event, task};
use crate::conn::{Bind, Conn};
use crate::control::TaskEvent;
use crate::lab::{NewSample, SampleOutcome, SampleStep, SampleSummary, StoredSample};
use crate::records::User;
use crate::{Result, StoreError};

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn opt<T: serde::de::DeserializeOwned>(what: &str, text: Option<String>) -> Result<Option<T>> {
    text.map(|t| parse(what, &t)).transpose()
}

/// Requests a sample from a control task in progress, by its examiner.
pub(crate) async fn request(
    conn: &mut Conn<'_>,
    new: NewSample,
    by: &User,
) -> Result<SampleOutcome> {
    let Some(task) = task(conn, new.request.task_id).await? else {
        return Ok(SampleOutcome::NotFound);
    };
    if task.examiner != Some(UserId(by.id)) {
        return Ok(SampleOutcome::NotAllocated);
    }
    if task.state != TaskState::InProgress {
        let state = task.state.as_str();
        return Ok(SampleOutcome::Refused(format!(
            "samples are taken during the control; the task is {state}"
        )));
    }
    if task.mrn != new.request.mrn {
        return Ok(SampleOutcome::Refused(format!(
            "task {} controls {}, not {}",
            task.id, task.mrn, new.request.mrn
        )));
    }
    let sample = Sample::requested(new.request, new.at);
    if !insert(conn, &sample, new.at).await? {
        let id = &sample.request.sample_id;
        return Ok(SampleOutcome::Refused(format!(
            "the sample id {id} is already used"
        )));
    }
    let id = sample.request.sample_id.clone();
    insert_event(
        conn,
        task.id,
        new.at,
        &by.name,
        "sample-requested",
        Some(&id),
    )
    .await?;
    sample_event(conn, &id, new.at, &by.name, "requested", None).await?;
    let change = super::audit::Change::new(&by.name, "sample.request", &id, task.mrn.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(SampleOutcome::Done(Box::new(
        load(conn, &id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(id.clone()))?,
    )))
}

/// Inserts a new sample row; false when its id is taken.
async fn insert(conn: &mut Conn<'_>, sample: &Sample, at: OffsetDateTime) -> Result<bool> {
    let r = &sample.request;
    let d = conn.dialect();
    let insert = format!(
        "INSERT INTO lab_samples (sample_id, task_id, declaration_id, lab, state, document, \
         custody_flags, requested_at) SELECT $1, $2, t.declaration_id, $3, $4, {}, {}, $7 \
         FROM control_tasks t WHERE t.id = $2 ON CONFLICT (sample_id) DO NOTHING",
        d.json_param(5),
        d.json_param(6)
    );
    let binds = [
        Bind::Str(&r.sample_id),
        Bind::Int(r.task_id),
        Bind::Str(&r.lab),
        Bind::Str(sample.state.as_str()),
        Bind::Text(json(sample)?),
        Bind::Str("[]"),
        Bind::Time(at),
    ];
    Ok(conn.execute(&insert, &binds).await? == 1)
}

/// Takes one step on a sample as `by`.
pub(crate) async fn step(
    conn: &mut Conn<'_>,
    id: &str,
    by: &User,
    step: SampleStep,
) -> Result<SampleOutcome> {
    let lock = format!(
        "SELECT sample_id FROM lab_samples WHERE sample_id = $1{}",
        conn.dialect().lock_row()
    );
    if conn
        .optional_scalar::<String>(&lock, &[Bind::Str(id)])
        .await?
        .is_none()
    {
        return Ok(SampleOutcome::NotFound);
    }
    let mut s = load(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(id.to_owned()))?;
    let at = crate::sql::now();
    let (event, detail) = describe(&step);
    let audited = format!("{step:?}");
    if let Err(refusal) = apply(conn, &mut s, by, step, at).await? {
        return Ok(refusal);
    }
    s.custody_flags = check(&s.sample, &s.handovers);
    save(conn, &s).await?;
    sample_event(conn, id, at, &by.name, event, detail.as_deref()).await?;
    if s.sample.state == SampleState::Published {
        let task = s.sample.request.task_id;
        insert_event(conn, task, at, &by.name, "lab-report-published", Some(id)).await?;
    }
    let action = format!("sample.{event}");
    let change = super::audit::Change::new(&by.name, &action, id, audited.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(SampleOutcome::Done(Box::new(
        load(conn, id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(id.to_owned()))?,
    )))
}

fn describe(step: &SampleStep) -> (&'static str, Option<String>) {
    match step {
        SampleStep::Move(state) | SampleStep::End(state, _) => (state.as_str(), None),
        SampleStep::Handover(h) => (
            "handed-over",
            Some(format!("{} to {} at {}", h.from, h.to, h.place)),
        ),
        SampleStep::Reject(r) => ("rejected", Some(r.join("; "))),
        SampleStep::Invalidate(r) => ("invalidated", Some(r.join("; "))),
        SampleStep::Enter(_) => ("result-entered", None),
        SampleStep::Verify => ("verified", None),
        SampleStep::Publish => ("published", None),
    }
}

fn refused(e: SampleError) -> SampleOutcome {
    match e {
        SampleError::Illegal(e) => SampleOutcome::Illegal(e),
        other => SampleOutcome::Refused(other.to_string()),
    }
}

/// Applies the step to the stored sample (and writes what it adds: a hand-over, a retest).
async fn apply(
    conn: &mut Conn<'_>,
    s: &mut StoredSample,
    by: &User,
    step: SampleStep,
    at: OffsetDateTime,
) -> Result<std::result::Result<(), SampleOutcome>> {
    let me = UserId(by.id);
    let done = match step {
        SampleStep::Move(state) => s.sample.move_to(state, me, at),
        SampleStep::Reject(reasons) => s.sample.reject(&reasons, me, at),
        SampleStep::End(state, retention) => s.sample.end(state, retention, me, at),
        SampleStep::Handover(h) => return handover(conn, s, h).await,
        SampleStep::Invalidate(reasons) => match s.sample.invalidate(&reasons, me, at) {
            Ok(retest) => {
                insert(conn, &retest, at).await?;
                sample_event(
                    conn,
                    &retest.request.sample_id,
                    at,
                    &by.name,
                    "requested",
                    Some("retest"),
                )
                .await?;
                Ok(())
            }
            Err(e) => Err(e),
        },
        SampleStep::Enter(result) => {
            let entered = match enter(result, (by.role, me), at) {
                Ok(entered) => entered,
                Err(e) => return Ok(Err(SampleOutcome::Refused(e.to_string()))),
            };
            let moved = s.sample.move_to(SampleState::ToBeVerified, me, at);
            if moved.is_ok() {
                s.entered = Some(entered);
            }
            moved
        }
        SampleStep::Verify => return Ok(verification(s, by, at)),
        SampleStep::Publish => return Ok(publication(s, me, at)),
    };
    Ok(done.map_err(refused))
}

async fn handover(
    conn: &mut Conn<'_>,
    s: &mut StoredSample,
    h: Handover,
) -> Result<std::result::Result<(), SampleOutcome>> {
    if s.sample.state.is_final() {
        let state = s.sample.state.as_str();
        return Ok(Err(SampleOutcome::Refused(format!(
            "a sample that is {state} is not handed over"
        ))));
    }
    let insert = format!(
        "INSERT INTO lab_handovers (sample_id, document) VALUES ($1, {})",
        conn.dialect().json_param(2)
    );
    conn.execute(
        &insert,
        &[
            Bind::Str(&s.sample.request.sample_id),
            Bind::Text(json(&h)?),
        ],
    )
    .await?;
    s.handovers.push(h);
    Ok(Ok(()))
}

fn verification(
    s: &mut StoredSample,
    by: &User,
    at: OffsetDateTime,
) -> std::result::Result<(), SampleOutcome> {
    let me = UserId(by.id);
    let Some(entered) = s.entered.clone() else {
        return Err(match s.sample.state.step(SampleState::Verified) {
            Err(e) => SampleOutcome::Illegal(e),
            Ok(_) => SampleOutcome::Refused("no result was entered".into()),
        });
    };
    let verified =
        verify(entered, (by.role, me), at).map_err(|e| SampleOutcome::Refused(e.to_string()))?;
    s.sample
        .move_to(SampleState::Verified, me, at)
        .map_err(refused)?;
    s.verified = Some(verified);
    Ok(())
}

fn publication(
    s: &mut StoredSample,
    me: UserId,
    at: OffsetDateTime,
) -> std::result::Result<(), SampleOutcome> {
    s.sample
        .move_to(SampleState::Published, me, at)
        .map_err(refused)?;
    let verified = s
        .verified
        .clone()
        .ok_or_else(|| SampleOutcome::Refused("no verified result".into()))?;
    let flags = check(&s.sample, &s.handovers);
    let report = LabReport::new(&s.sample, verified, flags, at);
    s.proposed_finding = report.proposed_finding(&s.sample);
    s.report = Some(report);
    Ok(())
}

async fn save(conn: &mut Conn<'_>, s: &StoredSample) -> Result<()> {
    let d = conn.dialect();
    let update = format!(
        "UPDATE lab_samples SET state = $1, document = {}, entered = {}, verified = {}, \
         report = {}, custody_flags = {}, proposed_finding = {} WHERE sample_id = $8",
        d.json_param(2),
        d.json_param(3),
        d.json_param(4),
        d.json_param(5),
        d.json_param(6),
        d.json_param(7)
    );
    let optional = |v: Option<String>| Bind::OptText(v);
    let binds = [
        Bind::Str(s.sample.state.as_str()),
        Bind::Text(json(&s.sample)?),
        optional(s.entered.as_ref().map(json).transpose()?),
        optional(s.verified.as_ref().map(json).transpose()?),
        optional(s.report.as_ref().map(json).transpose()?),
        Bind::Text(json(&s.custody_flags)?),
        optional(s.proposed_finding.as_ref().map(json).transpose()?),
        Bind::Str(&s.sample.request.sample_id),
    ];
    conn.execute(&update, &binds).await?;
    Ok(())
}

async fn sample_event(
    conn: &mut Conn<'_>,
    id: &str,
    at: OffsetDateTime,
    actor: &str,
    event: &str,
    detail: Option<&str>,
) -> Result<()> {
    let insert = "INSERT INTO lab_sample_events (sample_id, at, actor, event, detail) \
         VALUES ($1, $2, $3, $4, $5)";
    let binds = [
        Bind::Str(id),
        Bind::Time(at),
        Bind::Str(actor),
        Bind::Str(event),
        Bind::OptStr(detail),
    ];
    conn.execute(insert, &binds).await?;
    Ok(())
}

type SampleRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

/// A sample with its hand-overs and history.
pub(crate) async fn load(conn: &mut Conn<'_>, id: &str) -> Result<Option<StoredSample>> {
    let d = conn.dialect();
    let columns = [
        "document",
        "entered",
        "verified",
        "report",
        "custody_flags",
        "proposed_finding",
    ]
    .map(|c| d.json_column(c))
    .join(", ");
    let select = format!("SELECT {columns} FROM lab_samples WHERE sample_id = $1");
    let Some(row) = conn
        .optional::<SampleRow>(&select, &[Bind::Str(id)])
        .await?
    else {
        return Ok(None);
    };
    let (document, entered, verified, report, flags, proposed) = row;
    let select = format!(
        "SELECT {} FROM lab_handovers WHERE sample_id = $1 ORDER BY id",
        d.json_column("document")
    );
    let handovers: Vec<String> = conn
        .all::<(String,)>(&select, &[Bind::Str(id)])
        .await?
        .into_iter()
        .map(|(h,)| h)
        .collect();
    let select =
        "SELECT at, actor, event, detail FROM lab_sample_events WHERE sample_id = $1 ORDER BY id";
    let events: Vec<(OffsetDateTime, String, String, Option<String>)> =
        conn.all(select, &[Bind::Str(id)]).await?;
    Ok(Some(StoredSample {
        sample: parse("sample", &document)?,
        handovers: handovers
            .iter()
            .map(|h| parse::<Handover>("hand-over", h))
            .collect::<Result<_>>()?,
        custody_flags: parse("custody flags", &flags)?,
        entered: opt("entered result", entered)?,
        verified: opt("verified result", verified)?,
        report: opt("report", report)?,
        proposed_finding: opt("proposed finding", proposed)?,
        history: events
            .into_iter()
            .map(|(at, actor, event, detail)| TaskEvent {
                at,
                actor,
                event,
                detail,
            })
            .collect(),
    }))
}

/// The laboratory's queue: samples of a lab (every lab when `None`), in a state when given,
/// oldest request first.
pub(crate) async fn queue(
    conn: &mut Conn<'_>,
    lab: Option<&str>,
    state: Option<&str>,
) -> Result<Vec<SampleSummary>> {
    let d = conn.dialect();
    let select = format!(
        "SELECT {}, {} FROM lab_samples WHERE ($1 IS NULL OR lab = $1) \
         AND ($2 IS NULL OR state = $2) ORDER BY requested_at, sample_id LIMIT 500",
        d.json_column("document"),
        d.json_column("custody_flags")
    );
    let rows: Vec<(String, String)> = conn
        .all(&select, &[Bind::OptStr(lab), Bind::OptStr(state)])
        .await?;
    rows.into_iter()
        .map(|(document, flags)| {
            let flags: Vec<serde_json::Value> = parse("custody flags", &flags)?;
            Ok(SampleSummary {
                sample: parse("sample", &document)?,
                flagged: !flags.is_empty(),
            })
        })
        .collect()
}

/// The ids of the samples taken from a declaration's tasks, oldest first.
pub(crate) async fn of_declaration(conn: &mut Conn<'_>, mrn: &str) -> Result<Vec<String>> {
    let select =
        "SELECT s.sample_id FROM lab_samples s JOIN declarations d ON d.id = s.declaration_id \
         WHERE d.mrn = $1 ORDER BY s.requested_at, s.sample_id";
    let rows: Vec<(String,)> = conn.all(select, &[Bind::Str(mrn)]).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
