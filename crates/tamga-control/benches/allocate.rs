//! Allocation of a new control task at 500 officers on duty (goal: at most 1 ms).
//!
//! `cargo bench -p tamga-control --bench allocate`

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use tamga_control::allocation::{
    allocate, declaration_weight, workloads, Conflict, DrawContext, Duty, Group, Officer, Roster,
    Shift,
};
use tamga_control::task::{tasks_for, Channel, ControlTask, TaskSettings};
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use time::macros::datetime;
use time::Duration;

const OFFICERS: i64 = 500;
const CHIEFS: i64 = 25;

/// 500 officers of one office on duty (25 of them chiefs), 200 conflicts, and a second office's
/// 500 officers the draw must skip.
fn roster() -> Roster {
    let now = datetime!(2026-11-20 10:00 UTC);
    let mut roster = Roster::default();
    for (office, base) in [("UZTAS", 0), ("UZSKD", 10_000)] {
        for i in 0..OFFICERS {
            let id = UserId(base + i);
            let group = if i < CHIEFS {
                Group::ChiefExaminer
            } else {
                Group::Examiner
            };
            let office = Locode::parse(office).unwrap();
            roster.officers.push(Officer {
                id,
                office,
                section: format!("s{}", i % 5),
                group,
                suspended: i % 97 == 0,
            });
            roster.shifts.push(Shift {
                officer: id,
                start: now - Duration::hours(4),
                end: now + Duration::hours(4),
            });
        }
    }
    for i in 0..200 {
        let party = PartyId::parse(&format!("UZ{:09}", 300_000_000 + i)).unwrap();
        roster.conflicts.push(Conflict {
            officer: UserId(i * 2),
            party,
        });
    }
    roster
}

/// 5,000 tasks allocated across the office, a fifth of them finished.
fn active_tasks(template: &ControlTask) -> Vec<ControlTask> {
    (0..5_000)
        .map(|i| {
            let mut t = template.clone();
            t.id = i;
            t.weight = declaration_weight((i % 12 + 1) as usize);
            t.examiner = Some(UserId(CHIEFS + i % (OFFICERS - CHIEFS)));
            t.state = if i % 5 == 0 {
                tamga_control::task::TaskState::Completed
            } else {
                tamga_control::task::TaskState::InProgress
            };
            t
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let now = datetime!(2026-11-20 10:00 UTC);
    let office = Locode::parse("UZTAS").unwrap();
    let roster = roster();
    let new = |channel| {
        tasks_for(channel, &office, now, "", &TaskSettings::default())
            .pop()
            .unwrap()
    };
    let yellow = ControlTask::open(1, "26UZTAS00000000012", new(Channel::Yellow), 50);
    let red = ControlTask::open(2, "26UZTAS00000000013", new(Channel::Red), 50);
    let tasks = active_tasks(&yellow);
    let loads: BTreeMap<UserId, u64> = workloads(&tasks);
    let parties = vec![
        PartyId::parse("UZ300000010").unwrap(),
        PartyId::parse("CN91310000MA1").unwrap(),
    ];
    let duty = Duty::new(&roster);
    let context = DrawContext {
        secret: b"bench secret",
        duty: &duty,
        loads: &loads,
        at: now,
        parties: &parties,
    };
    let mut n = 0u64;
    c.bench_function("allocate yellow, 500 on duty", |b| {
        b.iter(|| {
            n += 1;
            black_box(allocate(&context, &yellow, &format!("key/{n}")))
        })
    });
    c.bench_function("allocate red (examiner and chief), 500 on duty", |b| {
        b.iter(|| {
            n += 1;
            black_box(allocate(&context, &red, &format!("key/{n}")))
        })
    });
    c.bench_function("workloads from 5,000 tasks, then allocate red", |b| {
        b.iter(|| {
            n += 1;
            let loads = workloads(&tasks);
            let context = DrawContext {
                loads: &loads,
                ..context
            };
            black_box(allocate(&context, &red, &format!("key/{n}")))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
