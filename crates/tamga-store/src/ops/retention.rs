//! Personal data retention: closed declarations (released, rejected, invalidated) whose last
//! status change is older than the cut-off have their personal data masked
//! ([`tamga_core::retention::mask`] says what goes and what stays). Each masking is one write
//! with one audit entry naming the declaration; the entry's digest covers a fixed text, never
//! the masked values. Histories are untouched: masking changes the `document` of the
//! `declarations` row (which is not a history) once, and a trigger refuses any later change.
//! The declaration's risk explanation loses its watchlist names in the same commit
//! (`retention_records`), under the same audit entry.

use time::OffsetDateTime;

use super::audit::{self, Change};
use crate::conn::{Bind, Conn};
use crate::{Result, StoreError};

const CLOSED: &str = "status IN ('released', 'rejected', 'invalidated')";

/// MRNs of up to `limit` closed, unmasked declarations last changed before `cutoff`.
pub(crate) async fn candidates(
    conn: &mut Conn<'_>,
    cutoff: OffsetDateTime,
    limit: i64,
) -> Result<Vec<String>> {
    let select = format!(
        "SELECT mrn, updated_at FROM declarations WHERE personal_data_masked_at IS NULL \
         AND {CLOSED} AND updated_at < $1 ORDER BY updated_at, id LIMIT $2"
    );
    let rows: Vec<(String, OffsetDateTime)> = conn
        .all(&select, &[Bind::Time(cutoff), Bind::Int(limit)])
        .await?;
    // SQLite compares times as text: the exact comparison is made here.
    Ok(rows
        .into_iter()
        .filter(|(_, at)| *at < cutoff)
        .map(|(mrn, _)| mrn)
        .collect())
}

/// Masks the declaration `mrn` if it is still closed, unmasked and older than `cutoff`;
/// returns whether it did.
pub(crate) async fn mask(
    conn: &mut Conn<'_>,
    mrn: &str,
    cutoff: OffsetDateTime,
    by: &str,
) -> Result<bool> {
    let dialect = conn.dialect();
    let select = format!(
        "SELECT id, updated_at, {} FROM declarations WHERE mrn = $1 \
         AND personal_data_masked_at IS NULL AND {CLOSED}{}",
        dialect.json_column("document"),
        dialect.lock_row()
    );
    let row: Option<(i64, OffsetDateTime, String)> =
        conn.optional(&select, &[Bind::Str(mrn)]).await?;
    let Some((id, updated_at, document)) = row.filter(|r| r.1 < cutoff) else {
        return Ok(false);
    };
    let mut declaration: tamga_core::Declaration = serde_json::from_str(&document)
        .map_err(|e| StoreError::Corrupt(format!("declaration {mrn}: {e}")))?;
    tamga_core::retention::mask(&mut declaration);
    let masked = serde_json::to_string(&declaration)
        .map_err(|e| StoreError::Corrupt(format!("declaration {mrn}: {e}")))?;
    let update = format!(
        "UPDATE declarations SET document = {}, personal_data_masked_at = $2 WHERE id = $3",
        dialect.json_param(1)
    );
    let binds = [
        Bind::Text(masked),
        Bind::Time(crate::sql::now()),
        Bind::Int(id),
    ];
    conn.execute(&update, &binds).await?;
    let explained = super::retention_records::mask_explanation(conn, id).await?;
    let object = format!("declaration:{mrn}");
    let detail = if explained {
        format!("personal data masked, with its risk explanation; closed {updated_at}")
    } else {
        format!("personal data masked; closed {updated_at}")
    };
    let change = Change::new(by, "declaration.mask", &object, detail.as_bytes());
    audit::record(conn, change).await?;
    Ok(true)
}
