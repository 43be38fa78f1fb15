//! The draw of a task's officers inside the transaction that allocates it, with the roster
//! from the process's [`ControlCache`] whenever the office's token in the database says it
//! is current, and every write it implies added to the caller's [`Script`] (one call on the
//! SQLite writer).
//!
//! On SQLite the writer owns the database for the whole transaction, so the token read at its
//! start is still the database's when the script replaces it. On PostgreSQL the token moves
//! after the commit (see [`crate::roster_cache`] for why), and another server may draw at the
//! same office meanwhile: a draw is then made from workloads a moment old, as a draw without the
//! cache could be too.

use std::collections::BTreeMap;

use tamga_control::allocation::{allocate, Allocation, Conflict, Duty, Officer, Roster, Shift};
use tamga_control::task::ControlTask;
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use time::OffsetDateTime;

use super::control::{draw_writes, Entry};
use crate::conn::{Bind, Conn};
use crate::roster_cache::{CachedRoster, ControlCache};
use crate::script::Script;
use crate::{Result, StoreError};

/// Reads the office's roster token: `None` when the office never had an officer.
pub(crate) async fn token(conn: &mut Conn<'_>, office: &str) -> Result<Option<i64>> {
    let select = "SELECT token FROM control_roster_state WHERE office = $1";
    conn.optional_scalar(select, &[Bind::Str(office)]).await
}

/// The allocation secret: the process's copy once the secret is committed
/// ([`crate::SqlStore`] keeps it from a read), otherwise read (or made) in this transaction.
pub(crate) async fn secret(conn: &mut Conn<'_>, cache: &ControlCache) -> Result<Vec<u8>> {
    match cache.secret() {
        Some(secret) => Ok(secret.to_vec()),
        None => super::secrets::node_secret(conn, crate::control::ALLOCATION_SECRET).await,
    }
}

/// Draws the officers of an open task at `at` and adds to `script` what records it (the
/// workloads, the draws, the office's new token) and to `entries` the history it makes: the
/// draws, or, when nobody eligible is on duty, why the task stays open. The task's own row is
/// the caller's to write.
/// `known` is the office's token when the caller read it already. Returns whether it drew.
pub(crate) async fn draw_officers(
    conn: &mut Conn<'_>,
    cache: &ControlCache,
    (task, parties, at): (&mut ControlTask, &[PartyId], OffsetDateTime),
    known: Option<Option<i64>>,
    (script, entries): (&mut Script<'_>, &mut Vec<Entry>),
) -> Result<bool> {
    let office = task.office.as_str().to_owned();
    let token = match known {
        Some(token) => token,
        None => token(conn, &office).await?,
    };
    // An office that never had an officer needs neither the secret nor a roster.
    let secret = match token {
        Some(_) => secret(conn, cache).await?,
        None => Vec::new(),
    };
    let key = format!("{}/{}", task.mrn, task.id);
    let draw = |held: &CachedRoster| {
        let context = tamga_control::allocation::DrawContext {
            secret: &secret,
            duty: &held.duty,
            loads: &held.loads,
            at,
            parties,
        };
        allocate(&context, task, &key)
    };
    let (seen, allocation) = match token {
        None => (None, Allocation::NoExaminerOnDuty),
        Some(token) => match cache.with(&office, token, at, draw) {
            Some(allocation) => (Some(token), allocation),
            None => {
                let (held, stable) = load(conn, &task.office, at).await?;
                let allocation = draw(&held);
                let token = held.token;
                if stable {
                    cache.put(&office, held);
                }
                (Some(token), allocation)
            }
        },
    };
    let (examiner, chief) = match allocation {
        Allocation::Drawn { examiner, chief } => (examiner, chief),
        refused => {
            let why = match refused {
                Allocation::NoChiefOnDuty => "no chief examiner of the office is on duty",
                _ => "no examiner of the office is on duty",
            };
            entries.push(("awaiting-allocation", Some(why.to_owned())));
            return Ok(false);
        }
    };
    task.allocate(examiner.chosen, chief.as_ref().map(|c| c.chosen), at)
        .map_err(|e| StoreError::Corrupt(format!("control task {}: {e}", task.id)))?;
    let draws = std::iter::once(&examiner).chain(chief.as_ref());
    draw_writes((script, entries, conn.dialect()), task, draws, at);
    let officers: Vec<UserId> = [task.examiner, task.chief].into_iter().flatten().collect();
    let seen = seen.ok_or_else(|| StoreError::Corrupt("a draw without a roster".into()))?;
    let weight = u64::from(task.weight);
    match conn.drawn_offices() {
        // PostgreSQL: the token moves once the transaction has committed.
        Some(drawn) => {
            cache.advance(&office, (seen, seen), &officers, weight);
            drawn.push(office);
        }
        None => {
            let moved = (seen, rand::random::<i64>());
            replace_token(script, &office, moved);
            cache.advance(&office, moved, &officers, weight);
        }
    }
    Ok(true)
}

/// Replaces the office's token in the script, on SQLite: the writer's transaction owns the
/// database, so the token is still `seen`.
fn replace_token(script: &mut Script<'_>, office: &str, (seen, new): (i64, i64)) {
    let swap = "UPDATE control_roster_state SET token = $1 WHERE office = $2 AND token = $3";
    let binds = vec![
        Bind::Int(new),
        Bind::Text(office.to_owned()),
        Bind::Int(seen),
    ];
    script.push(swap, binds);
}

/// Reads an office's roster with the token it belongs to, and whether the two surely belong
/// together. The token is read before and after the roster; on PostgreSQL, where each statement
/// sees the latest commits, a change between them shows as two tokens, and the roster is read
/// again (the third reading serves its draw but is not kept).
async fn load(
    conn: &mut Conn<'_>,
    office: &Locode,
    at: OffsetDateTime,
) -> Result<(CachedRoster, bool)> {
    // A lodgement's instant may precede the moment its transaction runs by a little: shifts
    // that ended a day before it are enough for any draw the roster will serve.
    let since = at - time::Duration::days(1);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let before = token(conn, office.as_str()).await?;
        let (roster, loads) = read_roster(conn, office, since).await?;
        let after = token(conn, office.as_str()).await?;
        let stable = after.is_some() && before == after;
        if stable || attempt == 3 {
            let token = after.unwrap_or_default();
            let held = CachedRoster {
                token,
                since,
                duty: Duty::new(&roster),
                loads,
                earlier: Vec::new(),
            };
            return Ok((held, stable));
        }
    }
}

type OfficerRow = (i64, String, String, bool, i64);

/// Every officer of the office with their workload, their shifts ending after `since` and their
/// conflicts.
async fn read_roster(
    conn: &mut Conn<'_>,
    office: &Locode,
    since: OffsetDateTime,
) -> Result<(Roster, BTreeMap<UserId, u64>)> {
    let select = "SELECT user_id, section, grp, suspended, workload FROM control_officers \
         WHERE office = $1";
    let rows: Vec<OfficerRow> = conn.all(select, &[Bind::Str(office.as_str())]).await?;
    let mut roster = Roster::default();
    let mut loads = BTreeMap::new();
    for (id, section, grp, suspended, workload) in rows {
        let id = UserId(id);
        loads.insert(id, u64::try_from(workload).unwrap_or(0));
        let group = crate::control::group(&grp)?;
        let office = office.clone();
        roster.officers.push(Officer {
            id,
            office,
            section,
            group,
            suspended,
        });
    }
    let shifts = "SELECT s.user_id, s.starts_at, s.ends_at FROM control_shifts s \
         JOIN control_officers o ON o.user_id = s.user_id WHERE o.office = $1 AND s.ends_at > $2";
    let binds = [Bind::Str(office.as_str()), Bind::Time(since)];
    let rows: Vec<(i64, OffsetDateTime, OffsetDateTime)> = conn.all(shifts, &binds).await?;
    roster.shifts = rows
        .into_iter()
        .map(|(officer, start, end)| Shift {
            officer: UserId(officer),
            start,
            end,
        })
        .collect();
    roster.conflicts = conflicts(conn, office).await?;
    Ok((roster, loads))
}

async fn conflicts(conn: &mut Conn<'_>, office: &Locode) -> Result<Vec<Conflict>> {
    let select = "SELECT c.user_id, c.party_id FROM control_conflicts c \
         JOIN control_officers o ON o.user_id = c.user_id WHERE o.office = $1";
    let rows: Vec<(i64, String)> = conn.all(select, &[Bind::Str(office.as_str())]).await?;
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
