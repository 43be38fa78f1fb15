//! `tamga bench submit` against a real server: a staffed run puts officers on duty at the
//! offices its declarations go to and, with every lodgement made yellow, each one's task is
//! drawn among them.

use crate::{tamga, Server};

#[test]
fn a_staffed_run_draws_every_lodgement_among_its_officers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    let token = server.admin_token.clone().unwrap();
    let args = [
        "bench",
        "submit",
        "--url",
        &server.url,
        "--token",
        &token,
        "--count",
        "24",
        "--clients",
        "4",
        "--staff",
        "3",
        "--random-yellow",
        "1",
    ];
    let (code, out, err) = tamga(&args, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("accepted: 24 "), "{out}");
    assert!(err.contains("3 officers on duty at each of"), "{err}");
    let tasks = list(
        &server.url,
        &token,
        "/api/v1/control/tasks?state=allocated&limit=100",
    );
    assert_eq!(tasks.len(), 24, "every lodgement drawn: {tasks:?}");
    let officers = list(&server.url, &token, "/api/v1/control/officers");
    for task in &tasks {
        let examiner = &task["examiner"];
        let rostered = officers.iter().find(|o| o["id"] == *examiner);
        let rostered = rostered.unwrap_or_else(|| panic!("{examiner} is not rostered"));
        assert_eq!(
            rostered["office"], task["office"],
            "drawn at its own office"
        );
    }
}

#[test]
fn a_random_yellow_rate_outside_0_to_1_is_refused_before_anything_is_sent() {
    let args = [
        "bench",
        "submit",
        "--url",
        "http://127.0.0.1:9",
        "--token",
        "tmg_x",
        "--random-yellow",
        "1.5",
    ];
    let (code, _, err) = tamga(&args, &[]);
    assert_ne!(code, 0);
    assert!(
        err.contains("--random-yellow must be a share from 0 to 1"),
        "{err}"
    );
}

/// The JSON list a GET of `path` answers (its `tasks`/`officers` field or the body itself).
fn list(url: &str, token: &str, path: &str) -> Vec<serde_json::Value> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let body: serde_json::Value = runtime.block_on(async {
        let response = reqwest::Client::new()
            .get(format!("{url}{path}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response.json().await.unwrap()
    });
    let items = ["tasks", "officers"]
        .iter()
        .find_map(|k| body.get(*k))
        .unwrap_or(&body);
    items.as_array().cloned().unwrap_or_default()
}
