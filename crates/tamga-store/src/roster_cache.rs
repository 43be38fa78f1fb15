//! What a draw needs from the database, kept in the process between draws: the allocation
//! secret, and per office the roster (officers, groups, suspensions, shifts, conflicts) with
//! the officers' workloads.
//!
//! Why: a lodgement that opens a control task used to read all of this in its transaction,
//! about ten round trips on the SQLite writer, and that took four fifths of lodgement
//! throughput away. Now a draw reads one token per office (on SQLite in the lodgement's first
//! read) and uses the roster held here only while the token in the database is the one it was
//! read at. Every change of the roster replaces the token (triggers of migration 0028) and so
//! does every change of a workload (the store's code: a draw, a completion, a reallocation), so
//! a roster another server or process changed is never trusted; it is read again.
//!
//! Tokens are random, never counters: a draw that updates the cache before its transaction
//! commits leaves a token behind that, if the transaction rolls back, no database will ever
//! hold again, so the entry is simply never used.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use tamga_control::allocation::Duty;
use tamga_control::UserId;
use time::OffsetDateTime;

/// The office's roster as the database held it at `token`.
#[derive(Debug, Clone)]
pub(crate) struct CachedRoster {
    pub token: i64,
    /// Shifts that ended before this instant were not read: the roster answers only for later
    /// instants.
    pub since: OffsetDateTime,
    pub duty: Duty,
    pub loads: BTreeMap<UserId, u64>,
}

/// The secret and the rosters of one store (one database).
#[derive(Debug, Default)]
pub(crate) struct ControlCache {
    secret: OnceLock<Vec<u8>>,
    /// When the secret was last looked for and not found.
    looked: Mutex<Option<std::time::Instant>>,
    rosters: Mutex<HashMap<String, CachedRoster>>,
}

impl ControlCache {
    /// The allocation secret, when it was read from the database once already.
    pub(crate) fn secret(&self) -> Option<&[u8]> {
        self.secret.get().map(Vec::as_slice)
    }

    /// Whether to look for the secret on a read connection: not while it is held, and at most
    /// once a second while it is not made yet (a database where nothing was ever drawn).
    pub(crate) fn should_look(&self) -> bool {
        if self.secret.get().is_some() {
            return false;
        }
        let mut looked = self.looked.lock().unwrap_or_else(|e| e.into_inner());
        let now = std::time::Instant::now();
        let due = looked.is_none_or(|at| now.duration_since(at).as_secs() >= 1);
        if due {
            *looked = Some(now);
        }
        due
    }

    /// Keeps the allocation secret. Only a committed secret may be kept (one read on a read
    /// connection): one made in a transaction that could still roll back may never exist.
    pub(crate) fn keep_secret(&self, secret: Vec<u8>) {
        let _ = self.secret.set(secret);
    }

    /// Runs `f` on the office's roster if it is held at `token` and answers for `at`.
    pub(crate) fn with<T>(
        &self,
        office: &str,
        token: i64,
        at: OffsetDateTime,
        f: impl FnOnce(&CachedRoster) -> T,
    ) -> Option<T> {
        let rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        rosters
            .get(office)
            .filter(|c| c.token == token && c.since <= at)
            .map(f)
    }

    /// Keeps a roster read from the database.
    pub(crate) fn put(&self, office: &str, roster: CachedRoster) {
        let mut rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        rosters.insert(office.to_owned(), roster);
    }

    /// Our transaction moved the office's token from `seen` to `new` and added `delta` to the
    /// workloads of `officers`: the held roster follows if it was the one at `seen`, and is
    /// dropped otherwise (another draw of this process moved it meanwhile).
    pub(crate) fn advance(
        &self,
        office: &str,
        (seen, new): (i64, i64),
        officers: &[UserId],
        delta: u64,
    ) {
        let mut rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        match rosters.get_mut(office) {
            Some(held) if held.token == seen => {
                held.token = new;
                for officer in officers {
                    let load = held.loads.entry(*officer).or_insert(0);
                    *load = load.saturating_add(delta);
                }
            }
            _ => {
                rosters.remove(office);
            }
        }
    }
}
