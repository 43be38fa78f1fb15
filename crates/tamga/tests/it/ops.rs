//! Operations end to end: a backup taken while lodging restores every acknowledged
//! declaration with a valid audit chain; restore refuses a database in use; a revoked token is
//! refused by every server; `/metrics` on its own listener.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use tamga_store::{Scope, Store};

use crate::{tamga, Server, SAMPLE};

/// Lodges from `clients` tasks until `stop`, pushing each acknowledged MRN.
fn lodge_until(
    url: &str,
    token: &str,
    acknowledged: &Arc<Mutex<Vec<String>>>,
    stop: &Arc<std::sync::atomic::AtomicBool>,
) -> Vec<tokio::task::JoinHandle<()>> {
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let http = reqwest::Client::new();
    (0..4)
        .map(|client| {
            let (http, token, url, sample) = (
                http.clone(),
                token.to_owned(),
                url.to_owned(),
                sample.clone(),
            );
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            tokio::spawn(async move {
                for n in 0.. {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        return;
                    }
                    let mut body = sample.clone();
                    body["lrn"] = serde_json::json!(format!("B{client}-{n}"));
                    let response = http
                        .post(format!("{url}/api/v1/declarations"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 201);
                    let answer: serde_json::Value = response.json().await.unwrap();
                    let mrn = answer["mrn"].as_str().unwrap().to_owned();
                    acknowledged.lock().unwrap().push(mrn);
                }
            })
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_lodging_restores_every_acknowledged_declaration() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    let token = server.admin_token.clone().unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients = lodge_until(&server.url, &token, &acknowledged, &stop);
    while acknowledged.lock().unwrap().len() < 300 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    // Every declaration acknowledged before the backup begins must be in it.
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let file = dir.path().join("copy.db");
    let file = file.to_str().unwrap().to_owned();
    let started = Instant::now();
    let (data_dir, target) = (data.to_owned(), file.clone());
    let (code, out, err) = tokio::task::spawn_blocking(move || {
        tamga(&["--data-dir", &data_dir, "backup", &target], &[])
    })
    .await
    .unwrap();
    let took = started.elapsed();
    assert_eq!(code, 0, "{out}{err}");
    let during = acknowledged.lock().unwrap().len() - before.len();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for client in clients {
        client.await.unwrap();
    }
    println!(
        "{out}(backup of {} declarations took {took:?}; {during} more acknowledged meanwhile)",
        before.len()
    );
    assert!(
        tamga(&["--data-dir", data, "backup", &file], &[]).0 != 0,
        "an existing file is never overwritten"
    );

    let restored = dir.path().join("restored");
    let restored = restored.to_str().unwrap();
    let (code, out, err) = tamga(&["--data-dir", restored, "restore", &file], &[]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = tamga(&["--data-dir", restored, "audit", "verify"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("every chain holds"), "{out}");
    {
        let store = tamga_store::sqlite::SqliteStore::open(restored.as_ref())
            .await
            .unwrap();
        for mrn in &before {
            let found = store.declaration(mrn, &Scope::All).await.unwrap();
            assert!(found.is_some(), "{mrn} was acknowledged before the backup");
        }
    }
    // While a server holds the database, restore refuses and changes nothing.
    let holder = Server::start(&["--data-dir", restored]);
    let (code, _, err) = tamga(&["--data-dir", restored, "restore", &file], &[]);
    assert_ne!(code, 0);
    assert!(err.contains("in use"), "{err}");
    drop(holder);
    drop(server);
    let (code, _, err) = tamga(&["--data-dir", restored, "restore", SAMPLE], &[]);
    assert_ne!(code, 0, "a JSON file is no database");
    assert!(err.contains("not a usable tamga database"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_token_is_refused_by_every_server() {
    let url = tamga_store::testing::fresh_database().await;
    let first = Server::start(&["--database-url", &url]);
    let second = Server::start(&["--database-url", &url]);
    let admin = first.admin_token.clone().unwrap();
    let (code, out, err) = tamga(
        &[
            "--database-url",
            &url,
            "admin",
            "create-user",
            "olga",
            "--role",
            "officer",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let olga = out.lines().last().unwrap().to_owned();
    let http = reqwest::Client::new();
    let me = |base: &str, token: &str| {
        http.get(format!("{base}/api/v1/me"))
            .bearer_auth(token)
            .send()
    };
    let answer: serde_json::Value = me(&second.url, &olga).await.unwrap().json().await.unwrap();
    let id = answer["id"].as_i64().unwrap();
    let tokens: serde_json::Value = http
        .get(format!("{}/api/v1/users/{id}/tokens", first.url))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token_id = tokens[0]["id"].as_i64().unwrap();
    let revoked = http
        .post(format!(
            "{}/api/v1/users/{id}/tokens/{token_id}/revoke",
            first.url
        ))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    for server in [&first, &second] {
        assert_eq!(me(&server.url, &olga).await.unwrap().status(), 401);
    }
    // The command line issues and revokes too.
    let base = ["--database-url", url.as_str(), "admin"];
    let (code, out, err) = tamga(&[&base[..], &["issue-token", "olga"]].concat(), &[]);
    assert_eq!(code, 0, "{err}");
    let fresh = out.lines().last().unwrap().to_owned();
    assert_eq!(me(&second.url, &fresh).await.unwrap().status(), 200);
    let (_, listed, _) = tamga(&[&base[..], &["tokens", "olga"]].concat(), &[]);
    let fresh_id = listed
        .lines()
        .last()
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_owned();
    let (code, _, err) = tamga(
        &[&base[..], &["revoke-token", "olga", &fresh_id]].concat(),
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(me(&first.url, &fresh).await.unwrap().status(), 401);
    let (code, out, _) = tamga(&["--database-url", &url, "audit", "verify"], &[]);
    assert_eq!(code, 0, "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_have_a_listener_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = Server::start_with(&["--data-dir", data], &["--metrics-listen", "127.0.0.1:0"]);
    let metrics = server.metrics_url.clone().expect("a metrics listener");
    let token = server.admin_token.clone().unwrap();
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let http = reqwest::Client::new();
    let lodged = http
        .post(format!("{}/api/v1/declarations", server.url))
        .bearer_auth(&token)
        .json(&sample)
        .send()
        .await
        .unwrap();
    assert_eq!(lodged.status(), 201);
    let page = http
        .get(&metrics)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "tamga_http_request_duration_seconds_bucket{",
        "tamga_declarations_accepted_total{",
        "tamga_sqlite_commit_batch_size_bucket{",
        "tamga_engine_snapshot_age_seconds ",
    ] {
        assert!(page.contains(name), "{name} missing from {page}");
    }
    let api = http
        .get(format!("{}/metrics", server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 404, "not beside the API");
}

#[test]
fn logs_are_plain_text_off_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let args = ["--data-dir", data, "bench", "fill", "--count", "1"];
    let (code, _, err) = tamga(&args, &[("RUST_LOG", "info")]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("declaration accepted"), "{err}");
    assert!(!err.contains('\u{1b}'), "no ANSI escapes: {err}");
}
