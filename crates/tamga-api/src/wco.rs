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
        many => notification::wrap(many),
    };
    Ok(xml(status, body))
}

/// Every DMS notification of a declaration to date, oldest first: received, accepted, the
/// control its channel calls for (red: physical, yellow: documentary), cleared once released.
#[utoipa::path(get, path = "/api/v1/declarations/{mrn}/notifications", tag = "declarations",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    responses(
        (status = 200, description = "`<Notifications>` of WCO DM 3.6 RES documents", content_type = "application/xml", body = String),
        (status = 404, description = "No such declaration visible to the caller", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn notifications(
    axum::extract::State(state): axum::extract::State<AppState>,
    crate::auth::Caller(user): crate::auth::Caller,
    crate::extract::PathParam(mrn): crate::extract::PathParam<String>,
) -> Result<Response, ApiError> {
    use tamga_core::status::Status;
    let scope = tamga_store::Scope::of(&user);
    let Some(record) = state.store.declaration(&mrn, &scope).await? else {
        return Err(ApiError::NotFound(format!("no declaration {mrn:?}")));
    };
    let at = |t: time::OffsetDateTime| t.format(FORMAT_304).unwrap_or_default();
    let lrn = record.declaration.lrn.as_str();
    let accepted = at(record.accepted_at);
    let mut out = vec![
        notification::received(lrn, &mrn, &accepted),
        notification::accepted(lrn, &mrn, &accepted),
    ];
    if let Some(decision) = state.store.risk_decision(&mrn).await? {
        let control = match decision.channel.as_str() {
            "red" => Some(notification::Control::Physical),
            "yellow" => Some(notification::Control::Documentary),
            _ => None,
        };
        if let Some(control) = control {
            out.push(notification::control(
                lrn,
                &mrn,
                control,
                &at(decision.decided_at),
            ));
        }
    }
    if let Some(released) = record.events.iter().find(|e| e.status == Status::Released) {
        out.push(notification::cleared(lrn, &mrn, &at(released.at)));
    }
    Ok(xml(StatusCode::OK, notification::wrap(&out)))
}

fn xml(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}
