//! Request extractors whose rejections are problem documents.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use serde::de::DeserializeOwned;
use tamga_core::FieldError;

use crate::error::ApiError;
use crate::AppState;

/// A JSON body. Syntax errors are 400; well-formed JSON of the wrong shape (a wrong type, an
/// unknown field) is 422 naming the field by JSON pointer.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        require_json(&req)?;
        let route = req
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|p| (req.method().as_str().to_owned(), p.as_str().to_owned()));
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(state.settings.body_limit)
            } else {
                bad_request(rejection.body_text(), Vec::new())
            }
        })?;
        let route = route.as_ref().map(|(m, p)| (m.as_str(), p.as_str()));
        parse_json_for(&bytes, route).map(JsonBody)
    }
}

/// A declaration as submitted: JSON (`application/json`), a UN/EDIFACT interchange
/// (`application/edifact`) or a WCO DM 3.6 DEC-DMS document (`application/xml`, `text/xml`).
/// EDIFACT and XML stay bytes: each declares its own character set, which intake reads.
#[derive(Debug)]
pub enum Submission {
    Json(Box<tamga_core::draft::DeclarationDraft>),
    Edifact(Bytes),
    Xml(Bytes),
}

impl FromRequest<AppState> for Submission {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        use crate::lodge::Format;
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let format = Format::of_content_type(content_type);
        if format == Format::Json {
            return JsonBody::from_request(req, state)
                .await
                .map(|JsonBody(d)| Submission::Json(Box::new(d)));
        }
        let RawBody(bytes) = RawBody::from_request(req, state).await?;
        Ok(if format == Format::Xml {
            Submission::Xml(bytes)
        } else {
            Submission::Edifact(bytes)
        })
    }
}

/// A raw body whose rejections (too large, unreadable) are problem documents.
#[derive(Debug)]
pub struct RawBody(pub Bytes);

impl FromRequest<AppState> for RawBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        Bytes::from_request(req, state)
            .await
            .map(RawBody)
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge(state.settings.body_limit)
                } else {
                    bad_request(rejection.body_text(), Vec::new())
                }
            })
    }
}

/// A path parameter whose rejection (e.g. invalid UTF-8) is a problem document.
#[derive(Debug)]
pub struct PathParam<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> axum::extract::FromRequestParts<S>
    for PathParam<T>
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| PathParam(value))
            .map_err(|rejection| bad_request(rejection.body_text(), Vec::new()))
    }
}

fn require_json(req: &Request) -> Result<(), ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence == "application/json" || essence.ends_with("+json") {
        return Ok(());
    }
    Err(ApiError::UnsupportedMediaType(format!(
        "expected Content-Type: application/json (or application/edifact for declarations), got {:?}",
        content_type
    )))
}

/// Parses `bytes` as `T`, mapping every failure to a precise 4xx; strings holding control
/// characters are refused with a 422 naming them (see [`crate::guard`]).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    parse_json_for(bytes, None)
}

/// [`parse_json`] for the request body of `route` (method, route template): an array where
/// the route's body schema says object is refused first, with a 422 naming it (see
/// [`crate::shape`]).
pub fn parse_json_for<T: DeserializeOwned>(
    bytes: &[u8],
    route: Option<(&str, &str)>,
) -> Result<T, ApiError> {
    // Only a body with an array can hold one where an object is expected.
    if let Some((method, path)) = route.filter(|_| bytes.contains(&b'[')) {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            crate::shape::check(method, path, &value)?;
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = pointer(e.path());
        let inner = e.into_inner();
        let message = inner.to_string();
        if inner.classify() == serde_json::error::Category::Data {
            let field = FieldError::new(pointer, "invalid_type", message.clone());
            return bad_request_with(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                message,
                vec![field],
            );
        }
        bad_request(format!("the body is not valid JSON: {message}"), Vec::new())
    })?;
    de.end()
        .map_err(|e| bad_request(format!("the body is not valid JSON: {e}"), Vec::new()))?;
    if crate::guard::may_hold_control(bytes) {
        crate::guard::check_json(bytes)?;
    }
    Ok(value)
}

pub(crate) fn bad_request(detail: String, errors: Vec<FieldError>) -> ApiError {
    bad_request_with(axum::http::StatusCode::BAD_REQUEST, detail, errors)
}

fn bad_request_with(
    status: axum::http::StatusCode,
    detail: String,
    errors: Vec<FieldError>,
) -> ApiError {
    ApiError::BadRequest {
        status,
        detail,
        errors,
    }
}

/// The RFC 6901 JSON pointer of a serde path.
fn pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Segment::Enum { variant } => out.push_str(variant),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}
