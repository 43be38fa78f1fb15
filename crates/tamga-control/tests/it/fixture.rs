//! Shared inputs: the README's sample declaration, officers, shifts and tasks.

use tamga_control::allocation::{Conflict, Group, Officer, Roster, Shift};
use tamga_control::task::{tasks_for, Channel, ControlTask, TaskSettings};
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use tamga_core::Declaration;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

pub const SECRET: &[u8] = b"tamga test allocation secret";

pub fn declaration() -> Declaration {
    let text = include_str!("../../../../examples/declaration.json");
    serde_json::from_str(text).unwrap()
}

pub fn office() -> Locode {
    Locode::parse("UZTAS").unwrap()
}

pub fn now() -> OffsetDateTime {
    datetime!(2026-11-20 10:00 UTC)
}

pub fn officer(id: i64, group: Group) -> Officer {
    Officer {
        id: UserId(id),
        office: office(),
        section: "imports-1".into(),
        group,
        suspended: false,
    }
}

/// A day shift around [`now`].
pub fn shift(id: i64) -> Shift {
    Shift {
        officer: UserId(id),
        start: now() - Duration::hours(4),
        end: now() + Duration::hours(4),
    }
}

/// Examiners 1..=examiners and chiefs 100..100+chiefs, all on duty.
pub fn roster(examiners: i64, chiefs: i64) -> Roster {
    let mut roster = Roster::default();
    for id in 1..=examiners {
        roster.officers.push(officer(id, Group::Examiner));
        roster.shifts.push(shift(id));
    }
    for id in 100..100 + chiefs {
        roster.officers.push(officer(id, Group::ChiefExaminer));
        roster.shifts.push(shift(id));
    }
    roster
}

pub fn conflict(id: i64, party: &str) -> Conflict {
    Conflict {
        officer: UserId(id),
        party: PartyId::parse(party).unwrap(),
    }
}

pub fn task(id: i64, channel: Channel) -> ControlTask {
    let new = tasks_for(
        channel,
        &office(),
        now(),
        "profile P-7 fired",
        &TaskSettings::default(),
    )
    .pop()
    .unwrap();
    ControlTask::open(id, "26UZTAS00000000012", new, 20)
}
