//! The roster arranged for drawing ([`Duty`]) picks exactly whom the rule names, and a draw's
//! candidates carry exactly their officers' workloads.

use std::collections::BTreeMap;

use proptest::prelude::*;
use tamga_control::allocation::{
    allocate, Allocation, Conflict, DrawContext, Duty, Group, Need, Officer, Roster, Shift,
};
use tamga_control::task::Channel;
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use time::{Duration, OffsetDateTime};

use crate::fixture::{now, task, SECRET};

const OFFICES: [&str; 2] = ["UZTAS", "UZSKD"];
const PARTIES: [&str; 3] = ["UZ300000010", "CN91310000MA1", "UZ300000099"];

/// The rule as the module documentation states it, read straight from the roster: of the
/// office and group, not suspended, one of the officer's shifts covering the instant, linked to
/// none of the parties; in id order, once each.
fn plainly_eligible(roster: &Roster, need: &Need<'_>) -> Vec<UserId> {
    let mut ids: Vec<UserId> = roster
        .officers
        .iter()
        .filter(|o| &o.office == need.office && o.group == need.group && !o.suspended)
        .filter(|o| {
            let on = |s: &&Shift| s.officer == o.id && s.covers(need.at);
            roster.shifts.iter().any(|s| on(&s))
        })
        .filter(|o| {
            let linked = |c: &&Conflict| c.officer == o.id && need.parties.contains(&c.party);
            !roster.conflicts.iter().any(|c| linked(&c))
        })
        .map(|o| o.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn locode(i: usize) -> Locode {
    Locode::parse(OFFICES[i % OFFICES.len()]).unwrap()
}

fn party(i: usize) -> PartyId {
    PartyId::parse(PARTIES[i % PARTIES.len()]).unwrap()
}

/// Minutes from [`now`].
fn minutes(m: i64) -> OffsetDateTime {
    now() + Duration::minutes(m)
}

type OfficerSpec = (i64, usize, bool, bool);

fn roster(
    officers: &[OfficerSpec],
    shifts: &[(i64, i64, i64)],
    conflicts: &[(i64, usize)],
) -> Roster {
    let officers = officers
        .iter()
        .map(|&(id, office, chief, suspended)| Officer {
            id: UserId(id),
            office: locode(office),
            section: "imports-1".into(),
            group: if chief {
                Group::ChiefExaminer
            } else {
                Group::Examiner
            },
            suspended,
        });
    let shifts = shifts.iter().map(|&(id, start, length)| Shift {
        officer: UserId(id),
        start: minutes(start),
        end: minutes(start + length),
    });
    let conflicts = conflicts.iter().map(|&(id, p)| Conflict {
        officer: UserId(id),
        party: party(p),
    });
    Roster {
        officers: officers.collect(),
        shifts: shifts.collect(),
        conflicts: conflicts.collect(),
    }
}

proptest! {
    /// Ids repeat across offices and groups, shifts name officers nobody rostered, and the
    /// instant falls on shift edges as often as inside them.
    #[test]
    fn duty_names_whom_the_rule_names(
        officers in proptest::collection::vec((0i64..25, 0usize..2, any::<bool>(), proptest::bool::weighted(0.2)), 0..40),
        shifts in proptest::collection::vec((0i64..30, -60i64..60, 0i64..90), 0..60),
        conflicts in proptest::collection::vec((0i64..30, 0usize..3), 0..10),
        (office, chief, at) in (0usize..2, any::<bool>(), -70i64..70),
        parties in proptest::collection::vec(0usize..3, 0..3),
    ) {
        let roster = roster(&officers, &shifts, &conflicts);
        let parties: Vec<PartyId> = parties.into_iter().map(party).collect();
        let office = locode(office);
        let group = if chief { Group::ChiefExaminer } else { Group::Examiner };
        let need = Need { office: &office, group, at: minutes(at), parties: &parties };
        prop_assert_eq!(Duty::new(&roster).eligible(&need), plainly_eligible(&roster, &need));
    }

    /// Workloads are given for some officers only, and for ids that are not candidates.
    #[test]
    fn candidates_carry_their_officers_workloads(
        examiners in 1i64..40,
        loads in proptest::collection::btree_map(0i64..60, 0u64..500, 0..50),
    ) {
        let specs: Vec<OfficerSpec> = (1..=examiners).map(|id| (id, 0, false, false)).collect();
        let shifts: Vec<(i64, i64, i64)> = (1..=examiners).map(|id| (id, -60, 120)).collect();
        let roster = roster(&specs, &shifts, &[]);
        let loads: BTreeMap<UserId, u64> = loads.into_iter().map(|(id, l)| (UserId(id), l)).collect();
        let duty = Duty::new(&roster);
        let context = DrawContext { secret: SECRET, duty: &duty, loads: &loads, at: now(), parties: &[] };
        let Allocation::Drawn { examiner, .. } = allocate(&context, &task(1, Channel::Yellow), "k") else {
            return Err(TestCaseError::fail("every examiner is on duty"));
        };
        prop_assert_eq!(examiner.candidates.len(), usize::try_from(examiners).unwrap());
        for c in &examiner.candidates {
            prop_assert_eq!(c.workload, loads.get(&c.officer).copied().unwrap_or(0));
        }
    }
}
