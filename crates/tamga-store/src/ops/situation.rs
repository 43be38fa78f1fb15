//! The Situation Center's aggregates: a handful of grouped queries over what migration 0015's
//! triggers keep — `situation_hours` (lodged and decided by channel per post and UTC hour) and
//! `situation_minutes` (lodged per post and minute, for the last hour, to the minute) and
//! `declaration_releases` (each release's seconds since acceptance, read by offset from the
//! `(office, released_on, seconds)` index for the median) — and its indexes (open tasks,
//! seizures, red decisions), so the page's cost follows the number of posts, hours and
//! minutes, not the number of declarations.

use std::collections::BTreeMap;

use time::{Duration, OffsetDateTime};

use crate::conn::{Bind, Conn};
use crate::situation::{
    Alert, AlertKind, HourBar, Marker, OfficerFigures, Overview, PostDetail, PostFigures, Recent,
};
use crate::sql::Dialect;
use crate::Result;

const OPEN_STATES: &str = "('open', 'allocated', 'in-progress')";
/// How many alerts of each kind the feed shows.
const ALERTS: i64 = 12;
/// How many recent declarations a post's page lists.
const RECENT: i64 = 20;
/// The period of the officers' indicators.
const OFFICER_DAYS: i64 = 30;

/// The start of `now`'s UTC day.
fn day_start(now: OffsetDateTime) -> OffsetDateTime {
    now.replace_time(time::Time::MIDNIGHT)
}

fn new_post(office: String) -> PostFigures {
    PostFigures {
        office,
        ..Default::default()
    }
}

/// A timestamp or JSON column as text.
fn text_of(dialect: Dialect, column: &str) -> String {
    match dialect {
        Dialect::Sqlite => column.to_owned(),
        Dialect::Postgres => format!("{column}::text"),
    }
}

pub(crate) async fn marker(conn: &mut Conn<'_>) -> Result<Marker> {
    let sql = format!(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM declarations), \
         (SELECT {} FROM declarations ORDER BY updated_at DESC LIMIT 1), \
         (SELECT COALESCE(MAX(id), 0) FROM control_task_events), \
         (SELECT COALESCE(MAX(id), 0) FROM seizures), \
         (SELECT COALESCE(MAX(crossing_id), 0) FROM crossing_alerts)",
        text_of(conn.dialect(), "updated_at")
    );
    let (last_declaration, last_update, last_task_event, last_seizure, last_crossing_alert): (
        i64,
        Option<String>,
        i64,
        i64,
        i64,
    ) = conn.one(&sql, &[]).await?;
    Ok(Marker {
        last_declaration,
        last_update,
        last_task_event,
        last_seizure,
        last_crossing_alert,
    })
}

/// Every post with activity today or open controls, and the latest alerts.
pub(crate) async fn overview(conn: &mut Conn<'_>, now: OffsetDateTime) -> Result<Overview> {
    let start = day_start(now);
    let hour_ago = now - Duration::hours(1);
    let mut posts: BTreeMap<String, PostFigures> = BTreeMap::new();
    // The minutes since `now - 1 h`, to the minute: 60 rows per post at most.
    let lodged = "SELECT office, CAST(SUM(lodged) AS BIGINT) FROM situation_minutes \
                  WHERE minute > $1 GROUP BY office";
    let binds = [Bind::Text(minute_label(hour_ago))];
    for (office, n) in conn.all::<(String, i64)>(lodged, &binds).await? {
        posts
            .entry(office.clone())
            .or_insert_with(|| new_post(office))
            .last_hour = n;
    }
    let today = "SELECT office, CAST(SUM(lodged) AS BIGINT), CAST(SUM(green) AS BIGINT), \
                 CAST(SUM(yellow) AS BIGINT), CAST(SUM(red) AS BIGINT) FROM situation_hours \
                 WHERE hour >= $1 GROUP BY office";
    let rows: Vec<(String, i64, i64, i64, i64)> =
        conn.all(today, &[Bind::Text(hour_label(start))]).await?;
    for (office, lodged, green, yellow, red) in rows {
        let entry = posts
            .entry(office.clone())
            .or_insert_with(|| new_post(office));
        (entry.today, entry.green, entry.yellow, entry.red) = (lodged, green, yellow, red);
    }
    let open = format!(
        "SELECT office, COUNT(*), MIN(opened_at) FROM control_tasks \
         WHERE state IN {OPEN_STATES} GROUP BY office"
    );
    let rows: Vec<(String, i64, Option<OffsetDateTime>)> = conn.all(&open, &[]).await?;
    for (office, n, oldest) in rows {
        let entry = posts
            .entry(office.clone())
            .or_insert_with(|| new_post(office));
        (entry.open_controls, entry.oldest_open) = (n, oldest);
    }
    let seized = "SELECT office, COUNT(*) FROM seizures WHERE recorded_at >= $1 GROUP BY office";
    let rows: Vec<(String, i64)> = conn.all(seized, &[Bind::Time(start)]).await?;
    for (office, n) in rows {
        posts
            .entry(office.clone())
            .or_insert_with(|| new_post(office))
            .seizures_today = n;
    }
    release_times(conn, now, &mut posts).await?;
    Ok(Overview {
        posts: posts.into_values().collect(),
        alerts: alerts(conn).await?,
    })
}

/// Today's releases per post and their median lodgement-to-release time, read from the
/// `(office, released_on, seconds)` index: the count, then the middle row(s) by offset.
async fn release_times(
    conn: &mut Conn<'_>,
    now: OffsetDateTime,
    posts: &mut BTreeMap<String, PostFigures>,
) -> Result<()> {
    let day = now.date();
    let counts = "SELECT office, COUNT(*) FROM declaration_releases \
                  WHERE released_on = $1 GROUP BY office";
    let rows: Vec<(String, i64)> = conn.all(counts, &[Bind::Date(day)]).await?;
    let middle = "SELECT seconds FROM declaration_releases WHERE office = $1 \
                  AND released_on = $2 ORDER BY seconds LIMIT $3 OFFSET $4";
    for (office, n) in rows {
        let (take, skip) = if n % 2 == 0 {
            (2, n / 2 - 1)
        } else {
            (1, n / 2)
        };
        let binds = [
            Bind::Str(&office),
            Bind::Date(day),
            Bind::Int(take),
            Bind::Int(skip),
        ];
        let values: Vec<(i64,)> = conn.all(middle, &binds).await?;
        let median = (!values.is_empty())
            .then(|| values.iter().map(|v| v.0).sum::<i64>() / values.len() as i64);
        let entry = posts
            .entry(office.clone())
            .or_insert_with(|| new_post(office));
        (entry.releases_today, entry.median_release_seconds) = (n, median);
    }
    Ok(())
}

/// The latest red decisions and seizures, newest first.
async fn alerts(conn: &mut Conn<'_>) -> Result<Vec<Alert>> {
    let red = format!(
        "SELECT d.mrn, r.office, r.decided_at, {} FROM risk_decisions r \
         JOIN declarations d ON d.id = r.declaration_id WHERE r.channel = 'red' \
         ORDER BY r.declaration_id DESC LIMIT $1",
        text_of(conn.dialect(), "r.document")
    );
    let rows: Vec<(String, String, OffsetDateTime, String)> =
        conn.all(&red, &[Bind::Int(ALERTS)]).await?;
    let mut alerts: Vec<Alert> = rows
        .into_iter()
        .map(|(mrn, office, at, explanation)| Alert {
            office,
            at,
            kind: AlertKind::Red { mrn, explanation },
        })
        .collect();
    let seized = "SELECT id, office, recorded_at, case_number FROM seizures \
                  ORDER BY id DESC LIMIT $1";
    let rows: Vec<(i64, String, OffsetDateTime, String)> =
        conn.all(seized, &[Bind::Int(ALERTS)]).await?;
    alerts.extend(rows.into_iter().map(|(id, office, at, case_number)| Alert {
        office,
        at,
        kind: AlertKind::Seizure { id, case_number },
    }));
    alerts.extend(crossing_alerts(conn).await?);
    alerts.sort_by_key(|a| std::cmp::Reverse(a.at));
    alerts.truncate(ALERTS as usize);
    Ok(alerts)
}

/// One post's last 24 hours by hour, its recent declarations and its officers' indicators.
pub(crate) async fn post(
    conn: &mut Conn<'_>,
    office: &str,
    now: OffsetDateTime,
) -> Result<PostDetail> {
    Ok(PostDetail {
        hours: hours(conn, office, now).await?,
        recent: recent(conn, office).await?,
        officers: officers(conn, office, now).await?,
    })
}

async fn hours(conn: &mut Conn<'_>, office: &str, now: OffsetDateTime) -> Result<Vec<HourBar>> {
    let this_hour =
        now.replace_time(time::Time::from_hms(now.hour(), 0, 0).unwrap_or(time::Time::MIDNIGHT));
    let since = this_hour - Duration::hours(23);
    let mut bars: BTreeMap<String, HourBar> = (0..24)
        .map(|h| {
            let hour = hour_label(since + Duration::hours(h));
            (
                hour.clone(),
                HourBar {
                    hour,
                    ..Default::default()
                },
            )
        })
        .collect();
    // PostgreSQL keeps each hour in several rows (migration 0038), SQLite in one.
    let sql = "SELECT hour, CAST(SUM(lodged) AS BIGINT), CAST(SUM(green) AS BIGINT), \
               CAST(SUM(yellow) AS BIGINT), CAST(SUM(red) AS BIGINT) FROM situation_hours \
               WHERE office = $1 AND hour >= $2 GROUP BY hour";
    let binds = [Bind::Str(office), Bind::Text(hour_label(since))];
    for (hour, lodged, green, yellow, red) in conn
        .all::<(String, i64, i64, i64, i64)>(sql, &binds)
        .await?
    {
        if let Some(bar) = bars.get_mut(&hour) {
            (bar.lodged, bar.green, bar.yellow, bar.red) = (lodged, green, yellow, red);
        }
    }
    Ok(bars.into_values().collect())
}

fn minute_label(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    at.format(&format).unwrap_or_default()
}

fn hour_label(at: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]");
    at.format(&format).unwrap_or_default()
}

/// The post's latest declarations, newest day first and then by id: the order of the
/// `(office, accepted_on, id)` index.
async fn recent(conn: &mut Conn<'_>, office: &str) -> Result<Vec<Recent>> {
    let sql = "SELECT d.mrn, d.accepted_at, d.status, r.channel FROM declarations d \
               LEFT JOIN risk_decisions r ON r.declaration_id = d.id \
               WHERE d.office = $1 ORDER BY d.accepted_on DESC, d.id DESC LIMIT $2";
    let rows: Vec<(String, OffsetDateTime, String, Option<String>)> = conn
        .all(sql, &[Bind::Str(office), Bind::Int(RECENT)])
        .await?;
    Ok(rows
        .into_iter()
        .map(|(mrn, accepted_at, status, channel)| Recent {
            mrn,
            accepted_at,
            status,
            channel,
        })
        .collect())
}

/// The examiners' completed tasks at the post over the last 30 days, and the draws that took a
/// task from one of them to someone else.
async fn officers(
    conn: &mut Conn<'_>,
    office: &str,
    now: OffsetDateTime,
) -> Result<Vec<OfficerFigures>> {
    let since = now - Duration::days(OFFICER_DAYS);
    let binds = [Bind::Str(office), Bind::Time(since)];
    let done = format!(
        "SELECT u.name, t.opened_at, t.completed_at, {} FROM control_tasks t \
         JOIN users u ON u.id = t.examiner_id WHERE t.office = $1 AND t.completed_at >= $2",
        text_of(conn.dialect(), "t.findings")
    );
    type Done = (String, OffsetDateTime, OffsetDateTime, Option<String>);
    let mut officers: BTreeMap<String, OfficerFigures> = BTreeMap::new();
    for (name, opened, completed, findings) in conn.all::<Done>(&done, &binds).await? {
        let o = officers
            .entry(name.clone())
            .or_insert_with(|| OfficerFigures {
                name,
                ..Default::default()
            });
        o.completed += 1;
        o.same_day += i64::from(opened.date() == completed.date());
        o.hits += i64::from(findings.as_deref().is_some_and(found_something));
    }
    // A task's examiner and chief are drawn from their own groups: a later draw in the same
    // group of the same task took it from the officer the earlier one chose.
    let draws = "SELECT dr.task_id, dr.grp, u.name FROM control_draws dr \
                 JOIN control_tasks t ON t.id = dr.task_id JOIN users u ON u.id = dr.chosen \
                 WHERE t.office = $1 AND dr.drawn_at >= $2 ORDER BY dr.task_id, dr.grp, dr.id";
    let rows: Vec<(i64, String, String)> = conn.all(draws, &binds).await?;
    for pair in rows.windows(2) {
        if let [(task, group, previous), (next_task, next_group, _)] = pair {
            if (task, group) == (next_task, next_group) {
                let o = officers
                    .entry(previous.clone())
                    .or_insert_with(|| OfficerFigures {
                        name: previous.clone(),
                        ..Default::default()
                    });
                o.reallocated_away += 1;
            }
        }
    }
    Ok(officers.into_values().collect())
}

/// Whether a task's findings (JSON) hold any finding other than "as declared".
fn found_something(findings: &str) -> bool {
    fn walk(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::Object(map) => map.iter().any(|(key, v)| {
                (key == "type" && v.as_str().is_some_and(|t| t != "as_declared")) || walk(v)
            }),
            serde_json::Value::Array(items) => items.iter().any(walk),
            _ => false,
        }
    }
    serde_json::from_str(findings).is_ok_and(|v| walk(&v))
}

/// posts: the latest crossings that raised alerts, with their kinds.
async fn crossing_alerts(conn: &mut Conn<'_>) -> Result<Vec<Alert>> {
    let sql = format!(
        "SELECT c.id, c.office, c.received_at, c.plate, {} FROM crossings c \
         JOIN crossing_alerts a ON a.crossing_id = c.id \
         WHERE c.id IN (SELECT crossing_id FROM crossing_alerts ORDER BY crossing_id DESC LIMIT $1) \
         GROUP BY c.id, c.office, c.received_at, c.plate",
        conn.dialect().joined("a.kind")
    );
    let rows: Vec<(i64, String, OffsetDateTime, String, Option<String>)> =
        conn.all(&sql, &[Bind::Int(ALERTS)]).await?;
    Ok(rows
        .into_iter()
        .map(|(id, office, at, plate, kinds)| Alert {
            office,
            at,
            kind: AlertKind::Crossing {
                id,
                plate,
                kinds: kinds
                    .unwrap_or_default()
                    .split(',')
                    .map(str::to_owned)
                    .collect(),
            },
        })
        .collect())
}
