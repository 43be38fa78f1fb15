//! Cargo reports, stored once per carrier and reference.

use time::OffsetDateTime;

use crate::cargo::{CargoOutcome, NewCargoReport, StoredCargoReport};
use crate::conn::{Bind, Conn};
use crate::{Result, StoreError};

type CargoRow = (i64, String, OffsetDateTime, String);

/// Stores a report, or answers a resubmission of its carrier and reference: the same report
/// again, or a reference taken by another report.
pub(crate) async fn save_cargo_report(
    conn: &mut Conn<'_>,
    new: NewCargoReport,
) -> Result<CargoOutcome> {
    let fingerprint = new.fingerprint();
    if let Some(answer) = seen_before(conn, &new, &fingerprint).await? {
        return Ok(answer);
    }
    let document =
        serde_json::to_string(&new.report).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let insert = format!(
        "INSERT INTO cargo_reports (carrier, reference, arrival_place, expected_arrival, consignments, \
         lodged_by, received_at, fingerprint, document) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, {}) ON CONFLICT (carrier, reference) DO NOTHING RETURNING id",
        conn.dialect().json_param(9)
    );
    let report = &new.report;
    let binds = [
        Bind::Str(&new.carrier),
        Bind::Str(&report.reference),
        Bind::OptStr(report.arrival_place.as_deref()),
        Bind::OptStr(report.expected_arrival.as_deref()),
        Bind::Int(i64::try_from(report.consignments.len()).unwrap_or(i64::MAX)),
        Bind::Int(new.by.id),
        Bind::Time(new.at),
        Bind::Str(&fingerprint),
        Bind::Str(&document),
    ];
    let Some(id) = conn.optional_scalar::<i64>(&insert, &binds).await? else {
        // Another server stored this reference after our check (PostgreSQL only): answer
        // from its row, which the insert waited for and which is visible now.
        return seen_before(conn, &new, &fingerprint)
            .await?
            .ok_or_else(|| StoreError::Conflict(format!("cargo report {}", new.report.reference)));
    };
    let object = format!("cargo-report:{id}");
    let change =
        super::audit::Change::new(&new.by.name, "cargo.lodge", &object, document.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(CargoOutcome::Stored(StoredCargoReport {
        id,
        carrier: new.carrier,
        received_at: new.at,
        report: new.report,
    }))
}

/// The answer to a report whose carrier and reference are already stored.
async fn seen_before(
    conn: &mut Conn<'_>,
    new: &NewCargoReport,
    fingerprint: &str,
) -> Result<Option<CargoOutcome>> {
    let select = "SELECT id, fingerprint FROM cargo_reports WHERE carrier = $1 AND reference = $2";
    let binds = [Bind::Str(&new.carrier), Bind::Str(&new.report.reference)];
    let Some((id, seen)) = conn.optional::<(i64, String)>(select, &binds).await? else {
        return Ok(None);
    };
    if seen != fingerprint {
        return Ok(Some(CargoOutcome::ReferenceTaken { id }));
    }
    let stored = cargo_report(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt("a cargo report vanished".into()))?;
    Ok(Some(CargoOutcome::Resubmitted(stored)))
}

pub(crate) async fn cargo_report(
    conn: &mut Conn<'_>,
    id: i64,
) -> Result<Option<StoredCargoReport>> {
    let select = format!(
        "SELECT id, carrier, received_at, {} FROM cargo_reports WHERE id = $1",
        conn.dialect().json_column("document")
    );
    let row: Option<CargoRow> = conn.optional(&select, &[Bind::Int(id)]).await?;
    row.map(stored).transpose()
}

/// Reports newest first, before the id `before` when given, of one carrier when given.
pub(crate) async fn cargo_reports(
    conn: &mut Conn<'_>,
    carrier: Option<&str>,
    before: Option<i64>,
    limit: u32,
) -> Result<Vec<StoredCargoReport>> {
    let of_carrier = if carrier.is_some() {
        "AND carrier = $3 "
    } else {
        ""
    };
    let select = format!(
        "SELECT id, carrier, received_at, {} FROM cargo_reports WHERE id < $1 {of_carrier}\
         ORDER BY id DESC LIMIT $2",
        conn.dialect().json_column("document")
    );
    let mut binds = vec![
        Bind::Int(before.unwrap_or(i64::MAX)),
        Bind::Int(i64::from(limit)),
    ];
    if let Some(carrier) = carrier {
        binds.push(Bind::Str(carrier));
    }
    let rows: Vec<CargoRow> = conn.all(&select, &binds).await?;
    rows.into_iter().map(stored).collect()
}

fn stored((id, carrier, received_at, document): CargoRow) -> Result<StoredCargoReport> {
    let report = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("cargo report {id}: {e}")))?;
    Ok(StoredCargoReport {
        id,
        carrier,
        received_at,
        report,
    })
}
