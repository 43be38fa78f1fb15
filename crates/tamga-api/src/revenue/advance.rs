//! Paying online from an advance account (see [`tamga_store::advance`]): customs credits a
//! trader's bank transfer to its party's account, the trader pays a declaration from it, and
//! either reads the account. `/parties/{id}/advance`, `/parties/{id}/advance/deposits` and
//! `/declarations/{mrn}/advance-payment`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::draft::DecimalText;
use tamga_store::advance::PaidFromAdvance;
use tamga_store::advance::{AdvanceAccount, AdvanceEntry, AdvancePayment, NewDeposit};
use tamga_store::{Balance, Scope};
use utoipa::ToSchema;

use super::routes::{check_text, checked_amount};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::parties::{not_registered, require_reader};
use crate::AppState;

/// A transfer to customs' account, credited from the bank statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepositRequest {
    /// In national currency, e.g. "5000000.00".
    pub amount: DecimalText,
    /// The bank's payment order number; each is credited once.
    pub reference: String,
}

/// What to pay from the caller's advance account.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdvancePaymentRequest {
    /// In national currency; left out, all that is due is paid.
    pub amount: Option<DecimalText>,
}

/// A declaration paid from an advance account.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdvancePaid {
    /// The declaration's balance after the payment.
    pub balance: Balance,
    /// What is left in the advance account.
    pub account_balance: rust_decimal::Decimal,
}

/// A party's advance account: its balance and latest entries (customs staff; a declarant its own).
#[utoipa::path(get, path = "/api/v1/parties/{id}/advance", tag = "revenue", security(("bearer" = [])),
    params(("id" = String, Path, description = "The party's identifier")),
    responses(
        (status = 200, description = "The balance and the ledger, newest first", body = AdvanceAccount),
        (status = 403, description = "Not for analysts or the laboratory", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not registered, or not the caller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn account(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
) -> Result<Json<AdvanceAccount>, ApiError> {
    require_reader(&user, &id)?;
    let account = state.store.advance_account(&id).await?;
    account.map(Json).ok_or_else(|| not_registered(&id))
}

/// Credit a bank transfer to a party's advance account (customs officers, supervisors and
/// administrators).
#[utoipa::path(post, path = "/api/v1/parties/{id}/advance/deposits", tag = "revenue", security(("bearer" = [])),
    params(("id" = String, Path, description = "The party's identifier")),
    request_body = DepositRequest,
    responses(
        (status = 201, description = "Credited", body = AdvanceEntry),
        (status = 403, description = "Customs officers, supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not registered", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The payment order is credited already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn deposit(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<String>,
    JsonBody(request): JsonBody<DepositRequest>,
) -> Result<(StatusCode, Json<AdvanceEntry>), ApiError> {
    let mut errors = Vec::new();
    let amount = checked_amount(&request.amount, &mut errors);
    check_text("/reference", &request.reference, &mut errors);
    let Some(amount) = amount.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Invalid(errors));
    };
    let deposit = NewDeposit {
        amount,
        reference: request.reference.trim().to_owned(),
        by: user,
        at: tamga_store::sql::now(),
    };
    let entry = state.store.advance_deposit(&id, deposit).await?;
    let entry = entry.ok_or_else(|| not_registered(&id))?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Pay a declaration's duties from the caller's advance account (declarants); a covered
/// green declaration is released at once.
#[utoipa::path(post, path = "/api/v1/declarations/{mrn}/advance-payment", tag = "revenue", security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    request_body = AdvancePaymentRequest,
    responses(
        (status = 201, description = "Paid", body = AdvancePaid),
        (status = 403, description = "Declarants only", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration visible to the caller, or nothing assessed", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing is due, or the account holds too little (`amount` says how much is needed)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad amount, or more than is due", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn pay(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(request): JsonBody<AdvancePaymentRequest>,
) -> Result<(StatusCode, Json<AdvancePaid>), ApiError> {
    let mut errors = Vec::new();
    let amount = request
        .amount
        .as_ref()
        .map(|raw| checked_amount(raw, &mut errors));
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let scope = Scope::of(&user);
    let payment = AdvancePayment {
        payer: user.party_id.clone().unwrap_or_default(),
        amount: amount.flatten(),
        by: user,
        at: tamga_store::sql::now(),
    };
    let paid = state.store.pay_from_advance(&mrn, &scope, payment).await?;
    answer(&mrn, paid).map(|paid| (StatusCode::CREATED, Json(paid)))
}

fn answer(mrn: &str, paid: PaidFromAdvance) -> Result<AdvancePaid, ApiError> {
    let conflict = |detail: String| ApiError::Conflict {
        detail,
        existing_mrn: None,
    };
    match paid {
        PaidFromAdvance::Paid { balance, account } => Ok(AdvancePaid {
            balance,
            account_balance: account,
        }),
        PaidFromAdvance::NotVisible => Err(ApiError::NotFound(format!("no declaration {mrn:?}"))),
        PaidFromAdvance::NotAssessed => Err(ApiError::NotFound(format!(
            "declaration {mrn} has no assessment to pay"
        ))),
        PaidFromAdvance::NothingDue => Err(conflict(format!("nothing is due on {mrn}"))),
        PaidFromAdvance::AboveDue { due } => {
            Err(ApiError::Invalid(vec![tamga_core::FieldError::new(
                "/amount",
                "above_due",
                format!("{due} is due on {mrn}; pay at most that"),
            )]))
        }
        PaidFromAdvance::Short { account, needed } => Err(ApiError::AmountDue {
            detail: format!(
                "the advance account holds {account}, {needed} is needed: credit a transfer first"
            ),
            amount: needed.to_string(),
        }),
    }
}
