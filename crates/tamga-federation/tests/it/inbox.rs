//! The inbox's checks on whole messages as they arrive as bytes.

use tamga_federation::inbox::{admit, Peer, Policy, Refusal};
use tamga_federation::keys::NodeKey;
use tamga_federation::{Envelope, Kind, Unsigned};
use time::{Duration, OffsetDateTime};

const ALERT: &str = r#"{"containers":["CSQU3054383"],"consignor":"A","consignee":"B","commodity":"cigarettes","route":["UZTAS","KZALA"],"reason":"tip-off"}"#;

fn uz() -> NodeKey {
    NodeKey::from_seed([1; 32])
}

fn alert(now: OffsetDateTime) -> Envelope {
    Unsigned {
        id: "a-1".into(),
        sender: "UZ".into(),
        recipient: "KZ".into(),
        kind: Kind::Alert,
        conversation: "a-1".into(),
        body: ALERT.into(),
    }
    .sign(&uz(), now)
}

fn peers() -> Vec<Peer> {
    vec![Peer {
        country: "UZ".into(),
        base_url: "http://127.0.0.1:1".into(),
        key: uz().public(),
    }]
}

fn policy() -> Policy {
    Policy {
        me: "KZ".into(),
        window: Duration::minutes(5),
        max_bytes: 4096,
    }
}

fn refusal(bytes: &[u8], now: OffsetDateTime) -> Refusal {
    *admit(bytes, &policy(), &peers(), now).unwrap_err()
}

#[test]
fn a_well_signed_alert_is_admitted() {
    let now = OffsetDateTime::now_utc();
    let admitted = admit(alert(now).to_json().as_bytes(), &policy(), &peers(), now).unwrap();
    assert_eq!(admitted.envelope.id, "a-1");
}

#[test]
fn a_pretty_printed_envelope_still_verifies() {
    let now = OffsetDateTime::now_utc();
    let pretty = serde_json::to_string_pretty(&alert(now)).unwrap();
    assert!(admit(pretty.as_bytes(), &policy(), &peers(), now).is_ok());
}

#[test]
fn a_forged_signature_is_refused() {
    let now = OffsetDateTime::now_utc();
    let forged = Unsigned {
        id: "a-1".into(),
        sender: "UZ".into(),
        recipient: "KZ".into(),
        kind: Kind::Alert,
        conversation: "a-1".into(),
        body: ALERT.into(),
    }
    .sign(&NodeKey::from_seed([66; 32]), now);
    let r = refusal(forged.to_json().as_bytes(), now);
    assert_eq!((r.status, r.error.code.as_str()), (403, "bad_signature"));
    assert_eq!(r.error.pointer, "/signature");
}

#[test]
fn an_altered_body_is_refused() {
    let now = OffsetDateTime::now_utc();
    let mut altered = alert(now);
    altered.body = altered.body.replace("tip-off", "nothing");
    let r = refusal(altered.to_json().as_bytes(), now);
    assert_eq!(r.error.code, "bad_signature");
    assert_eq!(r.sender.as_deref(), Some("UZ"));
}

#[test]
fn an_unknown_peer_is_refused() {
    let now = OffsetDateTime::now_utc();
    let mut from_tj = alert(now);
    from_tj.sender = "TJ".into();
    let r = refusal(from_tj.to_json().as_bytes(), now);
    assert_eq!((r.status, r.error.code.as_str()), (403, "unknown_peer"));
}

#[test]
fn a_stale_or_future_message_is_refused() {
    let now = OffsetDateTime::now_utc();
    let old = alert(now - Duration::minutes(6));
    assert_eq!(refusal(old.to_json().as_bytes(), now).error.code, "stale");
    let early = alert(now + Duration::minutes(6));
    assert_eq!(refusal(early.to_json().as_bytes(), now).error.code, "stale");
}

#[test]
fn size_unknown_fields_and_recipient_are_checked() {
    let now = OffsetDateTime::now_utc();
    let big = vec![b' '; 5000];
    assert_eq!(refusal(&big, now).status, 413);
    let mut value: serde_json::Value = serde_json::to_value(alert(now)).unwrap();
    value["priority"] = "high".into();
    let r = refusal(value.to_string().as_bytes(), now);
    assert_eq!((r.status, r.error.code.as_str()), (400, "unknown_field"));
    let mut to_tj = alert(now);
    to_tj.recipient = "TJ".into();
    assert_eq!(
        refusal(to_tj.to_json().as_bytes(), now).error.code,
        "wrong_recipient"
    );
}

#[test]
fn an_unknown_body_field_is_refused_after_the_signature() {
    let now = OffsetDateTime::now_utc();
    let body = ALERT.replace("\"reason\"", "\"priority\":1,\"reason\"");
    let message = Unsigned {
        id: "a-2".into(),
        sender: "UZ".into(),
        recipient: "KZ".into(),
        kind: Kind::Alert,
        conversation: "a-2".into(),
        body,
    }
    .sign(&uz(), now);
    let r = refusal(message.to_json().as_bytes(), now);
    assert_eq!((r.status, r.error.code.as_str()), (422, "unknown_field"));
    assert_eq!(r.error.pointer, "/body/priority");
}
