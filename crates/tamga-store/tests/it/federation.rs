//! The federation's outbox, inbox and refusals, with their audit entries.

use std::sync::Arc;

use tamga_store::federation::*;
use tamga_store::Store;

fn out(id: &str, recipient: &str, kind: &str, conversation: &str) -> Outgoing {
    Outgoing {
        id: id.into(),
        recipient: recipient.into(),
        kind: kind.into(),
        conversation: conversation.into(),
        body: format!("{{\"n\":\"{id}\"}}"),
    }
}

fn incoming(sender: &str, id: &str, kind: &str, conversation: &str, digest: &str) -> Incoming {
    Incoming {
        sender: sender.into(),
        id: id.into(),
        kind: kind.into(),
        conversation: conversation.into(),
        body: "{}".into(),
        sent_at: "2026-11-30T08:00:00Z".into(),
        digest: digest.into(),
        envelope: format!("{{\"id\":\"{id}\"}}"),
    }
}

async fn actions(store: &dyn Store) -> Vec<String> {
    let entries = store.audit_entries(0, 1000).await.unwrap();
    entries.into_iter().map(|e| e.action).collect()
}

fn ids(due: &[Queued]) -> Vec<&str> {
    due.iter().map(|q| q.id.as_str()).collect()
}

const FAR: i64 = i64::MAX / 2;

pub async fn the_outbox_sends_each_conversation_in_order(store: Arc<dyn Store>) {
    for (id, to, conv) in [
        ("m1", "KZ", "A"),
        ("m2", "KZ", "A"),
        ("m3", "KZ", "B"),
        ("m4", "TJ", "A"),
    ] {
        store
            .federation_enqueue(out(id, to, "enquiry", conv), "ana")
            .await
            .unwrap();
    }
    assert_eq!(
        ids(&store.federation_due(FAR, 10).await.unwrap()),
        ["m1", "m3", "m4"]
    );
    assert!(
        store.federation_due(0, 10).await.unwrap().is_empty(),
        "nothing due before now"
    );
    // A failed attempt waits, and so does everything after it in its conversation.
    let retry = Delivery::Retry {
        error: "connection refused".into(),
        next_attempt_ms: FAR,
    };
    assert!(store.federation_settle("m1", retry).await.unwrap());
    assert_eq!(
        ids(&store.federation_due(FAR - 1, 10).await.unwrap()),
        ["m3", "m4"]
    );
    assert!(store
        .federation_settle("m1", Delivery::Delivered)
        .await
        .unwrap());
    assert!(
        !store
            .federation_settle("m1", Delivery::Delivered)
            .await
            .unwrap(),
        "settled once"
    );
    assert_eq!(
        ids(&store.federation_due(FAR, 10).await.unwrap()),
        ["m2", "m3", "m4"]
    );
    let refused = Delivery::Refused("422 stale /sent_at".into());
    assert!(store.federation_settle("m2", refused).await.unwrap());
    let outbox = store.federation_outbox(10).await.unwrap();
    let m1 = outbox.iter().find(|e| e.id == "m1").unwrap();
    assert_eq!((m1.state.as_str(), m1.attempts), ("delivered", 2));
    let m2 = outbox.iter().find(|e| e.id == "m2").unwrap();
    assert_eq!(
        (m2.state.as_str(), m2.last_error.as_deref()),
        ("refused", Some("422 stale /sent_at"))
    );
    let a = actions(&*store).await;
    let expected = [
        "federation.send",
        "federation.send",
        "federation.send",
        "federation.send",
        "federation.retry",
        "federation.delivered",
        "federation.refused",
    ];
    assert_eq!(a[a.len() - 7..], expected);
}

pub async fn the_inbox_accepts_once_and_records_replays(store: Arc<dyn Store>) {
    let first = incoming("UZ", "x1", "alert", "x1", "d1");
    assert_eq!(
        store.federation_receive(first.clone()).await.unwrap(),
        Receipt::Accepted
    );
    let before = actions(&*store).await.len();
    assert_eq!(
        store.federation_receive(first).await.unwrap(),
        Receipt::Duplicate
    );
    assert_eq!(
        actions(&*store).await.len(),
        before,
        "a duplicate changes nothing"
    );
    // The same id from another sender is another message.
    let other = incoming("TJ", "x1", "alert", "x1", "d9");
    assert_eq!(
        store.federation_receive(other).await.unwrap(),
        Receipt::Accepted
    );
    let replay = incoming("UZ", "x1", "alert", "x1", "d2");
    assert_eq!(
        store.federation_receive(replay).await.unwrap(),
        Receipt::Replay
    );
    let refusals = store.federation_refusals(10).await.unwrap();
    assert_eq!(refusals[0].code, "replay");
    assert_eq!(refusals[0].message_id.as_deref(), Some("x1"));
    assert_eq!(
        store
            .federation_inbox(Some("alert"), 10)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        store
            .federation_inbox(Some("enquiry"), 10)
            .await
            .unwrap()
            .len(),
        0
    );
    let envelope = store.federation_envelope("UZ", "x1").await.unwrap();
    assert_eq!(envelope.as_deref(), Some("{\"id\":\"x1\"}"));
    let bad = Refusal {
        sender: None,
        message_id: None,
        status: 400,
        code: "malformed".into(),
        pointer: String::new(),
        message: "expected value".into(),
    };
    store.federation_refuse(bad).await.unwrap();
    let a = actions(&*store).await;
    let expected = [
        "federation.receive",
        "federation.refuse",
        "federation.refuse",
    ];
    assert_eq!(a[a.len() - 3..], expected);
}

pub async fn feedback_is_given_once_on_a_received_alert(store: Arc<dyn Store>) {
    let unknown = out("f0", "UZ", "alert_feedback", "nope");
    assert_eq!(
        store.federation_feedback(unknown, "ana").await.unwrap(),
        FeedbackOutcome::UnknownAlert
    );
    store
        .federation_receive(incoming("UZ", "al-1", "alert", "al-1", "d"))
        .await
        .unwrap();
    let given = out("f1", "UZ", "alert_feedback", "al-1");
    assert_eq!(
        store.federation_feedback(given, "ana").await.unwrap(),
        FeedbackOutcome::Queued
    );
    let again = out("f2", "UZ", "alert_feedback", "al-1");
    assert_eq!(
        store.federation_feedback(again, "ana").await.unwrap(),
        FeedbackOutcome::AlreadyGiven
    );
    let received = store.federation_alerts_received().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].feedback.as_ref().map(|f| f.id.as_str()),
        Some("f1")
    );
    // The sending side: an alert sent and the feedback that came back on it.
    store
        .federation_enqueue(out("al-2", "KZ", "alert", "al-2"), "ana")
        .await
        .unwrap();
    store
        .federation_receive(incoming("KZ", "fb-9", "alert_feedback", "al-2", "d"))
        .await
        .unwrap();
    let sent = store.federation_alerts_sent().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].feedback.as_ref().map(|f| f.id.as_str()),
        Some("fb-9")
    );
}

pub async fn the_signing_key_is_made_once(store: Arc<dyn Store>) {
    let (seed, made) = store.federation_signing_key().await.unwrap();
    assert!(made);
    assert_eq!(seed.len(), 32);
    let (again, made) = store.federation_signing_key().await.unwrap();
    assert!(!made);
    assert_eq!(again, seed);
    let keygens = actions(&*store)
        .await
        .iter()
        .filter(|a| *a == "federation.keygen")
        .count();
    assert_eq!(keygens, 1);
}
