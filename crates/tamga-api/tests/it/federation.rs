//! Three nodes on loopback (UZ, KZ, TJ), each with its own database, its own server on port 0
//! and its own outbox: alerts and their feedback travel between them, a node stopped in the
//! middle gets everything once back, and forged, altered, replayed and unknown-peer messages
//! are refused.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tamga_api::federation::outbox::Outbox;
use tamga_api::federation::FederationSettings;
use tamga_federation::inbox::Peer;
use tamga_federation::keys::NodeKey;
use tamga_federation::{Envelope, Kind, Unsigned};
use tamga_store::federation::Outgoing;
use tokio::sync::oneshot;
use tower::ServiceExt;

use crate::app::TestApp;

pub struct Node {
    pub country: &'static str,
    pub app: TestApp,
    pub key: NodeKey,
    pub address: SocketAddr,
    pub analyst: String,
    pub settings: FederationSettings,
    pub router: Router,
    server: Option<(oneshot::Sender<()>, tokio::task::JoinHandle<()>)>,
    outbox: Option<(oneshot::Sender<()>, tokio::task::JoinHandle<()>)>,
}

/// Three nodes that know each other, servers and outboxes running.
pub async fn three(postgres: bool) -> Vec<Node> {
    let mut parts = Vec::new();
    for country in ["UZ", "KZ", "TJ"] {
        let app = if postgres {
            TestApp::postgres().await
        } else {
            TestApp::sqlite().await
        };
        let (seed, _) = app.state.store.federation_signing_key().await.unwrap();
        let key = NodeKey::from_slice(&seed).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        parts.push((country, app, key, listener, address));
    }
    let peers: Vec<Peer> = parts
        .iter()
        .map(|(country, _, key, _, address)| Peer {
            country: (*country).into(),
            base_url: format!("http://{address}"),
            key: key.public(),
        })
        .collect();
    let mut nodes = Vec::new();
    for (country, app, key, listener, address) in parts {
        let settings = FederationSettings {
            country: Some(country.into()),
            peers: peers
                .iter()
                .filter(|p| p.country != country)
                .cloned()
                .collect(),
            retry_base: Duration::from_millis(20),
            retry_max: Duration::from_millis(200),
            poll: Duration::from_millis(20),
            timeout: Duration::from_secs(2),
            ..FederationSettings::default()
        };
        let federation = settings.clone();
        let app = app.reconfigured(move |s| s.federation = federation);
        let mut node = Node {
            country,
            key,
            address,
            analyst: app.analyst.clone(),
            settings,
            router: app.router.clone(),
            app,
            server: None,
            outbox: None,
        };
        node.serve(listener);
        node.start_outbox().await;
        nodes.push(node);
    }
    nodes
}

impl Node {
    pub fn store(&self) -> std::sync::Arc<dyn tamga_store::Store> {
        self.app.state.store.clone()
    }

    fn serve(&mut self, listener: tokio::net::TcpListener) {
        let (stop, stopped) = oneshot::channel::<()>();
        let router = self.router.clone();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            tamga_api::serve(listener, router, shutdown).await.unwrap();
        });
        self.server = Some((stop, task));
    }

    /// Stops the HTTP server: the node is unreachable, its database stays.
    pub async fn stop_server(&mut self) {
        if let Some((stop, task)) = self.server.take() {
            let _ = stop.send(());
            task.await.unwrap();
        }
    }

    /// Serves again on the same address.
    pub async fn restart_server(&mut self) {
        let listener = tokio::net::TcpListener::bind(self.address).await.unwrap();
        self.serve(listener);
    }

    pub async fn start_outbox(&mut self) {
        let outbox = Outbox::new(self.store(), self.settings.clone())
            .await
            .unwrap()
            .unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(outbox.run(async {
            let _ = stopped.await;
        }));
        self.outbox = Some((stop, task));
    }

    /// Stops delivering, as a process stopping would (what is queued stays in the database).
    pub async fn stop_outbox(&mut self) {
        if let Some((stop, task)) = self.outbox.take() {
            let _ = stop.send(());
            task.await.unwrap();
        }
    }

    /// A request to this node's API as its analyst (or with no token).
    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.analyst));
        let body = match body {
            Some(v) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.raw(request.body(body).unwrap()).await
    }

    /// POSTs `bytes` to this node's inbox as a peer would.
    pub async fn inbox(&self, bytes: impl Into<Body>) -> (StatusCode, Value) {
        let request = Request::post("/api/v1/federation/inbox")
            .header(header::CONTENT_TYPE, "application/json")
            .body(bytes.into())
            .unwrap();
        self.raw(request).await
    }

    async fn raw(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

/// Polls `check` until it holds, for at most 20 seconds.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..400 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

pub fn alert_request(recipient: &str) -> Value {
    json!({
        "recipient": recipient,
        "alert": {
            "containers": ["CSQU3054383", "MSKU9070323"],
            "consignor": "Silk Road Trading LLC",
            "consignee": "Almaty Import TOO",
            "commodity": "cigarettes declared as printing paper",
            "commodity_code": "240220",
            "route": ["CNURC", "UZTAS", "KZALA"],
            "reason": "source tip-off; weight inconsistent with paper"
        }
    })
}

async fn received(node: &Node) -> Value {
    let uri = "/api/v1/federation/alerts/received";
    node.call(Method::GET, uri, None).await.1
}

async fn alerts_travel_and_feedback_returns(nodes: Vec<Node>) {
    let (uz, kz, tj) = (&nodes[0], &nodes[1], &nodes[2]);
    let (status, sent) = uz
        .call(
            Method::POST,
            "/api/v1/federation/alerts",
            Some(alert_request("KZ")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    let id = sent["id"].as_str().unwrap().to_owned();
    eventually("the alert at KZ", || async {
        received(kz).await.as_array().unwrap().len() == 1
    })
    .await;
    let at_kz = received(kz).await;
    assert_eq!(at_kz[0]["id"], id.as_str());
    assert_eq!(at_kz[0]["sender"], "UZ");
    assert_eq!(at_kz[0]["alert"]["containers"][1], "MSKU9070323");
    assert_eq!(received(tj).await, json!([]), "TJ was not the recipient");
    let feedback = json!({"outcome": "seized", "remarks": "12,000 packs found behind paper rolls"});
    let uri = format!("/api/v1/federation/alerts/received/UZ/{id}/feedback");
    let (status, body) = kz.call(Method::POST, &uri, Some(feedback.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = kz.call(Method::POST, &uri, Some(feedback)).await;
    assert_eq!(status, StatusCode::CONFLICT, "feedback is given once");
    let sent_at_uz = || async {
        uz.call(Method::GET, "/api/v1/federation/alerts/sent", None)
            .await
            .1
    };
    eventually("the feedback at UZ", || async {
        !sent_at_uz().await[0]["feedback"].is_null()
    })
    .await;
    let at_uz = sent_at_uz().await;
    assert_eq!(at_uz[0]["state"], "delivered");
    assert_eq!(at_uz[0]["feedback"]["outcome"], "seized");
    // KZ's copy of its feedback shows it delivered too.
    eventually("KZ's feedback delivered", || async {
        received(kz).await[0]["feedback"]["state"] == "delivered"
    })
    .await;
    // The envelope as it arrived verifies offline under UZ's key.
    let uri = format!("/api/v1/federation/messages/UZ/{id}");
    let (status, envelope) = kz.call(Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK);
    let envelope: Envelope = serde_json::from_value(envelope).unwrap();
    assert!(envelope.verify(&uz.key.public()));
    assert!(!envelope.verify(&tj.key.public()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_alert_reaches_kz_and_its_feedback_returns_sqlite() {
    alerts_travel_and_feedback_returns(three(false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_alert_reaches_kz_and_its_feedback_returns_postgres() {
    alerts_travel_and_feedback_returns(three(true).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_alert_with_bad_fields_names_each() {
    let nodes = three(false).await;
    let mut request = alert_request("XX");
    request["alert"]["containers"][0] = "CSQU3054384".into();
    request["alert"]["reason"] = "".into();
    let (status, body) = nodes[0]
        .call(Method::POST, "/api/v1/federation/alerts", Some(request))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        ["/recipient", "/alert/containers/0", "/alert/reason"]
    );
}

/// A movement's messages queued at UZ for KZ, in order, while KZ is down.
fn movement_messages(mrn: &str) -> Vec<Outgoing> {
    let arrival = json!({
        "mrn": mrn, "office_of_departure": "UZ000100", "office_of_destination": "KZ000200",
        "offices_of_transit": [], "limit_date": "2026-12-07",
        "containers": ["CSQU3054383"], "seals": ["UZ123456"]
    });
    let mut messages = vec![(Kind::AnticipatedArrival, arrival.to_string())];
    for n in 1..=4 {
        let enquiry = json!({"mrn": mrn, "text": format!("enquiry {n}")});
        messages.push((Kind::Enquiry, enquiry.to_string()));
    }
    messages
        .into_iter()
        .enumerate()
        .map(|(i, (kind, body))| Outgoing {
            id: format!("{mrn}-{i}"),
            recipient: "KZ".into(),
            kind: kind.as_str().into(),
            conversation: mrn.into(),
            body,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_node_stopped_in_the_middle_gets_everything_once_in_order() {
    let mut nodes = three(false).await;
    let mrn = "26UZ000100T0000017";
    let messages = movement_messages(mrn);
    // The first arrives while KZ is up.
    let uz = nodes[0].store();
    uz.federation_enqueue(messages[0].clone(), "test")
        .await
        .unwrap();
    let kz_store = nodes[1].store();
    let count = || async { kz_store.federation_inbox(None, 100).await.unwrap().len() };
    eventually("the first message at KZ", || async { count().await == 1 }).await;
    nodes[1].stop_server().await;
    for m in &messages[1..] {
        uz.federation_enqueue(m.clone(), "test").await.unwrap();
    }
    // UZ keeps failing to deliver; then UZ itself restarts (its outbox is a new one).
    let attempted = || async {
        uz.federation_outbox(10)
            .await
            .unwrap()
            .iter()
            .any(|e| e.attempts >= 2)
    };
    eventually("retries while KZ is down", attempted).await;
    nodes[0].stop_outbox().await;
    nodes[0].start_outbox().await;
    nodes[1].restart_server().await;
    eventually("everything at KZ", || async {
        count().await == messages.len()
    })
    .await;
    let inbox = kz_store.federation_inbox(None, 100).await.unwrap();
    let ids: Vec<&str> = inbox.iter().map(|m| m.id.as_str()).collect();
    let expected: Vec<&str> = messages.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, expected, "in the order written, each once");
    let outbox = uz.federation_outbox(10).await.unwrap();
    assert!(outbox.iter().all(|e| e.state == "delivered"), "{outbox:?}");
    let retried = outbox.iter().find(|e| e.id == messages[1].id).unwrap();
    assert!(retried.attempts >= 2, "{retried:?}");
    let entries = kz_store.audit_entries(0, 1000).await.unwrap();
    let receipts = entries
        .iter()
        .filter(|e| e.action == "federation.receive")
        .count();
    assert_eq!(receipts, messages.len(), "one receipt per message");
}

fn envelope(from: &Node, id: &str, body: &str) -> Envelope {
    Unsigned {
        id: id.into(),
        sender: from.country.into(),
        recipient: "KZ".into(),
        kind: Kind::Enquiry,
        conversation: "26UZ000100T0000099".into(),
        body: body.into(),
    }
    .sign(&from.key, time::OffsetDateTime::now_utc())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forged_altered_replayed_and_unknown_messages_are_refused() {
    let nodes = three(false).await;
    let (uz, kz) = (&nodes[0], &nodes[1]);
    let body = r#"{"mrn":"26UZ000100T0000099","text":"where are the goods?"}"#;
    let good = envelope(uz, "e-1", body);
    assert_eq!(kz.inbox(good.to_json()).await.1["outcome"], "accepted");
    // The same content again (a resend after a lost acknowledgement, signed anew).
    assert_eq!(
        kz.inbox(envelope(uz, "e-1", body).to_json()).await.1["outcome"],
        "duplicate"
    );
    let refused = |(status, problem): (StatusCode, Value)| {
        (
            status.as_u16(),
            problem["errors"][0]["code"].as_str().unwrap().to_owned(),
        )
    };
    // Forged: UZ's name, another key.
    let mut forged = envelope(uz, "e-2", body);
    let impostor = NodeKey::from_seed([42; 32]);
    forged = Unsigned {
        id: forged.id,
        sender: forged.sender,
        recipient: forged.recipient,
        kind: forged.kind,
        conversation: forged.conversation,
        body: forged.body,
    }
    .sign(&impostor, time::OffsetDateTime::now_utc());
    assert_eq!(
        refused(kz.inbox(forged.to_json()).await),
        (403, "bad_signature".into())
    );
    // Altered: a signed message's body changed on the way.
    let mut altered = envelope(uz, "e-3", body);
    altered.body = altered.body.replace("where", "here");
    assert_eq!(
        refused(kz.inbox(altered.to_json()).await),
        (403, "bad_signature".into())
    );
    // Replayed: a known id with other content, properly signed.
    let replay = envelope(uz, "e-1", &body.replace("where", "when"));
    assert_eq!(
        refused(kz.inbox(replay.to_json()).await),
        (409, "replay".into())
    );
    // From a node KZ does not know, signed with its own key.
    let stranger = Unsigned {
        id: "e-4".into(),
        sender: "AF".into(),
        recipient: "KZ".into(),
        kind: Kind::Enquiry,
        conversation: "26UZ000100T0000099".into(),
        body: body.into(),
    }
    .sign(&impostor, time::OffsetDateTime::now_utc());
    assert_eq!(
        refused(kz.inbox(stranger.to_json()).await),
        (403, "unknown_peer".into())
    );
    // Stale, oversized, and with an unknown field.
    let stale = Unsigned {
        id: "e-5".into(),
        sender: "UZ".into(),
        recipient: "KZ".into(),
        kind: Kind::Enquiry,
        conversation: "26UZ000100T0000099".into(),
        body: body.into(),
    }
    .sign(
        &uz.key,
        time::OffsetDateTime::now_utc() - time::Duration::hours(1),
    );
    assert_eq!(
        refused(kz.inbox(stale.to_json()).await),
        (422, "stale".into())
    );
    let big = format!("{{\"pad\":\"{}\"}}", "x".repeat(70 * 1024));
    assert_eq!(refused(kz.inbox(big).await), (413, "too_large".into()));
    let mut extra = serde_json::to_value(envelope(uz, "e-6", body)).unwrap();
    extra["priority"] = "urgent".into();
    assert_eq!(
        refused(kz.inbox(extra.to_string()).await),
        (400, "unknown_field".into())
    );
    // Only e-1 was stored; every refusal is recorded, newest first.
    assert_eq!(
        kz.store().federation_inbox(None, 10).await.unwrap().len(),
        1
    );
    let codes: Vec<String> = kz
        .store()
        .federation_refusals(10)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.code)
        .collect();
    assert_eq!(
        codes,
        [
            "unknown_field",
            "too_large",
            "stale",
            "unknown_peer",
            "replay",
            "bad_signature",
            "bad_signature"
        ]
    );
    let (status, _) = kz
        .call(Method::GET, "/api/v1/federation/refusals", None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "refusals are for supervisors"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_sender_gets_the_reason_of_a_refusal() {
    let nodes = three(false).await;
    let uz = nodes[0].store();
    // An enquiry whose conversation is not its movement's MRN: KZ refuses it.
    let wrong = Outgoing {
        id: "w-1".into(),
        recipient: "KZ".into(),
        kind: "enquiry".into(),
        conversation: "26UZ000100T0000001".into(),
        body: json!({"mrn": "26UZ000100T0000002", "text": "?"}).to_string(),
    };
    uz.federation_enqueue(wrong, "test").await.unwrap();
    let state = || async { uz.federation_outbox(1).await.unwrap()[0].state.clone() };
    eventually("the refusal at UZ", || async { state().await == "refused" }).await;
    let entry = &uz.federation_outbox(1).await.unwrap()[0];
    assert_eq!(entry.attempts, 1, "a refusal is not retried");
    let reason = entry.last_error.as_deref().unwrap();
    assert!(reason.starts_with("422 invalid /conversation"), "{reason}");
    let at_kz = nodes[1].store().federation_refusals(1).await.unwrap();
    assert_eq!(at_kz[0].message_id.as_deref(), Some("w-1"));
}
