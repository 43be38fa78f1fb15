//! Transit movements: opened in the lodgement's commit of a TR declaration with transit
//! particulars, then moved step by step under a lock on the movement's row — the state machine
//! and who may take a step are `tamga_core::transit`'s; release for transit reserves the
//! guarantees and write-off restores them in the same transaction. Every step appends to the
//! movement's history and writes one audit entry.

use tamga_core::codes::Locode;
use tamga_core::transit::access::{office_of_step, Actor};
use tamga_core::transit::lifecycle::{MovementState, StepKind};
use tamga_core::transit::TransitParticulars;
use time::{Date, OffsetDateTime};

use super::audit::Change;
use super::guarantees;
use crate::conn::{Bind, Conn};
use crate::records::Lodgement;
use crate::transit::*;
use crate::{Result, StoreError};

#[derive(Debug, sqlx::FromRow)]
pub(super) struct MovementRow {
    mrn: String,
    holder: String,
    lodged_by: i64,
    departure: String,
    destination: String,
    state: String,
    channel: Option<String>,
    time_limit: Date,
    seal_discrepancy: bool,
    enquiry_opened_at: Option<OffsetDateTime>,
    opened_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    particulars: String,
}

#[derive(Debug, sqlx::FromRow)]
struct EventRow {
    seq: i64,
    step: String,
    state: String,
    office: Option<String>,
    actor: String,
    at: OffsetDateTime,
    detail: String,
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_owned())
}

pub(super) fn state_of(raw: &str) -> Result<MovementState> {
    MovementState::parse(raw).ok_or_else(|| corrupt(&format!("movement state {raw:?}")))
}

impl MovementRow {
    fn particulars(&self) -> Result<TransitParticulars> {
        serde_json::from_str(&self.particulars).map_err(|e| corrupt(&e.to_string()))
    }

    pub(super) fn into_movement(self, events: Vec<MovementEvent>) -> Result<Movement> {
        Ok(Movement {
            state: state_of(&self.state)?,
            particulars: self.particulars()?,
            mrn: self.mrn,
            holder: self.holder,
            departure: self.departure,
            destination: self.destination,
            channel: self.channel,
            time_limit: self.time_limit,
            seal_discrepancy: self.seal_discrepancy,
            opened_at: self.opened_at,
            updated_at: self.updated_at,
            events,
        })
    }

    /// Whether a trader (by user id and party) holds this movement.
    fn held_by(&self, user_id: i64, party: Option<&str>) -> bool {
        self.lodged_by == user_id || party == Some(self.holder.as_str())
    }
}

pub(super) fn select_movement(conn: &Conn<'_>, filter: &str, lock: bool) -> String {
    let d = conn.dialect();
    format!(
        "SELECT mrn, holder, lodged_by, departure, destination, state, channel, time_limit, \
         seal_discrepancy, enquiry_opened_at, opened_at, updated_at, {} FROM transit_movements m{filter}{}",
        d.json_column("particulars"),
        if lock { d.lock_row() } else { "" }
    )
}

/// Opens the movement of a TR declaration just inserted (the lodgement's commit and audit
/// entry cover it): its row, the offices it names, and its first event.
pub(crate) async fn open(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    mrn: &str,
    l: &Lodgement,
    p: &TransitParticulars,
) -> Result<()> {
    let d = conn.dialect();
    let insert = format!(
        "INSERT INTO transit_movements (mrn, declaration_id, holder, lodged_by, departure, \
         destination, state, channel, time_limit, seal_discrepancy, opened_at, updated_at, particulars) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, {})",
        d.json_param(12)
    );
    let particulars = serde_json::to_string(p).map_err(|e| corrupt(&e.to_string()))?;
    let binds = [
        Bind::Str(mrn),
        Bind::Int(declaration_id),
        Bind::Str(l.declaration.declarant.id.as_str()),
        Bind::Int(l.lodged_by.id),
        Bind::Str(p.office_of_departure.as_str()),
        Bind::Str(p.office_of_destination.as_str()),
        Bind::Str(MovementState::MrnAllocated.as_str()),
        Bind::OptStr(l.risk.as_ref().map(|r| r.channel.as_str())),
        Bind::Date(p.time_limit),
        Bind::Bool(false),
        Bind::Time(l.at),
        Bind::Text(particulars),
    ];
    conn.execute(&insert, &binds).await?;
    let mut offices = vec![(&p.office_of_departure, "departure")];
    offices.extend(p.offices_of_transit.iter().map(|o| (o, "transit")));
    offices.push((&p.office_of_destination, "destination"));
    for (office, role) in offices {
        conn.execute(
            "INSERT INTO transit_offices (mrn, office, role) VALUES ($1, $2, $3)",
            &[Bind::Str(mrn), Bind::Str(office.as_str()), Bind::Str(role)],
        )
        .await?;
    }
    let event = NewEvent {
        seq: 1,
        step: "mrn_allocated",
        state: MovementState::MrnAllocated,
        office: Some(p.office_of_departure.as_str()),
        actor: &l.lodged_by.name,
        at: l.at,
        detail: "{}".to_owned(),
    };
    insert_event(conn, mrn, event).await
}

struct NewEvent<'a> {
    seq: i64,
    step: &'a str,
    state: MovementState,
    office: Option<&'a str>,
    actor: &'a str,
    at: OffsetDateTime,
    detail: String,
}

async fn insert_event(conn: &mut Conn<'_>, mrn: &str, e: NewEvent<'_>) -> Result<()> {
    let sql = format!(
        "INSERT INTO transit_events (mrn, seq, step, state, office, actor, at, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, {})",
        conn.dialect().json_param(8)
    );
    let binds = [
        Bind::Str(mrn),
        Bind::Int(e.seq),
        Bind::Str(e.step),
        Bind::Str(e.state.as_str()),
        Bind::OptStr(e.office),
        Bind::Str(e.actor),
        Bind::Time(e.at),
        Bind::Text(e.detail),
    ];
    conn.execute(&sql, &binds).await?;
    Ok(())
}

async fn events(conn: &mut Conn<'_>, mrn: &str) -> Result<Vec<MovementEvent>> {
    let sql = format!(
        "SELECT seq, step, state, office, actor, at, {} FROM transit_events WHERE mrn = $1 ORDER BY seq",
        conn.dialect().json_column("detail")
    );
    let rows: Vec<EventRow> = conn.all(&sql, &[Bind::Str(mrn)]).await?;
    rows.into_iter()
        .map(|r| {
            Ok(MovementEvent {
                seq: r.seq,
                state: state_of(&r.state)?,
                detail: serde_json::from_str(&r.detail).map_err(|e| corrupt(&e.to_string()))?,
                step: r.step,
                office: r.office,
                actor: r.actor,
                at: r.at,
            })
        })
        .collect()
}

/// One movement with its history; `holder` limits it to a trader's own.
pub(crate) async fn movement(
    conn: &mut Conn<'_>,
    mrn: &str,
    holder: Option<(i64, Option<&str>)>,
) -> Result<Option<Movement>> {
    let sql = select_movement(conn, " WHERE mrn = $1", false);
    let row: Option<MovementRow> = conn.optional(&sql, &[Bind::Str(mrn)]).await?;
    let Some(row) = row else { return Ok(None) };
    if holder.is_some_and(|(user, party)| !row.held_by(user, party)) {
        return Ok(None);
    }
    let events = events(conn, mrn).await?;
    row.into_movement(events).map(Some)
}

/// Takes a step on a movement (see the module documentation).
pub(crate) async fn step(
    conn: &mut Conn<'_>,
    mrn: &str,
    actor: StepActor,
    step: MovementStep,
) -> Result<StepOutcome> {
    let sql = select_movement(conn, " WHERE mrn = $1", true);
    let row: Option<MovementRow> = conn.optional(&sql, &[Bind::Str(mrn)]).await?;
    let Some(row) = row else {
        return Ok(StepOutcome::UnknownMrn);
    };
    if let StepActor::Trader {
        user_id, party_id, ..
    } = &actor
    {
        if !row.held_by(*user_id, party_id.as_deref()) {
            return Ok(StepOutcome::UnknownMrn);
        }
    }
    let particulars = row.particulars()?;
    let passed = passed_offices(conn, mrn).await?;
    let core_actor = match &actor {
        StepActor::Officer { offices, .. } => Actor::Officer(offices),
        StepActor::Trader { .. } => Actor::Holder,
        StepActor::Administration { country, .. } => Actor::Administration(country),
        StepActor::System => Actor::System,
    };
    let office = match office_of_step(
        step.kind,
        core_actor,
        &particulars,
        step.office.as_ref(),
        &passed,
    ) {
        Ok(office) => office,
        Err(refusal) => return Ok(StepOutcome::Refused(refusal)),
    };
    let state = match step.kind.next(state_of(&row.state)?) {
        Ok(state) => state,
        Err(illegal) => return Ok(StepOutcome::Illegal(illegal)),
    };
    match step.kind {
        StepKind::Release => {
            if let Err(short) = guarantees::reserve(conn, mrn, &particulars, step.at).await? {
                return Ok(StepOutcome::Guarantee(short));
            }
        }
        StepKind::WriteOff => guarantees::restore(conn, mrn, step.at).await?,
        _ => {}
    }
    record_step(conn, &row, &actor, &step, state, office.as_ref()).await?;
    // federation: the other administrations hear of a release or an enquiry in its commit.
    super::federation::announce(conn, mrn, &particulars, step.kind).await?;
    let moved = movement(conn, mrn, None).await?;
    let moved = moved.ok_or_else(|| corrupt("a movement vanished in its step"))?;
    Ok(StepOutcome::Done(Box::new(moved)))
}

/// The offices of transit the goods have passed.
async fn passed_offices(conn: &mut Conn<'_>, mrn: &str) -> Result<Vec<Locode>> {
    let rows: Vec<(Option<String>,)> = conn
        .all(
            "SELECT office FROM transit_events WHERE mrn = $1 AND step = 'transit_passage'",
            &[Bind::Str(mrn)],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(o,)| o.and_then(|o| Locode::parse(&o).ok()))
        .collect())
}

/// The event, the movement's new state and the audit entry of a step.
async fn record_step(
    conn: &mut Conn<'_>,
    row: &MovementRow,
    actor: &StepActor,
    step: &MovementStep,
    state: MovementState,
    office: Option<&Locode>,
) -> Result<()> {
    let mrn = row.mrn.as_str();
    let seq: i64 = conn
        .scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM transit_events WHERE mrn = $1",
            &[Bind::Str(mrn)],
        )
        .await?;
    let detail = serde_json::to_string(&step.detail).map_err(|e| corrupt(&e.to_string()))?;
    let discrepancy = row.seal_discrepancy
        || step.detail.conform == Some(false)
        || step.detail.seals_intact == Some(false);
    let enquiry = match step.kind {
        StepKind::Enquiry => Some(step.at),
        _ => row.enquiry_opened_at,
    };
    conn.execute(
        "UPDATE transit_movements SET state = $1, updated_at = $2, seal_discrepancy = $3, \
         enquiry_opened_at = $4 WHERE mrn = $5",
        &[
            Bind::Str(state.as_str()),
            Bind::Time(step.at),
            Bind::Bool(discrepancy),
            Bind::OptTime(enquiry),
            Bind::Str(mrn),
        ],
    )
    .await?;
    let event = NewEvent {
        seq,
        step: step.kind.as_str(),
        state,
        office: office.map(Locode::as_str),
        actor: actor.name(),
        at: step.at,
        detail: detail.clone(),
    };
    insert_event(conn, mrn, event).await?;
    let action = format!("transit.{}", step.kind.as_str());
    let change = Change::new(actor.name(), &action, mrn, detail.as_bytes());
    super::audit::record(conn, change).await
}
