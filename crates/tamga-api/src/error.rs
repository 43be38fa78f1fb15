//! The one error type of the HTTP edge and its RFC 9457 problem documents.
//!
//! | variant | status |
//! |---|---|
//! | `Invalid` (field errors) | 422 |
//! | `BadRequest` (unreadable body or query) | 400, or 422 for well-formed JSON of the wrong shape |
//! | `Unauthorized` | 401, with `WWW-Authenticate: Bearer` |
//! | `Forbidden` | 403 |
//! | `NotFound` | 404 |
//! | `Conflict` | 409, naming the existing MRN where there is one |
//! | `TooLarge` | 413 |
//! | `UnsupportedMediaType` | 415 |
//! | `TooManyRequests` | 429, with `Retry-After` (seconds) |
//! | `Unavailable` | 503 |
//! | `Internal` | 500, with an opaque body; the cause is logged |

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tamga_core::FieldError;
use utoipa::ToSchema;

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Every offending field, when the problem is with the submitted data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For a used LRN: the MRN of the declaration that holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_mrn: Option<String>,
    /// For a release refused while duties are owed: the amount due, in national currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount_due: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the declaration is invalid")]
    Invalid(Vec<FieldError>),
    #[error("{detail}")]
    BadRequest {
        status: StatusCode,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("authentication required")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{detail}")]
    Conflict {
        detail: String,
        existing_mrn: Option<String>,
    },
    #[error("{detail}")]
    AmountDue { detail: String, amount: String },
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after: u64 },
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<tamga_store::StoreError> for ApiError {
    fn from(e: tamga_store::StoreError) -> Self {
        match e {
            tamga_store::StoreError::Conflict(what) => ApiError::Conflict {
                detail: format!("{what} already exists"),
                existing_mrn: None,
            },
            tamga_store::StoreError::WriterGone => {
                tracing::error!("the database writer has stopped");
                ApiError::Unavailable("the database cannot take writes; try again later".into())
            }
            other => ApiError::Internal(Box::new(other)),
        }
    }
}

impl From<crate::lodge::IntakeError> for ApiError {
    fn from(e: crate::lodge::IntakeError) -> Self {
        use crate::lodge::IntakeError;
        let status = match e {
            IntakeError::Json(_) | IntakeError::Xml(_) => StatusCode::BAD_REQUEST,
            IntakeError::NoDeclaration | IntakeError::TooMany(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
        ApiError::BadRequest {
            status,
            detail: e.to_string(),
            errors: Vec::new(),
        }
    }
}

impl From<axum::extract::rejection::QueryRejection> for ApiError {
    /// An unreadable query string: 400 with the reader's explanation.
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        ApiError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: e.body_text(),
            errors: Vec::new(),
        }
    }
}

impl ApiError {
    /// A bad query parameter `name`: 400 naming it as `/query/<name>`.
    pub(crate) fn query(name: &str, code: &str, message: &str) -> Self {
        ApiError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: message.to_owned(),
            errors: vec![FieldError::new(format!("/query/{name}"), code, message)],
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { status, .. } => *status,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } | ApiError::AmountDue { .. } => StatusCode::CONFLICT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn problem(self) -> Problem {
        let status = self.status();
        let detail = match &self {
            ApiError::Invalid(errors) => format!(
                "{} problem(s) with the submitted declaration; see errors",
                errors.len()
            ),
            ApiError::Unauthorized(why) => (*why).to_owned(),
            ApiError::Internal(_) => "the server failed; the error has been logged".to_owned(),
            other => other.to_string(),
        };
        let (errors, existing_mrn, amount_due) = match self {
            ApiError::Invalid(errors) | ApiError::BadRequest { errors, .. } => (errors, None, None),
            ApiError::Conflict { existing_mrn, .. } => (Vec::new(), existing_mrn, None),
            ApiError::AmountDue { amount, .. } => (Vec::new(), None, Some(amount)),
            _ => (Vec::new(), None, None),
        };
        Problem {
            kind: format!("https://tamga.dev/problems/{}", self_kind(status)),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            errors,
            existing_mrn,
            amount_due,
        }
    }
}

fn self_kind(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        422 => "validation",
        429 => "too-many-requests",
        503 => "unavailable",
        _ => "internal",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!(error = %cause, cause = ?std::error::Error::source(cause.as_ref()), "request failed");
        }
        let unauthorized = matches!(self, ApiError::Unauthorized(_));
        let retry_after = match &self {
            ApiError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let status = self.status();
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        if unauthorized {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer realm=\"tamga\""),
            );
        }
        response
    }
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::NotFound("no such resource".to_owned())
}

pub(crate) async fn method_not_allowed() -> Response {
    let problem = Problem {
        kind: "https://tamga.dev/problems/method-not-allowed".to_owned(),
        title: "Method Not Allowed".to_owned(),
        status: 405,
        detail: "this resource does not support that method".to_owned(),
        errors: Vec::new(),
        existing_mrn: None,
        amount_due: None,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body,
    )
        .into_response()
}

/// A handler panicked: a bug. The client gets an opaque 500 problem, never a dropped
/// connection; the panic is logged.
pub(crate) fn panicked(cause: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = cause
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| cause.downcast_ref::<&str>().copied())
        .unwrap_or("unknown");
    tracing::error!(panic = message, "a request handler panicked");
    ApiError::Internal(format!("panic: {message}").into()).into_response()
}
