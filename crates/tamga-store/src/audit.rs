//! The tamper-evident audit log's shapes and arithmetic: an entry's hash over the hash of the
//! entry before it (a SHA-256 chain per chain number), signed checkpoints of every chain's
//! head, and the report of a verification. The store writes entries in the transaction of the
//! change they record ([`crate::ops::audit`]); this module holds what a verifier needs.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// What the first entry of a chain links to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct AuditEntry {
    /// The key the auditor's view pages by (`after`); not part of the hash.
    pub id: i64,
    pub chain: i64,
    /// The entry's place in its chain, from 1 without gaps.
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub object: String,
    /// SHA-256 (hex) of the change as the store received it.
    pub digest: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should carry given the hash of the entry before it.
    pub fn expected_hash(&self, prev: &str) -> String {
        let at = self.at.unix_timestamp_nanos() / 1000;
        entry_hash(
            prev,
            &[
                &self.chain.to_string(),
                &self.seq.to_string(),
                &at.to_string(),
                &self.actor,
                &self.action,
                &self.object,
                &self.digest,
            ],
        )
    }
}

/// SHA-256 of the previous hash and each field, each field led by its length so that no two
/// entries' fields run into the same bytes.
pub fn entry_hash(prev: &str, fields: &[&str]) -> String {
    let mut sha = Sha256::new();
    sha.update(prev.as_bytes());
    for field in fields {
        sha.update((field.len() as u64).to_be_bytes());
        sha.update(field.as_bytes());
    }
    hex::encode(sha.finalize())
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn digest(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A chain's last entry as a checkpoint names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChainHead {
    pub chain: i64,
    pub seq: i64,
    pub hash: String,
}

/// A signed checkpoint: `message` names the time and every chain's head and is what the node's
/// Ed25519 key signed. The file `tamga audit export-checkpoint` writes is this, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Checkpoint {
    pub message: String,
    /// The node's Ed25519 public key, hex.
    pub public_key: String,
    /// The Ed25519 signature of `message`, hex.
    pub signature: String,
}

const MESSAGE_TITLE: &str = "tamga audit checkpoint";

impl Checkpoint {
    /// Signs the heads at `at` with `key`.
    pub(crate) fn sign(key: &SigningKey, at: OffsetDateTime, heads: &[ChainHead]) -> Checkpoint {
        let micros = at.unix_timestamp_nanos() / 1000;
        let mut message = format!("{MESSAGE_TITLE}\nat {micros}\n");
        for h in heads {
            message.push_str(&format!(
                "chain {} seq {} hash {}\n",
                h.chain, h.seq, h.hash
            ));
        }
        let signature = key.sign(message.as_bytes());
        Checkpoint {
            public_key: hex::encode(key.verifying_key().as_bytes()),
            signature: hex::encode(signature.to_bytes()),
            message,
        }
    }

    /// The heads the message names, once the signature is found to be the public key's.
    pub fn verified_heads(&self) -> Result<Vec<ChainHead>, String> {
        let key: [u8; 32] = hex::decode(&self.public_key)
            .ok()
            .and_then(|k| k.try_into().ok())
            .ok_or("the public key is not 32 bytes of hex")?;
        let key = VerifyingKey::from_bytes(&key).map_err(|_| "not an Ed25519 public key")?;
        let signature: [u8; 64] = hex::decode(&self.signature)
            .ok()
            .and_then(|s| s.try_into().ok())
            .ok_or("the signature is not 64 bytes of hex")?;
        key.verify(self.message.as_bytes(), &Signature::from_bytes(&signature))
            .map_err(|_| "the signature does not match the message")?;
        self.heads()
            .ok_or_else(|| "the signed message is not a checkpoint".into())
    }

    fn heads(&self) -> Option<Vec<ChainHead>> {
        let mut lines = self.message.lines();
        (lines.next()? == MESSAGE_TITLE).then_some(())?;
        lines.next()?.strip_prefix("at ")?;
        lines
            .map(|line| {
                let words: Vec<&str> = line.split(' ').collect();
                match words.as_slice() {
                    ["chain", chain, "seq", seq, "hash", hash] => Some(ChainHead {
                        chain: chain.parse().ok()?,
                        seq: seq.parse().ok()?,
                        hash: (*hash).to_owned(),
                    }),
                    _ => None,
                }
            })
            .collect()
    }
}

/// The first link of a chain that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BrokenLink {
    pub chain: i64,
    /// The sequence number where the chain breaks.
    pub seq: i64,
    pub why: String,
}

/// What `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Verification {
    /// Entries whose hashes were recomputed.
    pub entries: u64,
    /// Each chain's last entry as verified.
    pub heads: Vec<ChainHead>,
    /// The first broken link, if any (the first chain's, in chain order).
    pub broken: Option<BrokenLink>,
    /// What is wrong with the checkpoint given, if anything: a signature that does not hold,
    /// or a key that is not this node's.
    pub checkpoint_problem: Option<String>,
}

/// Entries of one chain in order, checked one by one against the entry before them and the
/// heads a checkpoint names.
#[derive(Debug)]
pub(crate) struct Walk<'a> {
    pub chain: i64,
    pub seq: i64,
    pub prev: String,
    pub last_id: i64,
    pub entries: u64,
    pub checkpoint: &'a [ChainHead],
}

impl<'a> Walk<'a> {
    pub(crate) fn new(chain: i64, checkpoint: &'a [ChainHead]) -> Self {
        Walk {
            chain,
            seq: 0,
            prev: GENESIS.to_owned(),
            last_id: 0,
            entries: 0,
            checkpoint,
        }
    }

    /// Checks the next entry; the error says why the link breaks.
    pub(crate) fn step(&mut self, entry: &AuditEntry) -> Result<(), BrokenLink> {
        let broken = |seq: i64, why: String| BrokenLink {
            chain: self.chain,
            seq,
            why,
        };
        if entry.seq != self.seq + 1 {
            let why = format!("entry {} follows entry {}", entry.seq, self.seq);
            return Err(broken(self.seq + 1, why));
        }
        if entry.prev_hash != self.prev {
            let why = "its previous hash is not the hash of the entry before it".into();
            return Err(broken(entry.seq, why));
        }
        if entry.hash != entry.expected_hash(&self.prev) {
            return Err(broken(
                entry.seq,
                "its content does not match its hash".into(),
            ));
        }
        if entry.id <= self.last_id {
            return Err(broken(
                entry.seq,
                "it is stored before the entry it follows".into(),
            ));
        }
        if let Some(named) = self.named(entry.seq) {
            if named.hash != entry.hash {
                let why = "its hash is not the one the checkpoint signed".into();
                return Err(broken(entry.seq, why));
            }
        }
        (self.seq, self.prev, self.last_id) = (entry.seq, entry.hash.clone(), entry.id);
        self.entries += 1;
        Ok(())
    }

    fn named(&self, seq: i64) -> Option<&ChainHead> {
        self.checkpoint
            .iter()
            .find(|h| h.chain == self.chain && h.seq == seq)
    }

    /// Checks the end of the chain against its stored head and the checkpoint.
    pub(crate) fn finish(&self, head: Option<&ChainHead>) -> Result<ChainHead, BrokenLink> {
        let end = ChainHead {
            chain: self.chain,
            seq: self.seq,
            hash: self.prev.clone(),
        };
        let broken = |why: String| BrokenLink {
            chain: self.chain,
            seq: self.seq + 1,
            why,
        };
        if let Some(named) = self.checkpoint.iter().find(|h| h.chain == self.chain) {
            if named.seq > self.seq {
                let why = format!(
                    "the log ends at entry {} but the checkpoint signed entry {}",
                    self.seq, named.seq
                );
                return Err(broken(why));
            }
        }
        match head {
            Some(head) if *head == end => Ok(end),
            Some(head) => Err(broken(format!(
                "the log ends at entry {} but the chain's head names entry {}",
                self.seq, head.seq
            ))),
            None => Err(broken("the chain has no head".into())),
        }
    }
}

/// A checkpoint whose chain's entries are absent altogether names a chain that is gone.
pub(crate) fn missing_chains(checkpoint: &[ChainHead], chains: &[i64]) -> Option<BrokenLink> {
    checkpoint
        .iter()
        .find(|h| h.seq > 0 && !chains.contains(&h.chain))
        .map(|h| BrokenLink {
            chain: h.chain,
            seq: 1,
            why: format!(
                "the checkpoint signed entry {} of a chain that is gone",
                h.seq
            ),
        })
}

/// The signing key made from the 32 secret bytes kept in `node_secrets`.
pub(crate) fn signing_key(secret: &[u8]) -> Option<SigningKey> {
    let seed: [u8; 32] = secret.try_into().ok()?;
    Some(SigningKey::from_bytes(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_verifies_and_a_changed_byte_does_not() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let heads = [ChainHead {
            chain: 0,
            seq: 3,
            hash: digest(b"x"),
        }];
        let at = OffsetDateTime::UNIX_EPOCH;
        let checkpoint = Checkpoint::sign(&key, at, &heads);
        assert_eq!(checkpoint.verified_heads().unwrap(), heads);
        let mut forged = checkpoint.clone();
        forged.message = forged.message.replace("seq 3", "seq 2");
        assert!(forged.verified_heads().is_err());
    }

    #[test]
    fn fields_cannot_shift_into_each_other() {
        assert_ne!(
            entry_hash(GENESIS, &["ab", "c"]),
            entry_hash(GENESIS, &["a", "bc"])
        );
    }
}
