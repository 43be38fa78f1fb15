//! The model learns from the system's own history: declarations lodged through a real server,
//! inspection outcomes recorded by an officer, then `tamga model train --from-db`.

use crate::{tamga, Server, SAMPLE};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn models_train_on_recorded_inspection_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    let token = server.admin_token.clone().unwrap();
    let sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let http = reqwest::Client::new();
    for i in 0..60 {
        let mut body = sample.clone();
        body["lrn"] = serde_json::json!(format!("HIST-{i}"));
        // Every third importer is a known offender; its declarations will have findings.
        let offender = i % 3 == 0;
        let importer = if offender {
            "UZ300000001"
        } else {
            "UZ305123456"
        };
        body["importer"]["id"] = serde_json::json!(importer);
        let created: serde_json::Value = http
            .post(format!("{}/api/v1/declarations", server.url))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mrn = created["mrn"].as_str().unwrap();
        let findings = if offender {
            serde_json::json!([{"type": "undervaluation"}])
        } else {
            serde_json::json!([])
        };
        let recorded = http
            .post(format!(
                "{}/api/v1/declarations/{mrn}/inspection",
                server.url
            ))
            .bearer_auth(&token)
            .json(&serde_json::json!({"findings": findings}))
            .send()
            .await
            .unwrap();
        assert_eq!(recorded.status().as_u16(), 201);
    }
    drop(server);
    let model = dir.path().join("own.json");
    let (code, out, err) = tamga(
        &[
            "--data-dir",
            data,
            "model",
            "train",
            "--from-db",
            "--out",
            model.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("120 item rows from recorded inspection outcomes"),
        "{out}"
    );
    assert!(out.contains("trained on 120 rows (40 fraud)"), "{out}");
}
