//! Live updates of the Situation Center. One task per server, started by the first subscriber,
//! reads the store's change marker every second and tells every subscriber when it moved;
//! the marker is in the database, so a lodgement made through any server sharing it is seen.
//! The task stops when its last subscriber has gone.

use std::sync::Arc;
use std::time::Duration;

use tamga_store::situation::Marker;
use tamga_store::{Store, StoreError};
use tokio::sync::{broadcast, Mutex};

/// How often the marker is read.
pub const POLL: Duration = Duration::from_secs(1);

/// The server's watcher, if running.
#[derive(Debug, Default)]
pub struct Live {
    sender: Arc<Mutex<Option<broadcast::Sender<u64>>>>,
}

impl Live {
    /// A receiver of change numbers; starts the watcher if none runs. The watcher's first
    /// marker is read before this returns, so no change made afterwards is missed.
    pub async fn subscribe(
        &self,
        store: Arc<dyn Store>,
    ) -> Result<broadcast::Receiver<u64>, StoreError> {
        let mut slot = self.sender.lock().await;
        if let Some(sender) = slot.as_ref() {
            return Ok(sender.subscribe());
        }
        let first = store.situation_marker().await?;
        let (sender, receiver) = broadcast::channel(16);
        *slot = Some(sender.clone());
        tokio::spawn(watch(store, first, sender, self.sender.clone()));
        Ok(receiver)
    }
}

async fn watch(
    store: Arc<dyn Store>,
    mut last: Marker,
    sender: broadcast::Sender<u64>,
    slot: Arc<Mutex<Option<broadcast::Sender<u64>>>>,
) {
    let mut tick = tokio::time::interval(POLL);
    let mut changes = 0u64;
    loop {
        tick.tick().await;
        if sender.receiver_count() == 0 {
            let mut slot = slot.lock().await;
            // Checked again under the lock: a subscriber may have come meanwhile.
            if sender.receiver_count() == 0 {
                *slot = None;
                return;
            }
        }
        match store.situation_marker().await {
            Ok(marker) if marker != last => {
                last = marker;
                changes += 1;
                // No receiver is not an error: the next tick stops the watcher.
                let _ = sender.send(changes);
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the Situation Center cannot read its marker"),
        }
    }
}
