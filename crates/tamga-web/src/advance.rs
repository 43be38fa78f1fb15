//! Paying online: a trader's advance account (its balance, its ledger, how to top it up), the
//! deposit form customs staff credit a bank transfer with, and paying a declaration from the
//! account on the declaration's page. Every action is the API's own handler
//! (`tamga_api::revenue::advance`), so its rules and refusals are the API's.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use rust_decimal::Decimal;
use serde::Deserialize;
use tamga_api::error::ApiError;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::AppState;
use tamga_core::role::Role;
use tamga_store::advance::AdvanceAccount;

use crate::declarations::{page_with, PaymentTyped};
use crate::error::WebError;
use crate::page::{render_status, Page};
use crate::problems::Problems;
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/advance", get(own))
        .route("/advance/{party}", get(show))
        .route("/advance/{party}/deposits", post(deposit))
        .route("/declarations/{mrn}/advance-payment", post(pay))
}

const ACCOUNT: &str = "GET /api/v1/parties/{id}/advance";
const DEPOSIT: &str = "POST /api/v1/parties/{id}/advance/deposits";

/// The deposit form's fields as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct DepositForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reference: String,
}

#[derive(Template)]
#[template(path = "advance/account.html")]
struct AccountPage {
    page: Page,
    /// The account shown; `None` on a staff member's look-up form.
    account: Option<AdvanceAccount>,
    /// The party typed into the look-up form.
    party: String,
    currency: &'static str,
    may_deposit: bool,
    /// A trader reads its own account.
    own: bool,
    form: DepositForm,
    problems: Problems,
}

#[derive(Deserialize)]
struct LookUp {
    #[serde(default)]
    party: String,
}

/// A trader's own account; customs staff get a form to look a party's up.
async fn own(
    State(state): State<AppState>,
    user: WebUser,
    Query(look): Query<LookUp>,
) -> Result<Response, WebError> {
    if user.user.role == Role::Declarant {
        let party = user.user.party_id.clone().unwrap_or_default();
        return account_page(
            state,
            &user,
            party,
            DepositForm::default(),
            Problems::default(),
        )
        .await;
    }
    user.caller_for(ACCOUNT)?;
    let party = look.party.trim();
    // A registered identifier is letters and digits (a TIN or an EORI number); anything else
    // is not a party, and is not put into a path.
    let plain = party.chars().all(|c| c.is_ascii_alphanumeric());
    if !party.is_empty() && plain {
        return Ok(Redirect::to(&format!("/advance/{party}")).into_response());
    }
    let problems = if party.is_empty() {
        Problems::default()
    } else {
        let message = user.tr.arg("advance-no-party", "party", party);
        Problems::one("/party", "unknown_party", message)
    };
    Ok(render_status(
        if problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::NOT_FOUND
        },
        &AccountPage {
            page: Page::new(&user, "advance-title", "/advance"),
            account: None,
            party: party.to_owned(),
            currency: tamga_api::revenue::NATIONAL_CURRENCY,
            may_deposit: false,
            own: false,
            form: DepositForm::default(),
            problems,
        },
    ))
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(party): Path<String>,
) -> Result<Response, WebError> {
    account_page(
        state,
        &user,
        party,
        DepositForm::default(),
        Problems::default(),
    )
    .await
}

async fn account_page(
    state: AppState,
    user: &WebUser,
    party: String,
    form: DepositForm,
    problems: Problems,
) -> Result<Response, WebError> {
    let account = tamga_api::revenue::advance::account(
        State(state),
        user.caller_for(ACCOUNT)?,
        PathParam(party.clone()),
    )
    .await;
    let account = account.map_err(|e| WebError::api(user.tr, e))?.0;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AccountPage {
        page: Page::new(user, "advance-title", "/advance"),
        account: Some(account),
        party,
        currency: tamga_api::revenue::NATIONAL_CURRENCY,
        may_deposit: user.may(DEPOSIT),
        own: user.user.role == Role::Declarant,
        form,
        problems,
    };
    Ok(render_status(status, &page))
}

/// Credits a bank transfer; a refusal comes back on the account's page with every problem
/// named and the form as typed.
async fn deposit(
    State(state): State<AppState>,
    user: WebUser,
    Path(party): Path<String>,
    Form(form): Form<DepositForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let request = serde_json::json!({"amount": form.amount, "reference": form.reference});
    let request = serde_json::from_value(request).map_err(|e| WebError::internal(user.tr, e))?;
    let credited = tamga_api::revenue::advance::deposit(
        State(state.clone()),
        user.caller_for(DEPOSIT)?,
        PathParam(party.clone()),
        JsonBody(request),
    )
    .await;
    match credited {
        Ok(_) => Ok(Redirect::to(&format!("/advance/{party}")).into_response()),
        Err(e) => {
            let problems = Problems::of(e, user.tr)?;
            account_page(state, &user, party, form, problems).await
        }
    }
}

#[derive(Deserialize)]
struct PayForm {
    csrf: String,
    #[serde(default)]
    amount: String,
}

/// Pays a declaration from the trader's account; a refusal is shown on the declaration's page
/// with the amount as typed.
async fn pay(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
    Form(form): Form<PayForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let amount = form.amount.trim();
    let request = if amount.is_empty() {
        serde_json::json!({})
    } else {
        serde_json::json!({ "amount": amount })
    };
    let request = serde_json::from_value(request).map_err(|e| WebError::internal(user.tr, e))?;
    let paid = tamga_api::revenue::advance::pay(
        State(state.clone()),
        user.caller_for("POST /api/v1/declarations/{mrn}/advance-payment")?,
        PathParam(mrn.clone()),
        JsonBody(request),
    )
    .await;
    let error = match paid {
        Ok(_) => return Ok(Redirect::to(&format!("/declarations/{mrn}#payments")).into_response()),
        Err(e) => e,
    };
    let alert = match error {
        ApiError::AmountDue { amount, .. } => user.tr.arg("advance-short", "amount", amount),
        ApiError::Conflict { .. } => user.tr.get("advance-nothing-due"),
        other => WebError::alert(user.tr, other)?,
    };
    let typed = PaymentTyped {
        amount: form.amount,
        ..PaymentTyped::default()
    };
    page_with(state, &user, mrn, Some(alert), typed).await
}

/// The balance of a trader's own advance account, to offer paying from it; `None` for staff
/// and for a trader whose party is not registered.
pub(crate) async fn own_balance(state: &AppState, user: &WebUser) -> Option<Decimal> {
    if user.user.role != Role::Declarant {
        return None;
    }
    let party = user.user.party_id.clone()?;
    let caller = user.api_caller(ACCOUNT).ok()?;
    let account =
        tamga_api::revenue::advance::account(State(state.clone()), caller, PathParam(party)).await;
    account.ok().map(|a| a.0.balance)
}
