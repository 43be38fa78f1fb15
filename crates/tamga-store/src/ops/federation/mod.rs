//! The federation's outbox, inbox and refusals. Every change writes its audit entry in the
//! same transaction: a message queued (`federation.send`), a delivery attempt's outcome
//! (`federation.delivered`, `federation.refused`, `federation.retry`), a message accepted
//! (`federation.receive`) or refused (`federation.refuse`), and the signing key made.

use time::OffsetDateTime;

use super::audit::{self, Change};
use crate::conn::{Bind, Conn};
use crate::federation::*;
use crate::Result;

mod alerts;
mod announce;
pub(crate) use alerts::{alerts_received, alerts_sent, feedback};
pub(crate) use announce::announce;

pub(super) const OUTBOX_COLUMNS: &str =
    "id, recipient, kind, conversation, state, attempts, last_error, created_at, body";
pub(super) const INBOX_COLUMNS: &str = "sender, id, kind, conversation, body, received_at";

pub(super) type OutboxRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    OffsetDateTime,
    String,
);
pub(super) type InboxRow = (String, String, String, String, String, OffsetDateTime);

pub(super) fn outbox_entry(row: OutboxRow) -> (OutboxEntry, String) {
    let (id, recipient, kind, conversation, state, attempts, last_error, created_at, body) = row;
    let entry = OutboxEntry {
        id,
        recipient,
        kind,
        conversation,
        state,
        attempts,
        last_error,
        created_at,
    };
    (entry, body)
}

pub(super) fn received(row: InboxRow) -> Received {
    let (sender, id, kind, conversation, body, received_at) = row;
    Received {
        sender,
        id,
        kind,
        conversation,
        body,
        received_at,
    }
}

/// The federation's signing key seed, made now (and audited) if there is none; `true` when
/// it was made by this call.
pub(crate) async fn signing_key(conn: &mut Conn<'_>) -> Result<(Vec<u8>, bool)> {
    let select = "SELECT name FROM node_secrets WHERE name = $1";
    let exists: Option<String> = conn
        .optional_scalar(select, &[Bind::Str(SIGNING_KEY)])
        .await?;
    let seed = super::secrets::node_secret(conn, SIGNING_KEY).await?;
    if exists.is_none() {
        let object = format!("secret:{SIGNING_KEY}");
        let change = Change::new("tamga", "federation.keygen", &object, b"key made");
        audit::record(conn, change).await?;
    }
    Ok((seed, exists.is_none()))
}

/// The signing key seed if it was made (a read).
pub(crate) async fn existing_key(conn: &mut Conn<'_>) -> Result<Option<Vec<u8>>> {
    let select = "SELECT name FROM node_secrets WHERE name = $1";
    let exists: Option<String> = conn
        .optional_scalar(select, &[Bind::Str(SIGNING_KEY)])
        .await?;
    match exists {
        Some(_) => Ok(Some(super::secrets::node_secret(conn, SIGNING_KEY).await?)),
        None => Ok(None),
    }
}

/// Queues a message, due at once.
pub(crate) async fn enqueue(
    conn: &mut Conn<'_>,
    out: &Outgoing,
    by: &str,
    now: OffsetDateTime,
) -> Result<()> {
    insert(conn, out, by, now).await?;
    let detail = format!(
        "{} to {} in {}: {}",
        out.kind, out.recipient, out.conversation, out.body
    );
    let object = format!("federation:{}", out.id);
    let change = Change::new(by, "federation.send", &object, detail.as_bytes());
    audit::record(conn, change).await
}

/// The outbox row of a message, due at once (its audit entry is the caller's).
pub(super) async fn insert(
    conn: &mut Conn<'_>,
    out: &Outgoing,
    by: &str,
    now: OffsetDateTime,
) -> Result<()> {
    let insert = "INSERT INTO federation_outbox (id, recipient, kind, conversation, body, \
         created_by, created_at, next_attempt_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let binds = [
        Bind::Str(&out.id),
        Bind::Str(&out.recipient),
        Bind::Str(&out.kind),
        Bind::Str(&out.conversation),
        Bind::Str(&out.body),
        Bind::Str(by),
        Bind::Time(now),
        Bind::Int(millis(now)),
    ];
    conn.execute(insert, &binds).await?;
    Ok(())
}

/// Unix milliseconds of `at`.
pub fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// The messages due at `now_ms`: each the first unsettled one of its conversation with its
/// recipient, oldest first.
pub(crate) async fn due(conn: &mut Conn<'_>, now_ms: i64, limit: u32) -> Result<Vec<Queued>> {
    let select = "SELECT o.seq, o.id, o.recipient, o.kind, o.conversation, o.body, o.attempts \
         FROM federation_outbox o WHERE o.state = 'pending' AND o.next_attempt_ms <= $1 \
         AND NOT EXISTS (SELECT 1 FROM federation_outbox p WHERE p.state = 'pending' \
         AND p.recipient = o.recipient AND p.conversation = o.conversation AND p.seq < o.seq) \
         ORDER BY o.seq LIMIT $2";
    let rows: Vec<(i64, String, String, String, String, String, i64)> = conn
        .all(select, &[Bind::Int(now_ms), Bind::Int(i64::from(limit))])
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(seq, id, recipient, kind, conversation, body, attempts)| Queued {
                seq,
                id,
                recipient,
                kind,
                conversation,
                body,
                attempts,
            },
        )
        .collect())
}

/// Records a delivery attempt's outcome; `false` when the message was no longer pending.
pub(crate) async fn settle(
    conn: &mut Conn<'_>,
    id: &str,
    delivery: &Delivery,
    now: OffsetDateTime,
) -> Result<bool> {
    let (sql, binds, action, detail) = match delivery {
        Delivery::Delivered => (
            "UPDATE federation_outbox SET state = 'delivered', attempts = attempts + 1, \
             last_error = NULL, settled_at = $1 WHERE id = $2 AND state = 'pending'",
            vec![Bind::Time(now), Bind::Str(id)],
            "federation.delivered",
            String::new(),
        ),
        Delivery::Refused(reason) => (
            "UPDATE federation_outbox SET state = 'refused', attempts = attempts + 1, \
             last_error = $1, settled_at = $2 WHERE id = $3 AND state = 'pending'",
            vec![Bind::Str(reason), Bind::Time(now), Bind::Str(id)],
            "federation.refused",
            reason.clone(),
        ),
        Delivery::Retry {
            error,
            next_attempt_ms,
        } => (
            "UPDATE federation_outbox SET attempts = attempts + 1, last_error = $1, \
             next_attempt_ms = $2 WHERE id = $3 AND state = 'pending'",
            vec![Bind::Str(error), Bind::Int(*next_attempt_ms), Bind::Str(id)],
            "federation.retry",
            error.clone(),
        ),
    };
    if conn.execute(sql, &binds).await? == 0 {
        return Ok(false);
    }
    let object = format!("federation:{id}");
    let change = Change::new("federation outbox", action, &object, detail.as_bytes());
    audit::record(conn, change).await?;
    Ok(true)
}

/// Stores an admitted message once: a second copy of the same content is a duplicate, other
/// content under a known id is a replay, recorded as a refusal.
pub(crate) async fn receive(
    conn: &mut Conn<'_>,
    message: &Incoming,
    now: OffsetDateTime,
) -> Result<Receipt> {
    let insert = "INSERT INTO federation_inbox (sender, id, kind, conversation, body, sent_at, \
         received_at, digest, envelope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (sender, id) DO NOTHING RETURNING seq";
    let binds = [
        Bind::Str(&message.sender),
        Bind::Str(&message.id),
        Bind::Str(&message.kind),
        Bind::Str(&message.conversation),
        Bind::Str(&message.body),
        Bind::Str(&message.sent_at),
        Bind::Time(now),
        Bind::Str(&message.digest),
        Bind::Str(&message.envelope),
    ];
    let object = format!("federation:{}:{}", message.sender, message.id);
    if conn.optional_scalar::<i64>(insert, &binds).await?.is_some() {
        let change = Change::new(&message.sender, "federation.receive", &object, b"accepted");
        audit::record(conn, change).await?;
        return Ok(Receipt::Accepted);
    }
    let select = "SELECT digest FROM federation_inbox WHERE sender = $1 AND id = $2";
    let id_binds = [Bind::Str(&message.sender), Bind::Str(&message.id)];
    let digest: String = conn.scalar(select, &id_binds).await?;
    if digest == message.digest {
        return Ok(Receipt::Duplicate);
    }
    let refusal = Refusal {
        sender: Some(message.sender.clone()),
        message_id: Some(message.id.clone()),
        status: 409,
        code: "replay".into(),
        pointer: "/id".into(),
        message: "this id was accepted before with other content".into(),
    };
    refuse(conn, &refusal, now).await?;
    Ok(Receipt::Replay)
}

/// Records a refusal the inbox gave.
pub(crate) async fn refuse(
    conn: &mut Conn<'_>,
    refusal: &Refusal,
    now: OffsetDateTime,
) -> Result<()> {
    let insert = "INSERT INTO federation_refusals (at, sender, message_id, status, code, \
         pointer, message) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let binds = [
        Bind::Time(now),
        Bind::OptStr(refusal.sender.as_deref()),
        Bind::OptStr(refusal.message_id.as_deref()),
        Bind::Int(refusal.status),
        Bind::Str(&refusal.code),
        Bind::Str(&refusal.pointer),
        Bind::Str(&refusal.message),
    ];
    conn.execute(insert, &binds).await?;
    let sender = refusal.sender.as_deref().unwrap_or("-");
    let object = format!(
        "federation:{sender}:{}",
        refusal.message_id.as_deref().unwrap_or("-")
    );
    let detail = format!("{} {}: {}", refusal.code, refusal.pointer, refusal.message);
    let change = Change::new(sender, "federation.refuse", &object, detail.as_bytes());
    audit::record(conn, change).await
}

/// The latest refusals, newest first.
pub(crate) async fn refusals(conn: &mut Conn<'_>, limit: u32) -> Result<Vec<Refusal>> {
    let select = "SELECT sender, message_id, status, code, pointer, message \
         FROM federation_refusals ORDER BY seq DESC LIMIT $1";
    type Row = (Option<String>, Option<String>, i64, String, String, String);
    let rows: Vec<Row> = conn.all(select, &[Bind::Int(i64::from(limit))]).await?;
    Ok(rows
        .into_iter()
        .map(
            |(sender, message_id, status, code, pointer, message)| Refusal {
                sender,
                message_id,
                status,
                code,
                pointer,
                message,
            },
        )
        .collect())
}

/// The outbox, newest first.
pub(crate) async fn outbox(conn: &mut Conn<'_>, limit: u32) -> Result<Vec<OutboxEntry>> {
    let select =
        format!("SELECT {OUTBOX_COLUMNS} FROM federation_outbox ORDER BY seq DESC LIMIT $1");
    let rows: Vec<OutboxRow> = conn.all(&select, &[Bind::Int(i64::from(limit))]).await?;
    Ok(rows.into_iter().map(|r| outbox_entry(r).0).collect())
}

/// Messages received, oldest first, of one type or all, after inbox position `after`.
pub(crate) async fn inbox(
    conn: &mut Conn<'_>,
    kind: Option<&str>,
    limit: u32,
) -> Result<Vec<Received>> {
    let select = format!(
        "SELECT {INBOX_COLUMNS} FROM federation_inbox WHERE ($1 IS NULL OR kind = $1) \
         ORDER BY seq LIMIT $2"
    );
    let binds = [Bind::OptStr(kind), Bind::Int(i64::from(limit))];
    let rows: Vec<InboxRow> = conn.all(&select, &binds).await?;
    Ok(rows.into_iter().map(received).collect())
}

/// Messages received in a conversation (from one sender, or any), in the order received.
pub(crate) async fn conversation(
    conn: &mut Conn<'_>,
    sender: Option<&str>,
    conversation: &str,
) -> Result<Vec<Received>> {
    let select = format!(
        "SELECT {INBOX_COLUMNS} FROM federation_inbox WHERE conversation = $1 \
         AND ($2 IS NULL OR sender = $2) ORDER BY seq"
    );
    let binds = [Bind::Str(conversation), Bind::OptStr(sender)];
    let rows: Vec<InboxRow> = conn.all(&select, &binds).await?;
    Ok(rows.into_iter().map(received).collect())
}

/// An envelope as it arrived, to verify again.
pub(crate) async fn envelope(
    conn: &mut Conn<'_>,
    sender: &str,
    id: &str,
) -> Result<Option<String>> {
    let select = "SELECT envelope FROM federation_inbox WHERE sender = $1 AND id = $2";
    conn.optional_scalar(select, &[Bind::Str(sender), Bind::Str(id)])
        .await
}
