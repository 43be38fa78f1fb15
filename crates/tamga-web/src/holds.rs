//! Holds on a declaration's goods, from its page: customs staff of control place one with a
//! reason (release is refused while it is in force) and lift it with a reason. The API's
//! handlers decide who may.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::control::tasks::ReasonRequest;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::AppState;

use crate::declarations::{page_with, PaymentTyped};
use crate::error::WebError;
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/declarations/{mrn}/holds", post(place))
        .route("/declarations/{mrn}/holds/{hold}/lift", post(lift))
}

#[derive(Deserialize)]
struct ReasonForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// Where to go after a step: back to the holds on the page, or the page with the refusal.
async fn after(
    state: AppState,
    user: &WebUser,
    mrn: String,
    done: Result<(), tamga_api::error::ApiError>,
) -> Result<Response, WebError> {
    match done {
        Ok(()) => Ok(Redirect::to(&format!("/declarations/{mrn}#holds")).into_response()),
        Err(e) => {
            let alert = WebError::alert(user.tr, e)?;
            page_with(state, user, mrn, Some(alert), PaymentTyped::default()).await
        }
    }
}

async fn place(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let request = ReasonRequest {
        reason: form.reason,
    };
    let placed = tamga_api::control::roster::place_hold(
        State(state.clone()),
        user.caller_for("POST /api/v1/declarations/{mrn}/holds")?,
        PathParam(mrn.clone()),
        JsonBody(request),
    )
    .await;
    after(state, &user, mrn, placed.map(|_| ())).await
}

async fn lift(
    State(state): State<AppState>,
    user: WebUser,
    Path((mrn, hold)): Path<(String, i64)>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let request = ReasonRequest {
        reason: form.reason,
    };
    let lifted = tamga_api::control::roster::lift_hold(
        State(state.clone()),
        user.caller_for("POST /api/v1/declarations/{mrn}/holds/{hold}/lift")?,
        PathParam((mrn.clone(), hold)),
        JsonBody(request),
    )
    .await;
    after(state, &user, mrn, lifted.map(|_| ())).await
}
