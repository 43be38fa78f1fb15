//! The analyst's selectivity settings: the thresholds, random rates, daily red capacity and
//! priority score of the default and of each office, the AEO reduction, the watchlist and
//! model weights. Saved as a new version with a reason through the API, which checks them;
//! every problem is shown at its field and in a summary. The random draws' secret is never
//! shown: it is not in the settings.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use tamga_api::error::ApiError;
use tamga_api::extract::JsonBody;
use tamga_api::AppState;
use tamga_risk::selectivity::{OfficeRules, RandomRates, Selectivity};

use crate::error::WebError;
use crate::page::{render_status, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/risk/selectivity", get(show).post(save))
}

/// The columns of a rules row: (field, JSON pointer under the row's rules).
const COLUMNS: &[(&str, &str)] = &[
    ("yellow_at", "/yellow_at"),
    ("red_at", "/red_at"),
    ("random_red", "/random/red"),
    ("random_yellow", "/random/yellow"),
    ("random_blue", "/random/blue"),
    ("red_capacity_per_day", "/red_capacity_per_day"),
    ("priority_at", "/priority_at"),
];

/// The settings outside the rows: (field, JSON pointer).
const GLOBALS: &[(&str, &str)] = &[
    ("aeo_reduction", "/aeo_reduction"),
    ("aeo_register", "/aeo_register"),
    ("watchlist_threshold", "/watchlist_threshold"),
    ("watchlist_weight", "/watchlist_weight"),
    ("model_weight", "/model_weight"),
];

/// One row of rules as typed: the office ("" on the default row) and a value per column.
#[derive(Debug, Clone, Default)]
struct Row {
    office: String,
    values: Vec<String>,
}

#[derive(Template)]
#[template(path = "risk/selectivity.html")]
struct SelectivityPage {
    page: Page,
    version: String,
    may_edit: bool,
    rows: Vec<Row>,
    globals: Vec<(&'static str, String)>,
    columns: &'static [(&'static str, &'static str)],
    reason: String,
    /// Every problem: (input id, message).
    problems: Vec<(String, String)>,
}

impl SelectivityPage {
    fn problem(&self, id: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|(at, _)| at == id)
            .map(|(_, m)| m.as_str())
    }
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn row_of(office: &str, rules: &OfficeRules) -> Row {
    let values = vec![
        rules.yellow_at.to_string(),
        rules.red_at.to_string(),
        rules.random.red.to_string(),
        rules.random.yellow.to_string(),
        rules.random.blue.to_string(),
        text(rules.red_capacity_per_day),
        text(rules.priority_at),
    ];
    Row {
        office: office.to_owned(),
        values,
    }
}

/// The settings as form rows: the default, each office, and an empty row to add an office.
fn rows_of(settings: &Selectivity) -> Vec<Row> {
    let mut rows = vec![row_of("", &settings.default)];
    rows.extend(settings.offices.iter().map(|(o, r)| row_of(o, r)));
    rows.push(Row {
        office: String::new(),
        values: vec![String::new(); COLUMNS.len()],
    });
    rows
}

fn globals_of(settings: &Selectivity) -> Vec<(&'static str, String)> {
    let values = [
        settings.aeo_reduction.to_string(),
        settings.aeo_register.clone(),
        settings.watchlist_threshold.to_string(),
        settings.watchlist_weight.to_string(),
        settings.model_weight.to_string(),
    ];
    GLOBALS.iter().map(|(n, _)| *n).zip(values).collect()
}

async fn show(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let view = tamga_api::risk::settings::get_selectivity(
        State(state),
        user.caller_for("GET /api/v1/risk/selectivity")?,
    )
    .await;
    let view = view.map_err(|e| WebError::api(user.tr, e))?.0;
    let page = SelectivityPage {
        page: Page::new(&user, "selectivity-title", "/risk/selectivity"),
        version: view.version.to_string(),
        may_edit: user.may("PUT /api/v1/risk/selectivity"),
        rows: rows_of(&view.settings),
        globals: globals_of(&view.settings),
        columns: COLUMNS,
        reason: String::new(),
        problems: Vec::new(),
    };
    Ok(render_status(StatusCode::OK, &page))
}

/// The form as sent: field name → value.
struct Sent(BTreeMap<String, String>);

impl Sent {
    fn value(&self, name: &str) -> String {
        self.0
            .get(name)
            .map_or(String::new(), |v| v.trim().to_owned())
    }

    fn rows(&self) -> Vec<Row> {
        let count = self.value("rows").parse::<usize>().unwrap_or(0).min(500);
        (0..count)
            .map(|i| Row {
                office: self.value(&format!("r{i}-office")).to_uppercase(),
                values: COLUMNS
                    .iter()
                    .map(|(c, _)| self.value(&format!("r{i}-{c}")))
                    .collect(),
            })
            .collect()
    }
}

/// The typed rows and globals as settings, or the problem of every field that is no number.
fn settings_of(
    rows: &[Row],
    globals: &[(&'static str, String)],
    t: crate::i18n::Tr,
) -> Result<Selectivity, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let mut rules = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if i > 0 && row.office.is_empty() {
            continue;
        }
        let mut number = |c: usize| -> Option<f64> {
            let value = row.values.get(c).map_or("", String::as_str);
            let (name, _) = COLUMNS[c];
            let optional = name == "red_capacity_per_day" || name == "priority_at";
            if value.is_empty() && optional {
                return None;
            }
            let parsed = value.parse::<f64>().ok().filter(|v| v.is_finite());
            if parsed.is_none() {
                let label = label_of(&format!("r{i}-{name}"), rows, t);
                let message = t.get("selectivity-not-a-number");
                problems.push((format!("r{i}-{name}"), format!("{label}: {message}")));
            }
            parsed
        };
        let values: Vec<Option<f64>> = (0..COLUMNS.len()).map(&mut number).collect();
        rules.push((row.office.clone(), values));
    }
    let global = |name: &str| {
        globals
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let mut global_number = |name: &str| -> f64 {
        let parsed = global(name)
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite());
        if parsed.is_none() {
            let message = t.get("selectivity-not-a-number");
            let label = t.get(&format!("selectivity-{name}"));
            problems.push((name.to_owned(), format!("{label}: {message}")));
        }
        parsed.unwrap_or_default()
    };
    let aeo_reduction = global_number("aeo_reduction");
    let watchlist_threshold = global_number("watchlist_threshold");
    let watchlist_weight = global_number("watchlist_weight");
    let model_weight = global_number("model_weight");
    if !problems.is_empty() {
        return Err(problems);
    }
    let as_rules = |v: &[Option<f64>]| OfficeRules {
        yellow_at: v[0].unwrap_or_default() as i64,
        red_at: v[1].unwrap_or_default() as i64,
        random: RandomRates {
            red: v[2].unwrap_or_default(),
            yellow: v[3].unwrap_or_default(),
            blue: v[4].unwrap_or_default(),
        },
        red_capacity_per_day: v[5].map(|c| c.clamp(0.0, f64::from(u32::MAX)) as u32),
        priority_at: v[6].map(|p| p as i64),
        // Not on the form: `keep_unedited` carries the stored one over.
        revenue_reserve: None,
    };
    let mut rules = rules.into_iter();
    let default = rules
        .next()
        .map_or_else(|| Selectivity::default().default, |(_, v)| as_rules(&v));
    Ok(Selectivity {
        default,
        offices: rules.map(|(office, v)| (office, as_rules(&v))).collect(),
        aeo_reduction: aeo_reduction as i64,
        aeo_register: global("aeo_register").trim().to_owned(),
        random_seed: None,
        watchlist_threshold,
        watchlist_weight: watchlist_weight as i64,
        model_weight,
    })
}

/// What the user reads for an input: the column and the row's office, or the setting.
fn label_of(input: &str, rows: &[Row], t: crate::i18n::Tr) -> String {
    let Some((row, column)) = input.strip_prefix('r').and_then(|r| r.split_once('-')) else {
        return match GLOBALS.iter().find(|(n, _)| *n == input) {
            Some((name, _)) => t.get(&format!("selectivity-{name}")),
            None => t.get("field-reason"),
        };
    };
    let office = match row.parse::<usize>() {
        Ok(0) => t.get("selectivity-default"),
        Ok(i) => rows.get(i).map(|r| r.office.clone()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    let column = if column == "office" {
        t.get("field-office")
    } else {
        t.get(&format!("selectivity-{column}"))
    };
    format!("{column} ({office})")
}

/// The input id of an API problem's pointer: `/settings/offices/UZTAS/random/red` is the
/// `random_red` of UZTAS's row.
fn input_of(pointer: &str, rows: &[Row]) -> String {
    let Some(rest) = pointer.strip_prefix("/settings") else {
        return pointer.trim_start_matches('/').to_owned();
    };
    let (row, field) = if let Some(field) = rest.strip_prefix("/default") {
        (Some(0), field)
    } else if let Some(office_field) = rest.strip_prefix("/offices/") {
        let (office, field) = office_field.split_once('/').unwrap_or((office_field, ""));
        let row = rows
            .iter()
            .skip(1)
            .position(|r| r.office == office)
            .map(|i| i + 1);
        (
            row,
            if field.is_empty() {
                ""
            } else {
                &office_field[office.len()..]
            },
        )
    } else {
        return rest.trim_start_matches('/').to_owned();
    };
    let column = COLUMNS.iter().find(|(_, p)| *p == field).map(|(c, _)| *c);
    match (row, column) {
        (Some(i), Some(c)) => format!("r{i}-{c}"),
        (Some(i), None) => format!("r{i}-office"),
        _ => rest.trim_start_matches('/').to_owned(),
    }
}

/// `settings` with what the form does not edit (each office's revenue reserve) taken from the
/// stored settings, so saving the form does not drop it.
async fn keep_unedited(
    state: &AppState,
    user: &WebUser,
    mut settings: Selectivity,
) -> Result<Selectivity, WebError> {
    let stored = tamga_api::risk::settings::get_selectivity(
        State(state.clone()),
        user.caller_for("GET /api/v1/risk/selectivity")?,
    );
    let stored = stored
        .await
        .map_err(|e| WebError::api(user.tr, e))?
        .0
        .settings;
    settings.default.revenue_reserve = stored.default.revenue_reserve;
    for (office, rules) in &mut settings.offices {
        rules.revenue_reserve = stored.offices.get(office).and_then(|r| r.revenue_reserve);
    }
    Ok(settings)
}

async fn save(
    State(state): State<AppState>,
    user: WebUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let sent = Sent(fields.into_iter().collect());
    user.check_csrf(&sent.value("csrf"))?;
    let rows = sent.rows();
    let globals: Vec<_> = GLOBALS.iter().map(|(n, _)| (*n, sent.value(n))).collect();
    let reason = sent.value("reason");
    let version = sent.value("version");
    let refuse =
        |problems: Vec<(String, String)>, rows: Vec<Row>, globals, reason| SelectivityPage {
            page: Page::new(&user, "selectivity-title", "/risk/selectivity"),
            version: version.clone(),
            may_edit: true,
            rows,
            globals,
            columns: COLUMNS,
            reason,
            problems,
        };
    let settings = match settings_of(&rows, &globals, user.tr) {
        Ok(settings) => keep_unedited(&state, &user, settings).await?,
        Err(problems) => {
            let page = refuse(problems, rows, globals, reason);
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let request = serde_json::json!({
        "settings": settings,
        "reason": reason,
        // Version 0 is the defaults, which no stored version holds.
        "expected_version": version.parse::<u32>().ok().filter(|v| *v > 0),
    });
    let request = serde_json::from_value(request).map_err(|e| WebError::internal(user.tr, e))?;
    let saved = tamga_api::risk::settings::put_selectivity(
        State(state),
        user.caller_for("PUT /api/v1/risk/selectivity")?,
        JsonBody(request),
    )
    .await;
    let problems = match saved {
        Ok(_) => return Ok(Redirect::to("/risk/selectivity").into_response()),
        Err(ApiError::BadRequest { errors, .. }) | Err(ApiError::Invalid(errors)) => errors
            .into_iter()
            .map(|e| {
                let input = input_of(&e.pointer, &rows);
                let label = label_of(&input, &rows, user.tr);
                (input, format!("{label}: {}", user.tr.problem(&e)))
            })
            .collect(),
        Err(e) => vec![(String::new(), WebError::alert(user.tr, e)?)],
    };
    let page = refuse(problems, rows, globals, reason);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        let row = |o: &str| Row {
            office: o.into(),
            values: Vec::new(),
        };
        vec![row(""), row("UZTAS"), row("UZSKD")]
    }

    #[test]
    fn api_pointers_name_the_inputs_of_their_rows() {
        let rows = rows();
        assert_eq!(input_of("/settings/default/red_at", &rows), "r0-red_at");
        assert_eq!(
            input_of("/settings/offices/UZSKD/random/red", &rows),
            "r2-random_red"
        );
        assert_eq!(input_of("/settings/offices/UZTAS", &rows), "r1-office");
        assert_eq!(
            input_of("/settings/watchlist_threshold", &rows),
            "watchlist_threshold"
        );
        assert_eq!(input_of("/reason", &rows), "reason");
    }
}
