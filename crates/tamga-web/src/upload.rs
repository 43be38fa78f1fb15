//! Files sent with a form (`multipart/form-data`): the CSRF token, the file's bytes and the
//! form's other fields.

use axum::extract::Multipart;
use axum::http::StatusCode;

use crate::error::WebError;
use crate::i18n::Tr;

/// An upload form as sent.
#[derive(Debug, Default)]
pub struct Upload {
    pub csrf: String,
    /// The `file` field's bytes.
    pub file: Vec<u8>,
    /// Every other field with a chosen file, in the order sent.
    pub files: Vec<FilePart>,
    /// Every other field, as text.
    pub fields: Vec<(String, String)>,
}

/// A file sent in a field other than `file`.
#[derive(Debug)]
pub struct FilePart {
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Upload {
    /// A text field's value, empty when it was not sent.
    pub fn field(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// Reads an upload form. A body that is not a readable form, or a file over the route's body
/// limit, is refused with its reason.
pub async fn read(mut multipart: Multipart, tr: Tr) -> Result<Upload, WebError> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        WebError::page(
            StatusCode::BAD_REQUEST,
            tr,
            "error-refused-title",
            e.body_text(),
        )
    })? {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().unwrap_or("").to_owned();
        let data = field
            .bytes()
            .await
            .map_err(|e| WebError::page(e.status(), tr, "error-refused-title", e.body_text()))?;
        match name.as_str() {
            "csrf" => upload.csrf = String::from_utf8_lossy(&data).into_owned(),
            "file" => upload.file = data.to_vec(),
            // A file input left empty sends a part without a name or bytes.
            _ if file_name.as_deref().is_some_and(|f| !f.is_empty()) => {
                upload.files.push(FilePart {
                    field: name,
                    file_name: file_name.unwrap_or_default(),
                    content_type,
                    bytes: data.to_vec(),
                });
            }
            _ if file_name.is_some() => {}
            _ => upload
                .fields
                .push((name, String::from_utf8_lossy(&data).into_owned())),
        }
    }
    Ok(upload)
}
