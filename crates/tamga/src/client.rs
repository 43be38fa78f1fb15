//! `tamga submit`: the trader's command line client.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::Value;

use crate::settings::Settings;

/// Which server to talk to, and as whom.
#[derive(Debug, Clone, clap::Args)]
pub struct Target {
    /// Base URL of the server (default: client.url of the settings, http://127.0.0.1:8080).
    #[arg(long)]
    pub url: Option<String>,
    /// API token (default: TAMGA_TOKEN, then client.token of the settings).
    #[arg(long, env = "TAMGA_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

impl Target {
    pub fn resolve(&self, settings: &Settings) -> anyhow::Result<(String, String)> {
        let url = self
            .url
            .clone()
            .unwrap_or_else(|| settings.client.url.clone());
        let token = self
            .token
            .clone()
            .or_else(|| {
                settings
                    .client
                    .token
                    .as_ref()
                    .map(|t| t.expose().to_owned())
            })
            .context("no API token: pass --token or set TAMGA_TOKEN")?;
        Ok((url.trim_end_matches('/').to_owned(), token))
    }
}

pub async fn submit(settings: &Settings, file: &Path, target: &Target) -> anyhow::Result<ExitCode> {
    let (url, token) = target.resolve(settings)?;
    let body = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let response = reqwest::Client::new()
        .post(format!("{url}/api/v1/declarations"))
        .bearer_auth(token)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .with_context(|| format!("cannot reach {url}"))?;
    let status = response.status();
    let answer: Value = response
        .json()
        .await
        .context("the server's answer is not JSON")?;
    if status.is_success() {
        let mrn = answer["mrn"].as_str().unwrap_or_default();
        if status == reqwest::StatusCode::OK {
            eprintln!("already accepted earlier (identical resubmission)");
        }
        println!("{mrn}");
        return Ok(ExitCode::SUCCESS);
    }
    print_problem(status, &answer);
    Ok(ExitCode::FAILURE)
}

fn print_problem(status: reqwest::StatusCode, problem: &Value) {
    let detail = problem["detail"].as_str().unwrap_or("");
    eprintln!("refused ({status}): {detail}");
    if let Some(mrn) = problem["existing_mrn"].as_str() {
        eprintln!("  existing declaration: {mrn}");
    }
    for error in problem["errors"].as_array().into_iter().flatten() {
        eprintln!(
            "  {}  [{}]  {}",
            error["pointer"].as_str().unwrap_or(""),
            error["code"].as_str().unwrap_or(""),
            error["message"].as_str().unwrap_or("")
        );
    }
}
