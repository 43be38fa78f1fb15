//! The roster of control: officers of an office's sections in their groups, their shifts and
//! their conflicts with parties; and the part of it a draw needs, read in the transaction that
//! draws with two indexed queries, the officers as one row (the workloads are kept on the
//! officers' rows).

use std::collections::BTreeMap;

use tamga_control::allocation::{Conflict, Officer, Roster, Shift};
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use tamga_core::role::Role;
use time::OffsetDateTime;

use crate::conn::{Bind, Conn};
use crate::control::{group, RosterChange};
use crate::{Result, StoreError, SYSTEM_ACTOR};

/// Who may be drawn at an office at one instant, and how loaded each officer is.
#[derive(Debug, Default)]
pub(crate) struct OnDuty {
    pub roster: Roster,
    pub loads: BTreeMap<UserId, u64>,
}

/// The officers of `office` on duty at `at` (one of their shifts covers it, they are not
/// suspended) with their workloads, and their conflicts with `parties`. The officers come as one
/// row, `id group workload` joined by commas, because a draw among hundreds of officers runs
/// inside the writer and a row per officer costs more than the draw itself; each officer's
/// shift is then given as the instant `at` that the query found covered.
pub(crate) async fn on_duty(
    conn: &mut Conn<'_>,
    office: &Locode,
    at: OffsetDateTime,
    parties: &[PartyId],
) -> Result<OnDuty> {
    let select = format!(
        "SELECT {} FROM control_officers o WHERE o.office = $1 AND NOT o.suspended AND EXISTS \
         (SELECT 1 FROM control_shifts s WHERE s.user_id = o.user_id AND s.starts_at <= $2 \
         AND s.ends_at > $2)",
        conn.dialect()
            .joined("o.user_id || ' ' || o.grp || ' ' || o.workload")
    );
    let packed: Option<String> = conn
        .scalar(&select, &[Bind::Str(office.as_str()), Bind::Time(at)])
        .await?;
    let Some(packed) = packed else {
        return Ok(OnDuty::default());
    };
    let mut on_duty = OnDuty::default();
    for officer in packed.split(',') {
        let (id, group, workload) = unpack(officer)?;
        on_duty.loads.insert(id, workload);
        on_duty.roster.officers.push(Officer {
            id,
            office: office.clone(),
            section: String::new(),
            group,
            suspended: false,
        });
        let end = at + time::Duration::nanoseconds(1);
        let shift = Shift {
            officer: id,
            start: at,
            end,
        };
        on_duty.roster.shifts.push(shift);
    }
    on_duty.roster.conflicts = conflicts_with(conn, parties).await?;
    Ok(on_duty)
}

/// One officer of [`on_duty`]'s row: `id group workload`.
fn unpack(officer: &str) -> Result<(UserId, tamga_control::allocation::Group, u64)> {
    let corrupt = || StoreError::Corrupt(format!("on-duty officer {officer:?}"));
    let mut parts = officer.split(' ');
    let id = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(corrupt)?;
    let group = group(parts.next().ok_or_else(corrupt)?)?;
    let workload: i64 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(corrupt)?;
    Ok((UserId(id), group, u64::try_from(workload).unwrap_or(0)))
}

async fn conflicts_with(conn: &mut Conn<'_>, parties: &[PartyId]) -> Result<Vec<Conflict>> {
    if parties.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=parties.len()).map(|n| format!("${n}")).collect();
    let select = format!(
        "SELECT user_id, party_id FROM control_conflicts WHERE party_id IN ({})",
        placeholders.join(", ")
    );
    let binds: Vec<Bind<'_>> = parties.iter().map(|p| Bind::Str(p.as_str())).collect();
    let rows: Vec<(i64, String)> = conn.all(&select, &binds).await?;
    rows.into_iter()
        .map(|(officer, party)| {
            let party = PartyId::parse(&party)
                .map_err(|_| StoreError::Corrupt(format!("conflict with party {party:?}")))?;
            Ok(Conflict {
                officer: UserId(officer),
                party,
            })
        })
        .collect()
}

/// Adds `delta` (negative when a task ends) to the workloads of a task's officers, and replaces
/// their office's roster token, so that no server draws from the workloads it holds in memory
/// ([`crate::roster_cache`]). A draw keeps the workloads its own way
/// ([`super::allocation::draw_officers`]).
pub(crate) async fn add_workload(
    conn: &mut Conn<'_>,
    officers: &[Option<UserId>],
    delta: i64,
) -> Result<()> {
    let update = "UPDATE control_officers SET workload = workload + $1 WHERE user_id = $2";
    let replace = "UPDATE control_roster_state SET token = $1 WHERE office = \
         (SELECT office FROM control_officers WHERE user_id = $2)";
    for officer in officers.iter().flatten() {
        conn.execute(update, &[Bind::Int(delta), Bind::Int(officer.0)])
            .await?;
        let token = rand::random::<i64>();
        conn.execute(replace, &[Bind::Int(token), Bind::Int(officer.0)])
            .await?;
    }
    Ok(())
}

/// Puts a user in a section and group of an office (or moves them); the suspension stays.
pub(crate) async fn set_officer(conn: &mut Conn<'_>, officer: Officer) -> Result<RosterChange> {
    let role: Option<String> = conn
        .optional_scalar(
            "SELECT role FROM users WHERE id = $1",
            &[Bind::Int(officer.id.0)],
        )
        .await?;
    let Some(role) = role else {
        return Ok(RosterChange::UnknownOfficer);
    };
    if !matches!(Role::parse(&role), Some(Role::Officer | Role::Supervisor)) {
        return Ok(RosterChange::NotStaff);
    }
    let upsert = "INSERT INTO control_officers (user_id, office, section, grp, suspended) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id) DO UPDATE \
         SET office = excluded.office, section = excluded.section, grp = excluded.grp";
    let binds = [
        Bind::Int(officer.id.0),
        Bind::Str(officer.office.as_str()),
        Bind::Str(&officer.section),
        Bind::Str(officer.group.as_str()),
        Bind::Bool(officer.suspended),
    ];
    conn.execute(upsert, &binds).await?;
    let object = format!("officer:{}", officer.id.0);
    super::audit::record_debug(conn, SYSTEM_ACTOR, "roster.officer", &object, &officer).await?;
    Ok(RosterChange::Saved)
}

async fn is_officer(conn: &mut Conn<'_>, id: UserId) -> Result<bool> {
    let select = "SELECT user_id FROM control_officers WHERE user_id = $1";
    let found: Option<i64> = conn.optional_scalar(select, &[Bind::Int(id.0)]).await?;
    Ok(found.is_some())
}

pub(crate) async fn add_shift(conn: &mut Conn<'_>, shift: Shift) -> Result<RosterChange> {
    if !is_officer(conn, shift.officer).await? {
        return Ok(RosterChange::UnknownOfficer);
    }
    let insert = "INSERT INTO control_shifts (user_id, starts_at, ends_at) VALUES ($1, $2, $3)";
    let binds = [
        Bind::Int(shift.officer.0),
        Bind::Time(shift.start),
        Bind::Time(shift.end),
    ];
    conn.execute(insert, &binds).await?;
    let object = format!("officer:{}", shift.officer.0);
    super::audit::record_debug(conn, SYSTEM_ACTOR, "roster.shift", &object, &shift).await?;
    Ok(RosterChange::Saved)
}

pub(crate) async fn add_conflict(conn: &mut Conn<'_>, conflict: Conflict) -> Result<RosterChange> {
    if !is_officer(conn, conflict.officer).await? {
        return Ok(RosterChange::UnknownOfficer);
    }
    let insert = "INSERT INTO control_conflicts (user_id, party_id) VALUES ($1, $2) \
         ON CONFLICT (user_id, party_id) DO NOTHING";
    let binds = [
        Bind::Int(conflict.officer.0),
        Bind::Str(conflict.party.as_str()),
    ];
    conn.execute(insert, &binds).await?;
    let object = format!("officer:{}", conflict.officer.0);
    let action = "roster.conflict";
    super::audit::record_debug(conn, SYSTEM_ACTOR, action, &object, &conflict).await?;
    Ok(RosterChange::Saved)
}

/// The officers of an office (every office when `None`), by id.
pub(crate) async fn officers(conn: &mut Conn<'_>, office: Option<&str>) -> Result<Vec<Officer>> {
    let select = "SELECT user_id, office, section, grp, suspended FROM control_officers \
         WHERE ($1 IS NULL OR office = $1) ORDER BY user_id";
    let rows: Vec<(i64, String, String, String, bool)> =
        conn.all(select, &[Bind::OptStr(office)]).await?;
    rows.into_iter()
        .map(|(id, office, section, grp, suspended)| {
            let office = Locode::parse(&office)
                .map_err(|_| StoreError::Corrupt(format!("officer {id} at {office:?}")))?;
            Ok(Officer {
                id: UserId(id),
                office,
                section,
                group: group(&grp)?,
                suspended,
            })
        })
        .collect()
}

/// Suspends an examiner (or lifts the suspension); a supervisor only, and never while one of
/// the officer's tasks is allocated or in progress.
pub(crate) async fn suspend(
    conn: &mut Conn<'_>,
    officer: UserId,
    by: &crate::records::User,
    suspended: bool,
) -> Result<crate::control::SuspendOutcome> {
    use crate::control::SuspendOutcome;
    if !is_officer(conn, officer).await? {
        return Ok(SuspendOutcome::UnknownOfficer);
    }
    if suspended {
        let tasks = super::tasks::active(conn, officer.0).await?;
        if let Err(e) = tamga_control::allocation::check_suspension(by.role, officer, &tasks) {
            return Ok(SuspendOutcome::Refused(e));
        }
    }
    let update = "UPDATE control_officers SET suspended = $1 WHERE user_id = $2";
    conn.execute(update, &[Bind::Bool(suspended), Bind::Int(officer.0)])
        .await?;
    let object = format!("officer:{}", officer.0);
    let action = if suspended {
        "roster.suspend"
    } else {
        "roster.reinstate"
    };
    let change = super::audit::Change::new(&by.name, action, &object, b"");
    super::audit::record(conn, change).await?;
    Ok(SuspendOutcome::Done)
}
