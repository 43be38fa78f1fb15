//! A post's page: its figures of the day, two bar charts of its last 24 hours (declarations
//! lodged, and decisions by channel, stacked), drawn as SVG on the server, its recent
//! declarations and its officers' indicators.

use askama::Template;
use tamga_store::situation::{HourBar, OfficerFigures, Overview, PostDetail, Recent};
use time::OffsetDateTime;

use super::views::Row;
use crate::i18n::Tr;

/// The chart's drawing area, in SVG units.
const BAR_WIDTH: i64 = 24;
const CHART_HEIGHT: i64 = 120;

/// A rectangle of a chart, with its text for screen readers and tooltips.
#[derive(Debug, Clone)]
pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub height: i64,
    pub class: &'static str,
    pub title: String,
}

/// One chart: its bars, the hour labels along the bottom and the top of the scale.
#[derive(Debug, Clone)]
pub struct Chart {
    pub bars: Vec<Bar>,
    pub ticks: Vec<(i64, String)>,
    pub max: i64,
    pub width: i64,
    pub height: i64,
}

/// An examiner's line: counts and shares as percentages.
#[derive(Debug, Clone)]
pub struct OfficerRow {
    pub figures: OfficerFigures,
    pub same_day: String,
    pub hit_rate: String,
}

fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        format!("{} %", part * 100 / whole)
    }
}

/// A series of a chart: its CSS class, its message id, and its value in an hour.
type Series = (&'static str, &'static str, fn(&HourBar) -> i64);

/// Stacked bars per hour, one stack of the series per hour.
fn chart(t: Tr, hours: &[HourBar], series: &[Series]) -> Chart {
    let max = hours
        .iter()
        .map(|h| series.iter().map(|(_, _, f)| f(h)).sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut bars = Vec::new();
    let mut ticks = Vec::new();
    for (i, hour) in hours.iter().enumerate() {
        let x = i as i64 * BAR_WIDTH;
        let label = hour.hour.get(11..).unwrap_or("").to_owned();
        if i % 3 == 0 {
            ticks.push((x + BAR_WIDTH / 2, format!("{label}:00")));
        }
        let mut top = CHART_HEIGHT;
        for (class, id, value) in series {
            let n = value(hour);
            let height = n * CHART_HEIGHT / max;
            if n == 0 {
                continue;
            }
            top -= height;
            bars.push(Bar {
                x,
                y: top,
                height,
                class,
                title: format!("{}:00 UTC: {}", hour.hour, t.arg(id, "n", n)),
            });
        }
    }
    Chart {
        bars,
        ticks,
        max,
        width: BAR_WIDTH * hours.len() as i64,
        height: CHART_HEIGHT,
    }
}

#[derive(Template)]
#[template(path = "situation/post_figures.html")]
pub struct PostFigures {
    pub t: Tr,
    pub row: Option<Row>,
    pub lodged: Chart,
    pub channels: Chart,
    pub hours: Vec<HourBar>,
    pub recent: Vec<Recent>,
    pub officers: Vec<OfficerRow>,
    pub updated: String,
}

impl PostFigures {
    pub fn new(
        t: Tr,
        code: &str,
        all: &Overview,
        detail: PostDetail,
        now: OffsetDateTime,
    ) -> PostFigures {
        let row = all
            .posts
            .iter()
            .find(|p| p.office == code)
            .map(|p| super::views::row(t, p, now));
        let lodged = chart(
            t,
            &detail.hours,
            &[("lodged", "chart-lodged", |h| h.lodged)],
        );
        let channels = chart(
            t,
            &detail.hours,
            &[
                ("green", "chart-green", |h| h.green),
                ("yellow", "chart-yellow", |h| h.yellow),
                ("red", "chart-red", |h| h.red),
            ],
        );
        let officers = detail
            .officers
            .into_iter()
            .map(|o| OfficerRow {
                same_day: percent(o.same_day, o.completed),
                hit_rate: percent(o.hits, o.completed),
                figures: o,
            })
            .collect();
        PostFigures {
            t,
            row,
            lodged,
            channels,
            hours: detail.hours,
            recent: detail.recent,
            officers,
            updated: crate::fmt::time(now),
        }
    }
}
