//! The roster as a draw reads it, [`Duty`]: built once from a [`Roster`], then asked for the
//! eligible officers of one draw after another.
//!
//! Why: the rule read straight from a `Roster` compared every shift's instants and every
//! officer's office and group at each draw. A perf profile of the `allocate` benchmark (500
//! officers on duty, 500 more at another office, 200 conflicts) put nine tenths of a draw's
//! 33 µs there, and a lodgement that opens a task draws on the SQLite writer, whose time bounds
//! lodgement. Here the officers are grouped by office and group in id order once, shifts are
//! Unix nanoseconds, and conflicts are looked up by party.

use std::collections::BTreeMap;

use tamga_core::codes::{Locode, PartyId};

use super::{Group, Need, Roster};
use crate::UserId;

/// One officer who is not suspended, with their shifts as `[start, end)` in Unix nanoseconds.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rostered {
    id: UserId,
    shifts: Vec<(i128, i128)>,
}

impl Rostered {
    fn on_duty(&self, at: i128) -> bool {
        self.shifts
            .iter()
            .any(|&(start, end)| start <= at && at < end)
    }
}

/// Who may be drawn, arranged for drawing: per office and group the officers who are not
/// suspended, in id order; and the conflicts, in party order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Duty {
    groups: BTreeMap<Locode, BTreeMap<Group, Vec<Rostered>>>,
    conflicts: Vec<(PartyId, UserId)>,
}

impl Duty {
    /// Arranges `roster` for drawing.
    pub fn new(roster: &Roster) -> Duty {
        let mut shifts: BTreeMap<UserId, Vec<(i128, i128)>> = BTreeMap::new();
        for s in &roster.shifts {
            let span = (s.start.unix_timestamp_nanos(), s.end.unix_timestamp_nanos());
            shifts.entry(s.officer).or_default().push(span);
        }
        let mut groups: BTreeMap<Locode, BTreeMap<Group, Vec<Rostered>>> = BTreeMap::new();
        for o in roster.officers.iter().filter(|o| !o.suspended) {
            let id = o.id;
            let shifts = shifts.get(&id).cloned().unwrap_or_default();
            let office = groups.entry(o.office.clone()).or_default();
            office
                .entry(o.group)
                .or_default()
                .push(Rostered { id, shifts });
        }
        for officers in groups.values_mut().flat_map(BTreeMap::values_mut) {
            officers.sort_by_key(|o| o.id);
            officers.dedup_by_key(|o| o.id);
        }
        let mut conflicts: Vec<(PartyId, UserId)> = roster
            .conflicts
            .iter()
            .map(|c| (c.party.clone(), c.officer))
            .collect();
        conflicts.sort();
        Duty { groups, conflicts }
    }

    /// The officers of the group at the office who are on duty at the instant (one of their
    /// shifts covers it), not suspended and not linked to any of the parties, in id order.
    pub fn eligible(&self, need: &Need<'_>) -> Vec<UserId> {
        let group = self
            .groups
            .get(need.office)
            .and_then(|g| g.get(&need.group));
        let Some(officers) = group else {
            return Vec::new();
        };
        let conflicted = self.conflicted(need.parties);
        let at = need.at.unix_timestamp_nanos();
        officers
            .iter()
            .filter(|o| o.on_duty(at) && conflicted.binary_search(&o.id).is_err())
            .map(|o| o.id)
            .collect()
    }

    /// The officers linked to any of `parties`, sorted.
    fn conflicted(&self, parties: &[PartyId]) -> Vec<UserId> {
        let mut ids: Vec<UserId> = parties
            .iter()
            .flat_map(|party| {
                let from = self.conflicts.partition_point(|(p, _)| p < party);
                let linked = self.conflicts.get(from..).unwrap_or_default();
                linked
                    .iter()
                    .take_while(move |(p, _)| p == party)
                    .map(|&(_, officer)| officer)
            })
            .collect();
        ids.sort_unstable();
        ids
    }
}
