//! Laboratory samples: lifecycle, sampling form, chain of custody, four eyes, turnaround.

use tamga_control::finding::FindingKind;
use tamga_control::sample::custody::{self, Condition, CustodyFlag, Handover};
use tamga_control::sample::result::{
    enter, turnaround_by_lab, verify, FourEyesError, LabReport, LabResult, Opinion, Parameter,
};
use tamga_control::sample::{Sample, SampleError, SampleRequest, SampleState};
use tamga_control::transition::Lifecycle;
use tamga_control::UserId;
use tamga_core::codes::CommodityCode;
use tamga_core::role::Role;
use time::{Duration, OffsetDateTime};

use crate::fixture::now;

const OFFICER: UserId = UserId(3);
const COURIER: UserId = UserId(50);
const RECEPTION: UserId = UserId(70);
const ANALYST: UserId = UserId(71);
const VERIFIER: UserId = UserId(72);

fn request() -> SampleRequest {
    SampleRequest {
        sample_id: "RCL-2026-000318".into(),
        mrn: "26UZTAS00000000012".into(),
        task_id: 1,
        item: 1,
        seal_number: "UZ-S-0048812".into(),
        quantity: "250".parse().unwrap(),
        unit: "g".into(),
        packaging: "sealed polyethylene bag".into(),
        reason: "declared as laptops; units look like desktop modules".into(),
        determine: "nature of the goods and tariff classification".into(),
        declared_code: CommodityCode::parse("8471300000").unwrap(),
        objections: Some("the declarant says the units are portable".into()),
        lab: "RCL-TASHKENT".into(),
        sampled_by: OFFICER,
    }
}

fn at(minutes: i64) -> OffsetDateTime {
    now() + Duration::minutes(minutes)
}

fn handover(from: UserId, to: UserId, minutes: i64) -> Handover {
    Handover {
        from,
        to,
        at: at(minutes),
        place: "UZTAS".into(),
        seal_seen: "UZ-S-0048812".into(),
        condition: Condition::Intact,
    }
}

/// A sample carried through the whole lifecycle with a clean chain of custody.
fn received_and_analysed() -> (Sample, Vec<Handover>) {
    let mut s = Sample::requested(request(), at(0));
    s.move_to(SampleState::Collected, OFFICER, at(5)).unwrap();
    s.move_to(SampleState::InTransit, COURIER, at(30)).unwrap();
    s.move_to(SampleState::Received, RECEPTION, at(240))
        .unwrap();
    s.move_to(SampleState::InAnalysis, ANALYST, at(300))
        .unwrap();
    let chain = vec![
        handover(OFFICER, COURIER, 30),
        handover(COURIER, RECEPTION, 240),
        handover(RECEPTION, ANALYST, 290),
    ];
    (s, chain)
}

#[test]
fn the_lifecycle_table_is_as_documented() {
    use SampleState::*;
    let expect: &[(SampleState, &[SampleState])] = &[
        (Requested, &[Collected, Rejected]),
        (Collected, &[InTransit, Received, Rejected]),
        (InTransit, &[Received, Rejected]),
        (Received, &[InAnalysis, Rejected]),
        (InAnalysis, &[ToBeVerified]),
        (ToBeVerified, &[Verified, InAnalysis, Invalidated]),
        (Verified, &[Published, Invalidated]),
        (Published, &[Invalidated, Disposed, Returned]),
        (Rejected, &[Disposed, Returned]),
        (Invalidated, &[Disposed, Returned]),
        (Disposed, &[]),
        (Returned, &[]),
    ];
    for (from, allowed) in expect {
        for to in SampleState::ALL {
            assert_eq!(
                from.step(to).is_ok(),
                allowed.contains(&to),
                "{from:?} -> {to:?}"
            );
        }
    }
    let err = Received.step(Published).unwrap_err();
    assert_eq!(
        (err.current, err.allowed.clone()),
        ("received", vec!["in-analysis", "rejected"])
    );
}

#[test]
fn the_sampling_form_is_checked_field_by_field() {
    assert!(request().validate().is_empty());
    let mut bad = request();
    bad.sample_id = "RCL 318".into();
    bad.seal_number = String::new();
    bad.quantity = "-1".parse().unwrap();
    bad.packaging = "bag\u{0}".into();
    bad.reason = " ".into();
    bad.objections = Some("\u{1b}[31m".into());
    let pointers: Vec<String> = bad.validate().into_iter().map(|e| e.pointer).collect();
    for p in [
        "/sample_id",
        "/seal_number",
        "/quantity",
        "/packaging",
        "/reason",
        "/objections",
    ] {
        assert!(
            pointers.iter().any(|q| q == p),
            "{p} not reported in {pointers:?}"
        );
    }
}

#[test]
fn rejection_needs_reasons_and_special_steps_need_their_function() {
    let mut s = Sample::requested(request(), at(0));
    assert!(matches!(
        s.move_to(SampleState::Rejected, RECEPTION, at(1)),
        Err(SampleError::Illegal(_))
    ));
    assert_eq!(
        s.reject(&[" ".into()], RECEPTION, at(1)),
        Err(SampleError::ReasonRequired)
    );
    s.reject(&["seal missing on arrival".into()], RECEPTION, at(1))
        .unwrap();
    assert_eq!(s.state, SampleState::Rejected);
    assert_eq!(s.reasons, ["seal missing on arrival"]);
}

#[test]
fn invalidation_requests_a_numbered_retest() {
    let (mut s, _) = received_and_analysed();
    s.move_to(SampleState::ToBeVerified, ANALYST, at(400))
        .unwrap();
    let retest = s
        .invalidate(&["instrument out of calibration".into()], VERIFIER, at(420))
        .unwrap();
    assert_eq!(s.state, SampleState::Invalidated);
    assert_eq!(retest.request.sample_id, "RCL-2026-000318-R1");
    assert_eq!(retest.retest_of.as_deref(), Some("RCL-2026-000318"));
    assert_eq!(retest.state, SampleState::Requested);
    let mut retest = retest;
    for (state, by, m) in [
        (SampleState::Collected, OFFICER, 500),
        (SampleState::Received, RECEPTION, 600),
        (SampleState::InAnalysis, ANALYST, 610),
        (SampleState::ToBeVerified, ANALYST, 700),
    ] {
        retest.move_to(state, by, at(m)).unwrap();
    }
    let second = retest
        .invalidate(&["again".into()], VERIFIER, at(710))
        .unwrap();
    assert_eq!(second.request.sample_id, "RCL-2026-000318-R2");
}

#[test]
fn disposal_waits_for_the_retention_period() {
    let mut s = Sample::requested(request(), at(0));
    s.reject(&["leaking".into()], RECEPTION, at(10)).unwrap();
    let retention = Duration::days(90);
    let early = s.end(
        SampleState::Disposed,
        retention,
        RECEPTION,
        at(10) + Duration::days(30),
    );
    assert!(
        matches!(early, Err(SampleError::RetentionNotOver { until }) if until == at(10) + retention)
    );
    assert!(matches!(
        s.end(
            SampleState::Collected,
            retention,
            RECEPTION,
            at(10) + Duration::days(91)
        ),
        Err(SampleError::Illegal(_))
    ));
    s.end(
        SampleState::Returned,
        retention,
        RECEPTION,
        at(10) + Duration::days(91),
    )
    .unwrap();
    assert!(s.state.is_final());
}

#[test]
fn a_clean_chain_raises_no_flag() {
    let (s, chain) = received_and_analysed();
    assert_eq!(custody::check(&s, &chain), vec![]);
}

#[test]
fn a_missing_handover_is_a_gap() {
    let (s, mut chain) = received_and_analysed();
    chain.remove(1); // the courier never handed it to reception
    let flags = custody::check(&s, &chain);
    assert!(
        flags.contains(&CustodyFlag::Gap {
            state: SampleState::Received,
            by: RECEPTION,
            holder: COURIER
        }),
        "{flags:?}"
    );
    assert!(
        flags.contains(&CustodyFlag::NotHolder {
            index: 1,
            holder: COURIER,
            from: RECEPTION
        }),
        "{flags:?}"
    );
}

#[test]
fn a_wrong_seal_number_is_flagged() {
    let (s, mut chain) = received_and_analysed();
    chain[1].seal_seen = "UZ-S-0048813".into();
    chain[2].condition = Condition::SealBroken;
    let flags = custody::check(&s, &chain);
    assert_eq!(
        flags,
        vec![
            CustodyFlag::SealMismatch {
                index: 1,
                expected: "UZ-S-0048812".into(),
                seen: "UZ-S-0048813".into()
            },
            CustodyFlag::BadCondition {
                index: 2,
                condition: Condition::SealBroken
            },
        ]
    );
}

#[test]
fn a_handover_by_a_non_holder_is_flagged() {
    let (s, mut chain) = received_and_analysed();
    chain[0].from = UserId(9); // a colleague hands over what the sampling officer holds
    chain.swap(1, 2);
    let flags = custody::check(&s, &chain);
    assert!(flags.contains(&CustodyFlag::NotHolder {
        index: 0,
        holder: OFFICER,
        from: UserId(9)
    }));
    assert!(
        flags.contains(&CustodyFlag::OutOfOrder { index: 2 }),
        "{flags:?}"
    );
}

fn result(opinion: &str) -> LabResult {
    LabResult {
        method: "visual examination and disassembly; CLEN method 12".into(),
        parameters: vec![
            Parameter {
                name: "display".into(),
                value: "absent".into(),
                unit: None,
            },
            Parameter {
                name: "mass per unit".into(),
                value: "6.2".into(),
                unit: Some("kg".into()),
            },
        ],
        conclusion: "desktop processing units without display or keyboard".into(),
        opinion: Some(Opinion {
            commodity_code: CommodityCode::parse(opinion).unwrap(),
            reasoning: "not portable; GIR 1 and 6".into(),
        }),
    }
}

#[test]
fn the_analyst_cannot_verify_their_own_result() {
    let entered = enter(result("8471500000"), (Role::Lab, ANALYST), at(400)).unwrap();
    assert_eq!(
        verify(entered.clone(), (Role::Lab, ANALYST), at(410)),
        Err(FourEyesError::SelfVerification)
    );
    assert_eq!(
        verify(entered.clone(), (Role::Officer, VERIFIER), at(410)),
        Err(FourEyesError::NotLab("officer"))
    );
    assert!(matches!(
        enter(result("8471500000"), (Role::Analyst, ANALYST), at(400)),
        Err(FourEyesError::NotLab("analyst"))
    ));
    let verified = verify(entered, (Role::Lab, VERIFIER), at(410)).unwrap();
    assert_eq!(verified.verifier, VERIFIER);
}

#[test]
fn results_are_validated() {
    assert!(result("8471500000").validate().is_empty());
    let mut bad = result("8471500000");
    bad.parameters.clear();
    bad.conclusion = "\u{0}".into();
    let pointers: Vec<String> = bad.validate().into_iter().map(|e| e.pointer).collect();
    assert_eq!(pointers, ["/parameters", "/conclusion"]);
}

#[test]
fn a_differing_opinion_proposes_a_misclassification() {
    let (s, chain) = received_and_analysed();
    let report = |code: &str| {
        let entered = enter(result(code), (Role::Lab, ANALYST), at(400)).unwrap();
        let verified = verify(entered, (Role::Lab, VERIFIER), at(410)).unwrap();
        LabReport::new(&s, verified, custody::check(&s, &chain), at(420))
    };
    let differs = report("8471500000");
    assert!(!differs.flagged());
    let finding = differs.proposed_finding(&s).unwrap();
    assert_eq!(finding.item, 1);
    assert_eq!(
        finding.kind,
        FindingKind::Misclassification {
            commodity_code: CommodityCode::parse("8471500000").unwrap()
        }
    );
    assert!(finding.notes.unwrap().contains("RCL-2026-000318"));
    assert_eq!(report("8471300000").proposed_finding(&s), None);
    assert_eq!(report("847130").proposed_finding(&s), None);
}

#[test]
fn turnaround_runs_from_receipt_to_publication() {
    let publish = |s: &mut Sample, minutes: i64| {
        s.move_to(SampleState::ToBeVerified, ANALYST, at(minutes - 20))
            .unwrap();
        s.move_to(SampleState::Verified, VERIFIER, at(minutes - 10))
            .unwrap();
        s.move_to(SampleState::Published, VERIFIER, at(minutes))
            .unwrap();
    };
    let (mut a, _) = received_and_analysed();
    assert_eq!(a.turnaround(), None);
    publish(&mut a, 300 + 60);
    assert_eq!(a.turnaround(), Some(Duration::minutes(120)));
    let (mut b, _) = received_and_analysed();
    publish(&mut b, 240 + 600);
    let (mut c, _) = received_and_analysed();
    c.request.lab = "RCL-SAMARQAND".into();
    publish(&mut c, 240 + 90);
    let (unpublished, _) = received_and_analysed();
    let figures = turnaround_by_lab([&a, &b, &c, &unpublished]);
    let tashkent = &figures["RCL-TASHKENT"];
    assert_eq!(
        (
            tashkent.samples,
            tashkent.mean_seconds,
            tashkent.max_seconds
        ),
        (2, 360 * 60, 600 * 60)
    );
    assert_eq!(figures["RCL-SAMARQAND"].median_seconds, 90 * 60);
}
