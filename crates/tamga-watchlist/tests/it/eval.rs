//! Recall at rank 1 and false positives on the generated spelling-variant sets
//! (`tests/it/variants`), screened together with the real UN and OFAC lists, held to the goals
//! of issue 14 for every set. The figures, the missed queries with what they found instead, and
//! the false hits are printed (`cargo nextest run -p tamga-watchlist eval --no-capture`).

use std::sync::OnceLock;

use tamga_watchlist::{Screener, DEFAULT_THRESHOLD};

use crate::data;
use crate::variants::{self, EvalSet, SOURCE};

/// The goals of issue 14: recall at rank 1 of at least 0.97, at most 1 % false positives.
const RECALL_AT_1: f64 = 0.97;
const FALSE_POSITIVES: f64 = 0.01;

fn sets() -> &'static (Vec<EvalSet>, Screener) {
    static SETS: OnceLock<(Vec<EvalSet>, Screener)> = OnceLock::new();
    SETS.get_or_init(|| {
        let sets = variants::all();
        let mut entries: Vec<_> = data::un().iter().chain(data::ofac()).cloned().collect();
        entries.extend(sets.iter().flat_map(|s| s.entries.iter().cloned()));
        (sets, Screener::new(entries))
    })
}

/// Whether `id` is among the best-scored hits of `query`.
fn first(screener: &Screener, query: &str, id: &str) -> bool {
    let hits = screener.screen(query, None, DEFAULT_THRESHOLD);
    let top = hits.first().map_or(2.0, |h| h.score);
    hits.iter().any(|h| h.entry_id == id && h.score >= top)
}

fn measure(set: &EvalSet, screener: &Screener) -> (f64, f64) {
    let missed: Vec<&(String, String)> = set
        .positives
        .iter()
        .filter(|(q, id)| !first(screener, q, id))
        .collect();
    let recall = 1.0 - missed.len() as f64 / set.positives.len() as f64;
    let mut false_hits = Vec::new();
    let mut real_hits = 0;
    for query in &set.negatives {
        let hits = screener.screen(query, None, DEFAULT_THRESHOLD);
        if let Some(hit) = hits.iter().find(|h| h.source == SOURCE) {
            false_hits.push(format!("{query} → {} ({:.3})", hit.matched_name, hit.score));
        }
        real_hits += usize::from(hits.iter().any(|h| h.source != SOURCE));
    }
    let fp = false_hits.len() as f64 / set.negatives.len() as f64;
    eprintln!(
        "{}: recall@1 {:.2} % of {}, false positives {:.2} % of {} ({real_hits} hit UN/OFAC)\n  missed: {:?}\n  false: {false_hits:?}",
        set.name,
        recall * 100.0,
        set.positives.len(),
        fp * 100.0,
        set.negatives.len(),
        missed.iter().take(25).map(|(q, id)| explain(screener, set, q, id)).collect::<Vec<_>>(),
    );
    (recall, fp)
}

/// A missed query, the name it should have found and the best names it found instead (down
/// to 0.8).
fn explain(screener: &Screener, set: &EvalSet, query: &str, id: &str) -> String {
    let found: Vec<String> = screener
        .screen(query, None, 0.8)
        .iter()
        .take(3)
        .map(|h| format!("{} {:.3}", h.matched_name, h.score))
        .collect();
    format!("{query} / {} → {found:?}", listed(set, id))
}

fn listed<'a>(set: &'a EvalSet, id: &str) -> &'a str {
    set.entries
        .iter()
        .find(|e| e.id == id)
        .map_or("", |e| e.primary_name())
}

/// Asserts recall at rank 1 and false positives on set `name` against the goals.
fn assert_goals(name: &str, recall_floor: f64, fp_ceiling: f64) {
    let (sets, screener) = sets();
    let set = sets.iter().find(|s| s.name == name).unwrap();
    assert!(set.positives.len() >= 500 && set.negatives.len() >= 150);
    let (recall, fp) = measure(set, screener);
    assert!(recall >= recall_floor, "{name}: recall@1 {recall}");
    assert!(fp <= fp_ceiling, "{name}: false positives {fp}");
}

#[test]
fn uzbek_spelling_variants_meet_the_goals() {
    assert_goals("uzbek", RECALL_AT_1, FALSE_POSITIVES);
}

#[test]
fn russian_spelling_variants_meet_the_goals() {
    assert_goals("russian", RECALL_AT_1, FALSE_POSITIVES);
}

#[test]
fn arabic_spelling_variants_meet_the_goals() {
    assert_goals("arabic", RECALL_AT_1, FALSE_POSITIVES);
}
