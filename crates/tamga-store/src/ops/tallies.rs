//! Hit-rate statistics maintained as decisions and outcomes are recorded, so that reading them
//! costs days, not every decision in the window.
//!
//! A tally row is (office-local day of decision, subject) with the decisions counted and the
//! outcome counts as JSON ([`OutcomeCounts`]). Subjects: every decided declaration (`all`),
//! the random selections (`random`), and each profile that fired (`profile`, its id). A
//! declaration's latest outcome is what counts: a new one takes the earlier one's place.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use time::Date;

use crate::conn::{Bind, Conn};
use crate::risk::{OutcomeCounts, RiskRecord, TallyRow};
use crate::script::Script;
use crate::{Result, StoreError};

impl OutcomeCounts {
    /// Adds another shard's counts.
    fn add(&mut self, other: &OutcomeCounts) {
        self.inspected += other.inspected;
        self.hits += other.hits;
        self.revenue += other.revenue;
        for (kind, n) in &other.findings {
            *self.findings.entry(kind.clone()).or_default() += n;
        }
        self.findings.retain(|_, n| *n != 0);
    }

    /// Adds (`sign` 1) or takes away (`sign` -1) one outcome document's part: one inspection,
    /// a hit when it has findings, its extra revenue and its findings by type.
    fn apply(&mut self, outcome: &serde_json::Value, sign: i64) {
        let findings = outcome["findings"]
            .as_array()
            .map_or(&[][..], Vec::as_slice);
        self.inspected += sign;
        self.hits += sign * i64::from(!findings.is_empty());
        let revenue = match &outcome["extra_revenue"] {
            serde_json::Value::String(s) => s.parse().unwrap_or_default(),
            serde_json::Value::Number(n) => n.to_string().parse().unwrap_or_default(),
            _ => Decimal::ZERO,
        };
        self.revenue += Decimal::from(sign) * revenue;
        for finding in findings {
            let kind = finding["type"].as_str().unwrap_or("other").to_owned();
            *self.findings.entry(kind).or_default() += sign;
        }
        self.findings.retain(|_, n| *n != 0);
    }
}

/// The subjects a decision counts for: (kind, profile id or "").
fn subjects<'a>(
    random: bool,
    profiles: impl Iterator<Item = &'a str>,
) -> Vec<(&'static str, String)> {
    let mut out = vec![("all", String::new())];
    if random {
        out.push(("random", String::new()));
    }
    let mut seen: Vec<&str> = Vec::new();
    for p in profiles {
        if !seen.contains(&p) {
            seen.push(p);
            out.push(("profile", p.to_owned()));
        }
    }
    out
}

/// The shard of a declaration's tally rows.
fn shard(declaration_id: i64) -> i64 {
    declaration_id.rem_euclid(SHARDS)
}

/// Rows each subject's day is split over, so that concurrent lodgements on PostgreSQL do not
/// all wait for the lock of one row until their commits.
const SHARDS: i64 = 16;

/// Counts a decision taken at acceptance, in the lodgement's script.
pub(crate) fn count_decision<'a>(
    script: &mut Script<'a>,
    declaration_id: i64,
    risk: &'a RiskRecord,
) {
    let subjects = subjects(risk.random, risk.profiles.iter().map(|(id, _)| id.as_str()));
    let mut sql = String::from(
        "INSERT INTO risk_tallies (day, kind, profile, shard, decided, outcomes) VALUES ",
    );
    let mut binds = Vec::with_capacity(subjects.len() * 4);
    for (i, (kind, profile)) in subjects.into_iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let n = i * 4;
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, 1, '{{}}')",
            n + 1,
            n + 2,
            n + 3,
            n + 4
        ));
        binds.extend([
            Bind::Text(risk.day.to_string()),
            Bind::Str(kind),
            Bind::Text(profile),
            Bind::Int(shard(declaration_id)),
        ]);
    }
    sql.push_str(
        " ON CONFLICT (day, kind, profile, shard) DO UPDATE SET decided = risk_tallies.decided + 1",
    );
    script.push(sql, binds);
}

/// Moves a declaration's outcome counts from its `previous` latest outcome (if any) to
/// `latest`, inside the transaction that records `latest`.
pub(crate) async fn count_outcome(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    previous: Option<&str>,
    latest: &str,
) -> Result<()> {
    let decision: Option<(String, bool)> = conn
        .optional(
            "SELECT decided_on, random FROM risk_decisions WHERE declaration_id = $1",
            &[Bind::Int(declaration_id)],
        )
        .await?;
    let Some((day, random)) = decision else {
        return Ok(());
    };
    let profiles: Vec<(String,)> = conn
        .all(
            "SELECT profile_id FROM risk_selections WHERE declaration_id = $1",
            &[Bind::Int(declaration_id)],
        )
        .await?;
    let parse = |text: &str| {
        serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| StoreError::Corrupt(format!("an inspection outcome: {e}")))
    };
    let previous = previous.map(parse).transpose()?;
    let latest = parse(latest)?;
    for (kind, profile) in subjects(random, profiles.iter().map(|(p,)| p.as_str())) {
        let key = [
            Bind::Str(&day),
            Bind::Str(kind),
            Bind::Str(&profile),
            Bind::Int(shard(declaration_id)),
        ];
        let select = format!(
            "SELECT outcomes FROM risk_tallies WHERE day = $1 AND kind = $2 AND profile = $3 \
             AND shard = $4{}",
            conn.dialect().lock_row()
        );
        let Some(text) = conn.optional_scalar::<String>(&select, &key).await? else {
            continue;
        };
        let mut counts: OutcomeCounts = serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("a risk tally: {e}")))?;
        if let Some(previous) = &previous {
            counts.apply(previous, -1);
        }
        counts.apply(&latest, 1);
        let text =
            serde_json::to_string(&counts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let update = "UPDATE risk_tallies SET outcomes = $5 \
                      WHERE day = $1 AND kind = $2 AND profile = $3 AND shard = $4";
        let [a, b, c, d] = key;
        let binds = [a, b, c, d, Bind::Text(text)];
        conn.execute(update, &binds).await?;
    }
    Ok(())
}

/// The tally rows of the days `from..=to`, one per day and subject (the shards added up).
pub(crate) async fn tallies(conn: &mut Conn<'_>, from: Date, to: Date) -> Result<Vec<TallyRow>> {
    let select = "SELECT day, kind, profile, decided, outcomes FROM risk_tallies \
                  WHERE day >= $1 AND day <= $2";
    let rows: Vec<(String, String, String, i64, String)> = conn
        .all(
            select,
            &[Bind::Text(from.to_string()), Bind::Text(to.to_string())],
        )
        .await?;
    let mut merged: BTreeMap<(String, String, String), TallyRow> = BTreeMap::new();
    for (day, kind, profile, decided, outcomes) in rows {
        let outcomes: OutcomeCounts = serde_json::from_str(&outcomes)
            .map_err(|e| StoreError::Corrupt(format!("a risk tally of {day}: {e}")))?;
        let row = merged
            .entry((day.clone(), kind.clone(), profile.clone()))
            .or_insert_with(|| TallyRow {
                day,
                kind,
                profile,
                decided: 0,
                outcomes: OutcomeCounts::default(),
            });
        row.decided += decided;
        row.outcomes.add(&outcomes);
    }
    Ok(merged.into_values().collect())
}

/// Builds the tallies from every stored decision and latest outcome when there are none yet
/// (a database from before tallies were kept); returns how many decisions were counted.
pub(crate) async fn rebuild_if_empty(conn: &mut Conn<'_>) -> Result<u64> {
    let any: Option<i64> = conn
        .optional_scalar("SELECT CAST(1 AS BIGINT) FROM risk_tallies LIMIT 1", &[])
        .await?;
    if any.is_some() {
        return Ok(0);
    }
    let decisions: Vec<(i64, String, bool)> = conn
        .all(
            "SELECT declaration_id, decided_on, random FROM risk_decisions",
            &[],
        )
        .await?;
    let mut profiles: HashMap<i64, Vec<String>> = HashMap::new();
    let selections: Vec<(i64, String)> = conn
        .all(
            "SELECT declaration_id, profile_id FROM risk_selections",
            &[],
        )
        .await?;
    for (id, profile) in selections {
        profiles.entry(id).or_default().push(profile);
    }
    let outcomes: Vec<(i64, String)> = conn
        .all(
            &format!(
                "SELECT declaration_id, {} FROM inspection_outcomes ORDER BY id",
                conn.dialect().json_column("document")
            ),
            &[],
        )
        .await?;
    let latest: HashMap<i64, String> = outcomes.into_iter().collect();
    let mut rows: BTreeMap<(String, &str, String), (i64, OutcomeCounts)> = BTreeMap::new();
    for (id, day, random) in &decisions {
        let fired = profiles.get(id).map_or(&[][..], Vec::as_slice);
        let outcome = latest
            .get(id)
            .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
        for (kind, profile) in subjects(*random, fired.iter().map(String::as_str)) {
            let row = rows.entry((day.clone(), kind, profile)).or_default();
            row.0 += 1;
            if let Some(outcome) = &outcome {
                row.1.apply(outcome, 1);
            }
        }
    }
    let insert = "INSERT INTO risk_tallies (day, kind, profile, shard, decided, outcomes) \
                  VALUES ($1, $2, $3, 0, $4, $5)";
    for ((day, kind, profile), (decided, counts)) in rows {
        let text =
            serde_json::to_string(&counts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let binds = [
            Bind::Text(day),
            Bind::Str(kind),
            Bind::Text(profile),
            Bind::Int(decided),
            Bind::Text(text),
        ];
        conn.execute(insert, &binds).await?;
    }
    Ok(u64::try_from(decisions.len()).unwrap_or(u64::MAX))
}
