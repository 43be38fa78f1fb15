//! The engine's decisions: validity and scope, forced channels, thresholds, AEO, random draws,
//! capacity and what the explanation says.

use std::sync::Arc;

use serde_json::json;
use tamga_risk::engine::{Engine, EngineParts, NameScreen, WatchHit};
use tamga_risk::facts::ItemFacts;
use tamga_risk::fields::ListKind;
use tamga_risk::lists::NamedList;
use tamga_risk::selectivity::{Capacity, DrawSecret, Selectivity};
use tamga_risk::{Channel, Effect, Profile};
use time::macros::date;

use crate::fixture::{declaration, profile, subject, TODAY};

fn quiet() -> Selectivity {
    let mut s = Selectivity::default();
    s.default.random = Default::default();
    s
}

fn engine(profiles: Vec<Profile>, selectivity: Selectivity) -> Engine {
    Engine::build(EngineParts {
        profiles,
        lists: vec![NamedList {
            name: "aeo-register".into(),
            kind: ListKind::Parties,
            entries: vec!["UZ305123456".into()],
        }],
        selectivity,
        snapshot: "test".into(),
        ..EngineParts::default()
    })
}

fn decide(engine: &Engine) -> tamga_risk::Decision {
    let d = declaration(|_| {});
    engine.assess(subject(&d, &[]), TODAY, &Capacity::default())
}

#[test]
fn weights_add_up_to_a_channel_by_the_thresholds() {
    let mut s = quiet();
    s.aeo_register = "none".into();
    let p = |id, w| profile(id, "hs in chapter(84)", Effect::Weight(w));
    assert_eq!(
        decide(&engine(vec![p("a", 10)], s.clone())).channel,
        Channel::Green
    );
    let d = decide(&engine(vec![p("a", 10), p("b", 20)], s.clone()));
    assert_eq!((d.channel, d.score), (Channel::Yellow, 30));
    assert_eq!(
        d.explanation.summary,
        "yellow: score 30 (yellow at 30, red at 60)"
    );
    let d = decide(&engine(vec![p("a", 40), p("b", 20), p("c", -5)], s));
    assert_eq!((d.channel, d.score), (Channel::Yellow, 55));
}

#[test]
fn forced_channels_win_and_the_most_severe_forced_wins() {
    let s = quiet();
    let heavy = profile("heavy", "true", Effect::Weight(500));
    let blue = profile("blue", "true", Effect::Force(Channel::Blue));
    let d = decide(&engine(vec![heavy.clone(), blue.clone()], s.clone()));
    assert_eq!(d.channel, Channel::Blue);
    assert_eq!(d.explanation.summary, "blue: blue forced by blue v1");
    let red = profile("red", "origin == \"CN\"", Effect::Force(Channel::Red));
    let d = decide(&engine(vec![blue, red, heavy], s));
    assert_eq!(d.channel, Channel::Red);
    assert_eq!(d.explanation.profiles.len(), 3);
}

#[test]
fn validity_windows_and_scope() {
    let s = quiet();
    let mut p = profile("w", "true", Effect::Force(Channel::Red));
    let decided = |p: &Profile| decide(&engine(vec![p.clone()], s.clone())).channel;
    p.valid_from = Some(date!(2026 - 11 - 21));
    p.valid_to = Some(date!(2026 - 11 - 21));
    assert_eq!(
        decided(&p),
        Channel::Red,
        "both ends of the window are included"
    );
    p.valid_from = Some(date!(2026 - 11 - 22));
    p.valid_to = None;
    assert_eq!(decided(&p), Channel::Green, "not yet valid");
    p.valid_from = None;
    p.valid_to = Some(date!(2026 - 11 - 20));
    assert_eq!(decided(&p), Channel::Green, "expired");
    p.valid_to = None;
    p.scope.offices = vec!["UZSKD".into()];
    assert_eq!(decided(&p), Channel::Green, "another office");
    p.scope.offices.push("UZTAS".into());
    p.scope.declaration_types = vec!["EX".into()];
    assert_eq!(decided(&p), Channel::Green, "another declaration type");
    p.scope.declaration_types.push("IM".into());
    assert_eq!(decided(&p), Channel::Red);
    p.active = false;
    assert_eq!(decided(&p), Channel::Green, "deactivated");
}

#[test]
fn aeo_holders_get_the_reduction() {
    let p = profile("a", "true", Effect::Weight(70));
    let d = decide(&engine(vec![p], quiet()));
    assert_eq!(
        (d.explanation.raw_score, d.explanation.aeo_reduction),
        (70, 20)
    );
    assert_eq!((d.score, d.channel), (50, Channel::Yellow));
}

#[test]
fn the_explanation_names_versions_items_and_matched_values() {
    let mut p = profile(
        "cn-laptops",
        r#"hs in subheading(847130) and origin == "CN" and value > 1000"#,
        Effect::Weight(35),
    );
    p.version = 4;
    let e = engine(vec![p], quiet());
    let d = declaration(|_| {});
    let facts = [
        ItemFacts {
            value: Some(5_000.0),
            unit_value_ratio: None,
            ..ItemFacts::default()
        },
        ItemFacts::default(),
    ];
    let decision = e.assess(subject(&d, &facts), TODAY, &Capacity::default());
    let fired = &decision.explanation.profiles[0];
    assert_eq!(
        (fired.id.as_str(), fired.version, fired.item),
        ("cn-laptops", 4, 1)
    );
    assert_eq!(
        serde_json::to_value(&fired.matched).unwrap(),
        json!({"hs": "8471300000", "origin": "CN", "value": 5000.0})
    );
    assert_eq!(decision.explanation.snapshot, "test");
    assert_eq!(
        decision.explanation.random_key,
        "UZ305123456/LRN-2026-000123"
    );
}

#[derive(Debug)]
struct FakeList;

impl NameScreen for FakeList {
    fn screen(&self, name: &str, threshold: f64) -> Vec<WatchHit> {
        let score = if name.starts_with("Shanghai") {
            0.93
        } else {
            0.5
        };
        (score >= threshold)
            .then(|| WatchHit {
                entry_id: "UN:1".into(),
                source: "UN-SC".into(),
                matched_name: "SHANGHAI ELECTRONICS EXPORT".into(),
                score,
            })
            .into_iter()
            .collect()
    }
}

#[test]
fn watchlist_hits_add_their_weight_and_feed_the_fields() {
    let s = quiet();
    let mut e = EngineParts {
        profiles: vec![profile(
            "w",
            "watchlist_score > 0.92",
            Effect::Force(Channel::Red),
        )],
        selectivity: s,
        screen: Some(Arc::new(FakeList)),
        ..EngineParts::default()
    };
    e.selectivity.watchlist_weight = 45;
    let d = decide(&Engine::build(e));
    assert_eq!(d.channel, Channel::Red);
    assert_eq!(d.explanation.raw_score, 45);
    let hit = &d.explanation.watchlist[0];
    assert_eq!(
        (hit.role.as_str(), hit.party_id.as_str()),
        ("exporter", "CN91310000MA1")
    );
    assert_eq!(hit.score, 0.93);
}

#[test]
fn random_draws_keep_their_rate_and_are_reproducible() {
    let mut s = quiet();
    s.default.random.red = 0.05;
    s.default.random.yellow = 0.10;
    let secret = DrawSecret::new(1, b"the server's secret");
    let n = 20_000;
    let (mut red, mut yellow) = (0, 0);
    for i in 0..n {
        match s.random_draw("UZTAS", &format!("UZ305123456/LRN-{i}"), &secret) {
            Some(Channel::Red) => red += 1,
            Some(Channel::Yellow) => yellow += 1,
            _ => {}
        }
    }
    // Expected 1,000 red (σ ≈ 31) and 0.95 × 10 % of the rest = 1,900 yellow (σ ≈ 41).
    assert!((880..=1_120).contains(&red), "red {red}");
    assert!((1_740..=2_060).contains(&yellow), "yellow {yellow}");
    let again = s.random_draw("UZTAS", "UZ305123456/LRN-7", &secret);
    assert_eq!(again, s.random_draw("UZTAS", "UZ305123456/LRN-7", &secret));
    let other = DrawSecret::new(2, b"another secret");
    let moved = (0..2_000)
        .filter(|i| {
            let key = format!("k{i}");
            s.random_draw("UZTAS", &key, &secret) != s.random_draw("UZTAS", &key, &other)
        })
        .count();
    assert!(
        moved > 100,
        "another secret draws other declarations ({moved})"
    );
}

/// Whoever holds the secret redoes a draw from what the explanation recorded; the numbers
/// depend on the secret, so without it an LRN's draw cannot be foreseen.
#[test]
fn a_draw_replays_with_its_secret_and_rates() {
    let secret = DrawSecret::new(3, b"kept on the server");
    let rates = tamga_risk::selectivity::RandomRates {
        red: 0.5,
        yellow: 0.5,
        blue: 0.5,
    };
    let mut s = quiet();
    s.default.random = rates;
    for i in 0..50 {
        let key = format!("UZ305123456/LRN-{i}");
        let drawn = s.random_draw("UZTAS", &key, &secret);
        let replayed = tamga_risk::selectivity::replay(&secret, &key, rates);
        assert_eq!(replayed.channel, drawn, "{key}");
        let without = tamga_risk::selectivity::replay(&DrawSecret::default(), &key, rates);
        assert_ne!(without.numbers, replayed.numbers, "{key}");
    }
}

#[test]
fn a_random_draw_is_marked_and_only_raises_the_channel() {
    let mut s = quiet();
    s.default.random.red = 1.0;
    let d = decide(&engine(vec![], s));
    assert_eq!((d.channel, d.random), (Channel::Red, true));
    assert_eq!(d.explanation.random_channel, Some(Channel::Red));
    assert_eq!(
        d.explanation.summary,
        "red: score -20 (yellow at 30, red at 60); drawn at random for red"
    );
}

#[test]
fn capacity_keeps_only_forced_and_top_scores_red() {
    let mut s = quiet();
    s.default.red_capacity_per_day = Some(2);
    s.default.priority_at = Some(150);
    s.aeo_register = "none".into();
    let scored = engine(vec![profile("s", "true", Effect::Weight(100))], s.clone());
    let top = engine(vec![profile("t", "true", Effect::Weight(200))], s.clone());
    let forced = engine(vec![profile("f", "true", Effect::Force(Channel::Red))], s);
    let capacity = Capacity::default();
    let d = declaration(|_| {});
    let run = |e: &Engine| e.assess(subject(&d, &[]), TODAY, &capacity);
    assert_eq!(run(&scored).channel, Channel::Red);
    assert_eq!(run(&scored).channel, Channel::Red);
    let limited = run(&scored);
    assert_eq!(limited.channel, Channel::Yellow);
    assert!(limited.explanation.capacity_limited);
    assert!(limited
        .explanation
        .summary
        .ends_with("red capacity of the day reached, so yellow"));
    assert_eq!(
        run(&top).channel,
        Channel::Red,
        "a priority score stays red"
    );
    assert_eq!(run(&forced).channel, Channel::Red, "a forced red stays red");
    let tomorrow = scored.assess(subject(&d, &[]), date!(2026 - 11 - 22), &capacity);
    assert_eq!(tomorrow.channel, Channel::Red, "a new day, a new capacity");
}

#[test]
fn a_profile_naming_a_missing_list_is_skipped_and_reported() {
    let e = engine(
        vec![profile(
            "bad",
            r#"origin in list("gone")"#,
            Effect::Weight(5),
        )],
        quiet(),
    );
    assert_eq!(e.profiles(), 0);
    assert_eq!(e.skipped()[0].0, "bad");
}

#[test]
fn feedback_statistics_per_profile_and_random_baseline() {
    use rust_decimal::Decimal;
    use tamga_risk::feedback::{statistics, Decided, Finding, FindingType, Outcome};
    let found = |t, revenue: i64| {
        Some(Outcome {
            findings: vec![Finding {
                finding_type: t,
                note: None,
            }],
            extra_revenue: Decimal::from(revenue),
            notes: None,
        })
    };
    let clean = Some(Outcome {
        findings: vec![],
        extra_revenue: Decimal::ZERO,
        notes: None,
    });
    let p = |ids: &[&str]| ids.iter().map(|i| (i.to_string(), 1)).collect::<Vec<_>>();
    let decided = vec![
        Decided {
            random: false,
            profiles: p(&["guns", "cn"]),
            outcome: found(FindingType::ProhibitedGoods, 0),
        },
        Decided {
            random: false,
            profiles: p(&["cn"]),
            outcome: found(FindingType::Undervaluation, 1500),
        },
        Decided {
            random: false,
            profiles: p(&["cn"]),
            outcome: clean.clone(),
        },
        Decided {
            random: false,
            profiles: p(&["cn"]),
            outcome: None,
        },
        Decided {
            random: true,
            profiles: p(&[]),
            outcome: clean.clone(),
        },
        Decided {
            random: true,
            profiles: p(&[]),
            outcome: clean,
        },
        Decided {
            random: true,
            profiles: p(&["cn"]),
            outcome: found(FindingType::Quantity, 10),
        },
    ];
    let s = statistics(&decided);
    let cn = &s.profiles["cn"];
    assert_eq!((cn.selections, cn.inspected, cn.hits), (5, 4, 3));
    assert_eq!(cn.hit_rate, Some(0.75));
    assert_eq!(cn.revenue_found, Decimal::from(1510));
    assert_eq!(cn.findings[&FindingType::Undervaluation], 1);
    let guns = &s.profiles["guns"];
    assert_eq!(
        (guns.selections, guns.hits, guns.hit_rate),
        (1, 1, Some(1.0))
    );
    assert_eq!(
        (s.random.selections, s.random.inspected, s.random.hits),
        (3, 3, 1)
    );
    assert_eq!(s.random.hit_rate, Some(1.0 / 3.0));
    assert_eq!((s.all.decided, s.all.inspected), (7, 6));
}

#[test]
fn the_profile_index_never_hides_a_profile_that_fires() {
    let conditions = [
        "hs in chapter(84)",
        "hs in chapter(85, 94) or origin == \"CN\"",
        "hs in heading(8471) and origin in [\"cn\", \"KZ\"]",
        "not hs in chapter(84)",
        "origin == \"TR\" or dispatch == \"TR\"",
        "dispatch in [\"CN\"] and net_mass > 100",
        "hs == \"847160\"",
        "hs in subheading(940360) and origin == \"CN\"",
        "(hs in chapter(84) or hs in chapter(61)) and not aeo",
        "origin != \"CN\"",
        "false",
        "true",
        "hs in list(\"computers\") and dispatch == \"TR\"",
    ];
    let profiles: Vec<Profile> = conditions
        .iter()
        .enumerate()
        .map(|(i, c)| profile(&format!("p{i}"), c, Effect::Weight(1)))
        .collect();
    let e = Engine::build(EngineParts {
        profiles: profiles.clone(),
        lists: vec![NamedList {
            name: "computers".into(),
            kind: ListKind::Commodities,
            entries: vec!["8471".into(), "8528".into()],
        }],
        selectivity: quiet(),
        ..EngineParts::default()
    });
    let variants: [(&str, &str, &str); 5] = [
        ("CN", "CN", "8471300000"),
        ("TR", "KZ", "9403600000"),
        ("KZ", "TR", "6109100000"),
        ("CN", "TR", "8528720000"),
        ("DE", "DE", "8471300000"),
    ];
    for (origin, dispatch, hs) in variants {
        let d = declaration(|v| {
            v["country_of_dispatch"] = json!(dispatch);
            v["items"][0]["origin"] = json!(origin);
            v["items"][0]["commodity_code"] = json!(hs);
            v["items"][0]["preference"] = json!(null);
        });
        let decided: Vec<String> = e
            .assess(subject(&d, &[]), TODAY, &Capacity::default())
            .explanation
            .profiles
            .into_iter()
            .map(|p| p.id)
            .collect();
        let brute: Vec<String> = profiles
            .iter()
            .filter(|p| {
                e.fires(&e.compile((*p).clone()).unwrap(), subject(&d, &[]))
                    .is_some()
            })
            .map(|p| p.id.clone())
            .collect();
        assert_eq!(decided, brute, "{origin} {dispatch} {hs}");
    }
}

#[test]
fn numbers_in_conditions_are_exact_decimals() {
    let mut s = quiet();
    s.aeo_register = "none".into();
    // As floats, 0.30000000000000001 is 0.3, and 999999999999.000001 is 999999999999.
    let d = declaration(|v| {
        v["items"][1]["net_mass"] = json!("0.3");
        v["invoice"]["amount"] = json!("999999999999.000001");
    });
    let fires = |condition: &str| {
        let engine = engine(
            vec![profile("p", condition, Effect::Force(Channel::Red))],
            s.clone(),
        );
        engine
            .assess(subject(&d, &[]), TODAY, &Capacity::default())
            .channel
            == Channel::Red
    };
    assert!(fires("net_mass < 0.30000000000000001"));
    assert!(fires("net_mass in [0.30]"));
    assert!(fires("invoice_amount > 999999999999"));
    assert!(!fires("invoice_amount == 999999999999.000002"));
    assert!(fires(
        "invoice_amount in range(999999999998.5, 999999999999.000001)"
    ));
    assert!(!fires(
        "invoice_amount in range(999999999998.5, 999999999999)"
    ));
}
