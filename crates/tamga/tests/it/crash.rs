//! An acknowledged declaration survives the server being killed (SIGKILL, no shutdown).
//! This covers a process crash; power loss is covered by `synchronous=FULL`, which a test on
//! one machine cannot cut the power to.

use std::sync::{Arc, Mutex};

use crate::{Server, SAMPLE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_lodgements_survive_a_kill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let mut server = Server::start(&["--data-dir", &data]);
    let token = server.admin_token.clone().unwrap();
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let http = reqwest::Client::new();
    let mut clients = Vec::new();
    for client in 0..8 {
        let (http, token, url, sample, acknowledged) = (
            http.clone(),
            token.clone(),
            server.url.clone(),
            sample.clone(),
            acknowledged.clone(),
        );
        clients.push(tokio::spawn(async move {
            for n in 0.. {
                let mut body = sample.clone();
                body["lrn"] = serde_json::json!(format!("K{client}-{n}"));
                let sent = http
                    .post(format!("{url}/api/v1/declarations"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                let Ok(response) = sent else { return };
                if response.status() != 201 {
                    return;
                }
                let Ok(answer) = response.json::<serde_json::Value>().await else {
                    return;
                };
                acknowledged
                    .lock()
                    .unwrap()
                    .push(answer["mrn"].as_str().unwrap().to_owned());
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 400 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.kill();
    for client in clients {
        client.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let restarted = Server::start(&["--data-dir", &data]);
    for mrn in &acknowledged {
        let response = http
            .get(format!("{}/api/v1/declarations/{mrn}", restarted.url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "acknowledged {mrn} was lost");
    }
}
