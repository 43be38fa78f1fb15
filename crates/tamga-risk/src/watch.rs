//! Watchlists in the engine: the compiled [`Screener`] of `tamga-watchlist` screens the names
//! of a declaration's parties; vessels, aircraft, containers and vehicles are not party names.
//!
//! The same traders lodge day after day, so answers are remembered per name (and threshold)
//! for the life of the screener: a repeated party costs one hash lookup, not a screening.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tamga_watchlist::{EntryKind, Hit, Screener};

use crate::engine::{NameScreen, WatchHit};

/// Names remembered before the memory is cleared and starts again.
pub const MEMORY: usize = 200_000;

/// Answers remembered per (name, threshold bits).
type Memory = HashMap<(String, u64), Arc<[WatchHit]>>;

/// A screener shared by every engine snapshot built from the same watchlists.
#[derive(Debug)]
pub struct ListScreen {
    screener: Arc<Screener>,
    memory: Mutex<Memory>,
}

impl ListScreen {
    pub fn new(screener: Arc<Screener>) -> Self {
        Self {
            screener,
            memory: Mutex::new(HashMap::new()),
        }
    }

    fn screen_now(&self, name: &str, threshold: f64) -> Vec<WatchHit> {
        self.screener
            .screen(name, None, threshold)
            .into_iter()
            .filter(|hit| matches!(hit.kind, EntryKind::Individual | EntryKind::Entity))
            .map(watch_hit)
            .collect()
    }
}

impl NameScreen for ListScreen {
    fn identifier(&self, id: &str) -> Vec<WatchHit> {
        self.screener
            .screen_identifier(id)
            .into_iter()
            .filter(|hit| matches!(hit.kind, EntryKind::Container | EntryKind::Vehicle))
            .map(watch_hit)
            .collect()
    }

    fn screen(&self, name: &str, threshold: f64) -> Vec<WatchHit> {
        let key = (name.to_owned(), threshold.to_bits());
        let remembered = match self.memory.lock() {
            Ok(memory) => memory.get(&key).cloned(),
            Err(_) => None,
        };
        if let Some(hits) = remembered {
            return hits.to_vec();
        }
        let hits: Arc<[WatchHit]> = self.screen_now(name, threshold).into();
        if let Ok(mut memory) = self.memory.lock() {
            if memory.len() >= MEMORY {
                memory.clear();
            }
            memory.insert(key, hits.clone());
        }
        hits.to_vec()
    }
}

fn watch_hit(hit: Hit) -> WatchHit {
    WatchHit {
        entry_id: hit.entry_id,
        source: hit.source,
        matched_name: hit.matched_name,
        score: hit.score,
    }
}
