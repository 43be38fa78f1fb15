//! Tampering with the audit log is found by `audit_verify`: one changed byte of any field, a
//! deleted, inserted or reordered entry, a log truncated after an exported checkpoint, a forged
//! checkpoint. The tests reach past the store with raw SQL, after dropping the triggers that
//! keep the log append-only, as an insider with the database's password could.

use tamga_core::role::Role;
use tamga_store::audit::{AuditEntry, BrokenLink, Verification};
use tamga_store::testing::TestStore;
use tamga_store::LodgeOutcome;

use crate::fixtures::{declaration, lodgement, user};

/// A store with eight entries: a user and seven lodgements.
async fn filled(db: &TestStore) -> Vec<AuditEntry> {
    let store = &*db.store;
    let broker = user(store, "broker", Role::Declarant, Some("UZ305123456")).await;
    for i in 0..7 {
        let l = lodgement(declaration(&format!("T-{i}")), &broker);
        assert!(matches!(
            store.lodge(l).await.unwrap(),
            LodgeOutcome::Accepted(_)
        ));
    }
    let entries = store.audit_entries(0, 100).await.unwrap();
    assert_eq!(entries.len(), 8);
    assert_eq!(verify(db).await.broken, None, "untouched, the log holds");
    entries
}

async fn verify(db: &TestStore) -> Verification {
    db.store.audit_verify(None).await.unwrap()
}

/// Runs `sql` on the database past the store, the append-only triggers dropped first.
async fn tamper(db: &TestStore, sql: &str) {
    use sqlx::Connection;
    match (&db.url, db.sqlite_file()) {
        (Some(url), _) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            let drop = "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log";
            sqlx::raw_sql(drop).execute(&mut conn).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        }
        (None, Some(file)) => {
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
                .await
                .unwrap();
            let drop = "DROP TRIGGER IF EXISTS audit_log_append_only_update; \
                DROP TRIGGER IF EXISTS audit_log_append_only_delete";
            sqlx::raw_sql(drop).execute(&mut conn).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        }
        (None, None) => unreachable!("a test store is SQLite or PostgreSQL"),
    }
}

fn broken_at(report: &Verification, entry: &AuditEntry) -> BrokenLink {
    let broken = report.broken.clone().expect("the tampering is found");
    assert_eq!(
        (broken.chain, broken.seq),
        (entry.chain, entry.seq),
        "{broken:?}"
    );
    broken
}

async fn each_field_changed(db: TestStore) {
    let entries = filled(&db).await;
    let e = &entries[3];
    let changes = [
        "actor = 'mallory'".to_owned(),
        "action = 'declaration.lodgf'".to_owned(),
        format!("object = '{}X'", e.object),
        format!("digest = '{}'", flipped(&e.digest)),
        format!("prev_hash = '{}'", flipped(&e.prev_hash)),
        format!("hash = '{}'", flipped(&e.hash)),
        format!("seq = {}", e.seq + 100),
    ];
    for change in changes {
        let sql = format!("UPDATE audit_log SET {change} WHERE id = {}", e.id);
        tamper(&db, &sql).await;
        let report = verify(&db).await;
        let b = report.broken.unwrap_or_else(|| panic!("{change} is found"));
        assert_eq!((b.chain, b.seq), (e.chain, e.seq), "{change}: {b:?}");
        let undo = sql_restore(e);
        tamper(&db, &undo).await;
        assert_eq!(verify(&db).await.broken, None, "restored after {change}");
    }
}

/// A hex digest with its first digit changed (always a change, whatever the digit was).
fn flipped(hex: &str) -> String {
    let first = if hex.starts_with('0') { '1' } else { '0' };
    format!("{first}{}", &hex[1..])
}

/// Puts every field of `e` back as it was.
fn sql_restore(e: &AuditEntry) -> String {
    format!(
        "UPDATE audit_log SET actor = '{}', action = '{}', object = '{}', digest = '{}', \
         prev_hash = '{}', hash = '{}', seq = {} WHERE id = {}",
        e.actor, e.action, e.object, e.digest, e.prev_hash, e.hash, e.seq, e.id
    )
}

async fn time_changed(db: TestStore) {
    let entries = filled(&db).await;
    let e = &entries[2];
    let later = e.at + time::Duration::microseconds(1);
    let at = later
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    // RFC 3339 is how sqlx writes SQLite times, and PostgreSQL reads it.
    tamper(
        &db,
        &format!("UPDATE audit_log SET at = '{at}' WHERE id = {}", e.id),
    )
    .await;
    let b = broken_at(&verify(&db).await, e);
    assert!(b.why.contains("content"), "{b:?}");
}

async fn entry_deleted(db: TestStore) {
    let entries = filled(&db).await;
    let e = &entries[4];
    tamper(&db, &format!("DELETE FROM audit_log WHERE id = {}", e.id)).await;
    let b = broken_at(&verify(&db).await, e);
    assert!(b.why.contains("follows"), "{b:?}");
}

async fn entry_inserted(db: TestStore) {
    let entries = filled(&db).await;
    let (before, after) = (&entries[4], &entries[5]);
    // Make room after `before` in its chain, then insert a forged entry that links to it
    // and carries a correct hash of its own.
    let chain = before.chain;
    let shift = format!(
        "UPDATE audit_log SET seq = seq + 1000 WHERE chain = {chain} AND seq > {s}; \
         UPDATE audit_log SET seq = seq - 999 WHERE chain = {chain} AND seq > 1000",
        s = before.seq
    );
    tamper(&db, &shift).await;
    let mut forged = before.clone();
    forged.seq = before.seq + 1;
    forged.actor = "mallory".into();
    forged.prev_hash = before.hash.clone();
    forged.hash = forged.expected_hash(&before.hash);
    let insert = format!(
        "INSERT INTO audit_log (chain, seq, at, actor, action, object, digest, prev_hash, hash) \
         VALUES ({chain}, {}, (SELECT at FROM audit_log WHERE id = {}), 'mallory', '{}', '{}', \
         '{}', '{}', '{}')",
        forged.seq,
        before.id,
        forged.action,
        forged.object,
        forged.digest,
        forged.prev_hash,
        forged.hash
    );
    tamper(&db, &insert).await;
    let report = verify(&db).await;
    let b = report.broken.clone().expect("found");
    // The entry that followed `before` now follows the forged one and does not link to it.
    assert_eq!((b.chain, b.seq), (after.chain, after.seq + 1), "{b:?}");
}

async fn entries_reordered(db: TestStore) {
    let entries = filled(&db).await;
    let (a, b) = (&entries[2], &entries[3]);
    let swap = format!(
        "UPDATE audit_log SET seq = -1 WHERE id = {a}; \
         UPDATE audit_log SET seq = {sa} WHERE id = {b}; \
         UPDATE audit_log SET seq = {sb} WHERE id = {a}",
        a = a.id,
        b = b.id,
        sa = a.seq,
        sb = b.seq
    );
    tamper(&db, &swap).await;
    broken_at(&verify(&db).await, a);
}

async fn truncated_after_a_checkpoint(db: TestStore) {
    let entries = filled(&db).await;
    let checkpoint = db.store.audit_checkpoint().await.unwrap();
    let kept = &entries[5];
    // Cut the last two entries and move the head back, so the log looks whole on its own.
    let cut = format!(
        "DELETE FROM audit_log WHERE chain = {c} AND seq > {s}; \
         UPDATE audit_head SET seq = {s}, hash = '{h}' WHERE chain = {c}",
        c = kept.chain,
        s = kept.seq,
        h = kept.hash
    );
    tamper(&db, &cut).await;
    assert_eq!(
        verify(&db).await.broken,
        None,
        "without a checkpoint a cut end is invisible"
    );
    let report = db
        .store
        .audit_verify(Some(checkpoint.clone()))
        .await
        .unwrap();
    assert_eq!(report.checkpoint_problem, None);
    let b = report.broken.expect("the checkpoint shows the cut");
    assert_eq!((b.chain, b.seq), (kept.chain, kept.seq + 1), "{b:?}");
    assert!(b.why.contains("checkpoint"), "{b:?}");
    let mut forged = checkpoint;
    forged.message = forged.message.replace(
        &format!("seq {}", kept.seq + 2),
        &format!("seq {}", kept.seq),
    );
    let report = db.store.audit_verify(Some(forged)).await.unwrap();
    assert!(
        report.checkpoint_problem.is_some(),
        "a changed checkpoint is refused"
    );
}

async fn the_triggers_refuse_changes(db: TestStore) {
    let entries = filled(&db).await;
    use sqlx::Connection;
    let sql = format!("DELETE FROM audit_log WHERE id = {}", entries[0].id);
    let refused = match (&db.url, db.sqlite_file()) {
        (Some(url), _) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::raw_sql(&sql).execute(&mut conn).await.is_err()
        }
        (None, Some(file)) => {
            let url = format!("sqlite://{}", file.display());
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            sqlx::raw_sql(&sql).execute(&mut conn).await.is_err()
        }
        (None, None) => unreachable!(),
    };
    assert!(refused, "the log is append-only");
}

/// Lodgements racing each other (and failing ones among them) keep every chain whole.
async fn concurrent_writes_keep_the_chains(db: TestStore) {
    let store = db.store.clone();
    let broker = user(&*store, "broker", Role::Declarant, Some("UZ305123456")).await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let (store, broker) = (store.clone(), broker.clone());
        tasks.push(tokio::spawn(async move {
            let l = lodgement(declaration(&format!("C-{i}")), &broker);
            store.lodge(l).await.unwrap();
            let name = format!("dup-{}", i % 5);
            let _ = crate::fixtures::try_user(&*store, &name).await;
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = verify(&db).await;
    assert_eq!(report.broken, None);
    // A user, 60 lodgements, and 5 of the 60 user creations (the rest were refused).
    assert_eq!(report.entries, 66);
}

macro_rules! tampering {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name(tamga_store::testing::TestStore::sqlite().await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name(tamga_store::testing::TestStore::postgres().await).await;
                }
            }
        )+
    };
}

tampering!(
    each_field_changed,
    time_changed,
    entry_deleted,
    entry_inserted,
    entries_reordered,
    truncated_after_a_checkpoint,
    the_triggers_refuse_changes,
    concurrent_writes_keep_the_chains,
);
