//! A crossing reported by a post, in one commit: what the post expected that it matches
//! (`crossing_expectations`, kept by migration 0023's triggers from declarations, transit
//! movements and cargo reports, less what an earlier crossing in the same direction already
//! consumed), the declared gross mass of what it matched, the alerts
//! (`tamga_core::crossing::judge`), the transit step at an office of transit or destination
//! (the same `transit::step` officers take, in this commit), the arrivals recorded, and the
//! crossing itself with its audit entry.

use std::str::FromStr;

use rust_decimal::Decimal;
use tamga_core::codes::Locode;
use tamga_core::crossing::judge::Source;
use tamga_core::crossing::{judge, Direction, Expected};
use tamga_core::transit::lifecycle::StepKind;

use crate::conn::{Bind, Conn};
use crate::crossings::{NewCrossing, StoredCrossing, TransitPassage};
use crate::transit::{MovementStep, StepActor, StepDetail, StepOutcome};
use crate::{Result, StoreError};

/// At most this many expectations one crossing matches (a plate seen on many documents).
const MAX_MATCHES: usize = 32;

/// Matches, judges and records a crossing (see the module documentation).
pub(crate) async fn record(conn: &mut Conn<'_>, new: NewCrossing) -> Result<StoredCrossing> {
    let matches = expectations(conn, &new).await?;
    let mut matched = Vec::new();
    for (source, reference, declaration_id, matched_by) in &matches {
        let declared_gross_kg = declared_gross(conn, *source, reference, *declaration_id).await?;
        matched.push(Expected {
            source: *source,
            reference: reference.clone(),
            matched_by: matched_by.clone(),
            declared_gross_kg,
        });
    }
    let alerts = judge(&new.reading, &matched, &new.listed, new.tolerance_percent);
    let mut transit = Vec::new();
    if new.reading.direction == Direction::Entry {
        for e in matched.iter().filter(|e| e.source == Source::Transit) {
            transit.push(pass(conn, &new, &e.reference).await?);
        }
    }
    let arrivals = matches
        .iter()
        .filter(|(s, ..)| *s == Source::Declaration && new.reading.direction == Direction::Entry)
        .map(|(_, reference, ..)| reference.clone())
        .collect();
    let mut crossing = StoredCrossing {
        id: 0,
        office: new.office.clone(),
        reported_by: new.by.name.clone(),
        received_at: new.at,
        reading: new.reading,
        findings: new.findings,
        matched,
        arrivals,
        transit,
        listed: new.listed,
        alerts,
    };
    crossing.id = insert(conn, &crossing, new.by.id).await?;
    consume(conn, &crossing, &matches).await?;
    Ok(crossing)
}

type Match = (Source, String, Option<i64>, Vec<String>);

/// What this post expects under the crossing's identifiers, not yet consumed by a crossing in
/// this direction, grouped by document.
async fn expectations(conn: &mut Conn<'_>, new: &NewCrossing) -> Result<Vec<Match>> {
    let idents = new.reading.idents();
    let placeholders: Vec<String> = (0..idents.len()).map(|i| format!("${}", i + 4)).collect();
    let sql = format!(
        "SELECT e.source, e.reference, e.declaration_id, e.ident FROM crossing_expectations e \
         WHERE e.office = $1 AND e.since >= $2 AND e.ident IN ({}) AND NOT EXISTS ( \
           SELECT 1 FROM crossing_arrivals a WHERE a.office = e.office AND a.source = e.source \
           AND a.reference = e.reference AND a.direction = $3) \
         ORDER BY e.since DESC, e.reference, e.ident",
        placeholders.join(", ")
    );
    let mut binds = vec![
        Bind::Str(&new.office),
        Bind::Time(new.expected_since),
        Bind::Str(new.reading.direction.as_str()),
    ];
    binds.extend(idents.iter().map(|i| Bind::Str(i)));
    let rows: Vec<(String, String, Option<i64>, String)> = conn.all(&sql, &binds).await?;
    let mut grouped: Vec<Match> = Vec::new();
    for (source, reference, declaration_id, ident) in rows {
        let source = Source::parse(&source)
            .ok_or_else(|| StoreError::Corrupt(format!("expectation source {source:?}")))?;
        let full = grouped.len() >= MAX_MATCHES;
        match grouped
            .iter_mut()
            .find(|m| m.0 == source && m.1 == reference)
        {
            Some(m) => m.3.push(ident),
            None if !full => grouped.push((source, reference, declaration_id, vec![ident])),
            None => {}
        }
    }
    Ok(grouped)
}

/// The declared gross mass of a matched document: a declaration's (or a transit movement's
/// declaration's) goods items, or a cargo consignment's goods; `None` if any item lacks it.
async fn declared_gross(
    conn: &mut Conn<'_>,
    source: Source,
    reference: &str,
    declaration_id: Option<i64>,
) -> Result<Option<Decimal>> {
    let column = conn.dialect().json_column("document");
    match (source, declaration_id) {
        (Source::Declaration | Source::Transit, Some(id)) => {
            let sql = format!("SELECT {column} FROM declarations WHERE id = $1");
            let doc: Option<(String,)> = conn.optional(&sql, &[Bind::Int(id)]).await?;
            Ok(doc.and_then(|(d,)| sum_gross(&parse(&d)?["items"])))
        }
        (Source::Cargo, _) => {
            let Some((report, sequence)) = reference.split_once('/') else {
                return Ok(None);
            };
            let id = report.parse::<i64>().unwrap_or(-1);
            let sql = format!("SELECT {column} FROM cargo_reports WHERE id = $1");
            let doc: Option<(String,)> = conn.optional(&sql, &[Bind::Int(id)]).await?;
            let Some(doc) = doc.and_then(|(d,)| parse(&d)) else {
                return Ok(None);
            };
            let consignment = doc["consignments"].as_array().and_then(|all| {
                all.iter()
                    .find(|c| {
                        c["sequence"].as_i64().is_some()
                            && c["sequence"].as_i64() == sequence.parse().ok()
                    })
                    .cloned()
            });
            Ok(consignment.and_then(|c| sum_gross(&c["goods"])))
        }
        _ => Ok(None),
    }
}

fn parse(document: &str) -> Option<serde_json::Value> {
    serde_json::from_str(document).ok()
}

/// The sum of `gross_mass` over an array of goods, each a decimal string or number.
fn sum_gross(items: &serde_json::Value) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    for item in items.as_array()? {
        let mass = match &item["gross_mass"] {
            serde_json::Value::String(s) => Decimal::from_str(s).ok()?,
            serde_json::Value::Number(n) => Decimal::from_str(&n.to_string()).ok()?,
            _ => return None,
        };
        total = total.checked_add(mass)?;
    }
    Some(total)
}

/// The transit step a crossing at an office of transit (passage) or of destination (arrival)
/// takes, as the post's officers would, in this commit.
async fn pass(conn: &mut Conn<'_>, new: &NewCrossing, mrn: &str) -> Result<TransitPassage> {
    let role: Option<(String,)> = conn
        .optional(
            "SELECT role FROM transit_offices WHERE mrn = $1 AND office = $2 \
             AND role IN ('transit', 'destination') ORDER BY role LIMIT 1",
            &[Bind::Str(mrn), Bind::Str(&new.office)],
        )
        .await?;
    let kind = match role.as_ref().map(|(r,)| r.as_str()) {
        Some("destination") => StepKind::Arrival,
        _ => StepKind::TransitPassage,
    };
    let office = Locode::parse(&new.office).ok();
    let actor = StepActor::Officer {
        name: new.by.name.clone(),
        offices: office.iter().cloned().collect(),
    };
    let step = MovementStep {
        kind,
        office,
        detail: StepDetail::default(),
        at: new.reading.crossed_at,
    };
    let note = match super::transit::step(conn, mrn, actor, step).await? {
        StepOutcome::Done(_) => None,
        StepOutcome::UnknownMrn => Some("unknown MRN".to_owned()),
        StepOutcome::Illegal(illegal) => Some(illegal.to_string()),
        StepOutcome::Refused(refusal) => Some(refusal.to_string()),
        StepOutcome::Guarantee(why) => Some(why),
    };
    Ok(TransitPassage {
        mrn: mrn.to_owned(),
        step: kind.as_str().to_owned(),
        taken: note.is_none(),
        note,
    })
}

/// The crossing's row, its alert rows and its audit entry; returns its id.
async fn insert(conn: &mut Conn<'_>, c: &StoredCrossing, by: i64) -> Result<i64> {
    let document = serde_json::to_string(c).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sql = format!(
        "INSERT INTO crossings (office, reported_by, crossed_at, received_at, direction, plate, \
         alerts, document) VALUES ($1, $2, $3, $4, $5, $6, $7, {}) RETURNING id",
        conn.dialect().json_param(8)
    );
    let alerts = i64::try_from(c.alerts.len()).unwrap_or(i64::MAX);
    let binds = [
        Bind::Str(&c.office),
        Bind::Int(by),
        Bind::Time(c.reading.crossed_at),
        Bind::Time(c.received_at),
        Bind::Str(c.reading.direction.as_str()),
        Bind::Str(&c.reading.plate),
        Bind::Int(alerts),
        Bind::Str(&document),
    ];
    let id: i64 = conn.scalar(&sql, &binds).await?;
    for alert in &c.alerts {
        conn.execute(
            "INSERT INTO crossing_alerts (crossing_id, office, kind) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            &[
                Bind::Int(id),
                Bind::Str(&c.office),
                Bind::Str(alert.kind.as_str()),
            ],
        )
        .await?;
    }
    let object = format!("crossing:{id}");
    let change = super::audit::Change::new(
        &c.reported_by,
        "crossing.report",
        &object,
        document.as_bytes(),
    );
    super::audit::record(conn, change).await?;
    Ok(id)
}

/// Each matched document's arrival in this direction at this post, recorded once: the first
/// entry of a declaration at its office starts its Time Release Study clock.
async fn consume(conn: &mut Conn<'_>, c: &StoredCrossing, matches: &[Match]) -> Result<()> {
    for (source, reference, declaration_id, _) in matches {
        conn.execute(
            "INSERT INTO crossing_arrivals (office, source, reference, direction, declaration_id, \
             crossing_id, arrived_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            &[
                Bind::Str(&c.office),
                Bind::Str(source.as_str()),
                Bind::Str(reference),
                Bind::Str(c.reading.direction.as_str()),
                Bind::OptInt(*declaration_id),
                Bind::Int(c.id),
                Bind::Time(c.reading.crossed_at),
            ],
        )
        .await?;
    }
    Ok(())
}
