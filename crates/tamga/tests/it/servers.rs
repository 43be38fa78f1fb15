//! Two `tamga serve` processes on one PostgreSQL database.

use std::collections::HashSet;

use crate::{Server, SAMPLE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_mrn_serials_and_lrns() {
    let url = tamga_store::testing::fresh_database().await;
    let first = Server::start(&["--database-url", &url]);
    let second = Server::start(&["--database-url", &url]);
    let token = first
        .admin_token
        .clone()
        .expect("the first server creates the admin");
    assert!(second.admin_token.is_none(), "the admin is created once");
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let http = reqwest::Client::new();
    let mut requests = Vec::new();
    for i in 0..120 {
        let base = if i % 2 == 0 { &first.url } else { &second.url };
        let mut body = sample.clone();
        // Each LRN reaches both servers.
        body["lrn"] = serde_json::json!(format!("TWO-{}", i / 2));
        let request = http
            .post(format!("{base}/api/v1/declarations"))
            .bearer_auth(&token)
            .json(&body)
            .send();
        requests.push(tokio::spawn(async move {
            let response = request.await.unwrap();
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.unwrap();
            (status, body["mrn"].as_str().unwrap_or_default().to_owned())
        }));
    }
    let mut created = HashSet::new();
    let mut repeated = 0;
    for request in requests {
        match request.await.unwrap() {
            (201, mrn) => assert!(created.insert(mrn), "an MRN was assigned twice"),
            (200, _) => repeated += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert_eq!((created.len(), repeated), (60, 60));
}
