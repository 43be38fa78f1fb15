//! Control over HTTP: the officer's worklist and the steps of a control task (`tasks`), the
//! roster of examiners, shifts, conflicts and suspensions, and holds on goods (`roster`); the
//! laboratory's samples, custody, results and reports (`lab`, with its own role table); seizures,
//! offence cases and the CEN export (`seizures`); attachments uploaded into the data directory
//! and named by findings and seizures (`attachments`, kept by `files`). Which role may call an
//! endpoint is the core's access table (`tamga_core::role::rules`), applied by the API's gate;
//! which tasks one sees (own, office's, any) is decided here, and the rules themselves are
//! `tamga-control`'s, applied by the store in the transactions that need them. In short:
//!
//! | action | declarant | officer | analyst | lab | supervisor | admin |
//! |---|---|---|---|---|---|---|
//! | worklist, work on own tasks | | ✓ | | | ✓ | |
//! | view a task (own, office's, any) | | own | | | office | any |
//! | office tasks, cancel, roster | | | | | ✓ | ✓ |
//! | reallocate, allocate, suspend | | | | | ✓ | |
//! | holds, seizures, cases, CEN export | | ✓ | | | ✓ | ✓ |
//! | upload attachments, download those one may see | | ✓ | | | ✓ | ✓ |
//! | CEN export with personal data | | | | | ✓ | |

use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Router;
use tamga_core::codes::Locode;
use tamga_core::FieldError;
use tamga_store::User;

use crate::error::ApiError;
use crate::AppState;

pub mod attachments;
pub mod files;
pub mod lab;
pub mod roster;
pub mod seizures;
pub mod tasks;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(tasks::worklist))
        .route("/tasks/{id}", get(tasks::one))
        .route("/tasks/{id}/start", post(tasks::start))
        .route("/tasks/{id}/complete", post(tasks::complete))
        .route("/tasks/{id}/cancel", post(tasks::cancel))
        .route("/tasks/{id}/endorse", post(tasks::endorse))
        .route("/tasks/{id}/reallocate", post(tasks::reallocate))
        .route("/tasks/{id}/allocate", post(tasks::allocate))
        .route("/control/tasks", get(tasks::office))
        .route("/control/officers", get(roster::officers))
        .route("/control/officers/{id}", put(roster::set_officer))
        .route("/control/officers/{id}/shifts", post(roster::add_shift))
        .route(
            "/control/officers/{id}/conflicts",
            post(roster::add_conflict),
        )
        .route("/control/officers/{id}/suspension", post(roster::suspend))
        .route(
            "/declarations/{mrn}/holds",
            get(roster::holds).post(roster::place_hold),
        )
        .route(
            "/declarations/{mrn}/holds/{hold}/lift",
            post(roster::lift_hold),
        )
        .route("/tasks/{id}/samples", post(lab::request))
        .route("/lab/samples", get(lab::queue))
        .route("/lab/samples/{id}", get(lab::one))
        .route("/lab/samples/{id}/state", post(lab::change_state))
        .route("/lab/samples/{id}/handovers", post(lab::handover))
        .route("/lab/samples/{id}/result", post(lab::result))
        .route("/lab/samples/{id}/verify", post(lab::verify))
        .route("/lab/samples/{id}/publish", post(lab::publish))
        .route("/lab/turnaround", get(lab::turnaround))
        .route("/attachments", post(attachments::upload))
        .route("/attachments/{sha256}", get(attachments::download))
        .route("/seizures", post(seizures::record))
        .route("/seizures/{id}", get(seizures::one))
        .route("/seizures/{id}/cen", get(seizures::cen))
        .route(
            "/cases/{number}",
            get(seizures::case).post(seizures::change),
        )
}

/// The offices a supervisor oversees: the office of the section they belong to.
pub async fn offices_of(state: &AppState, user: &User) -> Result<Vec<Locode>, ApiError> {
    let officers = state.store.officers(None).await?;
    Ok(officers
        .into_iter()
        .filter(|o| o.id.0 == user.id)
        .map(|o| o.office)
        .collect())
}

/// A reason or other free text: trimmed, 1 to `max` characters, no control characters
/// (NUL included); a 422 naming `pointer` otherwise.
pub fn text(pointer: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > max || value.chars().any(char::is_control) {
        return Err(FieldError::new(
            pointer,
            "invalid_text",
            format!("1 to {max} characters, without control characters"),
        ));
    }
    Ok(value.to_owned())
}

/// A 422 naming every invalid field.
pub fn invalid(errors: Vec<FieldError>) -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!("{} invalid field(s); see errors", errors.len()),
        errors,
    }
}

/// The 409 of a refused step: the current state and the allowed ones.
pub fn conflict(detail: String) -> ApiError {
    ApiError::Conflict {
        detail,
        existing_mrn: None,
    }
}
