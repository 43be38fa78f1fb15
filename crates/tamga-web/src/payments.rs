//! Paying a declaration: customs staff record a payment or a guarantee against the latest
//! assessment (the API's `pay`), and the declarant's systems fetch the declaration's DMS
//! notifications. The balance and the payments themselves are shown on the declaration page.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::AppState;

use crate::declarations::{page_with, PaymentTyped};
use crate::error::WebError;
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/declarations/{mrn}/payments", post(record))
        .route("/declarations/{mrn}/notifications.xml", get(notifications))
}

#[derive(Deserialize)]
struct PaymentForm {
    csrf: String,
    #[serde(flatten)]
    typed: PaymentTyped,
}

/// Records a payment or guarantee; a refusal comes back on the declaration page with every
/// problem named and the form as it was typed.
async fn record(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
    Form(form): Form<PaymentForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let typed = form.typed;
    let body = serde_json::json!({
        "kind": typed.kind,
        "amount": typed.amount,
        "method": typed.method,
        "reference": typed.reference,
    });
    let Ok(request) = serde_json::from_value(body) else {
        let alert = user.tr.get("payment-kind-unknown");
        return page_with(state, &user, mrn, Some(alert), typed).await;
    };
    let recorded = tamga_api::revenue::routes::pay(
        State(state.clone()),
        user.caller_for("POST /api/v1/declarations/{mrn}/payments")?,
        PathParam(mrn.clone()),
        JsonBody(request),
    )
    .await;
    match recorded {
        Ok(_) => Ok(Redirect::to(&format!("/declarations/{mrn}#payments")).into_response()),
        Err(e) => {
            let alert = WebError::alert(user.tr, e)?;
            page_with(state, &user, mrn, Some(alert), typed).await
        }
    }
}

/// The declaration's WCO DM notifications to date, as the API gives them to a trader's system.
async fn notifications(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
) -> Result<Response, WebError> {
    let answer = tamga_api::wco::notifications(
        State(state),
        user.caller_for("GET /api/v1/declarations/{mrn}/notifications")?,
        PathParam(mrn.clone()),
    )
    .await;
    let mut response = answer.map_err(|e| WebError::api(user.tr, e))?;
    let disposition = format!("attachment; filename=\"{mrn}-notifications.xml\"");
    if let Ok(value) = disposition.parse() {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
