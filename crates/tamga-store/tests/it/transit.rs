//! Transit movements and guarantees in the store: the full lifecycle with the guarantee
//! reserved and restored, illegal steps, who may take a step, parallel releases that never take
//! a balance below zero, and the overdue sweep under a controlled clock.

use std::str::FromStr;
use std::sync::Arc;

use rust_decimal::Decimal;
use tamga_core::codes::{CurrencyCode, Locode};
use tamga_core::draft::DeclarationDraft;
use tamga_core::role::Role;
use tamga_core::transit::access::Refusal;
use tamga_core::transit::lifecycle::{MovementState, StepKind};
use tamga_core::transit::GuaranteeType;
use tamga_store::transit::*;
use tamga_store::{LodgeOutcome, Store, User};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use crate::fixtures::{lodgement, user, validate};

const TRANSIT: &str = include_str!("../../../../examples/transit.json");
const GRN: &str = "26UZ0000010000001";

/// The example TR declaration within Uzbekistan: UZTAS → UZJIZ → UZSKD, `amount` USD on the
/// example's guarantee.
fn draft(lrn: &str, amount: &str) -> DeclarationDraft {
    let mut d: DeclarationDraft = serde_json::from_str(TRANSIT).unwrap();
    d.lrn = Some(lrn.to_owned());
    d.country_of_destination = Some("UZ".into());
    let t = d.transit.as_mut().unwrap();
    t.offices_of_transit = vec!["UZJIZ".into()];
    t.office_of_destination = Some("UZSKD".into());
    t.itinerary = vec!["UZ".into()];
    t.guarantees[0].references[0].amount = Some(tamga_core::draft::DecimalText(amount.into()));
    d
}

async fn account(store: &dyn Store, grn: &str, amount: &str) -> GuaranteeAccount {
    let new = NewGuaranteeAccount {
        grn: grn.to_owned(),
        guarantee_type: GuaranteeType::IndividualGuarantor,
        holder: "UZ305123456".into(),
        currency: CurrencyCode::parse("USD").unwrap(),
        reference_amount: Decimal::from_str(amount).unwrap(),
        access_code: "AB12".into(),
    };
    store
        .create_guarantee_account(new, "admin")
        .await
        .unwrap()
        .unwrap()
}

async fn lodge(store: &dyn Store, by: &User, lrn: &str, amount: &str) -> String {
    let declaration = validate(&draft(lrn, amount));
    match store.lodge(lodgement(declaration, by)).await.unwrap() {
        LodgeOutcome::Accepted(record) => record.mrn,
        other => panic!("not accepted: {other:?}"),
    }
}

fn officer(office: &str) -> StepActor {
    StepActor::Officer {
        name: format!("officer-{office}"),
        offices: vec![Locode::parse(office).unwrap()],
    }
}

fn trader(by: &User) -> StepActor {
    StepActor::Trader {
        name: by.name.clone(),
        user_id: by.id,
        party_id: by.party_id.clone(),
    }
}

fn step(kind: StepKind) -> MovementStep {
    MovementStep {
        kind,
        office: None,
        detail: StepDetail::default(),
        at: tamga_store::sql::now(),
    }
}

async fn take(store: &dyn Store, mrn: &str, actor: StepActor, s: MovementStep) -> Movement {
    match store.transit_step(mrn, actor, s).await.unwrap() {
        StepOutcome::Done(m) => *m,
        other => panic!("step refused: {other:?}"),
    }
}

async fn balance(store: &dyn Store) -> Decimal {
    store.guarantee_account(GRN).await.unwrap().unwrap().balance
}

pub async fn transit_movements_run_their_lifecycle(store: Arc<dyn Store>) {
    let store = store.as_ref();
    let broker = user(store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let stranger = user(store, "stranger", Role::Declarant, Some("KZ990011")).await;
    account(store, GRN, "20000").await;
    let mrn = lodge(store, &broker, "LRN-TR-1", "12500.00").await;
    let opened = store.transit_movement(&mrn, None).await.unwrap().unwrap();
    assert_eq!(opened.state, MovementState::MrnAllocated);
    assert_eq!(opened.events.len(), 1);
    assert_eq!(opened.events[0].step, "mrn_allocated");

    // Only officers of the departure office release; the holder may not.
    let refused = store
        .transit_step(&mrn, officer("UZSKD"), step(StepKind::Release))
        .await
        .unwrap();
    assert!(
        matches!(refused, StepOutcome::Refused(Refusal::Forbidden(_))),
        "{refused:?}"
    );
    let refused = store
        .transit_step(&mrn, trader(&broker), step(StepKind::Release))
        .await
        .unwrap();
    assert!(
        matches!(refused, StepOutcome::Refused(Refusal::Forbidden(_))),
        "{refused:?}"
    );
    let before = store.audit_entries(0, 1000).await.unwrap().len();
    let released = take(store, &mrn, officer("UZTAS"), step(StepKind::Release)).await;
    assert_eq!(released.state, MovementState::Released);
    let entries = store.audit_entries(0, 1000).await.unwrap();
    assert_eq!(entries.len(), before + 1);
    assert_eq!(entries[before].action, "transit.release");
    assert_eq!(balance(store).await, Decimal::from(7500));

    // An illegal step names the state; a stranger learns nothing of the movement.
    match store
        .transit_step(&mrn, officer("UZTAS"), step(StepKind::WriteOff))
        .await
        .unwrap()
    {
        StepOutcome::Illegal(e) => assert_eq!(e.state, MovementState::Released),
        other => panic!("{other:?}"),
    }
    let hidden = store
        .transit_step(&mrn, trader(&stranger), step(StepKind::Arrival))
        .await
        .unwrap();
    assert!(matches!(hidden, StepOutcome::UnknownMrn));
    let unknown = store
        .transit_step(
            "26UZTASJ000000009X",
            officer("UZTAS"),
            step(StepKind::Release),
        )
        .await
        .unwrap();
    assert!(matches!(unknown, StepOutcome::UnknownMrn));

    let passage = |office: Option<&str>| MovementStep {
        office: office.map(|o| Locode::parse(o).unwrap()),
        ..step(StepKind::TransitPassage)
    };
    take(store, &mrn, officer("UZJIZ"), passage(Some("UZJIZ"))).await;
    let again = store
        .transit_step(&mrn, officer("UZJIZ"), passage(Some("UZJIZ")))
        .await
        .unwrap();
    assert!(
        matches!(again, StepOutcome::Refused(Refusal::WrongOffice(_))),
        "{again:?}"
    );
    let incident = MovementStep {
        detail: StepDetail {
            location: Some("M39 km 212".into()),
            description: Some("trailer tyre burst, goods reloaded under supervision".into()),
            ..StepDetail::default()
        },
        ..step(StepKind::Incident)
    };
    take(store, &mrn, trader(&broker), incident).await;
    take(store, &mrn, trader(&broker), step(StepKind::Arrival)).await;
    take(
        store,
        &mrn,
        officer("UZSKD"),
        step(StepKind::UnloadingPermission),
    )
    .await;
    let remarks = MovementStep {
        detail: StepDetail {
            conform: Some(true),
            seals_intact: Some(false),
            remarks: Some("seal UZ-0012346 broken".into()),
            ..StepDetail::default()
        },
        ..step(StepKind::UnloadingRemarks)
    };
    let remarked = take(store, &mrn, trader(&broker), remarks).await;
    assert!(remarked.seal_discrepancy);
    take(store, &mrn, officer("UZSKD"), step(StepKind::GoodsRelease)).await;
    let ended = take(store, &mrn, officer("UZTAS"), step(StepKind::WriteOff)).await;
    assert_eq!(ended.state, MovementState::Ended);
    assert_eq!(balance(store).await, Decimal::from(20000));
    let steps: Vec<&str> = ended.events.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(
        steps,
        [
            "mrn_allocated",
            "release",
            "transit_passage",
            "incident",
            "arrival",
            "unloading_permission",
            "unloading_remarks",
            "goods_release",
            "write_off"
        ]
    );
    assert_eq!(ended.events[2].office.as_deref(), Some("UZJIZ"));
    // The account's ledger: the release's reservation, the write-off's restoration.
    let ledger: Vec<(String, String)> = store
        .guarantee_entries(GRN)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.amount.to_string(), e.balance.to_string()))
        .collect();
    let pairs = [("-12500", "7500"), ("12500", "20000")];
    let expected: Vec<(String, String)> = pairs.map(|(a, b)| (a.into(), b.into())).into();
    assert_eq!(ledger, expected);
    let held = store.guarantee_accounts(Some("UZ305123456")).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(store.guarantee_accounts(None).await.unwrap().len(), 1);
    assert!(store
        .guarantee_accounts(Some("KZ990011"))
        .await
        .unwrap()
        .is_empty());

    // The transit view: by office and state, seal discrepancies, a trader's own.
    let by_office = MovementQuery {
        office: Some("UZJIZ".into()),
        state: Some(MovementState::Ended),
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.transit_movements(&by_office).await.unwrap().len(), 1);
    let elsewhere = MovementQuery {
        office: Some("UZBHK".into()),
        limit: 10,
        ..Default::default()
    };
    assert!(store
        .transit_movements(&elsewhere)
        .await
        .unwrap()
        .is_empty());
    let broken = MovementQuery {
        seal_discrepancy: true,
        limit: 10,
        ..Default::default()
    };
    assert_eq!(store.transit_movements(&broken).await.unwrap()[0].mrn, mrn);
    let theirs = MovementQuery {
        holder: Some((stranger.id, stranger.party_id.clone())),
        limit: 10,
        ..Default::default()
    };
    assert!(store.transit_movements(&theirs).await.unwrap().is_empty());
    assert!(store
        .transit_movement(&mrn, Some((stranger.id, stranger.party_id.clone())))
        .await
        .unwrap()
        .is_none());
}

pub async fn guarantees_never_go_below_zero(store: Arc<dyn Store>) {
    let broker = user(
        store.as_ref(),
        "broker",
        Role::Declarant,
        Some("UZ305123456"),
    )
    .await;
    account(store.as_ref(), GRN, "10000").await;
    assert!(store
        .guarantee_with_access_code(GRN, "AB12")
        .await
        .unwrap()
        .is_some());
    assert!(store
        .guarantee_with_access_code(GRN, "ZZ99")
        .await
        .unwrap()
        .is_none());
    let mut mrns = Vec::new();
    for i in 0..8 {
        mrns.push(lodge(store.as_ref(), &broker, &format!("LRN-TR-P{i}"), "2500").await);
    }
    let releases = mrns.into_iter().map(|mrn| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .transit_step(&mrn, officer("UZTAS"), step(StepKind::Release))
                .await
                .unwrap()
        })
    });
    let outcomes = futures_util::future::join_all(releases).await;
    let mut released = 0;
    for outcome in outcomes {
        match outcome.unwrap() {
            StepOutcome::Done(_) => released += 1,
            StepOutcome::Guarantee(why) => assert!(why.contains(GRN), "{why}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(released, 4);
    assert_eq!(balance(store.as_ref()).await, Decimal::ZERO);
    let released = MovementQuery {
        state: Some(MovementState::Released),
        limit: 50,
        ..Default::default()
    };
    assert_eq!(store.transit_movements(&released).await.unwrap().len(), 4);
}

pub async fn overdue_movements_are_enquired_then_recovered(store: Arc<dyn Store>) {
    let store = store.as_ref();
    let broker = user(store, "broker", Role::Declarant, Some("UZ305123456")).await;
    account(store, GRN, "20000").await;
    let mrn = lodge(store, &broker, "LRN-TR-LATE", "1000").await;
    let waiting = lodge(store, &broker, "LRN-TR-WAIT", "1000").await;
    take(store, &mrn, officer("UZTAS"), step(StepKind::Release)).await;
    let limit_day: OffsetDateTime = datetime!(2026-12-08 18:00 UTC);
    let period = Duration::days(60);
    assert!(store
        .transit_sweep(limit_day, period)
        .await
        .unwrap()
        .is_empty());
    let after = limit_day + Duration::days(1);
    let swept = store.transit_sweep(after, period).await.unwrap();
    assert_eq!(swept, [(mrn.clone(), StepKind::Enquiry)]);
    let overdue = MovementQuery {
        overdue_on: Some(after.date()),
        office: Some("UZTAS".into()),
        limit: 10,
        ..Default::default()
    };
    let listed: Vec<String> = store
        .transit_movements(&overdue)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.mrn)
        .collect();
    assert_eq!(
        listed,
        std::slice::from_ref(&mrn),
        "the unreleased {waiting} is not overdue"
    );
    assert!(store
        .transit_sweep(after + Duration::days(59), period)
        .await
        .unwrap()
        .is_empty());
    let later = after + period;
    assert_eq!(
        store.transit_sweep(later, period).await.unwrap(),
        [(mrn.clone(), StepKind::Recovery)]
    );
    let recovered = store.transit_movement(&mrn, None).await.unwrap().unwrap();
    assert_eq!(recovered.state, MovementState::Recovery);
    let last = recovered.events.last().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.office.as_deref()),
        ("tamga", Some("UZTAS"))
    );
    // The guarantee stays reserved for the recovery.
    assert_eq!(balance(store).await, Decimal::from(19000));
}
