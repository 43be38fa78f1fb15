//! Watchlists in the engine: the compiled [`Screener`] of `tamga-watchlist` screens the names
//! of a declaration's parties; vessels, aircraft, containers and vehicles are not party names.

use std::sync::Arc;

use tamga_watchlist::{EntryKind, Screener};

use crate::engine::{NameScreen, WatchHit};

/// A screener shared by every engine snapshot built from the same watchlists.
#[derive(Debug, Clone)]
pub struct ListScreen(pub Arc<Screener>);

impl NameScreen for ListScreen {
    fn screen(&self, name: &str, threshold: f64) -> Vec<WatchHit> {
        self.0
            .screen(name, None, threshold)
            .into_iter()
            .filter(|hit| matches!(hit.kind, EntryKind::Individual | EntryKind::Entity))
            .map(|hit| WatchHit {
                entry_id: hit.entry_id,
                source: hit.source,
                matched_name: hit.matched_name,
                score: hit.score,
            })
            .collect()
    }
}
