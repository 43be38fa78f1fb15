//! `tamga bench submit --staff N --random-yellow RATE`: a staffed run. Before the clock starts,
//! N officers go on duty at every office the run's declarations are lodged at (one in twenty a
//! chief examiner, at least one), so that every yellow and red lodgement opens its task and
//! draws its examiner (and chief) among them in the lodgement's transaction, as at a staffed
//! post; and the server's random yellow rate can be raised so that a chosen share of the run is
//! controlled (1 makes every lodgement a drawn one: the worst case of control at acceptance).
//!
//! Everything goes through the API with the run's token, which must be an administrator's
//! (accounts) and a targeting officer's (selectivity): an administrator's is both. Meant for a
//! throwaway server, as the rest of the benchmark: the accounts and the new selectivity version
//! stay.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{json, Value};

/// Requests in flight at once while the roster is set up.
const SETUP_CLIENTS: usize = 16;

/// One officer in this many is a chief examiner (red tasks need one on duty).
const CHIEF_EVERY: usize = 20;

/// How long the officers stay on duty from now.
const SHIFT_HOURS: i64 = 12;

/// The API as the run's token sees it.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub url: String,
    pub token: String,
}

impl Api {
    /// Sends `body` (if any) with `method` to `path` and returns the answer's JSON (null when
    /// empty); a status other than a success is an error naming the path and the server's words.
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.url))?;
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        anyhow::ensure!(status.is_success(), "{path}: {status}: {text}");
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// Puts `per_office` officers on duty at each of `offices`, with a progress bar.
pub async fn roster(
    api: &Api,
    offices: &BTreeSet<String>,
    per_office: usize,
) -> anyhow::Result<()> {
    let run = format!("{:06}", rand::random::<u32>() % 1_000_000);
    let places: Arc<Vec<(String, usize)>> = Arc::new(
        offices
            .iter()
            .flat_map(|office| (0..per_office).map(move |i| (office.clone(), i)))
            .collect(),
    );
    eprintln!(
        "tamga bench submit: {per_office} officers on duty at each of {} offices",
        offices.len()
    );
    let progress = ProgressBar::new(places.len() as u64);
    progress.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} officers",
    )?);
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..SETUP_CLIENTS {
        let (api, places, next, progress) =
            (api.clone(), places.clone(), next.clone(), progress.clone());
        let run = run.clone();
        workers.spawn(async move {
            while let Some((office, i)) = places.get(next.fetch_add(1, Ordering::Relaxed)) {
                on_duty(&api, &format!("bench-{run}-{office}-{i}"), office, *i).await?;
                progress.inc(1);
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = workers.join_next().await {
        done??;
    }
    progress.finish_and_clear();
    Ok(())
}

/// Makes an officer account `name`, puts it in `office`'s import section (the `i`-th of the
/// office: a chief examiner every [`CHIEF_EVERY`]) and gives it a shift from now.
async fn on_duty(api: &Api, name: &str, office: &str, i: usize) -> anyhow::Result<()> {
    let account = json!({ "name": name, "role": "officer" });
    let made = api
        .send(reqwest::Method::POST, "/api/v1/users", Some(&account))
        .await?;
    let id = made["user"]["id"]
        .as_i64()
        .context("the new account's answer has no user id")?;
    let group = if i.is_multiple_of(CHIEF_EVERY) {
        "chief-examiner"
    } else {
        "examiner"
    };
    let officer = json!({ "office": office, "section": "import", "group": group });
    let path = format!("/api/v1/control/officers/{id}");
    api.send(reqwest::Method::PUT, &path, Some(&officer))
        .await?;
    let now = time::OffsetDateTime::now_utc();
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    let shift = json!({
        "start": (now - time::Duration::hours(1)).format(rfc3339)?,
        "end": (now + time::Duration::hours(SHIFT_HOURS)).format(rfc3339)?,
    });
    let path = format!("/api/v1/control/officers/{id}/shifts");
    api.send(reqwest::Method::POST, &path, Some(&shift)).await?;
    Ok(())
}

/// Sets the server's default random yellow rate to `rate`, keeping every other setting.
pub async fn random_yellow(api: &Api, rate: f64) -> anyhow::Result<()> {
    let path = "/api/v1/risk/selectivity";
    let current = api.send(reqwest::Method::GET, path, None).await?;
    let mut settings = current["settings"].clone();
    settings["default"]["random"]["yellow"] = json!(rate);
    let request = json!({
        "settings": settings,
        "reason": format!("tamga bench submit: random yellow rate {rate}"),
    });
    api.send(reqwest::Method::PUT, path, Some(&request)).await?;
    eprintln!("tamga bench submit: the default random yellow rate is now {rate}");
    Ok(())
}
