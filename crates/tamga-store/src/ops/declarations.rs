//! Declarations: lodgement with its MRN, history, lifecycle changes, reading and listing.

use tamga_core::mrn::Mrn;
use tamga_core::status::{check_transition, Status};

use super::audit::Change;
use super::control::TaskSlot;
use crate::conn::{Bind, Conn};
use crate::records::*;
use crate::roster_cache::ControlCache;
use crate::rows::{acceptance_events, DeclarationRow, EventRow, ExistingRow, SummaryRow};
use crate::script::Script;
use crate::sql;
use crate::sql::Dialect;
use crate::{Result, StoreError};

/// Accepts a declaration with everything decided at acceptance (items, history, assessment,
/// risk decision, unit values), or recognises a resubmission of its LRN.
///
/// Round trips are what a lodgement costs on the SQLite writer (each is a hand-off to the
/// connection's thread), so there a lodgement is one read (existing LRN, next serial, next
/// id) and one script (everything written); PostgreSQL takes its serial from a sequence and
/// its id from the insert.
pub(crate) async fn lodge(
    conn: &mut Conn<'_>,
    mut l: Lodgement,
    cache: &ControlCache,
) -> Result<LodgeOutcome> {
    let (serial, id, task_slot) = match reserve(conn, &l).await? {
        Slot::Taken(existing) => return resubmission(conn, existing, &l.fingerprint).await,
        Slot::Free { serial, id, task } => (serial, id, task),
    };
    let mrn = mrn_of(&l, serial)?;
    let (id, insert_in_script) = match id {
        Some(id) => (id, true),
        None => match insert_declaration(conn, &l, mrn.as_str()).await? {
            Ok(id) => (id, false),
            Err(existing) => return resubmission(conn, existing, &l.fingerprint).await,
        },
    };
    // Only a declaration known to be new claims red capacity (never a resubmission).
    let mut count_red = false;
    if let Some(risk) = l.risk.take() {
        let (settled, later) = super::decisions::settle_claim(conn, risk).await?;
        (l.risk, count_red) = (Some(settled), later);
    }
    let mut script = Script::default();
    if insert_in_script {
        script.push(sql::SET_SERIAL, vec![Bind::Int(serial)]);
        let mut binds = sql::declaration_binds(&l, mrn.as_str()).to_vec();
        binds.push(Bind::Int(id));
        script.push(sql::insert_declaration_with_id(conn.dialect()), binds);
    }
    if let (true, Some(risk)) = (count_red, &l.risk) {
        super::decisions::count_red(&mut script, risk);
    }
    let mut events = acceptance_events(&l.lodged_by.name, l.at, l.risk.as_ref());
    let (items_sql, item_binds) = sql::insert_items(id, &l.declaration);
    script.push(items_sql, item_binds);
    let (events_sql, event_binds) = sql::insert_events(id, &events);
    script.push(events_sql, event_binds);
    acceptance_records(&mut script, conn.dialect(), id, &l);
    expectations(&mut script, (id, mrn.as_str()), &l);
    let detail = format!("{} {}", l.fingerprint, l.declaration.lrn.as_str());
    let change = Change::new(
        &l.lodged_by.name,
        "declaration.lodge",
        mrn.as_str(),
        detail.as_bytes(),
    );
    super::audit::push(conn, &mut script, change).await?;
    // The control the settled channel asks for is opened and drawn in this transaction.
    let opened = (id, mrn.as_str());
    super::control::open_tasks(conn, (&mut script, cache), opened, &l, task_slot).await?;
    script.run(conn).await?;
    // A TR declaration with transit particulars opens its movement in this transaction.
    if let Some(transit) = &l.declaration.transit {
        super::transit::open(conn, id, mrn.as_str(), &l, transit).await?;
    }
    let seq = events.last().map_or(1, |e| e.seq + 1);
    if let Some(released) = super::control::release_at_acceptance(conn, id, &l, seq).await? {
        events.push(released);
    }
    Ok(LodgeOutcome::Accepted(Box::new(DeclarationRecord {
        mrn: mrn.to_string(),
        status: events.last().map_or(l.status(), |e| e.status),
        accepted_at: l.at,
        updated_at: l.at,
        channel: l.risk.map(|r| r.channel),
        declaration: l.declaration,
        events,
    })))
}

/// The serial, the next declaration id, the holder of the LRN, the next task id and the
/// office's roster token, as the SQLite writer reads them.
type ReservedRow = (
    i64,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
);

/// Whether the LRN is free, and what the new declaration takes.
enum Slot {
    Taken(ExistingRow),
    /// The MRN serial, on SQLite the declaration's id (PostgreSQL's comes from the insert), and
    /// its control task's id and the office's roster token.
    Free {
        serial: i64,
        id: Option<i64>,
        task: TaskSlot,
    },
}

/// Reads whether the declarant's LRN is taken and reserves a serial, and reads the office's
/// roster token and the id of the control task the lodgement may open: on SQLite in one read
/// (the single writer makes the next serial and ids safe to take from the current ones), on
/// PostgreSQL from the LRN's row and the sequences, also in one read.
async fn reserve(conn: &mut Conn<'_>, l: &Lodgement) -> Result<Slot> {
    let d = &l.declaration;
    let binds = [
        Bind::Str(d.declarant.id.as_str()),
        Bind::Str(d.lrn.as_str()),
        Bind::Str(d.customs_office.as_str()),
    ];
    if let Conn::Sqlite(..) = conn {
        let row: ReservedRow = conn.one(sql::RESERVE_SQLITE, &binds).await?;
        return Ok(match row {
            (_, _, Some(id), Some(mrn), Some(fingerprint), ..) => Slot::Taken(ExistingRow {
                id,
                mrn,
                fingerprint,
            }),
            (serial, next_id, _, _, _, task, token) => Slot::Free {
                serial,
                id: Some(next_id),
                task: TaskSlot {
                    id: Some(task),
                    token: Some(token),
                },
            },
        });
    }
    let [declarant, lrn, office] = binds;
    let binds = [
        declarant,
        lrn,
        office,
        Bind::Bool(super::control::opens_task(l)),
    ];
    let row: ReservedPostgres = conn.one(sql::RESERVE_POSTGRES, &binds).await?;
    Ok(match row {
        (Some(id), Some(mrn), Some(fingerprint), ..) => Slot::Taken(ExistingRow {
            id,
            mrn,
            fingerprint,
        }),
        (_, _, _, serial, task, token) => Slot::Free {
            serial: serial.ok_or_else(|| StoreError::Corrupt("no MRN serial reserved".into()))?,
            id: None,
            task: TaskSlot {
                id: task,
                token: Some(token),
            },
        },
    })
}

/// The holder of the LRN (id, MRN, fingerprint) or the next MRN serial, the control task's id
/// (when the lodgement opens one) and the office's roster token, as PostgreSQL reads them.
type ReservedPostgres = (
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// Inserts the declaration row and returns its id, or the row that took the LRN meanwhile.
async fn insert_declaration(
    conn: &mut Conn<'_>,
    l: &Lodgement,
    mrn: &str,
) -> Result<Result<i64, ExistingRow>> {
    let insert = sql::insert_declaration(conn.dialect());
    let id: Option<i64> = conn
        .optional_scalar(&insert, &sql::declaration_binds(l, mrn))
        .await?;
    if let Some(id) = id {
        return Ok(Ok(id));
    }
    // Another server committed this LRN between our check and our insert (only possible on
    // PostgreSQL, where the insert waited for it): its row is visible now.
    let existing = existing(conn, l)
        .await?
        .ok_or_else(|| StoreError::Corrupt("LRN conflict without a conflicting row".into()))?;
    Ok(Err(existing))
}

/// The (MRN, fingerprint) of the declaration holding a declarant's LRN, if any.
pub(crate) async fn lrn_holder(
    conn: &mut Conn<'_>,
    declarant: &str,
    lrn: &str,
) -> Result<Option<(String, String)>> {
    let row: Option<ExistingRow> = conn
        .optional(
            sql::SELECT_EXISTING,
            &[Bind::Str(declarant), Bind::Str(lrn)],
        )
        .await?;
    Ok(row.map(|e| (e.mrn, e.fingerprint)))
}

/// The declaration already lodged under this declarant's LRN, if any.
async fn existing(conn: &mut Conn<'_>, l: &Lodgement) -> Result<Option<ExistingRow>> {
    let d = &l.declaration;
    let binds = [
        Bind::Str(d.declarant.id.as_str()),
        Bind::Str(d.lrn.as_str()),
    ];
    conn.optional(sql::SELECT_EXISTING, &binds).await
}

/// The MRN of serial `serial`.
fn mrn_of(l: &Lodgement, serial: i64) -> Result<Mrn> {
    let serial =
        u64::try_from(serial).map_err(|_| StoreError::Mrn(format!("bad serial {serial}")))?;
    let d = &l.declaration;
    Mrn::assign(l.at.year(), &d.customs_office, d.declaration_type, serial)
        .map_err(|e| StoreError::Mrn(e.message))
}

/// What acceptance decided besides the declaration: its assessment, its risk decision and
/// the unit values the valuation references are built from.
fn acceptance_records<'a>(script: &mut Script<'a>, dialect: Dialect, id: i64, l: &'a Lodgement) {
    if let (Some(assessment), Some(document)) = (&l.assessment, &l.prepared.assessment) {
        let binds = vec![
            Bind::Int(id),
            Bind::Int(1),
            Bind::Time(l.at),
            Bind::Str(crate::SYSTEM_ACTOR),
            Bind::Str("assessed at acceptance"),
            Bind::Str(&assessment.currency),
            Bind::Text(assessment.total.to_string()),
            Bind::Str(document),
            Bind::OptStr(None),
        ];
        script.push(sql::insert_assessment(dialect), binds);
    }
    if let Some(risk) = &l.risk {
        super::decisions::insert_decision(script, dialect, id, risk, l.at);
    }
    if !l.prepared.unit_values.is_empty() {
        let (values_sql, value_binds) =
            sql::insert_unit_values(dialect, id, &l.prepared.unit_values);
        script.push(values_sql, value_binds);
    }
}

/// What the declaration's post expects to see cross: the border transport's plate and the
/// containers, as `crossing::ident` writes identifiers (a crossing's reading is matched on
/// them, see [`super::crossings`]).
fn expectations<'a>(script: &mut Script<'a>, (id, mrn): (i64, &str), l: &'a Lodgement) {
    let d = &l.declaration;
    let plate = d
        .border_transport
        .as_ref()
        .and_then(|t| t.identification.as_deref());
    let named = plate.map(|p| (p, "plate")).into_iter();
    let named = named.chain(d.containers.iter().map(|c| (c.as_str(), "container")));
    let mut idents: Vec<(String, &str)> = Vec::new();
    for (raw, kind) in named {
        let ident = tamga_core::crossing::ident(raw);
        if !ident.is_empty() && idents.iter().all(|(known, _)| *known != ident) {
            idents.push((ident, kind));
        }
    }
    if idents.is_empty() {
        return;
    }
    let mut sql = String::from(
        "INSERT INTO crossing_expectations \
         (office, ident, kind, source, reference, declaration_id, since) VALUES ",
    );
    let mut binds = vec![
        Bind::Str(d.customs_office.as_str()),
        Bind::Text(mrn.to_owned()),
        Bind::Int(id),
        Bind::Time(l.at),
    ];
    for (n, (ident, kind)) in idents.into_iter().enumerate() {
        if n > 0 {
            sql.push_str(", ");
        }
        let at = binds.len();
        sql.push_str(&format!(
            "($1, ${}, ${}, 'declaration', $2, $3, $4)",
            at + 1,
            at + 2
        ));
        binds.extend([Bind::Text(ident), Bind::Str(kind)]);
    }
    sql.push_str(" ON CONFLICT DO NOTHING");
    script.push(sql, binds);
}

/// The same declaration again is answered with its record; other content under a used LRN
/// is refused.
async fn resubmission(
    conn: &mut Conn<'_>,
    existing: ExistingRow,
    fingerprint: &str,
) -> Result<LodgeOutcome> {
    if existing.fingerprint != fingerprint {
        return Ok(LodgeOutcome::LrnTaken { mrn: existing.mrn });
    }
    let record = record_by_id(conn, existing.id).await?;
    Ok(LodgeOutcome::Resubmitted(Box::new(record)))
}

async fn record_by_id(conn: &mut Conn<'_>, id: i64) -> Result<DeclarationRecord> {
    let select = sql::select_declaration_by_id(conn.dialect());
    let row: DeclarationRow = conn.one(&select, &[Bind::Int(id)]).await?;
    let events: Vec<EventRow> = conn.all(sql::SELECT_EVENTS, &[Bind::Int(id)]).await?;
    row.into_record(events)
}

/// Moves a declaration along its lifecycle under a lock on its row; release waits for the
/// latest assessment to be covered.
pub(crate) async fn transition(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
    change: StatusChange,
) -> Result<TransitionOutcome> {
    let (text, binds) = sql::select_declaration(conn.dialect(), mrn, scope);
    let text = format!("{text}{}", conn.dialect().lock_row());
    let Some(row) = conn.optional::<DeclarationRow>(&text, &binds).await? else {
        return Ok(TransitionOutcome::NotFound);
    };
    let from = crate::rows::status(&row.status)?;
    if let Err(refusal) = check_transition(change.actor.role, from, change.to) {
        return Ok(TransitionOutcome::Refused(refusal));
    }
    if change.to == Status::Released {
        let balance = super::revenue::balance_of(conn, row.id).await?;
        if let Some(balance) = balance.filter(|b| b.due > rust_decimal::Decimal::ZERO) {
            return Ok(TransitionOutcome::BalanceDue(balance));
        }
        let owed = rust_decimal::Decimal::ZERO;
        let blockers = super::release::blockers(conn, row.id, &change.actor, owed).await?;
        if !blockers.is_empty() {
            return Ok(TransitionOutcome::Blocked(blockers));
        }
    }
    let action = format!("declaration.status.{}", change.to.as_str());
    let detail = format!("{} {:?} {:?}", row.status, change.to, change.reason);
    let entry = Change::new(&change.actor.name, &action, &row.mrn, detail.as_bytes());
    super::audit::record(conn, entry).await?;
    append_event(conn, row.id, change).await?;
    let record = record_by_id(conn, row.id).await?;
    Ok(TransitionOutcome::Done(Box::new(record)))
}

/// Sets the declaration's status and appends the change to its history.
async fn append_event(conn: &mut Conn<'_>, id: i64, change: StatusChange) -> Result<()> {
    let seq: i64 = conn.scalar(sql::NEXT_EVENT_SEQ, &[Bind::Int(id)]).await?;
    let status = [
        Bind::Str(change.to.as_str()),
        Bind::Time(change.at),
        Bind::Int(id),
    ];
    conn.execute(sql::UPDATE_STATUS, &status).await?;
    let event = [
        Bind::Int(id),
        Bind::Int(seq),
        Bind::Time(change.at),
        Bind::Str(change.to.as_str()),
        Bind::Str(&change.actor.name),
        Bind::Str(&change.reason),
    ];
    conn.execute(sql::INSERT_EVENT, &event).await?;
    Ok(())
}

/// The id of a declaration `scope` may see; with `lock`, its row stays locked until the
/// transaction ends (on PostgreSQL; SQLite's writer is alone anyway).
pub(crate) async fn visible_id(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
    lock: bool,
) -> Result<Option<i64>> {
    let (mut text, binds) = sql::select_declaration_id(mrn, scope);
    if lock {
        text.push_str(conn.dialect().lock_row());
    }
    conn.optional_scalar(&text, &binds).await
}

pub(crate) async fn declaration(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
) -> Result<Option<DeclarationRecord>> {
    let (text, binds) = sql::select_declaration(conn.dialect(), mrn, scope);
    let Some(row) = conn.optional::<DeclarationRow>(&text, &binds).await? else {
        return Ok(None);
    };
    let events: Vec<EventRow> = conn.all(sql::SELECT_EVENTS, &[Bind::Int(row.id)]).await?;
    row.into_record(events).map(Some)
}

/// The index of the list's filter with the fewest declarations, if it has fewer than
/// [`sql::FEW`] (see [`sql::list`]); `None` for lists without a chapter.
async fn few(
    conn: &mut Conn<'_>,
    query: &ListQuery,
    scope: &Scope,
) -> Result<Option<&'static str>> {
    let mut fewest = None;
    for (index, text, binds) in sql::few_probes(conn.dialect(), query, scope) {
        let count: i64 = conn.scalar(&text, &binds).await?;
        if count < fewest.map_or(sql::FEW, |(_, least)| least) {
            fewest = Some((index, count));
        }
    }
    Ok(fewest.map(|(index, _)| index))
}

pub(crate) async fn list(conn: &mut Conn<'_>, query: &ListQuery, scope: &Scope) -> Result<Page> {
    let few = few(conn, query, scope).await?;
    let (text, binds) = sql::list(conn.dialect(), query, scope, few);
    let rows: Vec<SummaryRow> = conn.all_planned_each_time(&text, &binds).await?;
    crate::records::page(rows, query.limit)
}
