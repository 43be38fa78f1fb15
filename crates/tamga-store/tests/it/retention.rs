//! Retention beyond the declaration: a masked declaration's risk explanation loses its
//! watchlist names in the same commit; cargo reports received, and seizures of closed cases
//! recorded, before the cut-off lose their persons, and closed cases opened before it the
//! text of their notes, each with one audit entry and only once.

use std::sync::Arc;

use tamga_control::case::CaseState;
use tamga_core::retention::MASK;
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::cargo::{CargoOutcome, NewCargoReport};
use tamga_store::lab::{CaseOutcome, CaseStep};
use tamga_store::*;

use crate::fixtures::{declaration, lodgement, user};

fn explained() -> risk::RiskRecord {
    let mut decided = crate::control::decided("red");
    decided.document = serde_json::json!({
        "summary": "red by watchlist",
        "watchlist": [{"role": "importer", "party_id": "UZ305123456", "party_name": "Ivan Petrov",
                       "entry_id": "UN-1", "source": "un", "matched_name": "PETROV, Ivan", "score": 0.97}],
    })
    .to_string();
    decided
}

async fn audit_actions(store: &dyn Store) -> Vec<String> {
    let entries = store.audit_entries(0, 1000).await.unwrap();
    entries.into_iter().map(|e| e.action).collect()
}

pub async fn explanations_reports_and_seizures_are_masked(store: Arc<dyn Store>) {
    let s = &*store;
    let broker = user(s, "broker", Role::Declarant, Some("UZ305123456")).await;
    let officer = user(s, "olga", Role::Officer, None).await;
    // A closed declaration with a watchlist hit in its explanation.
    let mut lodged = lodgement(declaration("RET-W"), &broker);
    lodged.risk = Some(explained());
    let LodgeOutcome::Accepted(record) = s.lodge(lodged).await.unwrap() else {
        panic!("not accepted")
    };
    let change = StatusChange {
        to: Status::Invalidated,
        actor: officer.clone(),
        reason: "closed".into(),
        at: sql::now(),
    };
    let closed = s
        .transition(&record.mrn, &Scope::All, change)
        .await
        .unwrap();
    assert!(matches!(closed, TransitionOutcome::Done(_)), "{closed:?}");
    // A cargo report, a seizure of a case then closed, and one of a case left open.
    let report = tamga_core::cargo::CargoReport {
        reference: "M-RET".into(),
        conveyance: Some(tamga_core::cargo::Conveyance {
            identification: Some("01A123BC".into()),
            ..Default::default()
        }),
        consignments: vec![tamga_core::cargo::Consignment {
            sequence: 1,
            consignor: Some("Li Wei, Urumqi".into()),
            consignee: Some("Aziz Karimov, Tashkent".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let new = NewCargoReport {
        carrier: "UZ305123456".into(),
        report,
        by: broker.clone(),
        at: sql::now(),
    };
    let CargoOutcome::Stored(stored) = s.save_cargo_report(new).await.unwrap() else {
        panic!("not stored")
    };
    let officer = &officer;
    let seize = |case| {
        let seizure = crate::seizures::seizure(None, "UZ305123456");
        async move {
            match s.record_seizure(seizure, officer, case).await.unwrap() {
                CaseOutcome::Done { seizure, case } => (seizure.unwrap().id, case.number),
                other => panic!("{other:?}"),
            }
        }
    };
    let (closed_seizure, case) = seize(None).await;
    let (open_seizure, open_case) = seize(None).await;
    for number in [&case, &open_case] {
        let note = CaseStep::Note("driver Ali Valiyev, passport AA1234567".into());
        let noted = s.case_step(number, officer, note).await.unwrap();
        assert!(matches!(noted, CaseOutcome::Done { .. }), "{noted:?}");
    }
    let step = CaseStep::Move(CaseState::Closed);
    let moved = s.case_step(&case, officer, step).await.unwrap();
    assert!(matches!(moved, CaseOutcome::Done { .. }), "{moved:?}");

    let past = sql::now() - time::Duration::days(1);
    assert!(s.retention_records(past, 10).await.unwrap().is_empty());
    let cutoff = sql::now() + time::Duration::seconds(1);
    let mut due = s.retention_records(cutoff, 10).await.unwrap();
    due.sort_by_key(|r| format!("{r:?}"));
    let expected = [
        RetentionRecord::CargoReport(stored.id),
        RetentionRecord::OffenceCase(case.clone()),
        RetentionRecord::Seizure(closed_seizure),
    ];
    assert_eq!(
        due, expected,
        "the report, and the closed case and its seizure only"
    );
    let open = RetentionRecord::Seizure(open_seizure);
    assert!(!s.mask_record(open, cutoff, "ret").await.unwrap());
    let open = RetentionRecord::OffenceCase(open_case.clone());
    assert!(!s.mask_record(open, cutoff, "ret").await.unwrap());

    let before = audit_actions(s).await.len();
    assert!(s
        .mask_personal_data(&record.mrn, cutoff, "ret")
        .await
        .unwrap());
    for record in expected {
        let again = record.clone();
        assert!(
            !s.mask_record(again.clone(), past, "ret").await.unwrap(),
            "too young"
        );
        assert!(s.mask_record(again, cutoff, "ret").await.unwrap());
        assert!(!s.mask_record(record, cutoff, "ret").await.unwrap(), "once");
    }
    let actions = audit_actions(s).await;
    assert_eq!(
        actions[before..],
        [
            "declaration.mask",
            "cargo_report.mask",
            "offence_case.mask",
            "seizure.mask"
        ]
    );
    assert!(s.retention_records(cutoff, 10).await.unwrap().is_empty());

    let decision = s.risk_decision(&record.mrn).await.unwrap().unwrap();
    let explanation: serde_json::Value = serde_json::from_str(&decision.document).unwrap();
    assert_eq!(explanation["watchlist"][0]["party_name"], MASK);
    assert_eq!(explanation["watchlist"][0]["matched_name"], MASK);
    assert_eq!(explanation["watchlist"][0]["party_id"], "UZ305123456");
    assert_eq!(decision.channel, "red", "the decision itself is kept");
    let report = s.cargo_report(stored.id).await.unwrap().unwrap().report;
    let c = &report.consignments[0];
    assert_eq!(
        (c.consignor.as_deref(), c.consignee.as_deref()),
        (Some(MASK), Some(MASK))
    );
    assert_eq!(report.conveyance.unwrap().identification, None);
    assert_eq!(report.reference, "M-RET");
    let seizure = s.seizure(closed_seizure).await.unwrap().unwrap().seizure;
    assert_eq!(seizure.persons[0].name, MASK);
    assert_eq!(seizure.persons[0].document_number, None);
    assert_eq!(seizure.persons[0].role, "driver");
    assert_eq!(seizure.companies[0].name, "Trans Co", "companies stay");
    let kept = s.seizure(open_seizure).await.unwrap().unwrap().seizure;
    assert_eq!(
        kept.persons[0].name, "Ali Valiyev",
        "an open case keeps its persons"
    );
    let masked = s.offence_case(&case).await.unwrap().unwrap();
    assert_eq!(masked.notes[0].text, MASK);
    assert_eq!(
        masked.seizures,
        [closed_seizure].into(),
        "the case keeps its seizures"
    );
    let kept = s.offence_case(&open_case).await.unwrap().unwrap();
    assert_ne!(kept.notes[0].text, MASK, "an open case keeps its notes");
    assert_eq!(s.audit_verify(None).await.unwrap().broken, None);
}
