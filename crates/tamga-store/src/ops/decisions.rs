//! Risk decisions (stored in the lodgement's commit), inspection outcomes, and what the
//! statistics, daily capacities and dry runs read back from them.

use std::collections::HashMap;

use time::{Date, OffsetDateTime};

use super::documents::version;
use crate::conn::{Bind, Conn};
use crate::risk::{FeedbackRow, RiskRecord, StoredDecision, StoredOutcome};
use crate::script::Script;
use crate::sql::Dialect;
use crate::{Result, StoreError};

/// Settles a red decision's claim on its office's red capacity of the day. A claim the limit
/// may refuse is counted now (a refusal gives the yellow record it names instead); for a red
/// that must stay red, the second value says to count it in the lodgement's script
/// ([`count_red`]).
pub(crate) async fn settle_claim(
    conn: &mut Conn<'_>,
    mut risk: RiskRecord,
) -> Result<(RiskRecord, bool)> {
    let claim = risk.claim.take();
    if risk.channel != "red" {
        return Ok((risk, false));
    }
    let limit = match &claim {
        Some(c) if !c.must => c.limit.map(i64::from),
        _ => None,
    };
    let Some(limit) = limit else {
        return Ok((risk, true));
    };
    let granted: Option<i64> = if limit == 0 {
        None
    } else {
        let binds = [
            Bind::Str(&risk.office),
            Bind::Text(risk.day.to_string()),
            Bind::Int(limit),
        ];
        conn.optional_scalar(crate::sql::CLAIM_RED, &binds).await?
    };
    Ok(match (granted, claim) {
        (None, Some(claim)) => (*claim.if_reached, false),
        _ => (risk, false),
    })
}

/// Counts a red that stays red whatever the day's limit, in the lodgement's script.
pub(crate) fn count_red<'a>(script: &mut Script<'a>, risk: &'a RiskRecord) {
    let binds = vec![
        Bind::Str(&risk.office),
        Bind::Text(risk.day.to_string()),
        Bind::Int(i64::MAX),
    ];
    script.push(crate::sql::CLAIM_RED, binds);
}

/// Adds the decision taken at acceptance and the profiles that fired to the lodgement's
/// script (its transaction).
pub(crate) fn insert_decision<'a>(
    script: &mut Script<'a>,
    dialect: Dialect,
    declaration_id: i64,
    risk: &'a RiskRecord,
    at: OffsetDateTime,
) {
    let insert = format!(
        "INSERT INTO risk_decisions (declaration_id, office, channel, score, random, decided_at, decided_on, document) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, {})",
        dialect.json_param(8)
    );
    let binds = vec![
        Bind::Int(declaration_id),
        Bind::Str(&risk.office),
        Bind::Str(&risk.channel),
        Bind::Int(risk.score),
        Bind::Bool(risk.random),
        Bind::Time(at),
        Bind::Text(risk.day.to_string()),
        Bind::Str(&risk.document),
    ];
    script.push(insert, binds);
    super::tallies::count_decision(script, declaration_id, risk);
    if risk.profiles.is_empty() {
        return;
    }
    let mut selection = String::from(
        "INSERT INTO risk_selections (declaration_id, profile_id, profile_version) VALUES ",
    );
    let mut binds = Vec::with_capacity(risk.profiles.len() * 3);
    for (i, (id, v)) in risk.profiles.iter().enumerate() {
        if i > 0 {
            selection.push_str(", ");
        }
        let n = i * 3;
        selection.push_str(&format!("(${}, ${}, ${})", n + 1, n + 2, n + 3));
        binds.extend([
            Bind::Int(declaration_id),
            Bind::Str(id),
            Bind::Int(i64::from(*v)),
        ]);
    }
    script.push(selection, binds);
}

type DecisionRow = (String, String, i64, bool, OffsetDateTime, String);

/// The decision taken at acceptance, with the inspection outcomes recorded since.
pub(crate) async fn risk_decision(
    conn: &mut Conn<'_>,
    mrn: &str,
) -> Result<Option<StoredDecision>> {
    let select = format!(
        "SELECT d.mrn, r.channel, r.score, r.random, r.decided_at, {} FROM risk_decisions r \
         JOIN declarations d ON d.id = r.declaration_id WHERE d.mrn = $1",
        json_text(conn, "r.document")
    );
    let row: Option<DecisionRow> = conn.optional(&select, &[Bind::Str(mrn)]).await?;
    let Some((mrn, channel, score, random, decided_at, document)) = row else {
        return Ok(None);
    };
    let select = format!(
        "SELECT o.recorded_by, o.recorded_at, {} FROM inspection_outcomes o \
         JOIN declarations d ON d.id = o.declaration_id WHERE d.mrn = $1 ORDER BY o.id",
        json_text(conn, "o.document")
    );
    let outcomes: Vec<(String, OffsetDateTime, String)> =
        conn.all(&select, &[Bind::Str(&mrn)]).await?;
    let outcomes = outcomes
        .into_iter()
        .map(|(recorded_by, recorded_at, document)| StoredOutcome {
            recorded_by,
            recorded_at,
            document,
        })
        .collect();
    Ok(Some(StoredDecision {
        mrn,
        channel,
        score,
        random,
        decided_at,
        document,
        outcomes,
    }))
}

/// A qualified JSON column read back as text under its bare name, `document`.
fn json_text(conn: &Conn<'_>, column: &str) -> String {
    conn.dialect()
        .json_column(column)
        .replace(&format!("AS {column}"), "AS document")
}

/// Records an inspection outcome, audited; `None` when no declaration has this MRN.
pub(crate) async fn record_outcome(
    conn: &mut Conn<'_>,
    mrn: &str,
    outcome: StoredOutcome,
) -> Result<Option<()>> {
    let (by, document) = (outcome.recorded_by.clone(), outcome.document.clone());
    if insert_outcome(conn, mrn, outcome).await?.is_none() {
        return Ok(None);
    }
    let change = super::audit::Change::new(&by, "inspection.outcome", mrn, document.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(Some(()))
}

/// Stores an inspection outcome as part of a write that audits itself (a task's completion).
pub(crate) async fn insert_outcome(
    conn: &mut Conn<'_>,
    mrn: &str,
    outcome: StoredOutcome,
) -> Result<Option<()>> {
    let select = "SELECT id FROM declarations WHERE mrn = $1";
    let Some(id) = conn
        .optional_scalar::<i64>(select, &[Bind::Str(mrn)])
        .await?
    else {
        return Ok(None);
    };
    let insert = format!(
        "INSERT INTO inspection_outcomes (declaration_id, recorded_by, recorded_at, document) VALUES ($1, $2, $3, {})",
        conn.dialect().json_param(4)
    );
    let previous = format!(
        "SELECT {} FROM inspection_outcomes WHERE declaration_id = $1 ORDER BY id DESC LIMIT 1",
        json_text(conn, "document")
    );
    let previous: Option<String> = conn.optional_scalar(&previous, &[Bind::Int(id)]).await?;
    let binds = [
        Bind::Int(id),
        Bind::Str(&outcome.recorded_by),
        Bind::Time(outcome.recorded_at),
        Bind::Str(&outcome.document),
    ];
    conn.execute(&insert, &binds).await?;
    super::tallies::count_outcome(conn, id, previous.as_deref(), &outcome.document).await?;
    Ok(Some(()))
}

/// Decisions taken in `[from, to)`, each with the profiles that fired and its latest outcome.
pub(crate) async fn feedback(
    conn: &mut Conn<'_>,
    from: OffsetDateTime,
    to: OffsetDateTime,
) -> Result<Vec<FeedbackRow>> {
    const WINDOW: &str = "r.decided_at >= $1 AND r.decided_at < $2";
    let window = [Bind::Time(from), Bind::Time(to)];
    let decisions: Vec<(i64, String, OffsetDateTime, String, bool)> = conn
        .all(&format!(
            "SELECT r.declaration_id, d.mrn, r.decided_at, r.channel, r.random FROM risk_decisions r \
             JOIN declarations d ON d.id = r.declaration_id WHERE {WINDOW} ORDER BY r.declaration_id"
        ), &window)
        .await?;
    let selections: Vec<(i64, String, i64)> = conn
        .all(
            &format!(
                "SELECT s.declaration_id, s.profile_id, s.profile_version FROM risk_selections s \
             JOIN risk_decisions r ON r.declaration_id = s.declaration_id WHERE {WINDOW}"
            ),
            &window,
        )
        .await?;
    let outcomes: Vec<(i64, String)> = conn
        .all(&format!(
            "SELECT o.declaration_id, {} FROM inspection_outcomes o \
             JOIN risk_decisions r ON r.declaration_id = o.declaration_id WHERE {WINDOW} ORDER BY o.id",
            json_text(conn, "o.document")
        ), &window)
        .await?;
    let mut profiles: HashMap<i64, Vec<(String, u32)>> = HashMap::new();
    for (id, profile, v) in selections {
        profiles.entry(id).or_default().push((profile, version(v)?));
    }
    // Outcomes come oldest first, so the map keeps each declaration's latest.
    let latest: HashMap<i64, String> = outcomes.into_iter().collect();
    Ok(decisions
        .into_iter()
        .map(|(id, mrn, decided_at, channel, random)| FeedbackRow {
            mrn,
            decided_at,
            channel,
            random,
            profiles: profiles.remove(&id).unwrap_or_default(),
            outcome: latest.get(&id).cloned(),
        })
        .collect())
}

/// Red decisions per office on `day`.
pub(crate) async fn red_counts(conn: &mut Conn<'_>, day: Date) -> Result<Vec<(String, u32)>> {
    let select = "SELECT office, used FROM red_capacity WHERE day = $1";
    let rows: Vec<(String, i64)> = conn.all(select, &[Bind::Text(day.to_string())]).await?;
    Ok(rows
        .into_iter()
        .map(|(office, n)| (office, u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}

/// The latest accepted declarations, newest first.
pub(crate) async fn recent_declarations(
    conn: &mut Conn<'_>,
    limit: u32,
) -> Result<Vec<(String, tamga_core::Declaration)>> {
    let select = format!(
        "SELECT mrn, {} FROM declarations ORDER BY id DESC LIMIT $1",
        conn.dialect().json_column("document")
    );
    let rows: Vec<(String, String)> = conn.all(&select, &[Bind::Int(i64::from(limit))]).await?;
    rows.into_iter()
        .map(|(mrn, document)| {
            let declaration = serde_json::from_str(&document)
                .map_err(|e| StoreError::Corrupt(format!("declaration {mrn}: {e}")))?;
            Ok((mrn, declaration))
        })
        .collect()
}
