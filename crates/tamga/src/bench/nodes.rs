//! Three tamga nodes in this process for `tamga bench transit`: UZ, KZ and TJ, each with its
//! own SQLite database in a temporary directory, its own HTTP server on a loopback port and its
//! own federation outbox, configured as each other's peers — what three administrations run,
//! on one machine.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde_json::json;
use tamga_api::federation::outbox::Outbox;
use tamga_api::federation::FederationSettings;
use tamga_core::role::Role;
use tamga_federation::inbox::Peer;
use tamga_federation::keys::NodeKey;
use tamga_store::{NewUser, Store};
use tokio::sync::watch;

/// The countries of the three nodes, and the office each one's officers work at.
pub const NODES: [(&str, &str); 3] = [("UZ", "UZTAS"), ("KZ", "KZCIT"), ("TJ", "TJDYU")];

/// One running node: its base URL and the tokens the benchmark acts with.
#[derive(Clone)]
pub struct Node {
    pub url: String,
    /// An officer at the node's office (UZTAS, KZCIT, TJDYU).
    pub officer: String,
    pub admin: String,
    pub store: Arc<dyn Store>,
}

/// The three nodes; dropping it stops their servers and outboxes and removes the databases.
pub struct Nodes {
    pub nodes: Vec<Node>,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    _dirs: Vec<tempfile::TempDir>,
}

/// A node's store, key and listener before the peers are known.
struct Part {
    country: &'static str,
    store: Arc<dyn Store>,
    key: NodeKey,
    listener: tokio::net::TcpListener,
    dir: tempfile::TempDir,
}

impl Nodes {
    /// Starts the three nodes; `poll` is how often an idle outbox looks for work.
    pub async fn start(poll: Duration) -> anyhow::Result<Nodes> {
        let mut parts = Vec::new();
        for (country, _) in NODES {
            parts.push(part(country).await?);
        }
        let peers = parts
            .iter()
            .map(|p| {
                Ok(Peer {
                    country: p.country.into(),
                    base_url: format!("http://{}", p.listener.local_addr()?),
                    key: p.key.public(),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let (stop, stopped) = watch::channel(false);
        let mut nodes = Nodes {
            nodes: Vec::new(),
            stop,
            tasks: Vec::new(),
            _dirs: Vec::new(),
        };
        for (part, (_, office)) in parts.into_iter().zip(NODES) {
            let federation = FederationSettings {
                country: Some(part.country.into()),
                peers: peers
                    .iter()
                    .filter(|p| p.country != part.country)
                    .cloned()
                    .collect(),
                retry_base: Duration::from_millis(50),
                retry_max: Duration::from_millis(500),
                poll,
                ..FederationSettings::default()
            };
            let url = peers
                .iter()
                .find(|p| p.country == part.country)
                .map(|p| p.base_url.clone())
                .unwrap_or_default();
            let node = nodes.launch(part, federation, stopped.clone()).await?;
            let (admin, officer) = accounts(&node, &url, office).await?;
            nodes.nodes.push(Node {
                url,
                officer,
                admin,
                store: node,
            });
        }
        Ok(nodes)
    }

    /// Serves the node's API and runs its outbox until the benchmark ends.
    async fn launch(
        &mut self,
        part: Part,
        federation: FederationSettings,
        stopped: watch::Receiver<bool>,
    ) -> anyhow::Result<Arc<dyn Store>> {
        let store = part.store;
        tamga_api::revenue::bootstrap(&*store).await?;
        let settings = tamga_api::ApiSettings {
            federation: federation.clone(),
            // The benchmark's one broker lodges far faster than a trader's default budget.
            limits: tamga_api::limits::RateLimits {
                lodgements_per_second: 0,
                ..Default::default()
            },
            ..Default::default()
        };
        let state = tamga_api::AppState::new(store.clone(), settings);
        state.revenue.set(tamga_api::revenue::load(&*store).await?);
        state.risk.refresh(&*store).await?;
        let router = tamga_api::router(state);
        let limits = tamga_api::ServerLimits {
            max_connections: 1024,
            ..Default::default()
        };
        self.tasks
            .push(tokio::spawn(until(stopped.clone(), move |s| async move {
                let _ = tamga_api::serve_with(part.listener, router, limits, s).await;
            })));
        let outbox = Outbox::new(store.clone(), federation)
            .await?
            .context("the node has a country, so it has an outbox")?;
        self.tasks
            .push(tokio::spawn(until(stopped, |s| outbox.run(s))));
        self._dirs.push(part.dir);
        Ok(store)
    }

    /// Stops the servers and outboxes and waits for them.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

/// Runs `task` with a future that completes when `stopped` turns true.
async fn until<F, Fut>(mut stopped: watch::Receiver<bool>, task: F)
where
    F: FnOnce(std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let signal = Box::pin(async move {
        let _ = stopped.wait_for(|stop| *stop).await;
    });
    task(signal).await;
}

async fn part(country: &'static str) -> anyhow::Result<Part> {
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = Arc::new(
        tamga_store::sqlite::SqliteStore::open(dir.path())
            .await
            .with_context(|| format!("cannot open {country}'s database"))?,
    );
    let (seed, _) = store.federation_signing_key().await?;
    let key = NodeKey::from_slice(&seed).context("the federation key is not 32 bytes")?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    Ok(Part {
        country,
        store,
        key,
        listener,
        dir,
    })
}

/// An administrator and an officer rostered at `office`; their tokens.
async fn accounts(
    store: &Arc<dyn Store>,
    url: &str,
    office: &str,
) -> anyhow::Result<(String, String)> {
    let admin = user(&**store, "bench-admin", Role::Admin, None).await?.1;
    let (officer_id, officer) = user(&**store, "bench-officer", Role::Officer, None).await?;
    let body = json!({"office": office, "section": "transit", "group": "examiner"});
    reqwest::Client::new()
        .put(format!("{url}/api/v1/control/officers/{officer_id}"))
        .bearer_auth(&admin)
        .json(&body)
        .send()
        .await?
        .error_for_status()
        .with_context(|| format!("cannot roster the officer at {office}"))?;
    Ok((admin, officer))
}

/// A user made on the store; its id and token.
pub async fn user(
    store: &dyn Store,
    name: &str,
    role: Role,
    party: Option<&str>,
) -> anyhow::Result<(i64, String)> {
    let secret = tamga_store::token::generate();
    let made = store
        .create_user(NewUser {
            name: name.into(),
            role,
            party_id: party.map(Into::into),
            token_hash: tamga_store::token::hash(&secret),
        })
        .await?;
    Ok((made.id, secret))
}
