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
use crate::lodge::{intake, IntakeError, Lodger, Verdict};
use crate::AppState;

const FORMAT_304: &[BorrowedFormatItem<'static>] =
    format_description!("[year][month][day][hour][minute][second]Z");

pub(crate) async fn lodge_document(
    lodger: &Lodger,
    user: &User,
    bytes: &[u8],
) -> Result<Response, ApiError> {
    let issued = tamga_store::sql::now()
        .format(FORMAT_304)
        .unwrap_or_default();
    let units = match intake::xml(bytes) {
        Ok(units) => units,
        Err(refusal @ IntakeError::TooMany(_)) => return Err(refusal.into()),
        Err(refusal) => {
            let (status, error) = refusal_of(&refusal);
            return Ok(xml(status, notification::rejected("", &[error], &issued)));
        }
    };
    let verdicts = lodger.lodge_all(user, &units).await?;
    let answers: Vec<String> = units
        .iter()
        .zip(&verdicts)
        .map(|(unit, verdict)| answer(&unit.lrn, verdict, &issued))
        .collect();
    let body = match answers.as_slice() {
        [one] => one.clone(),
        many => notification::wrap(many),
    };
    Ok(xml(crate::lodge::batch_status(&verdicts), body))
}

/// A document refused whole: malformed XML or bytes are 400, an encoding tamga does not read
/// is 415, a document of another kind (namespace) or with no declaration is 422.
fn refusal_of(refusal: &IntakeError) -> (StatusCode, FieldError) {
    use tamga_wco::intake::DocumentError;
    match refusal {
        IntakeError::Xml(e) => {
            let status = match e {
                DocumentError::Encoding { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                DocumentError::Namespace { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                DocumentError::Bytes { .. } | DocumentError::Xml(_) => StatusCode::BAD_REQUEST,
            };
            (status, e.to_field_error())
        }
        other => (
            StatusCode::UNPROCESSABLE_ENTITY,
            FieldError::new("/", "no_declaration", other.to_string()),
        ),
    }
}

/// A verdict as a DMS notification: accepted (01) or rejected with every problem (03).
fn answer(lrn: &str, verdict: &Verdict, issued: &str) -> String {
    match verdict {
        Verdict::Accepted(record) | Verdict::Resubmitted(record) => notification::accepted(
            lrn,
            &record.mrn,
            &record.accepted_at.format(FORMAT_304).unwrap_or_default(),
        ),
        Verdict::Valid | Verdict::WouldResubmit { .. } => notification::accepted(lrn, "", issued),
        refused => notification::rejected(lrn, &refused.problems(), issued),
    }
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
pub async fn notifications(
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
