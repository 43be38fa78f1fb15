//! The one lodgement pipeline: a dry run gives the server's verdict, for every sample file in
//! the repository (JSON, EDIFACT interchanges of any message type, WCO DM documents and
//! notifications).

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tamga_api::lodge::{intake, Format, Lodger, Mode, Unit, Verdict};
use tower::ServiceExt;

use crate::app::TestApp;

fn sample_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["examples", "data/edifact/messages", "data/wco-dm"] {
        collect(&root.join(dir), &mut files);
    }
    files.retain(|f| {
        let name = f.to_string_lossy();
        name.ends_with(".json") || name.ends_with(".edi") || name.ends_with(".xml")
    });
    files.sort();
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The units as the server's intake reads them, or `None` when the file is refused whole.
fn units(bytes: &[u8]) -> Option<Vec<Unit>> {
    match Format::sniff(&String::from_utf8_lossy(bytes))? {
        Format::Json => intake::json(std::str::from_utf8(bytes).ok()?).ok(),
        Format::Edifact => {
            let text = intake::edifact_text(bytes).ok()?;
            intake::edifact(&tamga_edifact::interchange::read(&text).ok()?).ok()
        }
        Format::Xml => intake::xml(bytes).ok(),
    }
}

async fn post(app: &TestApp, bytes: Vec<u8>, format: Format) -> StatusCode {
    let request = Request::post("/api/v1/declarations")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.officer))
        .header(header::CONTENT_TYPE, format.content_type())
        .body(Body::from(bytes))
        .unwrap();
    app.router.clone().oneshot(request).await.unwrap().status()
}

/// The status the server must answer for these dry-run verdicts: JSON answers one
/// declaration's status; a batch (EDIFACT, XML) 422 when any is refused, else 201 when all are
/// new, else 200.
fn expected(format: Format, verdicts: &[Verdict]) -> StatusCode {
    let refused = |v: &&Verdict| matches!(v, Verdict::Refused(_) | Verdict::LrnTaken { .. });
    match (format, verdicts) {
        (_, all) if all.iter().all(|v| matches!(v, Verdict::Valid)) => StatusCode::CREATED,
        (Format::Json, [one]) => one.status(),
        (_, all) if all.iter().any(|v| refused(&v)) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    }
}

#[tokio::test]
async fn dry_run_and_server_agree_on_every_sample_file() {
    let app = TestApp::sqlite().await;
    let hash = tamga_store::token::hash(&app.officer);
    let officer = app.state.store.user_by_token(&hash).await.unwrap().unwrap();
    let (mut accepted, mut refused) = (0, 0);
    for file in sample_files() {
        let bytes = std::fs::read(&file).unwrap();
        let format = Format::sniff(&String::from_utf8_lossy(&bytes)).unwrap_or(Format::Json);
        let Some(units) = units(&bytes) else {
            let status = post(&app, bytes, format).await;
            assert!(status.is_client_error(), "{}: {status}", file.display());
            refused += 1;
            continue;
        };
        let dry = Lodger::new(&app.state, Mode::DryRun);
        let verdicts = dry.lodge_all(&officer, &units).await.unwrap();
        let status = post(&app, bytes, format).await;
        assert_eq!(
            status,
            expected(format, &verdicts),
            "{}: {verdicts:?}",
            file.display()
        );
        if status == StatusCode::CREATED {
            accepted += 1;
            let again = dry.lodge_all(&officer, &units).await.unwrap();
            assert!(
                again
                    .iter()
                    .all(|v| matches!(v, Verdict::WouldResubmit { mrn: Some(_) })),
                "{}: a dry run after lodging sees the lodged declarations: {again:?}",
                file.display()
            );
        } else {
            refused += 1;
        }
    }
    assert!(accepted >= 3, "the examples are accepted: {accepted}");
    assert!(
        refused >= 5,
        "the non-declaration samples are refused: {refused}"
    );
}
