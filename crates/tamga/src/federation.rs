//! `tamga federation`: this node's key (`keygen`), its peers and whether they answer
//! (`peers`), a saved message checked offline (`verify FILE`); the settings the HTTP edge
//! takes from `[federation]`, and the serve task that delivers the outbox.
//!
//! The federation has its own Ed25519 key, not the audit log's: the audit key vouches for
//! this node's own records to its own auditors, while the federation key is published to
//! foreign administrations. Keeping them apart means a key handed to a neighbour cannot be
//! mistaken for the one that seals the audit log, either can be replaced without the other
//! (a peer's re-keying does not touch years of signed checkpoints), and a signature made in
//! one protocol can never be presented as one of the other.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::Subcommand;
use tamga_api::federation::{outbox::Outbox, FederationSettings};
use tamga_federation::inbox::Peer;
use tamga_federation::keys::{NodeKey, PeerKey};
use tamga_federation::Envelope;
use tamga_store::Store;

use crate::settings::{FederationSection, Settings};

#[derive(Debug, Subcommand)]
pub enum FederationCommand {
    /// Make this node's federation key if it has none (in the database, never shown) and
    /// print its public key, for the peers' `[[federation.peers]]`.
    Keygen,
    /// List the configured peers and whether each answers with the key configured for it.
    Peers,
    /// Check a saved message (an envelope as received, JSON) against its sender's configured
    /// key, or against --key; exits 1 when the signature does not verify.
    Verify {
        file: PathBuf,
        /// A base64 public key to check against instead of the configured peer's.
        #[arg(long)]
        key: Option<String>,
    },
}

/// Runs the command; false when a message did not verify.
pub async fn run(settings: &Settings, command: FederationCommand) -> anyhow::Result<bool> {
    match command {
        FederationCommand::Keygen => keygen(settings).await.map(|()| true),
        FederationCommand::Peers => peers(settings).await.map(|()| true),
        FederationCommand::Verify { file, key } => verify(settings, &file, key.as_deref()),
    }
}

async fn keygen(settings: &Settings) -> anyhow::Result<()> {
    let store = crate::serve::open_store(settings).await?;
    let (seed, made) = store.federation_signing_key().await?;
    let key = NodeKey::from_slice(&seed).context("the stored federation key is not 32 bytes")?;
    if made {
        eprintln!("made a new federation key");
    }
    println!("{}", key.public().to_base64());
    Ok(())
}

async fn peers(settings: &Settings) -> anyhow::Result<()> {
    let api = api_settings(&settings.federation)?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()?;
    if api.peers.is_empty() {
        println!("no peers configured");
    }
    for peer in &api.peers {
        let state = reachability(&client, peer).await;
        println!(
            "{}\t{}\t{}\t{state}",
            peer.country,
            peer.base_url,
            peer.key.to_base64()
        );
    }
    Ok(())
}

/// Whether the peer answers, and with the country and key configured for it.
async fn reachability(client: &reqwest::Client, peer: &Peer) -> String {
    let url = format!(
        "{}/api/v1/federation/node",
        peer.base_url.trim_end_matches('/')
    );
    let response = match client.get(url).send().await {
        Ok(response) => response,
        Err(e) => return format!("unreachable: {e}"),
    };
    if !response.status().is_success() {
        return format!("answers {}", response.status());
    }
    let node: serde_json::Value = response.json().await.unwrap_or_default();
    let country = node["country"].as_str().unwrap_or("?");
    let key = node["public_key"].as_str().unwrap_or("?");
    if country != peer.country {
        format!("reachable, but it is {country}")
    } else if key != peer.key.to_base64() {
        format!("reachable, but its key is {key}")
    } else {
        "reachable, key matches".to_owned()
    }
}

fn verify(settings: &Settings, file: &Path, key: Option<&str>) -> anyhow::Result<bool> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let envelope: Envelope = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a federation message", file.display()))?;
    let key = match key {
        Some(text) => PeerKey::parse(text).context("--key")?,
        None => {
            let api = api_settings(&settings.federation)?;
            let peer = api.peer(&envelope.sender).with_context(|| {
                format!("{} is not a configured peer; give --key", envelope.sender)
            })?;
            peer.key
        }
    };
    let good = envelope.verify(&key);
    let verdict = if good { "valid" } else { "INVALID" };
    println!(
        "{verdict}: {} {} from {} to {} sent {} (content sha256 {})",
        envelope.kind.as_str(),
        envelope.id,
        envelope.sender,
        envelope.recipient,
        envelope.sent_at,
        envelope.content_digest()
    );
    Ok(good)
}

/// What the HTTP edge takes from `[federation]`; a peer's bad key is an error naming it.
pub fn api_settings(section: &FederationSection) -> anyhow::Result<FederationSettings> {
    let mut peers = Vec::new();
    for (i, p) in section.peers.iter().enumerate() {
        let key = PeerKey::parse(&p.public_key)
            .with_context(|| format!("federation.peers[{i}] ({}): public_key", p.country))?;
        peers.push(Peer {
            country: p.country.clone(),
            base_url: p.url.clone(),
            key,
        });
    }
    let defaults = FederationSettings::default();
    Ok(FederationSettings {
        country: section.country.clone(),
        peers,
        window: time::Duration::seconds(i64::from(section.window_seconds.max(1))),
        max_message_bytes: section.max_message_bytes.max(1024),
        retry_base: std::time::Duration::from_millis(section.retry_base_ms.max(1)),
        retry_max: std::time::Duration::from_millis(section.retry_max_ms.max(1)),
        poll: std::time::Duration::from_millis(section.poll_ms.max(10)),
        timeout: defaults.timeout,
    })
}

/// Starts delivering the outbox when this node takes part in a federation.
pub async fn start_outbox(
    store: Arc<dyn Store>,
    settings: &FederationSettings,
) -> anyhow::Result<()> {
    if let Some(outbox) = Outbox::new(store, settings.clone()).await? {
        tracing::info!(peers = settings.peers.len(), "federation outbox started");
        tokio::spawn(outbox.run(std::future::pending()));
    }
    Ok(())
}
