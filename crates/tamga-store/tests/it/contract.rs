use std::collections::HashSet;
use std::sync::Arc;

use tamga_core::mrn::Mrn;
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_store::*;

use crate::fixtures::{declaration, draft, lodgement, user, validate};

fn accepted(outcome: LodgeOutcome) -> DeclarationRecord {
    match outcome {
        LodgeOutcome::Accepted(record) => *record,
        other => panic!("expected acceptance, got {other:?}"),
    }
}

pub async fn users_and_tokens(store: Arc<dyn Store>) {
    assert_eq!(store.user_count().await.unwrap(), 0);
    let secret = token::generate();
    let created = store
        .create_user(NewUser {
            name: "broker".into(),
            role: Role::Declarant,
            party_id: Some("UZ305123456".into()),
            token_hash: token::hash(&secret),
        })
        .await
        .unwrap();
    let found = store.user_by_token(&token::hash(&secret)).await.unwrap();
    assert_eq!(found, Some(created));
    assert_eq!(
        store
            .user_by_token(&token::hash("tmg_wrong"))
            .await
            .unwrap(),
        None
    );
    let again = store
        .create_user(NewUser {
            name: "broker".into(),
            role: Role::Officer,
            party_id: None,
            token_hash: token::hash(&token::generate()),
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.user_count().await.unwrap(), 1);
}

pub async fn lodge_assigns_an_mrn_and_keeps_history(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let record = accepted(
        store
            .lodge(lodgement(declaration("A-1"), &broker))
            .await
            .unwrap(),
    );
    let mrn = Mrn::parse(&record.mrn).unwrap();
    assert!(mrn.as_str().contains("UZTAS"), "{mrn}");
    assert!(mrn.as_str().ends_with(|c: char| c.is_ascii_digit()));
    assert_eq!(record.status, Status::Accepted);
    let statuses: Vec<_> = record.events.iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Status::Lodged, Status::Accepted]);
    let stored = store
        .declaration(&record.mrn, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.declaration, record.declaration);
    assert_eq!(stored.events, record.events);
    assert_eq!(stored.accepted_at, record.accepted_at);
}

pub async fn identical_resubmission_returns_the_same_mrn(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let first = accepted(
        store
            .lodge(lodgement(declaration("A-2"), &broker))
            .await
            .unwrap(),
    );
    match store
        .lodge(lodgement(declaration("A-2"), &broker))
        .await
        .unwrap()
    {
        LodgeOutcome::Resubmitted(again) => {
            assert_eq!(again.mrn, first.mrn);
            assert_eq!(again.events, first.events);
        }
        other => panic!("expected a resubmission, got {other:?}"),
    }
}

pub async fn a_used_lrn_with_other_content_is_refused(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let first = accepted(
        store
            .lodge(lodgement(declaration("A-3"), &broker))
            .await
            .unwrap(),
    );
    let mut changed = draft();
    changed.lrn = Some("A-3".into());
    changed.items[0].description = Some("Something else".into());
    match store
        .lodge(lodgement(validate(&changed), &broker))
        .await
        .unwrap()
    {
        LodgeOutcome::LrnTaken { mrn } => assert_eq!(mrn, first.mrn),
        other => panic!("expected the LRN to be taken, got {other:?}"),
    }
}

pub async fn lrns_are_unique_per_declarant_only(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let other = user(&*store, "other", Role::Declarant, Some("UZ999")).await;
    let a = accepted(
        store
            .lodge(lodgement(declaration("SAME"), &broker))
            .await
            .unwrap(),
    );
    let mut d = draft();
    d.lrn = Some("SAME".into());
    d.declarant.as_mut().unwrap().id = Some("UZ999".into());
    let b = accepted(store.lodge(lodgement(validate(&d), &other)).await.unwrap());
    assert_ne!(a.mrn, b.mrn);
}

pub async fn declarants_see_only_their_own(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let stranger = user(&*store, "stranger", Role::Declarant, Some("KZ111")).await;
    let exporter = user(&*store, "exporter", Role::Declarant, Some("CN91310000MA1")).await;
    let record = accepted(
        store
            .lodge(lodgement(declaration("V-1"), &broker))
            .await
            .unwrap(),
    );
    let sees = |u: &User| Scope::of(u);
    assert!(store
        .declaration(&record.mrn, &sees(&broker))
        .await
        .unwrap()
        .is_some());
    assert!(store
        .declaration(&record.mrn, &sees(&exporter))
        .await
        .unwrap()
        .is_some());
    assert!(store
        .declaration(&record.mrn, &sees(&stranger))
        .await
        .unwrap()
        .is_none());
    let query = ListQuery {
        limit: 10,
        ..ListQuery::default()
    };
    assert_eq!(
        store
            .list(&query, &sees(&stranger))
            .await
            .unwrap()
            .items
            .len(),
        0
    );
    assert_eq!(
        store
            .list(&query, &sees(&broker))
            .await
            .unwrap()
            .items
            .len(),
        1
    );
    let no_party = user(&*store, "nobody", Role::Declarant, None).await;
    assert!(store
        .declaration(&record.mrn, &sees(&no_party))
        .await
        .unwrap()
        .is_none());
}

pub async fn list_filters_and_paginates(store: Arc<dyn Store>) {
    let officer = user(&*store, "officer", Role::Officer, None).await;
    let mut mrns = Vec::new();
    for i in 0..25 {
        let mut d = draft();
        d.lrn = Some(format!("L-{i}"));
        if i % 5 == 0 {
            d.customs_office = Some("UZSKD".into());
            d.items.truncate(1);
            d.items[0].commodity_code = Some("0901210000".into());
        }
        mrns.push(
            accepted(
                store
                    .lodge(lodgement(validate(&d), &officer))
                    .await
                    .unwrap(),
            )
            .mrn,
        );
    }
    mrns.reverse();
    let today = sql::now().date();
    let days = |n| Some(today - time::Duration::days(n));
    let coffee: Vec<String> = mrns.iter().skip(4).step_by(5).cloned().collect();
    let machines: Vec<String> = mrns
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 != 4)
        .map(|(_, m)| m.clone())
        .collect();
    let uztas: Vec<String> = mrns
        .iter()
        .filter(|m| !coffee.contains(m))
        .cloned()
        .collect();
    // Each shape of the list (the primary key, a date range short or long or open at one end,
    // an office, a declarant or a status alone or with a range, a chapter alone or with
    // another filter: read through the items, or through a filter with few declarations),
    // paged by 7: everything once, newest first. The
    // machines' declarations have two items of chapter 84 each.
    let shapes = [
        (ListQuery::default(), &mrns),
        (
            ListQuery {
                from: days(2),
                to: days(0),
                ..Default::default()
            },
            &mrns,
        ),
        (
            ListQuery {
                from: days(400),
                to: days(-3),
                ..Default::default()
            },
            &mrns,
        ),
        (
            ListQuery {
                to: days(0),
                ..Default::default()
            },
            &mrns,
        ),
        (
            ListQuery {
                from: days(0),
                office: Some("UZSKD".into()),
                ..Default::default()
            },
            &coffee,
        ),
        (
            ListQuery {
                hs_chapter: Some("84".into()),
                ..Default::default()
            },
            &machines,
        ),
        (
            ListQuery {
                office: Some("UZSKD".into()),
                ..Default::default()
            },
            &coffee,
        ),
        (
            ListQuery {
                declarant: Some("UZ305123456".into()),
                from: days(30),
                to: days(0),
                ..Default::default()
            },
            &mrns,
        ),
        (
            ListQuery {
                status: Some(Status::Accepted),
                office: Some("UZTAS".into()),
                to: days(0),
                ..Default::default()
            },
            &uztas,
        ),
        (
            ListQuery {
                hs_chapter: Some("09".into()),
                office: Some("UZSKD".into()),
                ..Default::default()
            },
            &coffee,
        ),
        (
            ListQuery {
                hs_chapter: Some("84".into()),
                from: days(1),
                ..Default::default()
            },
            &machines,
        ),
        (
            ListQuery {
                hs_chapter: Some("84".into()),
                declarant: Some("UZ305123456".into()),
                to: days(0),
                ..Default::default()
            },
            &machines,
        ),
    ];
    // A party's own list (its branches: what its user lodged, and each party column) pages the
    // same way, alone and with a range.
    let party = Scope::Party {
        user_id: officer.id,
        party_id: Some("UZ305123456".into()),
    };
    let scoped = [
        (ListQuery::default(), &mrns, &party),
        (
            ListQuery {
                from: days(3),
                ..Default::default()
            },
            &mrns,
            &party,
        ),
    ];
    let everyone = shapes.into_iter().map(|(q, e)| (q, e, &Scope::All));
    for (shape, expected, scope) in everyone.chain(scoped) {
        let mut seen = Vec::new();
        let mut query = ListQuery { limit: 7, ..shape };
        loop {
            let page = store.list(&query, scope).await.unwrap();
            assert!(page.items.len() <= 7);
            seen.extend(page.items.into_iter().map(|s| s.mrn));
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
        assert_eq!(
            &seen, expected,
            "{query:?}: pages cover everything once, newest first"
        );
    }

    let by = |q: ListQuery| {
        let store = store.clone();
        async move {
            store
                .list(&ListQuery { limit: 100, ..q }, &Scope::All)
                .await
                .unwrap()
                .items
        }
    };
    assert_eq!(
        by(ListQuery {
            office: Some("UZSKD".into()),
            ..Default::default()
        })
        .await
        .len(),
        5
    );
    assert_eq!(
        by(ListQuery {
            hs_chapter: Some("09".into()),
            ..Default::default()
        })
        .await
        .len(),
        5
    );
    assert_eq!(
        by(ListQuery {
            hs_chapter: Some("84".into()),
            ..Default::default()
        })
        .await
        .len(),
        20
    );
    assert_eq!(
        by(ListQuery {
            status: Some(Status::Released),
            ..Default::default()
        })
        .await
        .len(),
        0
    );
    assert_eq!(
        by(ListQuery {
            declarant: Some("UZ305123456".into()),
            ..Default::default()
        })
        .await
        .len(),
        25
    );
    assert_eq!(
        by(ListQuery {
            from: Some(today),
            to: Some(today),
            ..Default::default()
        })
        .await
        .len(),
        25
    );
    // A range of a few days is listed a day at a time; one of more than a month in one go.
    for days in [3, 45] {
        let range = ListQuery {
            from: Some(today - time::Duration::days(days)),
            to: Some(today + time::Duration::days(1)),
            hs_chapter: Some("84".into()),
            ..Default::default()
        };
        assert_eq!(by(range).await.len(), 20, "{days} days back");
    }
    let yesterday = today.previous_day().unwrap();
    assert_eq!(
        by(ListQuery {
            to: Some(yesterday),
            ..Default::default()
        })
        .await
        .len(),
        0
    );
}

pub async fn transitions_follow_the_lifecycle(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let officer = user(&*store, "officer", Role::Officer, None).await;
    let record = accepted(
        store
            .lodge(lodgement(declaration("T-1"), &broker))
            .await
            .unwrap(),
    );
    let change = |to, actor: &User| StatusChange {
        to,
        actor: actor.clone(),
        reason: format!("moved to {to:?}"),
        at: sql::now(),
    };
    let refused = store
        .transition(
            &record.mrn,
            &Scope::of(&broker),
            change(Status::Released, &broker),
        )
        .await
        .unwrap();
    assert!(
        matches!(refused, TransitionOutcome::Refused(_)),
        "{refused:?}"
    );
    for to in [Status::UnderControl, Status::Released] {
        let done = store
            .transition(&record.mrn, &Scope::All, change(to, &officer))
            .await
            .unwrap();
        assert!(
            matches!(done, TransitionOutcome::Done(ref r) if r.status == to),
            "{done:?}"
        );
    }
    let after_release = store
        .transition(
            &record.mrn,
            &Scope::All,
            change(Status::Invalidated, &officer),
        )
        .await
        .unwrap();
    assert!(matches!(after_release, TransitionOutcome::Refused(_)));
    let missing = store
        .transition(
            "26UZTAS999999999R0",
            &Scope::All,
            change(Status::Released, &officer),
        )
        .await
        .unwrap();
    assert!(matches!(missing, TransitionOutcome::NotFound));
    let stored = store
        .declaration(&record.mrn, &Scope::All)
        .await
        .unwrap()
        .unwrap();
    let history: Vec<_> = stored
        .events
        .iter()
        .map(|e| (e.seq, e.status, e.actor.as_str()))
        .collect();
    assert_eq!(
        history,
        [
            (1, Status::Lodged, "broker"),
            (2, Status::Accepted, "tamga"),
            (3, Status::UnderControl, "officer"),
            (4, Status::Released, "officer"),
        ]
    );
    assert_eq!(
        stored.events[3].reason.as_deref(),
        Some("moved to Released")
    );
}

pub async fn concurrent_lodgements_get_distinct_mrns(store: Arc<dyn Store>) {
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let (store, broker) = (store.clone(), broker.clone());
        // Every LRN is lodged twice at once: one acceptance, one resubmission.
        let lrn = format!("C-{}", i / 2);
        tasks.push(tokio::spawn(async move {
            store
                .lodge(lodgement(declaration(&lrn), &broker))
                .await
                .unwrap()
        }));
    }
    let mut accepted_mrns = HashSet::new();
    let mut resubmitted = 0;
    for task in tasks {
        match task.await.unwrap() {
            LodgeOutcome::Accepted(r) => assert!(accepted_mrns.insert(r.mrn)),
            LodgeOutcome::Resubmitted(_) => resubmitted += 1,
            LodgeOutcome::LrnTaken { mrn } => panic!("identical content refused: {mrn}"),
        }
    }
    assert_eq!(accepted_mrns.len(), 100);
    assert_eq!(resubmitted, 100);
}
