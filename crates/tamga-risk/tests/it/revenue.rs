//! Revenue at acceptance: the model's probability × the duty at stake in the explanation, and
//! the share of the red capacity kept for the declarations with the most revenue at stake.

use std::sync::Arc;

use tamga_risk::engine::{Engine, EngineParts, ItemScorer};
use tamga_risk::facts::{ItemFacts, ScoredItem};
use tamga_risk::selectivity::{Capacity, RevenueReserve, Selectivity};
use tamga_risk::{Channel, Decision, Effect};

use crate::fixture::{declaration, profile, subject, TODAY};

/// A model that gives every item the same probability.
#[derive(Debug)]
struct Fixed(f64);

impl ItemScorer for Fixed {
    fn name(&self) -> &str {
        "fixed"
    }

    fn score(&self, _: ScoredItem<'_>) -> f64 {
        self.0
    }

    fn explain(&self, _: ScoredItem<'_>, _: usize) -> Vec<(String, f64)> {
        Vec::new()
    }
}

/// Every declaration red by a profile, four reds a day of which half are kept for an
/// expected revenue of 1,000 or more, and a model saying 0.5.
fn engine(random_red: f64) -> Engine {
    let mut s = Selectivity::default();
    s.default.random = Default::default();
    s.default.random.red = random_red;
    s.default.red_capacity_per_day = Some(4);
    s.default.revenue_reserve = Some(RevenueReserve {
        share: 0.5,
        at: 1_000.0,
    });
    s.model_weight = 0.0;
    s.aeo_register = "none".into();
    Engine::build(EngineParts {
        profiles: vec![profile("red", "true", Effect::Weight(100))],
        selectivity: s,
        snapshot: "test".into(),
        scorer: Some(Arc::new(Fixed(0.5))),
        ..EngineParts::default()
    })
}

/// The first item valued `value` at a 10 % duty: `value / 10` of duty at stake.
fn decide(engine: &Engine, value: f64, capacity: &Capacity) -> Decision {
    let d = declaration(|_| {});
    let facts = [ItemFacts {
        value: Some(value),
        duty_rate: Some(10.0),
        ..ItemFacts::default()
    }];
    engine.assess(subject(&d, &facts), TODAY, capacity)
}

#[test]
fn expected_revenue_is_explained() {
    let d = decide(&engine(0.0), 1_000.0, &Capacity::default());
    let model = d.explanation.model.as_ref().unwrap();
    assert_eq!(model.duty_at_stake, 100.0);
    assert_eq!(model.expected_revenue, 50.0);
    assert_eq!(
        d.explanation.summary,
        "red: score 100 (yellow at 30, red at 60); expected revenue at stake 50 of 100 duty"
    );
}

#[test]
fn the_reserved_slots_go_to_the_most_revenue_at_stake() {
    let (engine, capacity) = (engine(0.0), Capacity::default());
    // 50 expected: below the reserve, so only the two open slots.
    assert_eq!(decide(&engine, 1_000.0, &capacity).channel, Channel::Red);
    assert_eq!(decide(&engine, 1_000.0, &capacity).channel, Channel::Red);
    let kept = decide(&engine, 1_000.0, &capacity);
    assert_eq!(kept.channel, Channel::Yellow);
    assert!(kept.explanation.capacity_limited && kept.explanation.capacity_reserved);
    assert!(
        kept.explanation.summary.ends_with(
            "the rest of the day's red capacity is kept for more revenue at stake, so yellow"
        ),
        "{}",
        kept.explanation.summary
    );
    // 5,000 expected: the reserved slots, then the capacity is reached for everyone.
    assert_eq!(decide(&engine, 100_000.0, &capacity).channel, Channel::Red);
    assert_eq!(decide(&engine, 100_000.0, &capacity).channel, Channel::Red);
    let full = decide(&engine, 100_000.0, &capacity);
    assert_eq!(full.channel, Channel::Yellow);
    assert!(full.explanation.capacity_limited && !full.explanation.capacity_reserved);
    assert!(full
        .explanation
        .summary
        .ends_with("red capacity of the day reached, so yellow"));
}

#[test]
fn random_reds_are_never_refused_by_the_reserve() {
    let (engine, capacity) = (engine(1.0), Capacity::default());
    for _ in 0..6 {
        let d = decide(&engine, 1_000.0, &capacity);
        assert_eq!((d.channel, d.random), (Channel::Red, true));
        assert!(!d.explanation.capacity_limited);
    }
}

#[test]
fn a_reserve_must_be_a_share_and_an_amount() {
    let mut s = Selectivity::default();
    s.default.revenue_reserve = Some(RevenueReserve {
        share: 1.5,
        at: -1.0,
    });
    let pointers: Vec<String> = s.problems().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        pointers,
        [
            "/default/revenue_reserve/share",
            "/default/revenue_reserve/at"
        ]
    );
}
