//! Declarations lodged as WCO DM 3.6 DEC-DMS XML (`Content-Type: application/xml`), answered
//! with DMS-style notifications: `01` accepted (201, or 200 for a resubmission), `03` rejected
//! with every problem (422), or `03` naming the XML error (400) when the document is not
//! well-formed. A document with several declarations gets one notification per declaration,
//! wrapped in `<Notifications>`.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tamga_core::FieldError;
use tamga_store::User;
use tamga_wco::notification;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::error::ApiError;
use crate::AppState;

const FORMAT_304: &[BorrowedFormatItem<'static>] =
    format_description!("[year][month][day][hour][minute][second]Z");

pub(crate) async fn lodge_document(
    state: &AppState,
    user: User,
    text: &str,
) -> Result<Response, ApiError> {
    let now = tamga_store::sql::now();
    let issued = now.format(FORMAT_304).unwrap_or_default();
    let drafts = match tamga_wco::dec::drafts(text) {
        Ok(drafts) if !drafts.is_empty() => drafts,
        Ok(_) => {
            let error = FieldError::new(
                "/",
                "no_declaration",
                "the document holds no Declaration element",
            );
            return Ok(xml(
                StatusCode::UNPROCESSABLE_ENTITY,
                notification::rejected("", &[error], &issued),
            ));
        }
        Err(e) => {
            let error = FieldError::new("/", "xml_malformed", e.to_string());
            return Ok(xml(
                StatusCode::BAD_REQUEST,
                notification::rejected("", &[error], &issued),
            ));
        }
    };
    crate::declarations::check_batch_size(drafts.len())?;
    let mut answers = Vec::with_capacity(drafts.len());
    let mut status = StatusCode::CREATED;
    for draft in &drafts {
        let lrn = draft.lrn.clone().unwrap_or_default();
        let (code, answer) =
            match crate::declarations::lodge_draft(state, user.clone(), draft).await {
                Ok((code, view)) => (
                    code,
                    notification::accepted(
                        &lrn,
                        &view.mrn,
                        &view.accepted_at.format(FORMAT_304).unwrap_or_default(),
                    ),
                ),
                Err(ApiError::Invalid(errors)) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    notification::rejected(&lrn, &errors, &issued),
                ),
                Err(ApiError::Forbidden(detail)) => {
                    let error = FieldError::new("/declarant/id", "forbidden", detail);
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        notification::rejected(&lrn, &[error], &issued),
                    )
                }
                Err(ApiError::Conflict { detail, .. }) => {
                    let error = FieldError::new("/lrn", "lrn_taken", detail);
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        notification::rejected(&lrn, &[error], &issued),
                    )
                }
                Err(other) => return Err(other),
            };
        status = crate::declarations::batch_status(status, code);
        answers.push(answer);
    }
    let body = match answers.as_slice() {
        [one] => one.clone(),
        many => {
            let inner: Vec<&str> = many
                .iter()
                .map(|a| a.trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"))
                .collect();
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Notifications>{}</Notifications>\n",
                inner.concat()
            )
        }
    };
    Ok(xml(status, body))
}

fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}
