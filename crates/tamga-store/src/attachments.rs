//! Attachments: the rows that say who uploaded which content (its bytes are a file in the data
//! directory, named by its SHA-256, which the API writes), and which tasks' findings and which
//! seizures refer to it.

use serde::Serialize;
use time::OffsetDateTime;

/// An uploaded content, as its uploader named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentRecord {
    /// SHA-256 of the content, 64 lowercase hexadecimal digits.
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    pub file_name: String,
    pub uploaded_by: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

/// Who may reach a content: its uploaders, and the tasks and seizures that refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentUses {
    /// Every upload of the content, the first first.
    pub uploads: Vec<AttachmentRecord>,
    /// Tasks whose findings refer to it.
    pub tasks: Vec<i64>,
    /// Seizures whose photos refer to it.
    pub seizures: Vec<i64>,
}
