//! Revenue contract: assessments, payments, guarantees, release gating, tariff and rates.

use std::sync::Arc;

use rust_decimal::Decimal;
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::*;
use time::macros::date;

use crate::fixtures::{assessed_lodgement, declaration, user};

fn payment(kind: PaymentKind, amount: Decimal, by: &User) -> NewPayment {
    NewPayment {
        kind,
        amount,
        method: "bank transfer".into(),
        reference: "PAY-1".into(),
        by: by.clone(),
        at: sql::now(),
    }
}

pub async fn assessments_payments_and_release(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let officer = user(&*store, "officer", Role::Officer, None).await;
    let stranger = user(&*store, "stranger", Role::Declarant, Some("KZ1")).await;
    let mrn = match store
        .lodge(assessed_lodgement(declaration("R-1"), &broker))
        .await
        .unwrap()
    {
        LodgeOutcome::Accepted(r) => r.mrn,
        other => panic!("{other:?}"),
    };
    let versions = store
        .assessments(&mrn, &Scope::of(&broker))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].version, 1);
    let total = versions[0].assessment.total;
    assert!(total > Decimal::ZERO);
    assert!(store
        .assessments(&mrn, &Scope::of(&stranger))
        .await
        .unwrap()
        .is_none());

    let release = |by: &User| StatusChange {
        to: Status::Released,
        actor: by.clone(),
        reason: "released".into(),
        at: sql::now(),
    };
    match store
        .transition(&mrn, &Scope::All, release(&officer))
        .await
        .unwrap()
    {
        TransitionOutcome::BalanceDue(balance) => assert_eq!(balance.due, total),
        other => panic!("release with duties unpaid: {other:?}"),
    }
    let half = (total / Decimal::TWO).round_dp(2);
    let paid = store
        .record_payment(
            &mrn,
            &Scope::All,
            payment(PaymentKind::Payment, half, &officer),
        )
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(paid.due, total - half);
    let secured = store
        .record_payment(
            &mrn,
            &Scope::All,
            payment(PaymentKind::Guarantee, total - half, &officer),
        )
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(
        (secured.due, secured.paid, secured.guaranteed),
        (Decimal::ZERO, half, total - half)
    );
    assert_eq!(secured.payments.len(), 2);
    let again = store
        .record_payment(
            &mrn,
            &Scope::All,
            payment(PaymentKind::Guarantee, total - half, &officer),
        )
        .await;
    assert!(
        matches!(again, Err(StoreError::Conflict(_))),
        "the same guarantee twice: {again:?}"
    );
    let done = store
        .transition(&mrn, &Scope::All, release(&officer))
        .await
        .unwrap();
    assert!(
        matches!(done, TransitionOutcome::Done(ref r) if r.status == Status::Released),
        "{done:?}"
    );
    let balance = store
        .balance(&mrn, &Scope::of(&broker))
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(balance, secured);
}

pub async fn unassessed_declarations_take_no_payment(store: Arc<dyn Store>) {
    let officer = user(&*store, "officer", Role::Officer, None).await;
    let record = match store
        .lodge(crate::fixtures::lodgement(declaration("R-2"), &officer))
        .await
        .unwrap()
    {
        LodgeOutcome::Accepted(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        store.balance(&record.mrn, &Scope::All).await.unwrap(),
        Some(None)
    );
    let refused = store
        .record_payment(
            &record.mrn,
            &Scope::All,
            payment(PaymentKind::Payment, Decimal::ONE, &officer),
        )
        .await;
    assert_eq!(refused.unwrap(), Some(None));
    let missing = store
        .record_payment(
            "26UZTAS999999999R0",
            &Scope::All,
            payment(PaymentKind::Payment, Decimal::ONE, &officer),
        )
        .await;
    assert_eq!(missing.unwrap(), None);
}

pub async fn tariffs_and_rates_are_kept(store: Arc<dyn Store>) {
    assert!(store.current_tariff().await.unwrap().is_none());
    for (name, content) in [("old.csv", "old"), ("new.csv", "new")] {
        let import = TariffImport {
            name: name.into(),
            content: content.into(),
            imported_at: sql::now(),
            imported_by: "admin".into(),
        };
        store.import_tariff(import).await.unwrap();
    }
    assert_eq!(
        store.current_tariff().await.unwrap().unwrap().content,
        "new"
    );
    let rate = |currency: &str, day, rate: &str| RateRow {
        currency: currency.into(),
        valid_from: day,
        rate: rate.parse().unwrap(),
    };
    let written = store
        .import_rates(vec![
            rate("USD", date!(2026 - 01 - 01), "12850.10"),
            rate("EUR", date!(2026 - 01 - 01), "14950.5"),
        ])
        .await
        .unwrap();
    assert_eq!(written, 2);
    store
        .import_rates(vec![rate("USD", date!(2026 - 01 - 01), "12860.123456")])
        .await
        .unwrap();
    let rates = store.rates().await.unwrap();
    assert_eq!(
        rates,
        [
            rate("EUR", date!(2026 - 01 - 01), "14950.5"),
            rate("USD", date!(2026 - 01 - 01), "12860.123456")
        ]
    );
}

pub async fn reassessments_are_new_versions(store: Arc<dyn Store>) {
    let officer = user(&*store, "officer", Role::Officer, None).await;
    let lodgement = assessed_lodgement(declaration("R-3"), &officer);
    let mut raised = lodgement.assessment.clone().unwrap();
    let mrn = match store.lodge(lodgement).await.unwrap() {
        LodgeOutcome::Accepted(r) => r.mrn,
        other => panic!("{other:?}"),
    };
    raised.total += Decimal::ONE_HUNDRED;
    let new = NewAssessment {
        assessment: raised.clone(),
        by: officer.clone(),
        at: sql::now(),
        reason: "inspection".into(),
        corrections: serde_json::json!([{"sequence": 1, "commodity_code": "8517130000"}]),
    };
    let done = store
        .add_assessment(&mrn, &Scope::All, new.clone())
        .await
        .unwrap()
        .unwrap();
    let record = done.record;
    assert_eq!(record.version, 2);
    assert_eq!(done.balance.due, raised.total);
    assert_eq!(done.previous_total, raised.total - Decimal::ONE_HUNDRED);
    let versions = store.assessments(&mrn, &Scope::All).await.unwrap().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1], record);
    assert!(store
        .add_assessment("26UZTAS999999999R0", &Scope::All, new)
        .await
        .unwrap()
        .is_none());
}

pub async fn unit_values_build_valuation_references(store: Arc<dyn Store>) {
    use tamga_core::tariff::valuation::Reference;
    let officer = user(&*store, "officer", Role::Officer, None).await;
    for i in 0..6 {
        let mut d = crate::fixtures::draft();
        d.lrn = Some(format!("V-{i}"));
        d.items.truncate(1);
        d.items[0].price = Some(tamga_core::draft::DecimalText(format!(
            "{}",
            1000 + i * 100
        )));
        let lodgement = assessed_lodgement(crate::fixtures::validate(&d), &officer);
        assert!(matches!(
            store.lodge(lodgement).await.unwrap(),
            LodgeOutcome::Accepted(_)
        ));
    }
    let samples = store.unit_value_samples().await.unwrap();
    assert_eq!(samples.len(), 1);
    let (hs6, origin, values) = &samples[0];
    assert_eq!(
        (hs6.as_str(), origin.as_str(), values.len()),
        ("847130", "CN", 6)
    );
    let reference = Reference::from_sample(hs6, origin, values.clone()).unwrap();
    assert_eq!(
        store
            .save_references(vec![reference.clone()], "history")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .save_references(vec![reference.clone()], "history")
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.references().await.unwrap(), [reference]);
}
