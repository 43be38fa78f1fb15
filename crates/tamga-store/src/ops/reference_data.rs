//! The data assessments are computed from: tariff files, exchange rates, and valuation
//! references with the unit values they are built from.

use tamga_core::tariff::valuation::Reference;

use super::audit::Change;
use crate::conn::{Bind, Conn};
use crate::revenue::{RateRow, TariffImport};
use crate::rows::{decimal, RateDbRow, ReferenceRow, TariffRow, UnitValueRow};
use crate::sql;
use crate::{Result, SYSTEM_ACTOR};

/// Unit values per (HS6, origin), in the order the references are built in.
pub(crate) type UnitValueSamples = Vec<(String, String, Vec<rust_decimal::Decimal>)>;

pub(crate) async fn import_tariff(conn: &mut Conn<'_>, import: TariffImport) -> Result<()> {
    let binds = [
        Bind::Str(&import.name),
        Bind::Str(&import.content),
        Bind::Time(import.imported_at),
        Bind::Str(&import.imported_by),
    ];
    conn.execute(sql::INSERT_TARIFF, &binds).await?;
    let change = Change::new(
        &import.imported_by,
        "tariff.import",
        &import.name,
        import.content.as_bytes(),
    );
    super::audit::record(conn, change).await?;
    Ok(())
}

pub(crate) async fn current_tariff(conn: &mut Conn<'_>) -> Result<Option<TariffImport>> {
    let row: Option<TariffRow> = conn.optional(sql::SELECT_TARIFF, &[]).await?;
    Ok(row.map(|r| TariffImport {
        name: r.name,
        content: r.content,
        imported_at: r.imported_at,
        imported_by: r.imported_by,
    }))
}

/// Adds or replaces rates; returns how many rows were written.
pub(crate) async fn import_rates(conn: &mut Conn<'_>, rates: Vec<RateRow>) -> Result<usize> {
    let upsert = sql::upsert_rate(conn.dialect());
    for rate in &rates {
        let binds = [
            Bind::Str(&rate.currency),
            Bind::Date(rate.valid_from),
            Bind::Text(rate.rate.to_string()),
        ];
        conn.execute(&upsert, &binds).await?;
    }
    let object = format!("{} rates", rates.len());
    super::audit::record_debug(conn, SYSTEM_ACTOR, "rates.import", &object, &rates).await?;
    Ok(rates.len())
}

pub(crate) async fn rates(conn: &mut Conn<'_>) -> Result<Vec<RateRow>> {
    let rows: Vec<RateDbRow> = conn.all(&sql::select_rates(conn.dialect()), &[]).await?;
    rows.into_iter()
        .map(|r| {
            Ok(RateRow {
                rate: decimal(&r.rate)?,
                currency: r.currency,
                valid_from: r.valid_from,
            })
        })
        .collect()
}

/// Every recorded unit value with an origin, grouped by (HS6, origin).
pub(crate) async fn unit_value_samples(conn: &mut Conn<'_>) -> Result<UnitValueSamples> {
    let select = sql::select_unit_values(conn.dialect());
    let rows: Vec<UnitValueRow> = conn.all(&select, &[]).await?;
    let mut groups: UnitValueSamples = Vec::with_capacity(rows.len());
    for row in rows {
        let values = row
            .unit_values
            .split(',')
            .map(decimal)
            .collect::<Result<Vec<_>>>()?;
        groups.push((row.hs6, row.origin, values));
    }
    Ok(groups)
}

/// Adds or replaces references; `source` says where they come from.
pub(crate) async fn save_references(
    conn: &mut Conn<'_>,
    references: Vec<Reference>,
    source: &str,
) -> Result<usize> {
    let upsert = sql::upsert_reference(conn.dialect());
    let at = sql::now();
    for r in &references {
        let binds = [
            Bind::Str(&r.hs6),
            Bind::Str(&r.origin),
            Bind::Text(r.median.to_string()),
            Bind::Text(r.q1.to_string()),
            Bind::Text(r.q3.to_string()),
            Bind::Int(r.count),
            Bind::Str(source),
            Bind::Time(at),
        ];
        conn.execute(&upsert, &binds).await?;
    }
    let object = format!("{} references from {source}", references.len());
    let actor = SYSTEM_ACTOR;
    super::audit::record_debug(conn, actor, "valuation.references", &object, &references).await?;
    Ok(references.len())
}

pub(crate) async fn references(conn: &mut Conn<'_>) -> Result<Vec<Reference>> {
    let select = sql::select_references(conn.dialect());
    let rows: Vec<ReferenceRow> = conn.all(&select, &[]).await?;
    rows.into_iter().map(ReferenceRow::into_reference).collect()
}
