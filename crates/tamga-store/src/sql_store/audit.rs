//! The audit log's reads and checkpoints on [`SqlStore`]: verification walks each chain in
//! pages over a read connection; a checkpoint signs every chain's head in a write.

use super::SqlStore;
use crate::audit::{missing_chains, signing_key, ChainHead, Checkpoint, Verification, Walk};
use crate::conn::{Bind, Conn};
use crate::ops::{audit, secrets};
use crate::{Result, StoreError};

/// Entries read per query while verifying.
const PAGE: u32 = 5_000;

impl SqlStore {
    /// Recomputes every chain up to the head it had when the walk began, and holds it to the
    /// heads `checkpoint` signed.
    pub(super) async fn verify_audit(
        &self,
        checkpoint: Option<Checkpoint>,
    ) -> Result<Verification> {
        let mut pooled = self.read().await?;
        let conn = &mut pooled.conn();
        let (signed, problem) = match checkpoint {
            Some(c) => checked(conn, &c).await?,
            None => (Vec::new(), None),
        };
        let (heads, used) = audit::chains(conn).await?;
        let mut chains: Vec<i64> = heads.iter().map(|h| h.chain).collect();
        let unheaded: Vec<i64> = used
            .iter()
            .filter(|c| !chains.contains(c))
            .copied()
            .collect();
        chains.extend(unheaded);
        let mut report = Verification {
            entries: 0,
            heads: Vec::new(),
            broken: missing_chains(&signed, &used),
            checkpoint_problem: problem,
        };
        for chain in chains {
            let head = heads.iter().find(|h| h.chain == chain);
            let walked = walk(conn, chain, head, &signed).await?;
            report.entries += walked.0;
            match walked.1 {
                Ok(end) => report.heads.push(end),
                Err(broken) => {
                    report.broken.get_or_insert(broken);
                }
            }
        }
        Ok(report)
    }

    /// Signs every chain's head with the node's key, stores the checkpoint and returns it.
    pub(super) async fn make_checkpoint(&self) -> Result<Checkpoint> {
        self.write(|c| {
            Box::pin(async move {
                let seed = secrets::node_secret(c, secrets::AUDIT_SIGNING_KEY).await?;
                let key = signing_key(&seed).ok_or_else(|| {
                    StoreError::Corrupt("the audit signing key is not 32 bytes".into())
                })?;
                let (heads, _) = audit::chains(c).await?;
                let at = crate::sql::now();
                let checkpoint = Checkpoint::sign(&key, at, &heads);
                audit::save_checkpoint(c, at, &checkpoint).await?;
                Ok(checkpoint)
            })
        })
        .await
    }
}

#[cfg(feature = "testing")]
impl SqlStore {
    /// Sets the first selectivity secret to known bytes, so that tests see the same random
    /// draws on every run (a server makes its own at random).
    pub async fn fix_selectivity_secret(&self, secret: &'static [u8]) -> Result<()> {
        self.write(move |c| {
            Box::pin(async move {
                use base64::Engine;
                let text = base64::engine::general_purpose::STANDARD.encode(secret);
                let insert =
                    "INSERT INTO node_secrets (name, secret) VALUES ('selectivity/1', $1) \
                    ON CONFLICT (name) DO NOTHING";
                c.execute(insert, &[Bind::Text(text)]).await?;
                Ok(())
            })
        })
        .await
    }
}

/// The heads a checkpoint signed, and what is wrong with it (a bad signature, or a key that
/// is not this node's).
async fn checked(
    conn: &mut Conn<'_>,
    checkpoint: &Checkpoint,
) -> Result<(Vec<ChainHead>, Option<String>)> {
    let heads = match checkpoint.verified_heads() {
        Ok(heads) => heads,
        Err(why) => return Ok((Vec::new(), Some(why))),
    };
    let select = "SELECT secret FROM node_secrets WHERE name = $1";
    let seed: Option<String> = conn
        .optional_scalar(select, &[Bind::Str(secrets::AUDIT_SIGNING_KEY)])
        .await?;
    let ours = seed
        .and_then(|s| {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.decode(s).ok()
        })
        .and_then(|s| signing_key(&s))
        .map(|k| hex::encode(k.verifying_key().as_bytes()));
    if ours.as_deref() != Some(checkpoint.public_key.as_str()) {
        let why = "the checkpoint was signed by a key that is not this node's".to_owned();
        return Ok((heads, Some(why)));
    }
    Ok((heads, None))
}

/// Walks one chain: how many entries held, and its verified end or its first broken link.
async fn walk(
    conn: &mut Conn<'_>,
    chain: i64,
    head: Option<&ChainHead>,
    signed: &[ChainHead],
) -> Result<(u64, Result<ChainHead, crate::audit::BrokenLink>)> {
    let mut walk = Walk::new(chain, signed);
    let last = head.map_or(i64::MAX, |h| h.seq);
    loop {
        let page = audit::chain_page(conn, chain, walk.seq, last, PAGE).await?;
        let full = page.len() == PAGE as usize;
        for entry in &page {
            if let Err(broken) = walk.step(entry) {
                return Ok((walk.entries, Err(broken)));
            }
        }
        if !full {
            return Ok((walk.entries, walk.finish(head)));
        }
    }
}
