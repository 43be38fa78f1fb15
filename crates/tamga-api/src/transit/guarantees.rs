//! `/transit/guarantees`: administrators open guarantee accounts; the holder reads a balance
//! with the GRN and access code (NCTS's guarantee query, IE034/IE037), staff without it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use rust_decimal::Decimal;
use serde::Deserialize;
use tamga_core::codes::CurrencyCode;
use tamga_core::refdata::ReferenceData;
use tamga_core::role::Role;
use tamga_core::transit::{access_code_ok, grn_ok, GuaranteeType};
use tamga_core::FieldError;
use tamga_store::transit::{GuaranteeAccount, NewGuaranteeAccount};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::control::invalid;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// Guarantee reference number, 1 to 24 capital letters and digits.
    #[schema(example = "26UZ0000010000001")]
    pub grn: Option<String>,
    /// 0, 1, 2, 4 or 9: the types that declare amounts.
    #[serde(rename = "type")]
    #[schema(example = "1")]
    pub guarantee_type: Option<String>,
    /// The principal's party identifier.
    #[schema(example = "UZ305123456")]
    pub holder: Option<String>,
    #[schema(example = "USD")]
    pub currency: Option<String>,
    /// The reference amount, a decimal string.
    #[schema(example = "50000.00")]
    pub reference_amount: Option<String>,
    /// Exactly 4 letters or digits; stored only as a hash.
    #[schema(example = "AB12")]
    pub access_code: Option<String>,
}

fn required<'a>(errors: &mut Vec<FieldError>, name: &str, v: Option<&'a str>) -> Option<&'a str> {
    if v.is_none() {
        errors.push(FieldError::new(
            format!("/{name}"),
            "missing",
            format!("/{name} is required"),
        ));
    }
    v
}

fn check<T>(
    errors: &mut Vec<FieldError>,
    name: &str,
    v: Option<Option<T>>,
    why: &str,
) -> Option<T> {
    match v {
        Some(None) => {
            errors.push(FieldError::new(format!("/{name}"), "invalid", why));
            None
        }
        Some(Some(v)) => Some(v),
        None => None,
    }
}

/// The account to open, or every problem (also `tamga guarantee add`'s check).
pub fn parse(
    r: &NewAccount,
    reference: &ReferenceData,
) -> Result<NewGuaranteeAccount, Vec<FieldError>> {
    let mut e = Vec::new();
    let grn = required(&mut e, "grn", r.grn.as_deref()).map(|g| grn_ok(g).then(|| g.to_owned()));
    let grn = check(&mut e, "grn", grn, "1 to 24 capital letters and digits");
    let kind = required(&mut e, "type", r.guarantee_type.as_deref())
        .map(|t| GuaranteeType::parse(t).filter(|t| t.has_amount()));
    let kind = check(
        &mut e,
        "type",
        kind,
        "an account is of type 0, 1, 2, 4 or 9",
    );
    let holder = required(&mut e, "holder", r.holder.as_deref()).map(|h| {
        tamga_core::codes::PartyId::parse(h)
            .ok()
            .map(|p| p.as_str().to_owned())
    });
    let holder = check(
        &mut e,
        "holder",
        holder,
        "a party identifier: capitals and digits",
    );
    let currency = required(&mut e, "currency", r.currency.as_deref()).map(|c| {
        CurrencyCode::parse(c)
            .ok()
            .filter(|c| reference.currencies.contains(c.as_str()))
    });
    let currency = check(&mut e, "currency", currency, "an ISO 4217 currency");
    let amount = required(&mut e, "reference_amount", r.reference_amount.as_deref()).map(|a| {
        a.parse::<Decimal>()
            .ok()
            .filter(|a| *a > Decimal::ZERO && a.scale() <= 2 && *a < Decimal::from(10_i64.pow(16)))
    });
    let amount = check(
        &mut e,
        "reference_amount",
        amount,
        "a positive amount, n16,2",
    );
    let code = required(&mut e, "access_code", r.access_code.as_deref())
        .map(|c| access_code_ok(c).then(|| c.to_owned()));
    let code = check(&mut e, "access_code", code, "exactly 4 letters or digits");
    match (grn, kind, holder, currency, amount, code) {
        (
            Some(grn),
            Some(guarantee_type),
            Some(holder),
            Some(currency),
            Some(reference_amount),
            Some(access_code),
        ) if e.is_empty() => Ok(NewGuaranteeAccount {
            grn,
            guarantee_type,
            holder,
            currency,
            reference_amount,
            access_code,
        }),
        _ => Err(e),
    }
}

/// Open a guarantee account (administrators); its balance starts at the reference amount.
#[utoipa::path(post, path = "/api/v1/transit/guarantees", tag = "transit", security(("bearer" = [])),
    request_body = NewAccount,
    responses(
        (status = 201, description = "The account", body = GuaranteeAccount),
        (status = 403, description = "Administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The GRN is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<NewAccount>,
) -> Result<(StatusCode, Json<GuaranteeAccount>), ApiError> {
    if user.role != Role::Admin {
        return Err(ApiError::Forbidden(
            "administrators open guarantee accounts".into(),
        ));
    }
    let new = parse(&request, state.reference).map_err(invalid)?;
    let grn = new.grn.clone();
    match state
        .store
        .create_guarantee_account(new, &user.name)
        .await?
    {
        Some(account) => Ok((StatusCode::CREATED, Json(account))),
        None => Err(crate::control::conflict(format!(
            "guarantee {grn} already exists"
        ))),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BalanceQuery {
    /// The guarantee's access code (required of declarants).
    pub access_code: Option<String>,
}

/// A guarantee's balance: the holder with the access code, customs staff without.
#[utoipa::path(get, path = "/api/v1/transit/guarantees/{grn}", tag = "transit", security(("bearer" = [])),
    params(("grn" = String, Path, description = "Guarantee reference number"), BalanceQuery),
    responses(
        (status = 200, description = "The account and its balance", body = GuaranteeAccount),
        (status = 400, description = "A declarant without an access code", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not for the laboratory", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No guarantee with this GRN and access code", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn balance(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(grn): PathParam<String>,
    query: Result<Query<BalanceQuery>, QueryRejection>,
) -> Result<Json<GuaranteeAccount>, ApiError> {
    let Query(query) = query?;
    let account = match query.access_code.as_deref() {
        Some(code) => state.store.guarantee_with_access_code(&grn, code).await?,
        None if user.role == Role::Declarant => {
            return Err(ApiError::query(
                "access_code",
                "missing",
                "the access code is required",
            ));
        }
        None => state.store.guarantee_account(&grn).await?,
    };
    account
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no guarantee {grn} with this access code")))
}
