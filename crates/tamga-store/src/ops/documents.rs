//! The targeting center's versioned JSON documents: profiles, lists, watchlists, settings
//! and models. Each save is a new version, written only if the latest is as expected.

use time::OffsetDateTime;

use crate::conn::{Bind, Conn};
use crate::risk::{DocumentOutcome, Expected, NewDocument, StoredDocument};
use crate::{Result, StoreError};

/// A stored version number; the database holds it as a 64-bit integer.
pub(crate) fn version(v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("document version {v}")))
}

pub(crate) async fn save_document(
    conn: &mut Conn<'_>,
    new: NewDocument,
) -> Result<DocumentOutcome> {
    let select = "SELECT MAX(version) FROM risk_documents WHERE kind = $1 AND name = $2";
    let latest: Option<i64> = conn
        .scalar(select, &[Bind::Str(new.kind), Bind::Str(&new.name)])
        .await?;
    let latest = latest.map(version).transpose()?;
    let fits = match new.expected {
        Expected::New => latest.is_none(),
        Expected::Version(v) => latest == Some(v),
        Expected::Any => true,
    };
    if !fits {
        return Ok(DocumentOutcome::Conflict { latest });
    }
    let next = latest.unwrap_or(0) + 1;
    let insert = format!(
        "INSERT INTO risk_documents (kind, name, version, document, changed_by, reason, changed_at) \
         VALUES ($1, $2, $3, {}, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING version",
        conn.dialect().json_param(4)
    );
    let binds = [
        Bind::Str(new.kind),
        Bind::Str(&new.name),
        Bind::Int(i64::from(next)),
        Bind::Str(&new.document),
        Bind::Str(&new.by),
        Bind::Str(&new.reason),
        Bind::Time(new.at),
    ];
    let written: Option<i64> = conn.optional_scalar(&insert, &binds).await?;
    if written.is_none() {
        // Another server wrote this version first.
        return Ok(DocumentOutcome::Conflict { latest: Some(next) });
    }
    let action = format!("risk.{}.save", new.kind);
    let object = format!("{}@{next}", new.name);
    let change = super::audit::Change::new(&new.by, &action, &object, new.document.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(DocumentOutcome::Saved(StoredDocument {
        kind: new.kind.to_owned(),
        name: new.name,
        version: next,
        document: new.document,
        changed_by: new.by,
        reason: new.reason,
        changed_at: new.at,
    }))
}

/// (kind, name, latest version) of every document.
pub(crate) async fn document_versions(conn: &mut Conn<'_>) -> Result<Vec<(String, String, u32)>> {
    let select =
        "SELECT kind, name, MAX(version) FROM risk_documents GROUP BY kind, name ORDER BY kind, name";
    let rows: Vec<(String, String, i64)> = conn.all(select, &[]).await?;
    rows.into_iter()
        .map(|(kind, name, v)| Ok((kind, name, version(v)?)))
        .collect()
}

type DocumentRow = (String, String, i64, String, String, String, OffsetDateTime);

/// Documents of `kind` (only `name` when given): the latest version of each, or every
/// version oldest first.
pub(crate) async fn documents(
    conn: &mut Conn<'_>,
    kind: &str,
    name: Option<&str>,
    all_versions: bool,
) -> Result<Vec<StoredDocument>> {
    let latest = if all_versions {
        ""
    } else {
        " AND version = (SELECT MAX(version) FROM risk_documents l WHERE l.kind = d.kind AND l.name = d.name)"
    };
    let by_name = if name.is_some() { " AND name = $2" } else { "" };
    let select = format!(
        "SELECT kind, name, version, {}, changed_by, reason, changed_at FROM risk_documents d \
         WHERE kind = $1{by_name}{latest} ORDER BY name, version",
        conn.dialect().json_column("document")
    );
    let rows: Vec<DocumentRow> = match name {
        Some(name) => {
            conn.all(&select, &[Bind::Str(kind), Bind::Str(name)])
                .await?
        }
        None => conn.all(&select, &[Bind::Str(kind)]).await?,
    };
    rows.into_iter().map(stored).collect()
}

fn stored(row: DocumentRow) -> Result<StoredDocument> {
    let (kind, name, v, document, changed_by, reason, changed_at) = row;
    Ok(StoredDocument {
        kind,
        name,
        version: version(v)?,
        document,
        changed_by,
        reason,
        changed_at,
    })
}
