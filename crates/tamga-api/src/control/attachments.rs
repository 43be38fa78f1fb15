//! `/attachments`: officers, supervisors and administrators upload a file (a photo of goods, a
//! scanned document) as the raw body, and later name it in a finding or a seizure by its
//! SHA-256; staff who may see such a task or seizure, and the uploader, download it. The bytes
//! are kept by [`super::files`]; the store keeps who uploaded what and what refers to it.

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_control::finding::{check_file_name, Attachment, AttachmentLimits, Finding};
use tamga_core::problem::Findings;
use tamga_core::FieldError;
use tamga_store::attachments::{AttachmentRecord, AttachmentUses};
use tamga_store::User;
use utoipa::{IntoParams, ToSchema};

use super::files::{self, SaveError, TYPES};
use super::invalid;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::PathParam;
use crate::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name as the uploader knows it (no path, no leading dot); required.
    pub file_name: Option<String>,
}

/// An uploaded attachment: what a finding or seizure names to refer to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Uploaded {
    pub sha256: String,
    pub size: u64,
    pub file_name: String,
    pub content_type: String,
}

/// Upload an attachment as the raw body (JPEG, PNG, TIFF or PDF, by its `Content-Type`).
#[utoipa::path(post, path = "/api/v1/attachments", tag = "control", security(("bearer" = [])),
    params(UploadQuery),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses(
        (status = 201, description = "Stored under its SHA-256", body = Uploaded),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the attachment size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JPEG, PNG, TIFF or PDF", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad file name, an empty body, or content not of its type", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    Caller(user): Caller,
    query: Result<Query<UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    let Query(query) = query?;
    let file_name = file_name(query.file_name.as_deref())?;
    let content_type = content_type(&headers)?;
    let limit = state.settings.attachments.max_size;
    if declared_length(&headers).is_some_and(|length| length > limit) {
        return Err(too_large(limit));
    }
    let dir = &state.settings.attachments.dir;
    let saved = files::save(dir, body, limit, content_type)
        .await
        .map_err(save_error)?;
    let record = AttachmentRecord {
        sha256: saved.sha256,
        size: saved.size,
        content_type: content_type.to_owned(),
        file_name,
        uploaded_by: user.id,
        uploaded_at: tamga_store::sql::now(),
    };
    state.store.add_attachment(record.clone()).await?;
    Ok((StatusCode::CREATED, Json(uploaded(record))))
}

/// Download an attachment: its uploader, and staff who may see a task or seizure naming it.
#[utoipa::path(get, path = "/api/v1/attachments/{sha256}", tag = "control", security(("bearer" = [])),
    params(("sha256" = String, Path, description = "SHA-256 of the content")),
    responses(
        (status = 200, description = "The content, with its type and first file name"),
        (status = 403, description = "Officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such attachment visible to the caller", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn download(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(sha256): PathParam<String>,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::NotFound(format!("no attachment {sha256}"));
    if !tamga_control::text::is_sha256_hex(&sha256) {
        return Err(not_found());
    }
    let uses = state.store.attachment_uses(&sha256).await?;
    let uses = uses.ok_or_else(not_found)?;
    if !may_download(&state, &user, &uses).await? {
        return Err(not_found());
    }
    let first = uses.uploads.first().ok_or_else(not_found)?;
    let stream = files::open(&state.settings.attachments.dir, &sha256)
        .await
        .map_err(|e| ApiError::Internal(Box::new(e)))?;
    let headers = [
        (header::CONTENT_TYPE, first.content_type.clone()),
        (header::CONTENT_LENGTH, first.size.to_string()),
        (header::CONTENT_DISPOSITION, disposition(&first.file_name)),
    ];
    Ok((headers, Body::from_stream(stream)).into_response())
}

/// The uploader may; otherwise a seizure naming it (seizures are open to every role that may
/// attach) or a task naming it that the caller may see.
async fn may_download(
    state: &AppState,
    user: &User,
    uses: &AttachmentUses,
) -> Result<bool, ApiError> {
    if uses.uploads.iter().any(|u| u.uploaded_by == user.id) || !uses.seizures.is_empty() {
        return Ok(true);
    }
    for id in &uses.tasks {
        match super::tasks::visible(state, user, *id).await {
            Ok(_) => return Ok(true),
            Err(ApiError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Each reference (its pointer and itself) must name an uploaded content of its size: a 422
/// at `…/sha256` (never uploaded) or `…/size` (another size) for every one that does not.
pub(crate) async fn check_uploaded(
    state: &AppState,
    references: Vec<(String, &Attachment)>,
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (pointer, reference) in references {
        let uploads = state.store.attachment_uploads(&reference.sha256).await?;
        errors.extend(mismatch(&pointer, reference, uploads.first()));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(invalid(errors))
    }
}

fn mismatch(
    pointer: &str,
    reference: &Attachment,
    upload: Option<&AttachmentRecord>,
) -> Option<FieldError> {
    match upload {
        None => Some(FieldError::new(
            format!("{pointer}/sha256"),
            "unknown_attachment",
            "no attachment with this SHA-256 was uploaded; upload it to /api/v1/attachments",
        )),
        Some(u) if u.size != reference.size => Some(FieldError::new(
            format!("{pointer}/size"),
            "size_mismatch",
            format!("the uploaded attachment holds {} bytes", u.size),
        )),
        Some(_) => None,
    }
}

/// The answer to the problems of findings or a seizure: none, 413 when an attachment is over
/// the size limit, else a 422 naming every field.
pub(crate) fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        return Ok(());
    }
    if errors
        .iter()
        .any(|e| e.code == tamga_control::finding::TOO_LARGE)
    {
        return Err(ApiError::BadRequest {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            detail: "an attachment is over the size limit".into(),
            errors,
        });
    }
    Err(invalid(errors))
}

/// Each attachment the findings name, with its pointer.
pub(crate) fn of_findings(findings: &[Finding]) -> Vec<(String, &Attachment)> {
    let mut out = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        for (j, a) in f.attachments.iter().enumerate() {
            out.push((format!("/findings/{i}/attachments/{j}"), a));
        }
    }
    out
}

/// The limits findings and seizures are checked against (the configured size).
pub(crate) fn limits(state: &AppState) -> AttachmentLimits {
    AttachmentLimits {
        max_size: state.settings.attachments.max_size,
        ..AttachmentLimits::default()
    }
}

fn file_name(name: Option<&str>) -> Result<String, ApiError> {
    let mut findings = Findings::default();
    let name = name.unwrap_or_default();
    check_file_name(&mut findings, "/query/file_name", name);
    if findings.is_empty() {
        Ok(name.to_owned())
    } else {
        Err(invalid(findings.errors))
    }
}

fn content_type(headers: &HeaderMap) -> Result<&'static str, ApiError> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = given.split(';').next().unwrap_or("").trim();
    TYPES
        .iter()
        .map(|(name, _)| *name)
        .find(|name| name.eq_ignore_ascii_case(essence))
        .ok_or_else(|| {
            let kept: Vec<&str> = TYPES.iter().map(|(name, _)| *name).collect();
            ApiError::UnsupportedMediaType(format!(
                "attachments are {}; got '{given}'",
                kept.join(", ")
            ))
        })
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

fn too_large(limit: u64) -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        detail: format!("an attachment may hold at most {limit} bytes"),
        errors: Vec::new(),
    }
}

fn save_error(e: SaveError) -> ApiError {
    let code = match e {
        SaveError::TooLarge(limit) => return too_large(limit),
        SaveError::Empty => "empty_file",
        SaveError::NotOfType(_) => "content_mismatch",
        SaveError::Body(_) => {
            return ApiError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                detail: e.to_string(),
                errors: Vec::new(),
            }
        }
        SaveError::Io(_) => return ApiError::Internal(Box::new(e)),
    };
    invalid(vec![FieldError::new("/body", code, e.to_string())])
}

fn uploaded(record: AttachmentRecord) -> Uploaded {
    Uploaded {
        sha256: record.sha256,
        size: record.size,
        file_name: record.file_name,
        content_type: record.content_type,
    }
}

/// `attachment; filename="…"` with quotes and backslashes escaped (names hold no control
/// characters: they were checked at upload).
fn disposition(name: &str) -> String {
    let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
    format!("attachment; filename=\"{escaped}\"")
}
