//! Errors of the web UI: a redirect (sign in, change the password) or a page that says what
//! went wrong in the user's language. Nothing leaves as a bare 500: the cause is logged and
//! the page says only that the fault is ours.

use axum::http::{header, request::Parts, StatusCode};
use axum::response::{IntoResponse, Response};
use tamga_api::error::ApiError;
use tamga_core::FieldError;

use crate::i18n::Tr;
use crate::page::{render_status, ErrorPage, Page};

#[derive(Debug)]
pub enum WebError {
    /// Go elsewhere: by `303 See Other`, or for htmx requests by `HX-Redirect`.
    Redirect { to: String, htmx: bool },
    /// A page explaining the failure.
    Page {
        status: StatusCode,
        tr: Tr,
        title: &'static str,
        detail: String,
        problems: Vec<FieldError>,
    },
}

fn is_htmx(parts: &Parts) -> bool {
    parts.headers.contains_key("hx-request")
}

impl WebError {
    /// To the login form, coming back here afterwards.
    pub fn sign_in(parts: &Parts) -> WebError {
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        let next: String = serde_urlencoded::to_string([("next", here)]).unwrap_or_default();
        WebError::Redirect {
            to: format!("/login?{next}"),
            htmx: is_htmx(parts),
        }
    }

    pub fn redirect(parts: &Parts, to: &str) -> WebError {
        WebError::Redirect {
            to: to.to_owned(),
            htmx: is_htmx(parts),
        }
    }

    pub fn page(status: StatusCode, tr: Tr, title: &'static str, detail: String) -> WebError {
        WebError::Page {
            status,
            tr,
            title,
            detail,
            problems: Vec::new(),
        }
    }

    pub fn csrf(tr: Tr) -> WebError {
        let detail = tr.get("error-csrf-detail");
        WebError::page(StatusCode::FORBIDDEN, tr, "error-csrf-title", detail)
    }

    pub fn not_found(tr: Tr) -> WebError {
        let detail = tr.get("error-not-found-detail");
        WebError::page(StatusCode::NOT_FOUND, tr, "error-not-found-title", detail)
    }

    /// A fault of ours: logged with its cause, shown without it.
    pub fn internal(tr: Tr, cause: impl std::fmt::Display) -> WebError {
        tracing::error!(%cause, "web page failed");
        let detail = tr.get("error-internal-detail");
        WebError::page(
            StatusCode::INTERNAL_SERVER_ERROR,
            tr,
            "error-internal-title",
            detail,
        )
    }

    /// What a refused step says on the page it was taken from: every problem of an invalid
    /// request, or the refusal's detail; a missing object is a 404 page, our fault a 500 page.
    pub fn alert(tr: Tr, error: ApiError) -> Result<String, WebError> {
        match error {
            ApiError::Invalid(errors) | ApiError::BadRequest { errors, .. }
                if !errors.is_empty() =>
            {
                Ok(errors
                    .iter()
                    .map(|e| format!("{}: {}", e.pointer, tr.problem(e)))
                    .collect::<Vec<_>>()
                    .join("; "))
            }
            ApiError::NotFound(_) => Err(WebError::not_found(tr)),
            ApiError::Internal(cause) => Err(WebError::internal(tr, cause)),
            other => Ok(other.to_string()),
        }
    }

    /// The API handler's refusal, as a page with the same status and its detail.
    pub fn api(tr: Tr, error: ApiError) -> WebError {
        let problems = match &error {
            ApiError::Invalid(errors) => tr.problems(errors.clone()),
            ApiError::BadRequest { errors, .. } => tr.problems(errors.clone()),
            _ => Vec::new(),
        };
        if let ApiError::Internal(cause) = &error {
            return WebError::internal(tr, cause);
        }
        let detail = error.to_string();
        let status = error.into_response().status();
        let title = match status {
            StatusCode::NOT_FOUND => "error-not-found-title",
            StatusCode::FORBIDDEN => "error-forbidden-title",
            StatusCode::CONFLICT => "error-conflict-title",
            _ => "error-refused-title",
        };
        WebError::Page {
            status,
            tr,
            title,
            detail,
            problems,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Redirect { to, htmx: true } => {
                (StatusCode::OK, [("hx-redirect", to)]).into_response()
            }
            WebError::Redirect { to, htmx: false } => {
                (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
            }
            WebError::Page {
                status,
                tr,
                title,
                detail,
                problems,
            } => {
                let page = Page::anonymous(tr, title);
                render_status(
                    status,
                    &ErrorPage {
                        page,
                        status: status.as_u16(),
                        detail,
                        problems,
                    },
                )
            }
        }
    }
}
