//! The audit log in the store: [`record`] (or [`push`], for a write that runs a [`Script`])
//! is the one function every audited operation calls, in its own transaction, after the change
//! it records. The entry links to its chain's head, which the transaction holds until it
//! commits: on SQLite the single writer serialises every write anyway and its batch lends the
//! head (read once per batch); on PostgreSQL the head row is locked, the first of the chains
//! nobody holds (see the migration for why there are several).

use std::fmt::Debug;

use time::OffsetDateTime;

use crate::audit::{digest, AuditEntry, ChainHead};
use crate::conn::{Bind, Conn};
use crate::script::Script;
use crate::Result;

/// A state change as the audit log records it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Change<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub object: &'a str,
    /// The change as the store received it; the entry keeps its SHA-256.
    pub detail: &'a [u8],
}

impl<'a> Change<'a> {
    pub(crate) fn new(actor: &'a str, action: &'a str, object: &'a str, detail: &'a [u8]) -> Self {
        Change {
            actor,
            action,
            object,
            detail,
        }
    }
}

/// Appends the entry of `change` in the current transaction.
pub(crate) async fn record(conn: &mut Conn<'_>, change: Change<'_>) -> Result<()> {
    let mut script = Script::default();
    push(conn, &mut script, change).await?;
    script.run(conn).await
}

/// Appends the entry of a change whose detail is its input as Rust prints it (`{:?}`).
pub(crate) async fn record_debug(
    conn: &mut Conn<'_>,
    actor: &str,
    action: &str,
    object: &str,
    input: &impl Debug,
) -> Result<()> {
    let detail = format!("{input:?}");
    record(conn, Change::new(actor, action, object, detail.as_bytes())).await
}

/// Adds the entry of `change` to `script`, which must run in this transaction.
pub(crate) async fn push(
    conn: &mut Conn<'_>,
    script: &mut Script<'_>,
    change: Change<'_>,
) -> Result<()> {
    #[cfg(feature = "bench-knobs")]
    if crate::bench_knobs::audit_off() {
        return Ok(());
    }
    let head = take_head(conn).await?;
    let entry = next_entry(&head, change);
    let binds = vec![
        Bind::Int(entry.chain),
        Bind::Int(entry.seq),
        Bind::Time(entry.at),
        Bind::Text(entry.actor),
        Bind::Text(entry.action),
        Bind::Text(entry.object),
        Bind::Text(entry.digest),
        Bind::Text(entry.prev_hash),
        Bind::Text(entry.hash.clone()),
    ];
    let head = ChainHead {
        chain: entry.chain,
        seq: entry.seq,
        hash: entry.hash,
    };
    script.push(INSERT_ENTRY, binds);
    let update = vec![
        Bind::Int(head.seq),
        Bind::Text(head.hash.clone()),
        Bind::Int(head.chain),
    ];
    script.push(UPDATE_HEAD, update);
    if let Some(cache) = conn.head_cache() {
        *cache = Some(head);
    }
    Ok(())
}

const INSERT_ENTRY: &str = "INSERT INTO audit_log \
    (chain, seq, at, actor, action, object, digest, prev_hash, hash) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const UPDATE_HEAD: &str = "UPDATE audit_head SET seq = $1, hash = $2 WHERE chain = $3";
/// The entry that follows `head`, stamped now (to the microsecond both databases keep).
fn next_entry(head: &ChainHead, change: Change<'_>) -> AuditEntry {
    let now = crate::sql::now();
    let at = now
        .replace_nanosecond(now.nanosecond() / 1000 * 1000)
        .unwrap_or(now);
    let mut entry = AuditEntry {
        id: 0,
        chain: head.chain,
        seq: head.seq + 1,
        at,
        actor: change.actor.to_owned(),
        action: change.action.to_owned(),
        object: change.object.to_owned(),
        digest: digest(change.detail),
        prev_hash: head.hash.clone(),
        hash: String::new(),
    };
    entry.hash = entry.expected_hash(&head.hash);
    entry
}

/// The head this transaction extends: the SQLite batch's, or a PostgreSQL chain's row locked
/// until commit.
async fn take_head(conn: &mut Conn<'_>) -> Result<ChainHead> {
    if let Some(Some(head)) = conn.head_cache() {
        return Ok(head.clone());
    }
    let select = "SELECT chain, seq, hash FROM audit_head";
    let head = match conn.dialect() {
        crate::sql::Dialect::Sqlite => {
            conn.one(&format!("{select} ORDER BY chain LIMIT 1"), &[])
                .await?
        }
        crate::sql::Dialect::Postgres => {
            let free = format!("{select} ORDER BY chain LIMIT 1 FOR UPDATE SKIP LOCKED");
            match conn.optional(&free, &[]).await? {
                Some(head) => head,
                // Every chain is held: wait for one, taken at random so waiters spread out.
                None => {
                    let any = format!("{select} ORDER BY random() LIMIT 1 FOR UPDATE");
                    conn.one(&any, &[]).await?
                }
            }
        }
    };
    let (chain, seq, hash): (i64, i64, String) = head;
    Ok(ChainHead { chain, seq, hash })
}

const SELECT_ENTRIES: &str = "SELECT id, chain, seq, at, actor, action, object, digest, \
    prev_hash, hash FROM audit_log";

/// Entries after `after` (by id), oldest first.
pub(crate) async fn entries(
    conn: &mut Conn<'_>,
    after: i64,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let sql = format!("{SELECT_ENTRIES} WHERE id > $1 ORDER BY id LIMIT $2");
    conn.all(&sql, &[Bind::Int(after), Bind::Int(i64::from(limit))])
        .await
}

/// Entries of one chain after `after_seq` up to `last`, in chain order.
pub(crate) async fn chain_page(
    conn: &mut Conn<'_>,
    chain: i64,
    after_seq: i64,
    last: i64,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let sql = format!(
        "{SELECT_ENTRIES} WHERE chain = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4"
    );
    let binds = [
        Bind::Int(chain),
        Bind::Int(after_seq),
        Bind::Int(last),
        Bind::Int(i64::from(limit)),
    ];
    conn.all(&sql, &binds).await
}

/// Every chain's stored head, and every chain number the log holds entries of.
pub(crate) async fn chains(conn: &mut Conn<'_>) -> Result<(Vec<ChainHead>, Vec<i64>)> {
    let heads: Vec<(i64, i64, String)> = conn
        .all(
            "SELECT chain, seq, hash FROM audit_head ORDER BY chain",
            &[],
        )
        .await?;
    let heads = heads
        .into_iter()
        .map(|(chain, seq, hash)| ChainHead { chain, seq, hash })
        .collect();
    let used: Vec<(i64,)> = conn
        .all("SELECT DISTINCT chain FROM audit_log ORDER BY chain", &[])
        .await?;
    Ok((heads, used.into_iter().map(|(c,)| c).collect()))
}

/// Stores a signed checkpoint.
pub(crate) async fn save_checkpoint(
    conn: &mut Conn<'_>,
    at: OffsetDateTime,
    checkpoint: &crate::audit::Checkpoint,
) -> Result<()> {
    let insert = "INSERT INTO audit_checkpoints (at, message, public_key, signature) \
        VALUES ($1, $2, $3, $4)";
    let binds = [
        Bind::Time(at),
        Bind::Str(&checkpoint.message),
        Bind::Str(&checkpoint.public_key),
        Bind::Str(&checkpoint.signature),
    ];
    conn.execute(insert, &binds).await?;
    Ok(())
}

/// The latest signed checkpoint, with when it was made.
pub(crate) async fn latest_checkpoint(
    conn: &mut Conn<'_>,
) -> Result<Option<(OffsetDateTime, crate::audit::Checkpoint)>> {
    let select = "SELECT at, message, public_key, signature FROM audit_checkpoints \
        ORDER BY id DESC LIMIT 1";
    let row: Option<(OffsetDateTime, String, String, String)> = conn.optional(select, &[]).await?;
    Ok(row.map(|(at, message, public_key, signature)| {
        let checkpoint = crate::audit::Checkpoint {
            message,
            public_key,
            signature,
        };
        (at, checkpoint)
    }))
}
