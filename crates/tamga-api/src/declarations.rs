//! Lodging, reading and moving declarations.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tamga_core::draft::DeclarationDraft;
use tamga_core::mrn::Mrn;
use tamga_core::role::Role;
use tamga_core::status::{Status, TransitionError};
use tamga_core::FieldError;
use tamga_store::{sql::now, Scope, StatusChange, TransitionOutcome};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam, Submission};
use crate::lodge::{Lodger, Mode, Verdict};
use crate::views::DeclarationView;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/declarations", post(lodge))
        .route("/declarations/{mrn}", get(get_declaration))
        .route("/declarations/{mrn}/status", post(change_status))
        .route(
            "/declarations/{mrn}/notifications",
            get(crate::wco::notifications),
        )
}

/// Lodge a goods declaration. It is validated as a whole: every problem is reported at once.
/// Accepted declarations get an MRN and are committed durably before the answer. Lodging the
/// identical declaration again returns the same MRN with 200; a different declaration with a
/// used LRN is a 409 naming the existing MRN. A UN/EDIFACT CUSDEC interchange is accepted too
/// (`Content-Type: application/edifact`) and answered in kind: CUSRES, or CONTRL for a syntax
/// error; and a WCO DM 3.6 DEC-DMS document (`application/xml`), answered by DMS-style
/// notifications.
#[utoipa::path(
    post,
    path = "/api/v1/declarations",
    tag = "declarations",
    security(("bearer" = [])),
    request_body = DeclarationDraft,
    responses(
        (status = 201, description = "Accepted", body = DeclarationView),
        (status = 200, description = "Already accepted: the identical declaration was lodged before", body = DeclarationView),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller may not lodge", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The LRN is used by another declaration", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid: every field error listed", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lodge(
    State(state): State<AppState>,
    Caller(user): Caller,
    crate::limits::ClientAddress(address): crate::limits::ClientAddress,
    submission: Submission,
) -> Result<Response, ApiError> {
    crate::lodge::authorise(&user)?;
    state.limiters.lodgement(user.id, address)?;
    let lodger = Lodger::new(&state, Mode::Commit);
    let draft = match submission {
        Submission::Json(draft) => draft,
        Submission::Xml(bytes) => return crate::wco::lodge_document(&lodger, &user, &bytes).await,
        Submission::Edifact(bytes) => {
            return crate::edifact::lodge_interchange(&lodger, &user, &bytes).await
        }
    };
    match lodger.lodge_draft(&user, &draft).await? {
        Verdict::Accepted(record) => {
            let location = format!("/api/v1/declarations/{}", record.mrn);
            let view = DeclarationView::from(record);
            Ok((
                StatusCode::CREATED,
                [(header::LOCATION, location)],
                Json(view),
            )
                .into_response())
        }
        Verdict::Resubmitted(record) => {
            Ok((StatusCode::OK, Json(DeclarationView::from(record))).into_response())
        }
        Verdict::Refused(errors) => Err(ApiError::Invalid(errors)),
        Verdict::LrnTaken {
            detail,
            existing_mrn,
        } => Err(ApiError::Conflict {
            detail,
            existing_mrn,
        }),
        Verdict::Valid | Verdict::WouldResubmit { .. } => Err(ApiError::Internal(
            "a committing lodgement gave a dry-run verdict".into(),
        )),
    }
}

/// An MRN from the path; one that cannot exist is simply not found.
fn mrn_param(raw: &str) -> Result<Mrn, ApiError> {
    Mrn::parse(raw).map_err(|_| ApiError::NotFound(format!("no declaration {raw:?}")))
}

/// One declaration with its history. Declarants see only declarations they lodged or are a
/// party to; any other MRN is 404 for them. Lab users see only a declaration they hold a
/// sample of, without its history and channel.
#[utoipa::path(
    get,
    path = "/api/v1/declarations/{mrn}",
    tag = "declarations",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    responses(
        (status = 200, description = "The declaration", body = DeclarationView),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A lab user, for a declaration without a sample", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_declaration(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
) -> Result<Json<DeclarationView>, ApiError> {
    let mrn = mrn_param(&mrn)?;
    let record = state
        .store
        .declaration(mrn.as_str(), &Scope::of(&user))
        .await?;
    let record = record.ok_or_else(|| ApiError::NotFound(format!("no declaration {mrn}")))?;
    let mut view = DeclarationView::from(record);
    if user.role == Role::Lab {
        return for_the_laboratory(&state, view).await.map(Json);
    }
    let decision = state.store.risk_decision(mrn.as_str()).await?;
    view.channel = decision.map(|d| d.channel);
    Ok(Json(view))
}

/// What the laboratory sees of a declaration: only one it holds a sample of, and only the
/// goods and the status; the history (which may carry risk reasons) and the channel are left
/// out.
async fn for_the_laboratory(
    state: &AppState,
    mut view: DeclarationView,
) -> Result<DeclarationView, ApiError> {
    if state.store.samples_of(&view.mrn).await?.is_empty() {
        return Err(ApiError::Forbidden(
            "the laboratory sees only declarations it holds a sample of".into(),
        ));
    }
    view.history.clear();
    view.channel = None;
    Ok(view)
}

/// A requested status change, with the reason that goes into the history.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The new status.
    status: Status,
    /// Why: recorded in the declaration's history.
    #[schema(example = "documents checked, goods match")]
    reason: String,
}

/// Move a declaration along its lifecycle: officers control, release or reject; a declarant
/// may ask to invalidate its own declaration before release. Every change needs a reason.
#[utoipa::path(
    post,
    path = "/api/v1/declarations/{mrn}/status",
    tag = "declarations",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    request_body = StatusRequest,
    responses(
        (status = 200, description = "Changed", body = DeclarationView),
        (status = 403, description = "The caller's role may not make this change", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The lifecycle does not allow this change now", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad request body", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn change_status(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(mrn): PathParam<String>,
    JsonBody(request): JsonBody<StatusRequest>,
) -> Result<Json<DeclarationView>, ApiError> {
    let mrn = mrn_param(&mrn)?;
    let reason = request.reason.trim().to_owned();
    let printable = !reason.chars().any(char::is_control);
    if reason.is_empty() || reason.chars().count() > 1000 || !printable {
        return Err(ApiError::Invalid(vec![FieldError::new(
            "/reason",
            "invalid_text",
            "a reason of 1 to 1000 characters, without control characters, is required",
        )]));
    }
    let (sees, acts) = (Scope::of(&user), Scope::acting_for(&user));
    let change = StatusChange {
        to: request.status,
        actor: user,
        reason,
        at: now(),
    };
    match state.store.transition(mrn.as_str(), &acts, change).await? {
        TransitionOutcome::Done(record) => Ok(Json(DeclarationView::from(record))),
        TransitionOutcome::NotFound => match state.store.declaration(mrn.as_str(), &sees).await? {
            Some(_) => Err(ApiError::Forbidden(
                "only the declarant or its representative may act on this declaration".into(),
            )),
            None => Err(ApiError::NotFound(format!("no declaration {mrn}"))),
        },
        TransitionOutcome::BalanceDue(balance) => Err(ApiError::AmountDue {
            detail: format!(
                "{} {} of duties and taxes are still due: pay or guarantee them before release",
                balance.due, balance.currency
            ),
            amount: balance.due.to_string(),
        }),
        TransitionOutcome::Blocked(reasons) => Err(ApiError::Conflict {
            detail: format!("the release is refused: {}", reasons.join("; ")),
            existing_mrn: None,
        }),
        TransitionOutcome::Refused(e @ TransitionError::Forbidden { .. }) => {
            Err(ApiError::Forbidden(e.to_string()))
        }
        TransitionOutcome::Refused(e) => Err(ApiError::Conflict {
            detail: e.to_string(),
            existing_mrn: None,
        }),
    }
}
