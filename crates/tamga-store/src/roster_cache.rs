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
//!
//! On PostgreSQL a draw cannot replace the token inside its transaction: the row would stay
//! locked until the commit, so the draws of an office would wait for each other's commits, and
//! each one that waited found the token moved and dropped the roster (627 drawn lodgements a
//! second against 3,002 without a task). There a draw adds its workloads to the held roster at
//! once, and the token is replaced after the commit, in a transaction of its own that holds
//! the row for one statement ([`ControlCache::publish`]); a rolled-back draw drops the roster
//! instead ([`ControlCache::forget`]). Another server therefore sees a draw once its lodgement
//! is answered, and concurrent draws a moment old, as without the cache.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use tamga_control::allocation::Duty;
use tamga_control::UserId;
use time::OffsetDateTime;

use crate::{Result, StoreError};

/// The office's roster as the database held it at `token`.
#[derive(Debug, Clone)]
pub(crate) struct CachedRoster {
    pub token: i64,
    /// Shifts that ended before this instant were not read: the roster answers only for later
    /// instants.
    pub since: OffsetDateTime,
    pub duty: Duty,
    pub loads: BTreeMap<UserId, u64>,
    /// PostgreSQL: the tokens this process replaced after its commits (and the one it is
    /// putting in place), newest last. A draw that read one of them read around a replacement
    /// of ours, while nothing else changed the roster (a replacement is made only from the
    /// token held), so the roster held still serves it. Always empty on SQLite, where a token
    /// moves inside the transaction.
    pub earlier: Vec<i64>,
}

/// The office of a draw made in a PostgreSQL transaction.
pub(crate) type Drawn = String;

impl CachedRoster {
    /// Whether this roster is the database's at `token`.
    fn at(&self, token: i64) -> bool {
        self.token == token || self.earlier.contains(&token)
    }

    fn accept(&mut self, token: i64) {
        if self.earlier.len() == EARLIER_KEPT {
            self.earlier.remove(0);
        }
        self.earlier.push(token);
    }
}

/// How many replaced tokens a roster keeps accepting: more than the draws that read a token
/// while others of this process commit.
const EARLIER_KEPT: usize = 64;

/// The secret and the rosters of one store (one database).
#[derive(Debug, Default)]
pub(crate) struct ControlCache {
    secret: OnceLock<Vec<u8>>,
    /// When the secret was last looked for and not found.
    looked: Mutex<Option<std::time::Instant>>,
    rosters: Mutex<HashMap<String, CachedRoster>>,
    /// Taken while this process replaces tokens after its commits (PostgreSQL).
    publishing: tokio::sync::Mutex<()>,
    /// Per office, how many of those replacements have begun.
    begun: Mutex<HashMap<String, u64>>,
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
            .filter(|c| c.at(token) && c.since <= at)
            .map(f)
    }

    /// Keeps a roster read from the database.
    pub(crate) fn put(&self, office: &str, roster: CachedRoster) {
        let mut rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        rosters.insert(office.to_owned(), roster);
    }

    /// Our transaction moved the office's token from `seen` to `new` (`new` is `seen` when the
    /// token moves after the commit, on PostgreSQL) and added `delta` to the workloads of
    /// `officers`: the held roster follows if it was the one at `seen`, and is dropped
    /// otherwise (another draw of this process moved it meanwhile).
    pub(crate) fn advance(
        &self,
        office: &str,
        (seen, new): (i64, i64),
        officers: &[UserId],
        delta: u64,
    ) {
        let mut rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        match rosters.get_mut(office) {
            Some(held) if held.at(seen) => {
                if new != seen {
                    held.token = new;
                }
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

    /// Drops the offices' rosters: a draw at them was rolled back, so the workloads held
    /// count a task that does not exist.
    pub(crate) fn forget<'o>(&self, offices: impl IntoIterator<Item = &'o str>) {
        let mut rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        for office in offices {
            rosters.remove(office);
        }
    }

    /// PostgreSQL, once a transaction that made `draws` has committed: replaces each office's
    /// token, so that other servers read the workloads again, in a transaction of its own that
    /// does not wait for the disk (a token lost in a crash of the database only makes other
    /// servers draw from older workloads until the next change). The token is replaced only
    /// if it is the one the held roster is at, and the roster follows it; otherwise the roster
    /// changed meanwhile and is dropped, and the token replaced all the same. This process's
    /// replacements take turns, and one begun after a commit serves that commit's draws too,
    /// so a busy office's commits share them.
    ///
    /// A roster read while draws of this process were not committed yet lacks their workloads,
    /// as a read without the cache would; it keeps lacking them until it is read again (at the
    /// office's next change or completion), so the workloads a draw weighs may be short by the
    /// draws that were under way at that reading.
    pub(crate) async fn publish(&self, pool: &sqlx::PgPool, draws: &[Drawn]) -> Result<()> {
        let mut offices: Vec<&str> = draws.iter().map(String::as_str).collect();
        offices.sort_unstable();
        offices.dedup();
        let tickets: Vec<u64> = offices.iter().map(|office| self.begun(office)).collect();
        let _turn = self.publishing.lock().await;
        for (office, ticket) in offices.into_iter().zip(tickets) {
            // A replacement begun after our commit covers our draws as well.
            if self.begun(office) > ticket {
                continue;
            }
            self.begin(office);
            let new = rand::random::<i64>();
            if let Some(seen) = self.expect(office, new) {
                if replace_token(pool, office, Some(seen), new).await? {
                    self.replaced(office, seen, new);
                    continue;
                }
            }
            self.forget([office]);
            replace_token(pool, office, None, new).await?;
        }
        Ok(())
    }

    /// How many replacements of the office's token this process has begun.
    fn begun(&self, office: &str) -> u64 {
        let begun = self.begun.lock().unwrap_or_else(|e| e.into_inner());
        begun.get(office).copied().unwrap_or(0)
    }

    /// Counts one more replacement of the office's token begun.
    fn begin(&self, office: &str) {
        let mut begun = self.begun.lock().unwrap_or_else(|e| e.into_inner());
        *begun.entry(office.to_owned()).or_insert(0) += 1;
    }

    /// The held roster's token, about to be replaced by `new`: draws that read `new` meanwhile
    /// may use the roster already (only this replacement can put it in the database).
    fn expect(&self, office: &str, new: i64) -> Option<i64> {
        let mut rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        let held = rosters.get_mut(office)?;
        held.accept(new);
        Some(held.token)
    }

    /// The held roster follows the token this process replaced, still accepting the old one
    /// (the new one, accepted since [`Self::expect`], is now its own token).
    fn replaced(&self, office: &str, seen: i64, new: i64) {
        let mut rosters = self.rosters.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(held) = rosters.get_mut(office).filter(|held| held.token == seen) {
            held.earlier.retain(|token| *token != new);
            held.accept(seen);
            held.token = new;
        }
    }
}

/// Sets the office's token to `new` if it is `held` (or whatever it is, when `held` is `None`),
/// committed without waiting for the disk; returns whether it did. The office is a UN/LOCODE
/// (five letters and digits) and the tokens are numbers, so they are written into the text,
/// which then runs in one round trip as one transaction (rolled back whole on an error).
async fn replace_token(
    pool: &sqlx::PgPool,
    office: &str,
    held: Option<i64>,
    new: i64,
) -> Result<bool> {
    if !office.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(StoreError::Corrupt(format!("office {office:?}")));
    }
    let only_if = held.map_or_else(String::new, |seen| format!(" AND token = {seen}"));
    let sql = format!(
        "SET LOCAL synchronous_commit = off; \
         UPDATE control_roster_state SET token = {new} WHERE office = '{office}'{only_if}"
    );
    let done = sqlx::raw_sql(&sql).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}
