//! The attachment directory: each content is one file named by its SHA-256. An upload is
//! streamed to a temporary file in the same directory while it is hashed and counted, never
//! held in memory and abandoned (the temporary file removed) as soon as it passes the limit;
//! a whole upload is flushed to disk, renamed to its digest and the directory flushed, so a
//! crash leaves either the complete file or none.

use std::path::{Path, PathBuf};

use axum::body::{Body, Bytes};
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where attachments are kept and how large one may be.
#[derive(Debug, Clone)]
pub struct AttachmentSettings {
    /// The directory of attachment files (with SQLite, `<data-dir>/attachments` by default).
    pub dir: PathBuf,
    /// Largest attachment, in bytes; a larger upload is answered 413.
    pub max_size: u64,
}

impl Default for AttachmentSettings {
    fn default() -> Self {
        Self {
            dir: PathBuf::from("tamga-data/attachments"),
            max_size: tamga_control::finding::AttachmentLimits::default().max_size,
        }
    }
}

/// The content types kept, each with the bytes its files begin with.
pub(crate) const TYPES: [(&str, &[&[u8]]); 4] = [
    ("image/jpeg", &[b"\xFF\xD8\xFF"]),
    ("image/png", &[b"\x89PNG\r\n\x1a\n"]),
    ("image/tiff", &[b"II*\0", b"MM\0*"]),
    ("application/pdf", &[b"%PDF-"]),
];

/// An upload written to its place.
#[derive(Debug)]
pub(crate) struct Saved {
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SaveError {
    #[error("the upload is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the upload is empty")]
    Empty,
    #[error("the content does not begin as a {0} file does")]
    NotOfType(&'static str),
    #[error("the request body could not be read: {0}")]
    Body(axum::Error),
    #[error("the attachment directory: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes `body`, of `content_type` (one of [`TYPES`]), into `dir` under its SHA-256.
pub(crate) async fn save(
    dir: &Path,
    body: Body,
    limit: u64,
    content_type: &'static str,
) -> Result<Saved, SaveError> {
    tokio::fs::create_dir_all(dir).await?;
    let temp = blocking({
        let dir = dir.to_owned();
        move || tempfile::Builder::new().prefix(".upload-").tempfile_in(dir)
    })
    .await?;
    let (file, path) = temp.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let (sha256, size, head) = copy(body, &mut file, limit).await?;
    if size == 0 {
        return Err(SaveError::Empty);
    }
    if !begins_as(content_type, &head) {
        return Err(SaveError::NotOfType(content_type));
    }
    file.sync_all().await?;
    drop(file);
    let target = dir.join(&sha256);
    blocking(move || path.persist(target).map_err(|e| e.error)).await?;
    sync_dir(dir).await?;
    Ok(Saved { sha256, size })
}

/// Copies the body into `file`, hashing it and keeping its first bytes; stops past `limit`.
async fn copy(
    body: Body,
    file: &mut tokio::fs::File,
    limit: u64,
) -> Result<(String, u64, Vec<u8>), SaveError> {
    let mut stream = body.into_data_stream();
    let (mut hasher, mut size, mut head) = (Sha256::new(), 0u64, Vec::with_capacity(16));
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(SaveError::Body)?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(SaveError::TooLarge(limit));
        }
        let wanted = 16usize.saturating_sub(head.len()).min(chunk.len());
        head.extend_from_slice(chunk.get(..wanted).unwrap_or_default());
        hasher.update(&chunk);
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    Ok((hex::encode(hasher.finalize()), size, head))
}

fn begins_as(content_type: &str, head: &[u8]) -> bool {
    TYPES
        .iter()
        .filter(|(name, _)| *name == content_type)
        .flat_map(|(_, magics)| magics.iter())
        .any(|magic| head.starts_with(magic))
}

/// Makes the rename durable: the directory's entry is flushed too.
async fn sync_dir(dir: &Path) -> std::io::Result<()> {
    let dir = dir.to_owned();
    blocking(move || std::fs::File::open(dir)?.sync_all()).await
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> std::io::Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(std::io::Error::other)?
}

/// The file of a content, read in chunks as the answer is sent.
pub(crate) async fn open(
    dir: &Path,
    sha256: &str,
) -> std::io::Result<impl Stream<Item = std::io::Result<Bytes>> + Send + 'static> {
    let file = tokio::fs::File::open(dir.join(sha256)).await?;
    Ok(futures_util::stream::unfold(
        Some(file),
        |file| async move {
            let mut file = file?;
            let mut buffer = vec![0u8; 64 * 1024];
            match file.read(&mut buffer).await {
                Ok(0) => None,
                Ok(n) => {
                    buffer.truncate(n);
                    Some((Ok(Bytes::from(buffer)), Some(file)))
                }
                Err(e) => Some((Err(e), None)),
            }
        },
    ))
}
