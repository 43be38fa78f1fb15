//! Retention beyond the declaration ([`tamga_core::retention`] says what goes): the risk
//! explanation of a declaration being masked, in the declaration's own commit; cargo reports
//! received before the cut-off; the seizures of closed offence cases recorded before it. Each
//! masking of a report or seizure is one write with one audit entry naming it (its digest
//! covers a fixed text, never the masked values); the tables' triggers allow that one change
//! of the document and refuse every later one.

use time::OffsetDateTime;

use super::audit::{self, Change};
use crate::conn::{Bind, Conn};
use crate::{Result, StoreError};

/// A record whose personal data the retention period masks, besides declarations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionRecord {
    CargoReport(i64),
    Seizure(i64),
}

/// Masks the watchlist names in the risk explanation of declaration `id`, if not yet done;
/// part of the declaration's masking (and of its audit entry).
pub(crate) async fn mask_explanation(conn: &mut Conn<'_>, id: i64) -> Result<bool> {
    let dialect = conn.dialect();
    let select = format!(
        "SELECT {} FROM risk_decisions WHERE declaration_id = $1 \
         AND personal_data_masked_at IS NULL{}",
        dialect.json_column("document"),
        dialect.lock_row()
    );
    let Some((document,)) = conn
        .optional::<(String,)>(&select, &[Bind::Int(id)])
        .await?
    else {
        return Ok(false);
    };
    let mut explanation: serde_json::Value = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("risk decision {id}: {e}")))?;
    tamga_core::retention::mask_explanation(&mut explanation);
    let update = format!(
        "UPDATE risk_decisions SET document = {}, personal_data_masked_at = $2 \
         WHERE declaration_id = $3",
        dialect.json_param(1)
    );
    let binds = [
        Bind::Text(explanation.to_string()),
        Bind::Time(crate::sql::now()),
        Bind::Int(id),
    ];
    conn.execute(&update, &binds).await?;
    Ok(true)
}

/// Up to `limit` unmasked cargo reports received, and seizures of closed cases recorded,
/// before `cutoff`.
pub(crate) async fn candidates(
    conn: &mut Conn<'_>,
    cutoff: OffsetDateTime,
    limit: i64,
) -> Result<Vec<RetentionRecord>> {
    let reports = "SELECT id, received_at FROM cargo_reports \
         WHERE personal_data_masked_at IS NULL AND received_at < $1 \
         ORDER BY received_at, id LIMIT $2";
    let seizures = "SELECT s.id, s.recorded_at FROM seizures s \
         JOIN offence_cases c ON c.number = s.case_number \
         WHERE s.personal_data_masked_at IS NULL AND c.state = 'closed' AND s.recorded_at < $1 \
         ORDER BY s.recorded_at, s.id LIMIT $2";
    let binds = [Bind::Time(cutoff), Bind::Int(limit)];
    let reports: Vec<(i64, OffsetDateTime)> = conn.all(reports, &binds).await?;
    let seizures: Vec<(i64, OffsetDateTime)> = conn.all(seizures, &binds).await?;
    // SQLite compares times as text: the exact comparison is made here.
    let before = |(_, at): &(i64, OffsetDateTime)| *at < cutoff;
    Ok(reports
        .into_iter()
        .filter(before)
        .map(|(id, _)| RetentionRecord::CargoReport(id))
        .chain(
            seizures
                .into_iter()
                .filter(before)
                .map(|(id, _)| RetentionRecord::Seizure(id)),
        )
        .collect())
}

/// Masks `record` if it is still unmasked and older than `cutoff` (a seizure: of a closed
/// case); returns whether it did.
pub(crate) async fn mask(
    conn: &mut Conn<'_>,
    record: RetentionRecord,
    cutoff: OffsetDateTime,
    by: &str,
) -> Result<bool> {
    match record {
        RetentionRecord::CargoReport(id) => mask_cargo_report(conn, id, cutoff, by).await,
        RetentionRecord::Seizure(id) => mask_seizure(conn, id, cutoff, by).await,
    }
}

async fn mask_cargo_report(
    conn: &mut Conn<'_>,
    id: i64,
    cutoff: OffsetDateTime,
    by: &str,
) -> Result<bool> {
    let dialect = conn.dialect();
    let select = format!(
        "SELECT received_at, {} FROM cargo_reports WHERE id = $1 \
         AND personal_data_masked_at IS NULL{}",
        dialect.json_column("document"),
        dialect.lock_row()
    );
    let row: Option<(OffsetDateTime, String)> = conn.optional(&select, &[Bind::Int(id)]).await?;
    let Some((received_at, document)) = row.filter(|r| r.0 < cutoff) else {
        return Ok(false);
    };
    let mut report: tamga_core::cargo::CargoReport = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("cargo report {id}: {e}")))?;
    tamga_core::retention::mask_cargo_report(&mut report);
    let masked = serde_json::to_string(&report)
        .map_err(|e| StoreError::Corrupt(format!("cargo report {id}: {e}")))?;
    set_masked(conn, "cargo_reports", id, masked).await?;
    let object = format!("cargo_report:{id}");
    let detail = format!("personal data masked; received {received_at}");
    let change = Change::new(by, "cargo_report.mask", &object, detail.as_bytes());
    audit::record(conn, change).await?;
    Ok(true)
}

async fn mask_seizure(
    conn: &mut Conn<'_>,
    id: i64,
    cutoff: OffsetDateTime,
    by: &str,
) -> Result<bool> {
    let dialect = conn.dialect();
    let select = format!(
        "SELECT recorded_at, case_number, {} FROM seizures WHERE id = $1 \
         AND personal_data_masked_at IS NULL{}",
        dialect.json_column("document"),
        dialect.lock_row()
    );
    let row: Option<(OffsetDateTime, String, String)> =
        conn.optional(&select, &[Bind::Int(id)]).await?;
    let Some((recorded_at, case, document)) = row.filter(|r| r.0 < cutoff) else {
        return Ok(false);
    };
    let state: Option<(String,)> = conn
        .optional(
            "SELECT state FROM offence_cases WHERE number = $1",
            &[Bind::Str(&case)],
        )
        .await?;
    if state.is_none_or(|(s,)| s != "closed") {
        return Ok(false);
    }
    let mut seizure: tamga_control::seizure::Seizure = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("seizure {id}: {e}")))?;
    tamga_control::seizure::mask_persons(&mut seizure);
    let masked = serde_json::to_string(&seizure)
        .map_err(|e| StoreError::Corrupt(format!("seizure {id}: {e}")))?;
    set_masked(conn, "seizures", id, masked).await?;
    let object = format!("seizure:{id}");
    let detail = format!("personal data masked; case {case} closed, recorded {recorded_at}");
    let change = Change::new(by, "seizure.mask", &object, detail.as_bytes());
    audit::record(conn, change).await?;
    Ok(true)
}

async fn set_masked(conn: &mut Conn<'_>, table: &str, id: i64, document: String) -> Result<()> {
    let update = format!(
        "UPDATE {table} SET document = {}, personal_data_masked_at = $2 WHERE id = $3",
        conn.dialect().json_param(1)
    );
    let binds = [
        Bind::Text(document),
        Bind::Time(crate::sql::now()),
        Bind::Int(id),
    ];
    conn.execute(&update, &binds).await?;
    Ok(())
}
