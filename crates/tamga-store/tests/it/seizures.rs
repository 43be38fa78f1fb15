//! Seizures and offence cases: a seizure opens a numbered case, another joins it with its
//! declaration and companies, notes and states follow the case's lifecycle, a closed case takes
//! nothing more.

use std::sync::Arc;

use tamga_control::case::CaseState;
use tamga_control::seizure::Seizure;
use tamga_core::role::Role;
use tamga_store::lab::{CaseOutcome, CaseStep};
use tamga_store::Store;

use crate::fixtures::user;

pub fn seizure(mrn: Option<&str>, company: &str) -> Seizure {
    let json = serde_json::json!({
        "date": "2026-11-20", "office": "UZTAS", "category": "drugs",
        "description": "heroin in false floor", "commodity_code": "2939110000",
        "quantity": "12.5", "unit": "kg", "concealment": "false_compartment",
        "conveyance": {"mode": "3", "identification": "01A777AA", "nationality": "UZ"},
        "route": {"departure": "AF", "transit": ["TJ"], "destination": "RU"},
        "persons": [{"name": "Ali Valiyev", "role": "driver", "nationality": "UZ", "document_number": "AA1234567"}],
        "companies": [{"name": "Trans Co", "role": "carrier", "id": company, "country": "UZ"}],
        "photos": [], "mrn": mrn
    });
    serde_json::from_value(json).unwrap()
}

fn done(outcome: CaseOutcome) -> (Option<i64>, tamga_control::case::OffenceCase) {
    match outcome {
        CaseOutcome::Done { seizure, case } => (seizure.map(|s| s.id), *case),
        other => panic!("not done: {other:?}"),
    }
}

pub async fn seizures_open_and_join_cases(store: Arc<dyn Store>) {
    let officer = user(&*store, "seizer", Role::Officer, None).await;
    let (first, case) = done(
        store
            .record_seizure(seizure(None, "UZ305123456"), &officer, None)
            .await
            .unwrap(),
    );
    let year = time::OffsetDateTime::now_utc().year();
    assert_eq!(case.number, format!("UZTAS-{year}-000001"));
    assert_eq!(case.state, CaseState::Open);
    let (second, joined) = done(
        store
            .record_seizure(
                seizure(Some("26UZTAS000000001R0"), "UZ999888777"),
                &officer,
                Some(&case.number),
            )
            .await
            .unwrap(),
    );
    assert_ne!(first, second);
    assert_eq!(joined.seizures.len(), 2);
    assert!(joined.declarations.contains("26UZTAS000000001R0"));
    assert_eq!(joined.parties.len(), 2);
    let (_, other) = done(
        store
            .record_seizure(seizure(None, "UZ305123456"), &officer, None)
            .await
            .unwrap(),
    );
    assert_eq!(other.number, format!("UZTAS-{year}-000002"));
    assert!(matches!(
        store
            .record_seizure(seizure(None, "UZ1"), &officer, Some("NOPE"))
            .await
            .unwrap(),
        CaseOutcome::UnknownCase
    ));
    let stored = store.seizure(first.unwrap()).await.unwrap().unwrap();
    assert_eq!(
        (stored.case_number.as_str(), stored.recorded_by.as_str()),
        (case.number.as_str(), "seizer")
    );
    done(
        store
            .case_step(
                &case.number,
                &officer,
                CaseStep::Note("driver questioned".into()),
            )
            .await
            .unwrap(),
    );
    assert!(matches!(
        store
            .case_step(&case.number, &officer, CaseStep::Note("\u{0}".into()))
            .await
            .unwrap(),
        CaseOutcome::Refused(_)
    ));
    let illegal = store
        .case_step(&case.number, &officer, CaseStep::Move(CaseState::Referred))
        .await
        .unwrap();
    assert!(matches!(illegal, CaseOutcome::Illegal(e) if e.current == "open"));
    done(
        store
            .case_step(&case.number, &officer, CaseStep::Move(CaseState::Closed))
            .await
            .unwrap(),
    );
    let closed = store
        .record_seizure(seizure(None, "UZ1"), &officer, Some(&case.number))
        .await
        .unwrap();
    assert!(matches!(closed, CaseOutcome::Refused(r) if r.contains("closed")));
    let kept = store.offence_case(&case.number).await.unwrap().unwrap();
    assert_eq!(
        (kept.state, kept.notes.len(), kept.seizures.len()),
        (CaseState::Closed, 1, 2)
    );
}
