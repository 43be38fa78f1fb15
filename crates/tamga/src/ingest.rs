//! `tamga ingest FILES...`: lodges a batch of declarations — JSON, or UN/EDIFACT interchanges of
//! CUSDEC messages — with a progress bar and a summary. `--dry-run` parses, maps and validates
//! each file here, storing nothing. The exit code is 0 when every file was handled, whatever
//! the verdicts, and 1 when a file could not be read.

use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tamga_core::draft::DeclarationDraft;
use tamga_core::refdata::ReferenceData;

use crate::client::Target;
use crate::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files to lodge: `.json` declarations or EDIFACT interchanges.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Parse, map and validate only; store nothing and need no server.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub target: Target,
}

/// The kind of a file, from its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Edifact,
    Other,
}

fn format_of(text: &str) -> Format {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        Some('{') => Format::Json,
        Some('U') => Format::Edifact,
        _ => Format::Other,
    }
}

/// What became of one file.
#[derive(Debug)]
enum Outcome {
    Accepted(Vec<String>),
    Rejected(Vec<String>),
    Unreadable(String),
}

pub async fn run(settings: &Settings, args: IngestArgs) -> anyhow::Result<std::process::ExitCode> {
    let target = if args.dry_run {
        None
    } else {
        Some(args.target.resolve(settings)?)
    };
    let progress = ProgressBar::new(args.files.len() as u64);
    progress.set_style(ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")?);
    let http = reqwest::Client::new();
    let (mut accepted, mut rejected, mut unreadable) = (0, 0, 0);
    for file in &args.files {
        progress.set_message(file.display().to_string());
        let outcome = match &target {
            None => check(file),
            Some((url, token)) => lodge(&http, url, token, file).await,
        };
        let line = match &outcome {
            Outcome::Accepted(what) => {
                accepted += 1;
                format!("{}: accepted {}", file.display(), what.join(", "))
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
    let verb = if args.dry_run { "valid" } else { "accepted" };
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

fn read(file: &Path) -> Result<String, Outcome> {
    let bytes = std::fs::read(file).map_err(|e| Outcome::Unreadable(e.to_string()))?;
    Ok(tamga_edifact::charset::decode(&bytes).into_owned())
}

/// `--dry-run`: everything but the lodging.
fn check(file: &Path) -> Outcome {
    let text = match read(file) {
        Ok(text) => text,
        Err(outcome) => return outcome,
    };
    let drafts: Vec<(String, DeclarationDraft)> = match format_of(&text) {
        Format::Json => match serde_json::from_str::<DeclarationDraft>(&text) {
            Ok(draft) => vec![("declaration".into(), draft)],
            Err(e) => return Outcome::Rejected(vec![format!("not a declaration: {e}")]),
        },
        Format::Edifact => match tamga_edifact::interchange::read(&text) {
            Ok(interchange) => interchange
                .messages
                .iter()
                .map(|m| {
                    (
                        format!("message {}", m.reference),
                        tamga_edifact::cusdec::to_draft(m),
                    )
                })
                .collect(),
            Err(e) => return Outcome::Rejected(vec![format!("syntax: {e}")]),
        },
        Format::Other => {
            return Outcome::Rejected(vec![
                "not JSON or EDIFACT (WCO DM XML is not supported yet)".into(),
            ])
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let mut problems = Vec::new();
    for (name, draft) in &drafts {
        if let Err(errors) = tamga_core::validate::validate(draft, ReferenceData::embedded(), now) {
            problems.extend(
                errors
                    .iter()
                    .map(|e| format!("{name}: {} [{}] {}", e.pointer, e.code, e.message)),
            );
        }
    }
    if problems.is_empty() {
        Outcome::Accepted(drafts.into_iter().map(|(name, _)| name).collect())
    } else {
        Outcome::Rejected(problems)
    }
}

async fn lodge(http: &reqwest::Client, url: &str, token: &str, file: &Path) -> Outcome {
    let text = match read(file) {
        Ok(text) => text,
        Err(outcome) => return outcome,
    };
    let content_type = match format_of(&text) {
        Format::Json => "application/json",
        Format::Edifact => "application/edifact",
        Format::Other => {
            return Outcome::Rejected(vec![
                "not JSON or EDIFACT (WCO DM XML is not supported yet)".into(),
            ])
        }
    };
    let sent = http
        .post(format!("{url}/api/v1/declarations"))
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(text)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"));
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Outcome::Rejected(vec![format!("{e:#}")]),
    };
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if content_type == "application/edifact" {
        return edifact_outcome(status, &body);
    }
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    if status.is_success() {
        return Outcome::Accepted(vec![answer["mrn"].as_str().unwrap_or("?").to_owned()]);
    }
    let mut why = vec![format!(
        "{status}: {}",
        answer["detail"].as_str().unwrap_or("")
    )];
    why.extend(answer["errors"].as_array().into_iter().flatten().map(|e| {
        format!(
            "{} [{}] {}",
            e["pointer"].as_str().unwrap_or(""),
            e["code"].as_str().unwrap_or(""),
            e["message"].as_str().unwrap_or("")
        )
    }));
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
