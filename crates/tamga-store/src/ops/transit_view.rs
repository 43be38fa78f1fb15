//! The transit view's reads: movements by office, state, overdue day, seal discrepancy or
//! holder, and the movements the overdue sweep must move.

use tamga_core::transit::lifecycle::{due_step, StepKind};
use time::{Date, Duration, OffsetDateTime};

use super::transit::{select_movement, state_of, MovementRow};
use crate::conn::{Bind, Conn};
use crate::transit::{Movement, MovementQuery};
use crate::Result;

/// Movements as the query asks, newest first.
pub(crate) async fn list(conn: &mut Conn<'_>, q: &MovementQuery) -> Result<Vec<Movement>> {
    let mut filter = String::from(" WHERE 1 = 1");
    let mut binds: Vec<Bind<'_>> = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };
    if let Some(office) = &q.office {
        let i = next();
        filter.push_str(&format!(
            " AND mrn IN (SELECT mrn FROM transit_offices WHERE office = ${i})"
        ));
        binds.push(Bind::Str(office));
    }
    if let Some(state) = q.state {
        let i = next();
        filter.push_str(&format!(" AND state = ${i}"));
        binds.push(Bind::Str(state.as_str()));
    }
    if let Some(day) = q.overdue_on {
        let i = next();
        filter.push_str(&format!(
            " AND state IN ('released', 'enquiry') AND time_limit < ${i}"
        ));
        binds.push(Bind::Date(day));
    }
    if q.seal_discrepancy {
        let i = next();
        filter.push_str(&format!(" AND seal_discrepancy = ${i}"));
        binds.push(Bind::Bool(true));
    }
    if let Some((user, party)) = &q.holder {
        let (i, j) = (next(), next());
        filter.push_str(&format!(" AND (lodged_by = ${i} OR holder = ${j})"));
        binds.push(Bind::Int(*user));
        binds.push(Bind::OptStr(party.as_deref()));
    }
    let limit = next();
    filter.push_str(&format!(
        " ORDER BY opened_at DESC, mrn DESC LIMIT ${limit}"
    ));
    binds.push(Bind::Int(i64::from(q.limit.clamp(1, 500))));
    let sql = select_movement(conn, &filter, false);
    let rows: Vec<MovementRow> = conn.all(&sql, &binds).await?;
    rows.into_iter()
        .map(|r| r.into_movement(Vec::new()))
        .collect()
}

/// The movements the overdue sweep must move at `now`, with the step each is due.
pub(crate) async fn due(
    conn: &mut Conn<'_>,
    now: OffsetDateTime,
    recovery_after: Duration,
) -> Result<Vec<(String, StepKind)>> {
    let rows: Vec<(String, String, Date, Option<OffsetDateTime>)> = conn
        .all(
            "SELECT mrn, state, time_limit, enquiry_opened_at FROM transit_movements \
             WHERE state IN ('released', 'enquiry') ORDER BY time_limit, mrn",
            &[],
        )
        .await?;
    let mut out = Vec::new();
    for (mrn, state, limit, opened) in rows {
        if let Some(step) = due_step(state_of(&state)?, limit, opened, now, recovery_after) {
            out.push((mrn, step));
        }
    }
    Ok(out)
}
