//! `tamga ingest`: dry runs through the server's pipeline, batches through a server, watched
//! folders.

use crate::{tamga, Server, SAMPLE};

const EDI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/declaration.edi"
);
const XML: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/declaration.xml"
);

#[test]
fn ingest_dry_run_checks_files_without_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"type": "IM", "lrn": "X-1", "customs_office": "UZXXX", "items": []}"#,
    )
    .unwrap();
    let broken = dir.path().join("broken.edi");
    std::fs::write(
        &broken,
        std::fs::read_to_string(EDI)
            .unwrap()
            .replace("UNT+33+1", "UNT+30+1"),
    )
    .unwrap();
    let files = [
        SAMPLE,
        EDI,
        XML,
        bad.to_str().unwrap(),
        broken.to_str().unwrap(),
    ];
    let mut args = vec!["ingest", "--dry-run"];
    args.extend(files);
    let (code, out, err) = tamga(&args, &[]);
    assert_eq!(code, 0, "every file was handled: {err}");
    assert!(
        out.contains("5 files: 3 valid, 2 rejected, 0 unreadable"),
        "{out}"
    );
    assert!(out.contains("office_unknown"), "{out}");
    assert!(out.contains("syntax") && out.contains("UNT"), "{out}");
    let missing = dir.path().join("missing.json");
    let (code, out, _) = tamga(
        &["ingest", "--dry-run", SAMPLE, missing.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 1, "an unreadable file fails the run");
    assert!(out.contains("1 unreadable"), "{out}");
}

#[test]
fn ingest_lodges_json_edifact_and_xml_through_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    let token = server.admin_token.clone().unwrap();
    let (code, out, err) = tamga(
        &["ingest", "--url", &server.url, SAMPLE, EDI, XML],
        &[("TAMGA_TOKEN", &token)],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 files: 3 accepted, 0 rejected"), "{out}");
    let mrns: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split("accepted ").nth(1))
        .collect();
    assert_eq!(mrns.len(), 3, "{out}");
    assert!(
        mrns.iter().all(|m| tamga_core::mrn::Mrn::parse(m).is_ok()),
        "{out}"
    );
}

#[test]
fn watched_folders_move_every_file_once_with_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(&["--data-dir", data.to_str().unwrap()]);
    let token = server.admin_token.clone().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("processing")).unwrap();
    std::fs::copy(SAMPLE, inbox.join("a.json")).unwrap();
    std::fs::copy(EDI, inbox.join("b.edi")).unwrap();
    std::fs::write(inbox.join("c.json"), r#"{"type": "IM"}"#).unwrap();
    // A file an interrupted run had taken but not finished: the same declaration as a.json.
    std::fs::copy(SAMPLE, inbox.join("processing").join("0-interrupted.json")).unwrap();
    let args = [
        "ingest",
        "--watch",
        inbox.to_str().unwrap(),
        "--once",
        "--url",
        &server.url,
        "--token",
        &token,
    ];
    let (code, out, err) = tamga(&args, &[]);
    assert_eq!(code, 0, "{err}");
    let listed = |folder: &str| {
        let mut names: Vec<String> = std::fs::read_dir(inbox.join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        listed("done"),
        [
            "0-interrupted.json",
            "0-interrupted.json.response",
            "a.json",
            "a.json.response",
            "b.edi",
            "b.edi.response"
        ],
        "{out}"
    );
    assert_eq!(listed("failed"), ["c.json", "c.json.response"]);
    assert!(listed("processing").is_empty());
    let first: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(inbox.join("done/0-interrupted.json.response")).unwrap(),
    )
    .unwrap();
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(inbox.join("done/a.json.response")).unwrap())
            .unwrap();
    assert_eq!(
        first["mrn"], again["mrn"],
        "the same declaration is lodged once"
    );
    assert!(std::fs::read_to_string(inbox.join("done/b.edi.response"))
        .unwrap()
        .contains("CUSRES"));
    assert!(
        std::fs::read_to_string(inbox.join("failed/c.json.response"))
            .unwrap()
            .contains("missing")
    ); // The same name again is kept beside the first, never over it.
    std::fs::copy(SAMPLE, inbox.join("a.json")).unwrap();
    assert_eq!(tamga(&args, &[]).0, 0);
    assert!(inbox.join("done/a.json.2").exists() && inbox.join("done/a.json.2.response").exists());
    assert!(inbox.join("done/a.json").exists());
}
