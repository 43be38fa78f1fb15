//! Attachments: an upload is recorded once per content and uploader; the tasks' findings and
//! the seizures that refer to a content are recorded in the transaction that stores them.

use time::OffsetDateTime;

use crate::attachments::{AttachmentRecord, AttachmentUses};
use crate::conn::{Bind, Conn};
use crate::{Result, StoreError};

type Row = (String, i64, String, String, i64, OffsetDateTime);

const COLUMNS: &str = "sha256, size, content_type, file_name, uploaded_by, uploaded_at";

fn record(
    (sha256, size, content_type, file_name, uploaded_by, uploaded_at): Row,
) -> Result<AttachmentRecord> {
    let size = u64::try_from(size)
        .map_err(|_| StoreError::Corrupt(format!("attachment {sha256}: size {size}")))?;
    Ok(AttachmentRecord {
        sha256,
        size,
        content_type,
        file_name,
        uploaded_by,
        uploaded_at,
    })
}

/// Records an upload; the same content uploaded again by the same user keeps its first row.
pub(crate) async fn add(conn: &mut Conn<'_>, upload: &AttachmentRecord) -> Result<()> {
    let size = i64::try_from(upload.size)
        .map_err(|_| StoreError::Corrupt(format!("attachment size {}", upload.size)))?;
    let insert = format!(
        "INSERT INTO attachments ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (sha256, uploaded_by) DO NOTHING"
    );
    let binds = [
        Bind::Str(&upload.sha256),
        Bind::Int(size),
        Bind::Str(&upload.content_type),
        Bind::Str(&upload.file_name),
        Bind::Int(upload.uploaded_by),
        Bind::Time(upload.uploaded_at),
    ];
    conn.execute(&insert, &binds).await?;
    Ok(())
}

/// The uploads of a content, the first first (none: never uploaded).
pub(crate) async fn uploads(conn: &mut Conn<'_>, sha256: &str) -> Result<Vec<AttachmentRecord>> {
    let select = format!(
        "SELECT {COLUMNS} FROM attachments WHERE sha256 = $1 ORDER BY uploaded_at, uploaded_by"
    );
    let rows: Vec<Row> = conn.all(&select, &[Bind::Str(sha256)]).await?;
    rows.into_iter().map(record).collect()
}

/// The uploads of a content and what refers to it; `None` when it was never uploaded.
pub(crate) async fn uses(conn: &mut Conn<'_>, sha256: &str) -> Result<Option<AttachmentUses>> {
    let uploads = uploads(conn, sha256).await?;
    if uploads.is_empty() {
        return Ok(None);
    }
    let select = "SELECT task_id, seizure_id FROM attachment_uses WHERE sha256 = $1";
    let rows: Vec<(Option<i64>, Option<i64>)> = conn.all(select, &[Bind::Str(sha256)]).await?;
    Ok(Some(AttachmentUses {
        uploads,
        tasks: rows.iter().filter_map(|r| r.0).collect(),
        seizures: rows.iter().filter_map(|r| r.1).collect(),
    }))
}

/// What refers to a content.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Referrer {
    Task(i64),
    Seizure(i64),
}

/// Records that `referrer` refers to each content in `sha256s` (each once).
pub(crate) async fn link(
    conn: &mut Conn<'_>,
    referrer: Referrer,
    sha256s: &[String],
) -> Result<()> {
    let (task, seizure) = match referrer {
        Referrer::Task(id) => (Some(id), None),
        Referrer::Seizure(id) => (None, Some(id)),
    };
    let insert = "INSERT INTO attachment_uses (sha256, task_id, seizure_id) VALUES ($1, $2, $3)";
    let distinct: std::collections::BTreeSet<&String> = sha256s.iter().collect();
    for sha256 in distinct {
        let binds = [Bind::Str(sha256), Bind::OptInt(task), Bind::OptInt(seizure)];
        conn.execute(insert, &binds).await?;
    }
    Ok(())
}

/// The contents the findings of a task refer to (the findings as stored, JSON).
pub(crate) fn of_findings(findings: &str) -> Result<Vec<String>> {
    let findings: Vec<tamga_control::finding::Finding> = serde_json::from_str(findings)
        .map_err(|e| StoreError::Corrupt(format!("findings: {e}")))?;
    Ok(findings
        .into_iter()
        .flat_map(|f| f.attachments)
        .map(|a| a.sha256)
        .collect())
}
