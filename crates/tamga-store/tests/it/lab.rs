//! The laboratory in the store: a sample from a task in progress, custody flags for a missing
//! hand-over, a wrong seal and a hand-over by a non-holder, the four-eyes rule, publication with
//! a proposed misclassification, retests and the queue.

use std::sync::Arc;

use rust_decimal::Decimal;
use tamga_control::allocation::Group;
use tamga_control::sample::custody::{Condition, CustodyFlag, Handover};
use tamga_control::sample::result::{LabResult, Opinion, Parameter};
use tamga_control::sample::{SampleRequest, SampleState};
use tamga_control::UserId;
use tamga_core::codes::CommodityCode;
use tamga_core::role::Role;
use tamga_store::control::TaskStep;
use tamga_store::lab::{NewSample, SampleOutcome, SampleStep, StoredSample};
use tamga_store::{sql, LodgeOutcome, Store, User};

use crate::control::{decided, officer};
use crate::fixtures::{declaration, lodgement, user};

fn form(id: &str, mrn: &str, task: i64, by: &User) -> SampleRequest {
    SampleRequest {
        sample_id: id.into(),
        mrn: mrn.into(),
        task_id: task,
        item: 1,
        seal_number: "SEAL-0042".into(),
        quantity: Decimal::ONE,
        unit: "p/st".into(),
        packaging: "sealed bag".into(),
        reason: "suspected misclassification".into(),
        determine: "is it a portable computer".into(),
        declared_code: CommodityCode::parse("8471300000").unwrap(),
        objections: None,
        lab: "RCL-TASHKENT".into(),
        sampled_by: UserId(by.id),
    }
}

fn done(outcome: SampleOutcome) -> StoredSample {
    match outcome {
        SampleOutcome::Done(s) => *s,
        other => panic!("not done: {other:?}"),
    }
}

fn hand(from: &User, to: &User, seal: &str) -> SampleStep {
    SampleStep::Handover(Handover {
        from: UserId(from.id),
        to: UserId(to.id),
        at: sql::now(),
        place: "UZTAS".into(),
        seal_seen: seal.into(),
        condition: Condition::Intact,
    })
}

fn result(code: &str) -> LabResult {
    LabResult {
        method: "visual and functional examination".into(),
        parameters: vec![Parameter {
            name: "display".into(),
            value: "present".into(),
            unit: None,
        }],
        conclusion: "a monitor without processing unit".into(),
        opinion: Some(Opinion {
            commodity_code: CommodityCode::parse(code).unwrap(),
            reasoning: "no CPU".into(),
        }),
    }
}

/// The whole life of a sample with clean custody, then the three custody problems flagged.
pub async fn samples_keep_custody_and_four_eyes(store: Arc<dyn Store>) {
    let lodger = user(&*store, "lodger", Role::Officer, None).await;
    let exa = officer(&*store, "exa", Group::Examiner, true).await;
    officer(&*store, "chief", Group::ChiefExaminer, true).await;
    let courier = user(&*store, "courier", Role::Officer, None).await;
    let analyst = user(&*store, "lab-a", Role::Lab, None).await;
    let checker = user(&*store, "lab-b", Role::Lab, None).await;
    let l = lodgement(declaration("LAB-1"), &lodger).with_risk(decided("red"));
    let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
        panic!()
    };
    let task = store.tasks_of(&record.mrn).await.unwrap().remove(0);
    let new = |id: &str| NewSample {
        request: form(id, &record.mrn, task.id, &exa),
        at: sql::now(),
    };
    assert!(
        matches!(store.request_sample(new("S-1"), &exa).await.unwrap(), SampleOutcome::Refused(r) if r.contains("allocated"))
    );
    store
        .task_step(task.id, &exa, TaskStep::Start)
        .await
        .unwrap();
    assert!(matches!(
        store.request_sample(new("S-1"), &courier).await.unwrap(),
        SampleOutcome::NotAllocated
    ));
    done(store.request_sample(new("S-1"), &exa).await.unwrap());
    assert!(
        matches!(store.request_sample(new("S-1"), &exa).await.unwrap(), SampleOutcome::Refused(r) if r.contains("already used"))
    );
    let step = |id: &'static str, by: User, step: SampleStep| {
        let store = store.clone();
        async move { store.sample_step(id, &by, step).await.unwrap() }
    };
    done(step("S-1", exa.clone(), SampleStep::Move(SampleState::Collected)).await);
    done(step("S-1", exa.clone(), hand(&exa, &courier, "SEAL-0042")).await);
    done(
        step(
            "S-1",
            courier.clone(),
            SampleStep::Move(SampleState::InTransit),
        )
        .await,
    );
    done(
        step(
            "S-1",
            courier.clone(),
            hand(&courier, &analyst, "SEAL-0042"),
        )
        .await,
    );
    done(
        step(
            "S-1",
            analyst.clone(),
            SampleStep::Move(SampleState::Received),
        )
        .await,
    );
    let early = step("S-1", analyst.clone(), SampleStep::Publish).await;
    assert!(matches!(early, SampleOutcome::Illegal(e) if e.current == "received"));
    done(
        step(
            "S-1",
            analyst.clone(),
            SampleStep::Move(SampleState::InAnalysis),
        )
        .await,
    );
    done(
        step(
            "S-1",
            analyst.clone(),
            SampleStep::Enter(result("8528520000")),
        )
        .await,
    );
    let own = step("S-1", analyst.clone(), SampleStep::Verify).await;
    assert!(
        matches!(own, SampleOutcome::Refused(r) if r.contains("cannot verify")),
        "four eyes"
    );
    done(step("S-1", checker.clone(), SampleStep::Verify).await);
    let published = done(step("S-1", checker.clone(), SampleStep::Publish).await);
    assert!(
        published.custody_flags.is_empty(),
        "{:?}",
        published.custody_flags
    );
    let report = published.report.unwrap();
    assert!(!report.flagged());
    let proposed = published.proposed_finding.unwrap();
    assert_eq!(proposed.item, 1);
    assert!(format!("{:?}", proposed.kind).contains("8528520000"));
    assert!(published.sample.turnaround().is_some());
    let events: Vec<String> = store
        .task_events(task.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert!(
        events.contains(&"lab-report-published".to_owned()),
        "{events:?}"
    );
    assert_eq!(store.samples_of(&record.mrn).await.unwrap(), ["S-1"]);

    // A wrong seal, a hand-over by someone not holding the sample, and a receipt with no
    // hand-over to the receiver are each flagged.
    done(store.request_sample(new("S-2"), &exa).await.unwrap());
    done(step("S-2", exa.clone(), SampleStep::Move(SampleState::Collected)).await);
    let flagged = done(step("S-2", exa.clone(), hand(&exa, &courier, "SEAL-9999")).await);
    assert!(matches!(
        flagged.custody_flags.as_slice(),
        [CustodyFlag::SealMismatch { .. }]
    ));
    let flagged = done(
        step(
            "S-2",
            analyst.clone(),
            hand(&analyst, &checker, "SEAL-0042"),
        )
        .await,
    );
    assert!(flagged
        .custody_flags
        .iter()
        .any(|f| matches!(f, CustodyFlag::NotHolder { .. })));
    done(store.request_sample(new("S-3"), &exa).await.unwrap());
    done(step("S-3", exa.clone(), SampleStep::Move(SampleState::Collected)).await);
    let gap = done(
        step(
            "S-3",
            analyst.clone(),
            SampleStep::Move(SampleState::Received),
        )
        .await,
    );
    assert!(
        matches!(gap.custody_flags.as_slice(), [CustodyFlag::Gap { .. }]),
        "{:?}",
        gap.custody_flags
    );
    let queue = store.lab_queue(Some("RCL-TASHKENT"), None).await.unwrap();
    let flags: Vec<(String, bool)> = queue
        .iter()
        .map(|s| (s.sample.request.sample_id.clone(), s.flagged))
        .collect();
    assert_eq!(
        flags,
        [
            ("S-1".into(), false),
            ("S-2".into(), true),
            ("S-3".into(), true)
        ]
    );
    let reject = step("S-3", analyst.clone(), SampleStep::Reject(vec![" ".into()])).await;
    assert!(matches!(reject, SampleOutcome::Refused(_)));
    let invalid = done(
        step(
            "S-1",
            checker.clone(),
            SampleStep::Invalidate(vec!["instrument out of calibration".into()]),
        )
        .await,
    );
    assert_eq!(invalid.sample.state, SampleState::Invalidated);
    let retest = store.sample("S-1-R1").await.unwrap().unwrap();
    assert_eq!(
        (retest.sample.state, retest.sample.retest_of.as_deref()),
        (SampleState::Requested, Some("S-1"))
    );
    assert!(matches!(
        step("S-9", analyst, SampleStep::Verify).await,
        SampleOutcome::NotFound
    ));
}
