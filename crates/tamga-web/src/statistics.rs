//! The analyst's hit rates: per profile, beside the random selections' baseline, as a table and
//! a bar chart drawn on the server (SVG, no script). The figures are the API's statistics.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use rust_decimal::Decimal;
use serde::Deserialize;
use tamga_api::AppState;
use tamga_risk::feedback::Tally;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/risk/statistics", get(statistics))
}

/// Width of the chart's bars at a hit rate of 100 %.
const BAR: f64 = 400.0;

/// One row of the table and bar of the chart.
#[derive(Debug)]
pub struct Row {
    pub name: String,
    pub selections: u64,
    pub inspected: u64,
    pub hits: u64,
    pub rate: Option<f64>,
    pub revenue: Decimal,
    /// The bar's length in the chart.
    pub width: f64,
    /// The bar's vertical position.
    pub y: usize,
}

impl Row {
    fn of(name: String, tally: &Tally, index: usize) -> Row {
        Row {
            name,
            selections: tally.selections,
            inspected: tally.inspected,
            hits: tally.hits,
            rate: tally.hit_rate,
            revenue: tally.revenue_found,
            width: tally.hit_rate.unwrap_or(0.0) * BAR,
            y: 10 + index * 28,
        }
    }

    /// The hit rate as a percentage, or a dash when nothing was inspected.
    pub fn percent(&self) -> String {
        self.rate
            .map_or("–".into(), |r| format!("{:.1} %", r * 100.0))
    }
}

#[derive(Template)]
#[template(path = "risk/statistics.html")]
struct StatisticsPage {
    page: Page,
    window: Window,
    baseline: Row,
    rows: Vec<Row>,
    /// Where the baseline's line is drawn, and the chart's height.
    baseline_x: f64,
    height: usize,
}

#[derive(Debug, Default, Deserialize)]
struct Window {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn statistics(
    State(state): State<AppState>,
    user: WebUser,
    Query(window): Query<Window>,
) -> Result<Response, WebError> {
    let params: Vec<(&str, &str)> = [("from", window.from.trim()), ("to", window.to.trim())]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let text = serde_urlencoded::to_string(params).unwrap_or_default();
    let query = serde_urlencoded::from_str(&text)
        .map(Query)
        .map_err(|e| WebError::internal(user.tr, e))?;
    let view = tamga_api::risk::feedback::statistics(
        State(state),
        user.caller_for("GET /api/v1/risk/statistics")?,
        Ok(query),
    )
    .await;
    let stats = view.map_err(|e| WebError::api(user.tr, e))?.0.statistics;
    let baseline = Row::of(user.tr.get("statistics-random"), &stats.random, 0);
    let rows: Vec<Row> = stats
        .profiles
        .iter()
        .enumerate()
        .map(|(i, (id, t))| Row::of(id.clone(), t, i + 1))
        .collect();
    Ok(render(&StatisticsPage {
        page: Page::new(&user, "statistics-title", "/risk/statistics"),
        baseline_x: 240.0 + baseline.width,
        height: 20 + (rows.len() + 1) * 28,
        window,
        baseline,
        rows,
    }))
}
