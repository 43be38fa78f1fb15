//! `tamga ingest FILES...`: lodges a batch of declarations — JSON, UN/EDIFACT interchanges of
//! CUSDEC messages, or WCO DM 3.6 XML — with a progress bar and a summary. `--dry-run` runs
//! each file through the server's lodgement pipeline against its database, storing nothing
//! ([`dry_run`]). The exit code is 0 when every file was handled, whatever
//! the verdicts, and 1 when a file could not be read.

use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use tamga_api::lodge::Format;

use crate::client::Target;
use crate::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files to lodge: JSON declarations, EDIFACT interchanges or WCO DM XML documents.
    #[arg(required_unless_present = "watch")]
    pub files: Vec<PathBuf>,
    /// Give the server's verdict without lodging: the same pipeline, on the server's database
    /// (its tariff and LRNs), storing nothing; needs no running server. With --token, as that
    /// user; without, as customs staff.
    #[arg(long, conflicts_with = "watch")]
    pub dry_run: bool,
    /// Watch this folder instead: each file dropped in is lodged and moved to `done/` or
    /// `failed/` with the server's answer beside it (`NAME.response`). A file is first moved
    /// to `processing/`; after a crash it is picked up again from there, and the LRN makes a
    /// second lodging of the same declaration return the first MRN.
    #[arg(long, value_name = "DIR")]
    pub watch: Option<PathBuf>,
    /// With --watch: handle the files that are there, then stop.
    #[arg(long, requires = "watch")]
    pub once: bool,
    #[command(flatten)]
    pub target: Target,
}

mod dry_run;

/// Where the files go: to a server, or through the pipeline without storing.
#[derive(Debug)]
enum Sink {
    Lodge { url: String, token: String },
    Check(Box<dry_run::Checker>),
}

/// What became of one file.
#[derive(Debug)]
enum Outcome {
    Accepted(Vec<String>),
    Rejected(Vec<String>),
    Unreadable(String),
}

pub async fn run(settings: &Settings, args: IngestArgs) -> anyhow::Result<std::process::ExitCode> {
    if let Some(dir) = &args.watch {
        let (url, token) = args.target.resolve(settings)?;
        watch(dir, &url, &token, args.once).await?;
        return Ok(std::process::ExitCode::SUCCESS);
    }
    let target = if args.dry_run {
        let token = args.target.resolve(settings).ok().map(|(_, token)| token);
        Sink::Check(Box::new(
            dry_run::Checker::open(settings, token.as_deref()).await?,
        ))
    } else {
        let (url, token) = args.target.resolve(settings)?;
        Sink::Lodge { url, token }
    };
    let progress = ProgressBar::new(args.files.len() as u64);
    progress.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")?);
    let http = reqwest::Client::new();
    let (mut accepted, mut rejected, mut unreadable) = (0, 0, 0);
    let verb = if args.dry_run { "valid" } else { "accepted" };
    for file in &args.files {
        progress.set_message(file.display().to_string());
        let outcome = match &target {
            Sink::Lodge { url, token } => lodge(&http, url, token, file).await,
            Sink::Check(checker) => checker.check(file).await?,
        };
        let line = match &outcome {
            Outcome::Accepted(what) => {
                accepted += 1;
                format!("{}: {verb} {}", file.display(), what.join(", "))
            }
            Outcome::Rejected(why) => {
                rejected += 1;
                format!("{}: rejected\n  {}", file.display(), why.join("\n  "))
            }
            Outcome::Unreadable(why) => {
                unreadable += 1;
                format!("{}: unreadable: {why}", file.display())
            }
        };
        progress.suspend(|| println!("{line}"));
        progress.inc(1);
    }
    progress.finish_and_clear();
    println!(
        "{} files: {accepted} {verb}, {rejected} rejected, {unreadable} unreadable",
        args.files.len()
    );
    Ok(if unreadable == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    })
}

/// A file's bytes, as they are: EDIFACT and XML declare their own character sets.
fn read(file: &Path) -> Result<Vec<u8>, Outcome> {
    std::fs::read(file).map_err(|e| Outcome::Unreadable(e.to_string()))
}

/// The server's answer to one file.
struct Answer {
    status: reqwest::StatusCode,
    format: Format,
    body: String,
}

/// Sends one file's bytes; `Err` when the server cannot be reached (nothing was decided).
async fn post(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    bytes: Vec<u8>,
) -> Result<Result<Answer, Outcome>, String> {
    let Some(format) = Format::sniff(&String::from_utf8_lossy(&bytes)) else {
        let why = "not JSON, EDIFACT or WCO DM XML".to_owned();
        return Ok(Err(Outcome::Rejected(vec![why])));
    };
    let response = http
        .post(format!("{url}/api/v1/declarations"))
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, format.content_type())
        .body(bytes)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))
        .map_err(|e| format!("{e:#}"))?;
    let status = response.status();
    let body = response.text().await.map_err(|e| e.to_string())?;
    Ok(Ok(Answer {
        status,
        format,
        body,
    }))
}

async fn lodge(http: &reqwest::Client, url: &str, token: &str, file: &Path) -> Outcome {
    let bytes = match read(file) {
        Ok(bytes) => bytes,
        Err(outcome) => return outcome,
    };
    match post(http, url, token, bytes).await {
        Ok(Ok(answer)) => outcome(&answer),
        Ok(Err(outcome)) => outcome,
        // Nothing was decided: the file was not handled, and the run fails.
        Err(e) => Outcome::Unreadable(format!("not sent: {e}")),
    }
}

/// What an answer says of the file.
fn outcome(answer: &Answer) -> Outcome {
    let (status, body) = (answer.status, answer.body.as_str());
    match answer.format {
        Format::Edifact => return edifact_outcome(status, body),
        Format::Xml => return xml_outcome(status, body),
        Format::Json => {}
    }
    let json: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    if status.is_success() {
        return Outcome::Accepted(vec![json["mrn"].as_str().unwrap_or("?").to_owned()]);
    }
    let mut why = vec![format!(
        "{status}: {}",
        json["detail"].as_str().unwrap_or("")
    )];
    why.extend(json["errors"].as_array().into_iter().flatten().map(|e| {
        let field = |k: &str| e[k].as_str().unwrap_or("").to_owned();
        format!(
            "{} [{}] {}",
            field("pointer"),
            field("code"),
            field("message")
        )
    }));
    Outcome::Rejected(why)
}

/// Reads the DMS-style notification(s) the server answered with.
fn xml_outcome(status: reqwest::StatusCode, body: &str) -> Outcome {
    let Ok(root) = tamga_wco::xml::parse(body) else {
        return Outcome::Rejected(vec![format!("{status}: {body}")]);
    };
    let mut responses = Vec::new();
    root.descendants("Response", &mut responses);
    let accepted: Vec<String> = responses
        .iter()
        .filter(|r| r.text_at(&["FunctionCode"]) == Some("01"))
        .filter_map(|r| r.text_at(&["Declaration", "ID"]).map(str::to_owned))
        .collect();
    if status.is_success() {
        return Outcome::Accepted(accepted);
    }
    let mut errors = Vec::new();
    root.descendants("Error", &mut errors);
    let why = errors
        .iter()
        .map(|e| {
            let field = |p: &[&str]| e.text_at(p).unwrap_or("").to_owned();
            format!(
                "{} [{}] {}",
                field(&["Pointer", "TagID"]),
                field(&["ValidationCode"]),
                field(&["Description"])
            )
        })
        .collect();
    Outcome::Rejected(why)
}

/// Reads the CUSRES (or CONTRL) the server answered with.
fn edifact_outcome(status: reqwest::StatusCode, body: &str) -> Outcome {
    let Ok(answer) = tamga_edifact::interchange::read(body) else {
        return Outcome::Rejected(vec![format!("{status}: {body}")]);
    };
    let mut accepted = Vec::new();
    let mut problems = Vec::new();
    for message in &answer.messages {
        for segment in message.body() {
            match segment.tag {
                "BGM" if segment.value(2, 0) == Some("29") => {
                    accepted.extend(segment.value(1, 0).map(str::to_owned))
                }
                "FTX" if segment.value(0, 0) == Some("AAO") => {
                    problems.extend(segment.value(3, 0).map(str::to_owned))
                }
                "UCI" | "UCS" | "UCD"
                    if segment.value(3, 0) == Some("4") || segment.tag != "UCI" =>
                {
                    problems.push(format!(
                        "syntax error in {}: {:?}",
                        segment.tag,
                        segment
                            .values()
                            .iter()
                            .map(|v| v.text.as_ref())
                            .collect::<Vec<_>>()
                    ));
                }
                _ => {}
            }
        }
    }
    if status.is_success() {
        Outcome::Accepted(accepted)
    } else {
        Outcome::Rejected(problems)
    }
}

/// Watches `dir`: see [`IngestArgs::watch`].
async fn watch(dir: &Path, url: &str, token: &str, once: bool) -> anyhow::Result<()> {
    let [processing, done, failed] = ["processing", "done", "failed"].map(|d| dir.join(d));
    for folder in [&processing, &done, &failed] {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    let http = reqwest::Client::new();
    eprintln!("watching {} (Ctrl-C to stop)", dir.display());
    loop {
        // Files left in processing/ by an interrupted run come first; a file modified in the
        // last two seconds may still be being written and waits for the next round.
        let mut files = waiting(&processing)?;
        for file in waiting(dir)?.into_iter().filter(|f| once || settled(f)) {
            let moved =
                processing.join(free_name(&processing, file.file_name().unwrap_or_default()));
            match std::fs::rename(&file, &moved) {
                Ok(()) => files.push(moved),
                Err(e) => eprintln!("{}: cannot move it to processing/: {e}", file.display()),
            }
        }
        for file in files {
            // One file's trouble (a full disk, a vanished file) must not stop the watcher.
            if let Err(e) = handle(&http, url, token, &file, &done, &failed).await {
                eprintln!("{}: {e:#}; will retry", file.display());
            }
        }
        if once {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}

/// Has `file` been left alone for two seconds?
fn settled(file: &Path) -> bool {
    std::fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age >= std::time::Duration::from_secs(2))
}

/// Regular, visible files of `dir`, oldest name first.
fn waiting(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.'))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// `name`, or `name.2`, `name.3`, ... when a file of that name was handled before: nothing
/// in done/ or failed/ is ever overwritten.
fn free_name(folder: &Path, name: &std::ffi::OsStr) -> std::ffi::OsString {
    let taken = |n: &std::ffi::OsStr| {
        let mut response = n.to_owned();
        response.push(".response");
        folder.join(n).exists() || folder.join(response).exists()
    };
    if !taken(name) {
        return name.to_owned();
    }
    (2..)
        .map(|i| {
            let mut candidate = name.to_owned();
            candidate.push(format!(".{i}"));
            candidate
        })
        .find(|c| !taken(c))
        .unwrap_or_else(|| name.to_owned())
}

/// Lodges one file from processing/ and moves it, with the answer, to done/ or failed/. When
/// the server cannot be reached the file stays in processing/ for the next round.
async fn handle(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    file: &Path,
    done: &Path,
    failed: &Path,
) -> anyhow::Result<()> {
    let name = file.file_name().unwrap_or_default().to_owned();
    let (folder, response) = match read(file) {
        Err(Outcome::Unreadable(why)) => (failed, format!("unreadable: {why}")),
        Err(_) => (failed, "unreadable".to_owned()),
        Ok(bytes) => match post(http, url, token, bytes).await {
            Err(unreachable) => {
                eprintln!("{}: {unreachable}; will retry", file.display());
                return Ok(());
            }
            Ok(Err(Outcome::Rejected(why))) => (failed, why.join("\n")),
            Ok(Err(_)) => (failed, "refused".to_owned()),
            // The server's trouble, not the file's: keep it in processing/ and try again.
            Ok(Ok(answer))
                if answer.status.is_server_error()
                    || matches!(answer.status.as_u16(), 401 | 403 | 429) =>
            {
                eprintln!(
                    "{}: the server answered {}; will retry",
                    file.display(),
                    answer.status
                );
                return Ok(());
            }
            Ok(Ok(answer)) => {
                let folder = if answer.status.is_success() {
                    done
                } else {
                    failed
                };
                (folder, answer.body)
            }
        },
    };
    let name = free_name(folder, &name);
    let mut response_name = name.clone();
    response_name.push(".response");
    std::fs::write(folder.join(&response_name), response)
        .with_context(|| format!("cannot write the answer to {}", file.display()))?;
    std::fs::rename(file, folder.join(&name))
        .with_context(|| format!("cannot move {}", file.display()))?;
    println!(
        "{}: {}",
        name.to_string_lossy(),
        if folder == done { "done" } else { "failed" }
    );
    Ok(())
}
