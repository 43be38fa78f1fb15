//! What the Situation Center's templates show: the store's figures turned into table rows,
//! map dots, alert lines and chart bars, with every word from the user's language.

use askama::Template;
use tamga_core::refdata::ReferenceData;
use tamga_risk::explain::Explanation;
use tamga_store::situation::{Alert, AlertKind, Overview, PostFigures as Post};
use time::OffsetDateTime;

use super::map::{self, Country};
use crate::i18n::Tr;

/// One post's line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub figures: Post,
    pub oldest_age: String,
    pub median: String,
}

/// A post on the map.
#[derive(Debug, Clone)]
pub struct Dot {
    pub code: String,
    pub x: String,
    pub y: String,
    pub r: u32,
    /// `quiet` (nothing today), `busy`, or `alert` (red alerts today).
    pub class: &'static str,
    pub label: String,
}

/// A line of the alerts feed.
#[derive(Debug, Clone)]
pub struct AlertLine {
    pub at: String,
    pub office: String,
    pub what: String,
    pub reference: String,
    pub href: Option<String>,
}

fn office_name(code: &str) -> String {
    ReferenceData::embedded()
        .offices
        .get(code)
        .map_or_else(|| code.to_owned(), |o| o.name.clone())
}

/// A duration in days, hours and minutes, in the user's words.
pub fn duration(t: Tr, seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    let (days, hours, minutes) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(t.arg("duration-days", "n", days));
    }
    if days > 0 || hours > 0 {
        parts.push(t.arg("duration-hours", "n", hours));
    }
    parts.push(t.arg("duration-minutes", "n", minutes));
    parts.join(" ")
}

pub(super) fn row(t: Tr, figures: &Post, now: OffsetDateTime) -> Row {
    let age = figures.oldest_open.map(|at| (now - at).whole_seconds());
    Row {
        code: figures.office.clone(),
        name: office_name(&figures.office),
        oldest_age: age.map_or_else(|| "—".to_owned(), |s| duration(t, s)),
        median: figures
            .median_release_seconds
            .map_or_else(|| "—".to_owned(), |s| duration(t, s)),
        figures: figures.clone(),
    }
}

fn dots(t: Tr, posts: &[Post]) -> Vec<Dot> {
    let (projection, _) = map::map();
    ReferenceData::embedded()
        .offices
        .iter()
        .filter_map(|office| {
            let (x, y) = projection.point(office.longitude?, office.latitude?);
            let post = posts.iter().find(|p| p.office == office.code);
            let today = post.map_or(0, |p| p.today + p.open_controls);
            let alerts = post.map_or(0, Post::alerts);
            let class = match (today, alerts) {
                (_, 1..) => "alert",
                (1.., _) => "busy",
                _ => "quiet",
            };
            Some(Dot {
                code: office.code.clone(),
                x: format!("{x:.1}"),
                y: format!("{y:.1}"),
                r: if class == "quiet" {
                    2
                } else {
                    4 + (today.max(1).ilog10() * 2)
                },
                class,
                label: format!(
                    "{} {}: {}",
                    office.code,
                    office.name,
                    t.arg("situation-dot-today", "n", today)
                ),
            })
        })
        .collect()
}

fn alert_line(t: Tr, alert: &Alert) -> AlertLine {
    let (what, reference, href) = match &alert.kind {
        AlertKind::Red { mrn, explanation } => {
            let why = serde_json::from_str::<Explanation>(explanation).ok();
            let forced = why.as_ref().is_some_and(|e| {
                e.profiles
                    .iter()
                    .any(|p| matches!(p.effect, tamga_risk::profile::Effect::Force(_)))
            });
            let id = match why {
                Some(e) if !e.watchlist.is_empty() => "alert-watchlist",
                _ if forced => "alert-forced",
                _ => "alert-red",
            };
            (t.get(id), mrn.clone(), Some(format!("/declarations/{mrn}")))
        }
        AlertKind::Seizure { case_number, .. } => {
            (t.get("alert-seizure"), case_number.clone(), None)
        }
        AlertKind::Crossing { id, plate, kinds } => {
            let kinds: Vec<String> = kinds
                .iter()
                .map(|k| t.get(&format!("crossing-alert-{k}")))
                .collect();
            let what = format!("{}: {}", t.get("alert-crossing"), kinds.join(", "));
            (what, plate.clone(), Some(format!("/crossings/{id}")))
        }
    };
    AlertLine {
        at: crate::fmt::time(alert.at),
        office: alert.office.clone(),
        what,
        reference,
        href,
    }
}

/// The Situation Center's live region: map, table and alerts.
#[derive(Template)]
#[template(path = "situation/figures.html")]
pub struct Figures {
    pub t: Tr,
    pub rows: Vec<Row>,
    pub dots: Vec<Dot>,
    pub countries: &'static [Country],
    pub width: f64,
    pub height: f64,
    pub alerts: Vec<AlertLine>,
    pub updated: String,
}

impl Figures {
    pub fn new(t: Tr, data: Overview, now: OffsetDateTime) -> Figures {
        let (projection, countries) = map::map();
        Figures {
            t,
            rows: data.posts.iter().map(|p| row(t, p, now)).collect(),
            dots: dots(t, &data.posts),
            countries,
            width: map::WIDTH,
            height: projection.height,
            alerts: data.alerts.iter().map(|a| alert_line(t, a)).collect(),
            updated: crate::fmt::time(now),
        }
    }
}

pub use super::charts::PostFigures;
