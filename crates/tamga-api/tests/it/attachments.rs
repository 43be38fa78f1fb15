//! Attachments over HTTP: uploads kept in the data directory under their SHA-256, refused
//! precisely (403, 413 streamed or declared, 415, 422), named by findings and seizures only once
//! uploaded, and downloaded by the uploader and by staff who may see the task or seizure.

use axum::body::{Body, Bytes};
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::app::{TestApp, ATTACHMENT_LIMIT};
use crate::control::{lodge_red, post, red_profile};

on_both_backends!(
    uploads_are_kept_by_digest,
    bad_uploads_are_refused,
    findings_and_seizures_name_uploads
);

/// A JPEG-looking content of `len` bytes (its first bytes are a JPEG's).
pub fn jpeg(len: usize, seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len.saturating_sub(4)).map(|i| (i as u8).wrapping_mul(31) ^ seed));
    bytes
}

pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The files in the attachment directory (temporary ones included).
fn stored(app: &TestApp) -> Vec<String> {
    let dir = app.files.path().join("attachments");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

async fn download(app: &TestApp, token: &str, sha256: &str) -> (StatusCode, Bytes) {
    let path = format!("/api/v1/attachments/{sha256}");
    let (status, _, bytes) = app
        .exchange(Method::GET, &path, Some(token), None, Body::empty())
        .await;
    (status, bytes)
}

async fn uploads_are_kept_by_digest(app: TestApp) {
    let p = post(&app).await;
    let photo = jpeg(100_000, 1);
    let sha256 = digest(&photo);
    let first = app
        .upload(&app.officer, "floor.jpg", "image/jpeg", photo.clone())
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(
        first.body,
        json!({"sha256": sha256, "size": 100_000, "file_name": "floor.jpg", "content_type": "image/jpeg"})
    );
    let path = app.files.path().join("attachments").join(&sha256);
    assert_eq!(std::fs::read(&path).unwrap(), photo);
    let again = app
        .upload(&p.examiner, "same.jpg", "image/jpeg; q=1", photo.clone())
        .await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
    assert_eq!(again.body["sha256"], sha256.as_str());
    assert_eq!(
        stored(&app),
        vec![sha256.clone()],
        "one file, nothing temporary"
    );
    let (status, bytes) = download(&app, &app.officer, &sha256).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes.as_ref(), photo.as_slice());
    assert_eq!(download(&app, &p.examiner, &sha256).await.0, StatusCode::OK);
    // Nobody else has a reason to see it yet.
    assert_eq!(
        download(&app, &p.chief, &sha256).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&app, &p.admin, &sha256).await.0,
        StatusCode::NOT_FOUND
    );
    for token in [&app.broker, &app.analyst, &p.lab] {
        assert_eq!(
            download(&app, token, &sha256).await.0,
            StatusCode::FORBIDDEN
        );
    }
    let unknown = "0".repeat(64);
    assert_eq!(
        download(&app, &app.officer, &unknown).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        download(&app, &app.officer, "not-a-digest").await.0,
        StatusCode::NOT_FOUND
    );
    let pdf = app
        .upload(
            &p.supervisor,
            "invoice.pdf",
            "application/pdf",
            b"%PDF-1.7 x".to_vec(),
        )
        .await;
    assert_eq!(pdf.status, StatusCode::CREATED, "{}", pdf.body);
    assert_eq!(pdf.body["size"], 10);
}

async fn bad_uploads_are_refused(app: TestApp) {
    let p = post(&app).await;
    let photo = jpeg(1000, 2);
    for token in [&app.broker, &app.analyst, &p.lab] {
        let answer = app
            .upload(token, "a.jpg", "image/jpeg", photo.clone())
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN);
        assert!(answer.is_problem());
    }
    let unsupported = app
        .upload(&app.officer, "a.txt", "text/plain", photo.clone())
        .await;
    assert_eq!(unsupported.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(unsupported.is_problem());
    let cases: [(&str, &str, Vec<u8>, &str, &str); 5] = [
        (
            "",
            "image/jpeg",
            photo.clone(),
            "/query/file_name",
            "missing",
        ),
        (
            "a.png",
            "image/png",
            photo.clone(),
            "/body",
            "content_mismatch",
        ),
        ("a.jpg", "image/jpeg", Vec::new(), "/body", "empty_file"),
        (
            "..%2Fa.jpg",
            "image/jpeg",
            photo.clone(),
            "/query/file_name",
            "invalid_file_name",
        ),
        (
            "a%00.jpg",
            "image/jpeg",
            photo.clone(),
            "/query/file_name",
            "control_character",
        ),
    ];
    for (name, content_type, bytes, pointer, code) in cases {
        let answer = app.upload(&app.officer, name, content_type, bytes).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            answer.body
        );
        assert!(
            answer
                .field_errors()
                .contains(&(pointer.into(), code.into())),
            "{name}: {}",
            answer.body
        );
    }
    let limit = usize::try_from(ATTACHMENT_LIMIT).unwrap();
    let big = app
        .upload(&app.officer, "big.jpg", "image/jpeg", jpeg(limit + 1, 3))
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", big.body);
    assert!(big.is_problem());
    // Without a declared length the limit is found while streaming.
    let chunks: Vec<Result<Bytes, std::io::Error>> = jpeg(limit + 10, 4)
        .chunks(10_000)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let body = Body::from_stream(futures_util::stream::iter(chunks));
    let path = "/api/v1/attachments?file_name=big.jpg";
    let (status, _, _) = app
        .exchange(
            Method::POST,
            path,
            Some(&app.officer),
            Some("image/jpeg"),
            body,
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(stored(&app), Vec::<String>::new(), "nothing is left behind");
    let exact = app
        .upload(&app.officer, "edge.jpg", "image/jpeg", jpeg(limit, 5))
        .await;
    assert_eq!(exact.status, StatusCode::CREATED, "{}", exact.body);
}

fn reference(sha256: &str, size: u64) -> Value {
    json!({"file_name": "scan.jpg", "sha256": sha256, "size": size})
}

async fn findings_and_seizures_name_uploads(app: TestApp) {
    red_profile(&app).await;
    let p = post(&app).await;
    lodge_red(&app, "ATT-1").await;
    let id = app.get("/api/v1/tasks", &p.examiner).await.body["tasks"][0]["id"]
        .as_i64()
        .unwrap();
    let started = app
        .post(
            &format!("/api/v1/tasks/{id}/start"),
            &p.examiner,
            &json!({}),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let photo = jpeg(5000, 6);
    let sha256 = digest(&photo);
    let uploaded = app
        .upload(&p.examiner, "scan.jpg", "image/jpeg", photo.clone())
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let complete = format!("/api/v1/tasks/{id}/complete");
    let finding = |attachments: Vec<Value>| json!({"findings": [{"item": 1, "type": "as_declared", "attachments": attachments}]});
    let unknown = finding(vec![
        reference(&"ab".repeat(32), 10),
        reference(&sha256, 4999),
    ]);
    let refused = app.post(&complete, &p.examiner, &unknown).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.field_errors(),
        vec![
            (
                "/findings/0/attachments/0/sha256".into(),
                "unknown_attachment".into()
            ),
            (
                "/findings/0/attachments/1/size".into(),
                "size_mismatch".into()
            ),
        ]
    );
    let done = app
        .post(
            &complete,
            &p.examiner,
            &finding(vec![reference(&sha256, 5000)]),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    // The chief and the office's supervisor see the task; an officer of no task does not.
    assert_eq!(download(&app, &p.chief, &sha256).await.0, StatusCode::OK);
    assert_eq!(
        download(&app, &p.supervisor, &sha256).await.0,
        StatusCode::OK
    );
    assert_eq!(download(&app, &p.admin, &sha256).await.0, StatusCode::OK);
    assert_eq!(
        download(&app, &app.officer, &sha256).await.0,
        StatusCode::NOT_FOUND
    );
    seizure_photos(&app, &p.chief).await;
}

/// A seizure's photo must be uploaded; once named, every officer may download it.
async fn seizure_photos(app: &TestApp, other_officer: &str) {
    let photo = jpeg(3000, 7);
    let sha256 = digest(&photo);
    let seizure = |photos: Value| {
        json!({"seizure": {
            "date": "2026-11-20", "office": "UZTAS", "category": "drugs",
            "description": "heroin in a false floor", "commodity_code": "2939110000",
            "quantity": "12.5", "unit": "kg", "concealment": "false_compartment",
            "conveyance": {"mode": "3", "identification": "01A777AA", "nationality": "UZ"},
            "route": {"departure": "AF", "transit": ["TJ"], "destination": "RU"},
            "persons": [], "companies": [], "photos": photos
        }})
    };
    let body = seizure(json!([reference(&sha256, 3000)]));
    let refused = app.post("/api/v1/seizures", &app.officer, &body).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(
        refused.field_errors(),
        vec![(
            "/seizure/photos/0/sha256".into(),
            "unknown_attachment".into()
        )]
    );
    assert_eq!(
        download(app, other_officer, &sha256).await.0,
        StatusCode::NOT_FOUND
    );
    let uploaded = app
        .upload(&app.officer, "floor.jpg", "image/jpeg", photo)
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let recorded = app.post("/api/v1/seizures", &app.officer, &body).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{}", recorded.body);
    assert_eq!(
        download(app, other_officer, &sha256).await.0,
        StatusCode::OK
    );
}
