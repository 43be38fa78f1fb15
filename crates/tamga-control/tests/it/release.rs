//! The release rule.

use rust_decimal::Decimal;
use tamga_control::release::{decide, may_release, Blocker, Coverage, Hold, Release, ReleaseFacts};
use tamga_control::task::{Channel, ControlTask};
use tamga_control::UserId;

use crate::fixture::{now, task};

const PAID: Coverage = Coverage {
    owed: Decimal::ZERO,
    guaranteed: false,
};

fn owed(amount: i64, guaranteed: bool) -> Coverage {
    Coverage {
        owed: Decimal::from(amount),
        guaranteed,
    }
}

fn facts<'a>(
    channel: Channel,
    coverage: Coverage,
    task: Option<&'a ControlTask>,
    holds: &'a [Hold],
    chief: bool,
) -> ReleaseFacts<'a> {
    ReleaseFacts {
        channel,
        coverage,
        task,
        holds,
        chief_endorsed: chief,
    }
}

fn completed(channel: Channel) -> ControlTask {
    let mut t = task(1, channel);
    let chief = (channel == Channel::Red).then_some(UserId(100));
    t.allocate(UserId(3), chief, now()).unwrap();
    t.start(now()).unwrap();
    t.complete(now()).unwrap();
    t
}

#[test]
fn green_and_blue_are_released_automatically_once_covered() {
    for channel in [Channel::Green, Channel::Blue] {
        assert_eq!(
            decide(&facts(channel, PAID, None, &[], false)),
            Release::Automatic
        );
        assert_eq!(
            decide(&facts(channel, owed(-5, false), None, &[], false)),
            Release::Automatic
        );
        assert_eq!(
            decide(&facts(channel, owed(1200, true), None, &[], false)),
            Release::Automatic
        );
        assert_eq!(
            decide(&facts(channel, owed(1200, false), None, &[], false)),
            Release::Refused {
                blockers: vec![Blocker::NotCovered {
                    owed: Decimal::from(1200)
                }]
            }
        );
    }
}

#[test]
fn yellow_waits_for_the_completed_task_and_the_examiner_releases() {
    let mut open = task(1, Channel::Yellow);
    open.allocate(UserId(3), None, now()).unwrap();
    let refused = decide(&facts(Channel::Yellow, PAID, Some(&open), &[], false));
    assert_eq!(
        refused,
        Release::Refused {
            blockers: vec![Blocker::TaskNotCompleted {
                state: "allocated".into()
            }]
        }
    );
    assert_eq!(
        decide(&facts(Channel::Yellow, PAID, None, &[], false)),
        Release::Refused {
            blockers: vec![Blocker::NoTask]
        }
    );
    let done = completed(Channel::Yellow);
    let release = decide(&facts(Channel::Yellow, PAID, Some(&done), &[], false));
    assert_eq!(
        release,
        Release::ByExaminer {
            examiner: UserId(3)
        }
    );
    assert!(may_release(&release, UserId(3)));
    assert!(!may_release(&release, UserId(4)));
    assert!(!may_release(&Release::Automatic, UserId(3)));
}

#[test]
fn red_also_needs_the_chief_and_every_blocker_is_listed() {
    let done = completed(Channel::Red);
    let holds = [Hold {
        reason: "phytosanitary inspection pending".into(),
        by: UserId(8),
    }];
    let refused = decide(&facts(
        Channel::Red,
        owed(300, false),
        Some(&done),
        &holds,
        false,
    ));
    assert_eq!(
        refused,
        Release::Refused {
            blockers: vec![
                Blocker::NotCovered {
                    owed: Decimal::from(300)
                },
                Blocker::Held {
                    reason: "phytosanitary inspection pending".into()
                },
                Blocker::ChiefEndorsementMissing,
            ]
        }
    );
    assert_eq!(
        decide(&facts(Channel::Red, PAID, Some(&done), &[], true)),
        Release::ByExaminer {
            examiner: UserId(3)
        }
    );
}

#[test]
fn holds_block_even_green() {
    let holds = [Hold {
        reason: "court order 12/2026".into(),
        by: UserId(8),
    }];
    assert!(matches!(
        decide(&facts(Channel::Green, PAID, None, &holds, false)),
        Release::Refused { .. }
    ));
}

#[test]
fn the_declarant_reads_what_is_owed_and_nothing_of_control() {
    assert_eq!(
        Blocker::NotCovered {
            owed: Decimal::from(300)
        }
        .for_declarant(),
        "300 is to be paid or guaranteed"
    );
    let hidden = [
        Blocker::Held {
            reason: "suspected drugs, dog alerted".into(),
        },
        Blocker::TaskNotCompleted {
            state: "in-progress".into(),
        },
        Blocker::ChiefEndorsementMissing,
        Blocker::NoTask,
    ];
    for b in hidden {
        let text = b.for_declarant();
        assert!(
            !text.contains("drugs") && !text.contains("chief") && !text.contains("progress"),
            "{text}"
        );
    }
}
