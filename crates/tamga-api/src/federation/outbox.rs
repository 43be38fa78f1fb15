//! The outbox's delivery: each due message (the first unsettled one of its conversation with
//! its recipient) is signed now and POSTed to the peer's inbox. An acknowledgement (accepted
//! or duplicate) settles it as delivered and lets the conversation's next message go; a 4xx
//! refusal settles it as refused with the peer's reason; anything else (the peer unreachable,
//! a 5xx, a 408 or 429) is retried after a delay that doubles with each attempt, up to a
//! maximum. The state lives in the database, so a restart resumes where delivery stopped.

use std::future::Future;
use std::sync::Arc;

use tamga_federation::keys::NodeKey;
use tamga_federation::{Kind, Unsigned};
use tamga_store::federation::{Delivery, Queued};
use tamga_store::{Store, StoreError};
use time::OffsetDateTime;

use super::FederationSettings;

/// Delivers the outbox of one node.
#[derive(Clone)]
pub struct Outbox {
    store: Arc<dyn Store>,
    settings: FederationSettings,
    country: String,
    key: NodeKey,
    client: reqwest::Client,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("store", &self.store.backend())
            .field("country", &self.country)
            .finish()
    }
}

impl Outbox {
    /// The outbox of the node whose store and settings these are; `None` when the node takes
    /// part in no federation.
    pub async fn new(
        store: Arc<dyn Store>,
        settings: FederationSettings,
    ) -> Result<Option<Outbox>, StoreError> {
        let Some(country) = settings.country.clone() else {
            return Ok(None);
        };
        let (seed, _) = store.federation_signing_key().await?;
        let key = NodeKey::from_slice(&seed)
            .ok_or_else(|| StoreError::Corrupt("the federation key is not 32 bytes".into()))?;
        let client = reqwest::Client::builder()
            .timeout(settings.timeout)
            .build()
            .map_err(|e| StoreError::Corrupt(format!("no HTTP client: {e}")))?;
        Ok(Some(Outbox {
            store,
            settings,
            country,
            key,
            client,
        }))
    }

    /// Delivers until `shutdown` completes: at once again after progress, otherwise after
    /// the poll interval.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let progress = match self.deliver_due().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "the federation outbox could not be read");
                    false
                }
            };
            if progress {
                continue;
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(self.settings.poll) => {}
            }
        }
    }

    /// One pass over the due messages; returns how many were settled (delivered or refused).
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let now = OffsetDateTime::now_utc();
        let due = self.store.federation_due(millis(now), 64).await?;
        let attempts = due
            .iter()
            .map(|q| async move { (q, self.attempt(q).await) });
        let outcomes = futures_util::future::join_all(attempts).await;
        let mut settled = 0;
        for (queued, delivery) in outcomes {
            if !matches!(delivery, Delivery::Retry { .. }) {
                settled += 1;
            }
            if let Delivery::Refused(reason) = &delivery {
                tracing::warn!(id = %queued.id, recipient = %queued.recipient, %reason, "federation message refused by the peer");
            }
            self.store.federation_settle(&queued.id, delivery).await?;
        }
        Ok(settled)
    }

    async fn attempt(&self, queued: &Queued) -> Delivery {
        let Some(kind) = Kind::parse(&queued.kind) else {
            return Delivery::Refused(format!("unknown message type {}", queued.kind));
        };
        let Some(peer) = self.settings.peer(&queued.recipient) else {
            return self.retry(
                queued,
                format!("{} is not a configured peer", queued.recipient),
            );
        };
        let envelope = Unsigned {
            id: queued.id.clone(),
            sender: self.country.clone(),
            recipient: queued.recipient.clone(),
            kind,
            conversation: queued.conversation.clone(),
            body: queued.body.clone(),
        }
        .sign(&self.key, OffsetDateTime::now_utc());
        let url = format!(
            "{}/api/v1/federation/inbox",
            peer.base_url.trim_end_matches('/')
        );
        let sent = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .body(envelope.to_json())
            .send()
            .await;
        match sent {
            Err(e) => self.retry(queued, format!("not delivered: {e}")),
            Ok(response) => self.answer(queued, response).await,
        }
    }

    async fn answer(&self, queued: &Queued, response: reqwest::Response) -> Delivery {
        let status = response.status();
        if status.is_success() {
            return Delivery::Delivered;
        }
        let text = response.text().await.unwrap_or_default();
        let reason = refusal_reason(status.as_u16(), &text);
        let transient = status.is_server_error() || matches!(status.as_u16(), 408 | 429);
        if transient || !status.is_client_error() {
            self.retry(queued, reason)
        } else {
            Delivery::Refused(reason)
        }
    }

    fn retry(&self, queued: &Queued, error: String) -> Delivery {
        let delay = self.settings.backoff(queued.attempts);
        let next = OffsetDateTime::now_utc() + delay;
        Delivery::Retry {
            error,
            next_attempt_ms: millis(next),
        }
    }
}

/// The peer's reason as one line: status, then each field's code and pointer, or the detail.
fn refusal_reason(status: u16, problem: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(problem).unwrap_or_default();
    let errors = value["errors"].as_array().cloned().unwrap_or_default();
    let fields: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["code"].as_str().unwrap_or(""),
                e["pointer"].as_str().unwrap_or("")
            )
        })
        .collect();
    let detail = value["detail"].as_str().unwrap_or("");
    let reason = format!("{status} {}: {detail}", fields.join(", "));
    reason.chars().take(1000).collect()
}

fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
