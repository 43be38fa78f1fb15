//! Retention beyond the declaration ([`tamga_core::retention`] says what goes): the risk
//! explanation of a declaration being masked, in the declaration's own commit; cargo reports
//! received before the cut-off; the seizures of closed offence cases recorded before it, and
//! the notes of closed cases opened before it. Each masking of a report, seizure or case is one
//! write with one audit entry naming it (its digest covers a fixed text, never the masked
//! values); the tables' triggers allow that one change of the document and refuse every later
//! one.

use serde::de::DeserializeOwned;
use serde::Serialize;
use time::OffsetDateTime;

use super::audit::{self, Change};
use crate::conn::{Bind, Conn};
use crate::{Result, StoreError};

/// A record whose personal data the retention period masks, besides declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetentionRecord {
    CargoReport(i64),
    Seizure(i64),
    /// A closed offence case, by its number.
    OffenceCase(String),
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

/// Up to `limit` of each kind: unmasked cargo reports received, seizures of closed cases
/// recorded, and closed cases opened, before `cutoff`.
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
    let cases = "SELECT number, opened_at FROM offence_cases \
         WHERE personal_data_masked_at IS NULL AND state = 'closed' AND opened_at < $1 \
         ORDER BY opened_at, number LIMIT $2";
    let binds = [Bind::Time(cutoff), Bind::Int(limit)];
    let reports: Vec<(i64, OffsetDateTime)> = conn.all(reports, &binds).await?;
    let seizures: Vec<(i64, OffsetDateTime)> = conn.all(seizures, &binds).await?;
    let cases: Vec<(String, OffsetDateTime)> = conn.all(cases, &binds).await?;
    // SQLite compares times as text: the exact comparison is made here.
    let before = |at: &OffsetDateTime| *at < cutoff;
    let due = |(key, at)| before(&at).then_some(key);
    let reports = reports.into_iter().filter_map(due);
    let seizures = seizures.into_iter().filter_map(due);
    let cases = cases
        .into_iter()
        .filter_map(|(n, at)| before(&at).then_some(n));
    Ok(reports
        .map(RetentionRecord::CargoReport)
        .chain(seizures.map(RetentionRecord::Seizure))
        .chain(cases.map(RetentionRecord::OffenceCase))
        .collect())
}

/// Masks `record` if it is still unmasked and older than `cutoff` (a seizure or a case: of
/// a closed case); returns whether it did.
pub(crate) async fn mask(
    conn: &mut Conn<'_>,
    record: RetentionRecord,
    cutoff: OffsetDateTime,
    by: &str,
) -> Result<bool> {
    match record {
        RetentionRecord::CargoReport(id) => mask_cargo_report(conn, id, cutoff, by).await,
        RetentionRecord::Seizure(id) => mask_seizure(conn, id, cutoff, by).await,
        RetentionRecord::OffenceCase(number) => mask_case(conn, &number, cutoff, by).await,
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
    let masking = Masking {
        table: "cargo_reports",
        key: ("id", Bind::Int(id)),
        action: "cargo_report.mask",
        object: format!("cargo_report:{id}"),
        detail: format!("personal data masked; received {received_at}"),
    };
    rewrite(
        conn,
        &document,
        tamga_core::retention::mask_cargo_report,
        masking,
        by,
    )
    .await
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
    let state: Option<String> = conn
        .optional_scalar(
            "SELECT state FROM offence_cases WHERE number = $1",
            &[Bind::Str(&case)],
        )
        .await?;
    if state.as_deref() != Some("closed") {
        return Ok(false);
    }
    let masking = Masking {
        table: "seizures",
        key: ("id", Bind::Int(id)),
        action: "seizure.mask",
        object: format!("seizure:{id}"),
        detail: format!("personal data masked; case {case} closed, recorded {recorded_at}"),
    };
    let mask = tamga_control::seizure::mask_persons;
    rewrite(conn, &document, mask, masking, by).await
}

async fn mask_case(
    conn: &mut Conn<'_>,
    number: &str,
    cutoff: OffsetDateTime,
    by: &str,
) -> Result<bool> {
    let dialect = conn.dialect();
    let select = format!(
        "SELECT opened_at, {} FROM offence_cases WHERE number = $1 AND state = 'closed' \
         AND personal_data_masked_at IS NULL{}",
        dialect.json_column("document"),
        dialect.lock_row()
    );
    let row: Option<(OffsetDateTime, String)> =
        conn.optional(&select, &[Bind::Str(number)]).await?;
    let Some((opened_at, document)) = row.filter(|r| r.0 < cutoff) else {
        return Ok(false);
    };
    let masking = Masking {
        table: "offence_cases",
        key: ("number", Bind::Str(number)),
        action: "offence_case.mask",
        object: format!("offence_case:{number}"),
        detail: format!("notes masked; closed, opened {opened_at}"),
    };
    let mask = tamga_control::case::OffenceCase::mask_notes;
    rewrite(conn, &document, mask, masking, by).await
}

/// A row whose document loses its personal data: its table and key, and how the audit log
/// names the change.
struct Masking<'a> {
    table: &'static str,
    key: (&'static str, Bind<'a>),
    action: &'static str,
    object: String,
    detail: String,
}

/// Masks `document` (a `T`) with `mask`, writes it back with the time of masking, and records
/// the one audit entry of the change; returns `true`, the row being masked from then on even
/// when `mask` found nothing to take.
async fn rewrite<T: Serialize + DeserializeOwned>(
    conn: &mut Conn<'_>,
    document: &str,
    mask: impl FnOnce(&mut T) -> bool,
    masking: Masking<'_>,
    by: &str,
) -> Result<bool> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(format!("{}: {e}", masking.object));
    let mut value: T = serde_json::from_str(document).map_err(corrupt)?;
    mask(&mut value);
    let masked = serde_json::to_string(&value).map_err(corrupt)?;
    let (column, key) = masking.key;
    let update = format!(
        "UPDATE {} SET document = {}, personal_data_masked_at = $2 WHERE {column} = $3",
        masking.table,
        conn.dialect().json_param(1)
    );
    let binds = [Bind::Text(masked), Bind::Time(crate::sql::now()), key];
    conn.execute(&update, &binds).await?;
    let detail = masking.detail.as_bytes();
    let change = Change::new(by, masking.action, &masking.object, detail);
    audit::record(conn, change).await?;
    Ok(true)
}
