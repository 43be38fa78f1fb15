//! An acknowledged declaration is on disk: a new process opening the file finds it.

use tamga_core::role::Role;
use tamga_store::sqlite::SqliteStore;
use tamga_store::{LodgeOutcome, Scope, Store};

use crate::fixtures::{declaration, lodgement, user};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_lodgements_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let mrn = {
        let store = SqliteStore::open(dir.path()).await.unwrap();
        let broker = user(&store, "broker", Role::Declarant, Some("UZ305123456")).await;
        match store
            .lodge(lodgement(declaration("D-1"), &broker))
            .await
            .unwrap()
        {
            LodgeOutcome::Accepted(r) => r.mrn,
            other => panic!("{other:?}"),
        }
    };
    let reopened = SqliteStore::open(dir.path()).await.unwrap();
    let found = reopened.declaration(&mrn, &Scope::All).await.unwrap();
    assert_eq!(found.map(|r| r.mrn), Some(mrn));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_is_append_only_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path()).await.unwrap();
    let broker = user(&store, "broker", Role::Declarant, Some("UZ305123456")).await;
    store
        .lodge(lodgement(declaration("D-2"), &broker))
        .await
        .unwrap();
    drop(store);
    let db = dir.path().join(tamga_store::sqlite::FILE_NAME);
    let url = format!("sqlite://{}", db.display());
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let update = sqlx::query("UPDATE declaration_events SET actor = 'someone else'")
        .execute(&mut conn)
        .await;
    assert!(update.is_err(), "history rows must not change");
    let delete = sqlx::query("DELETE FROM declaration_events")
        .execute(&mut conn)
        .await;
    assert!(delete.is_err(), "history rows must not be deleted");
}
