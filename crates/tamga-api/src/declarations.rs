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
use tamga_core::{Declaration, FieldError};
use tamga_store::{
    sql::now, LodgeOutcome, Lodgement, Scope, StatusChange, TransitionOutcome, User,
};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam, Submission};
use crate::views::DeclarationView;
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
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
pub(crate) async fn lodge(
    State(state): State<AppState>,
    Caller(user): Caller,
    submission: Submission,
) -> Result<Response, ApiError> {
    let draft = match submission {
        Submission::Json(draft) => draft,
        Submission::Xml(text) => return crate::wco::lodge_document(&state, user, &text).await,
        Submission::Edifact(text) => {
            return crate::edifact::lodge_interchange(&state, user, &text).await
        }
    };
    let (status, view) = lodge_draft(&state, user, &draft).await?;
    if status == StatusCode::CREATED {
        let location = format!("/api/v1/declarations/{}", view.mrn);
        return Ok((status, [(header::LOCATION, location)], Json(view)).into_response());
    }
    Ok((status, Json(view)).into_response())
}

/// Validates, assesses and lodges one draft: 201 when accepted, 200 for a resubmission.
pub(crate) async fn lodge_draft(
    state: &AppState,
    user: User,
    draft: &DeclarationDraft,
) -> Result<(StatusCode, DeclarationView), ApiError> {
    if !user.role.may_lodge() {
        return Err(ApiError::Forbidden(format!(
            "the role {} may not lodge declarations",
            user.role.as_str()
        )));
    }
    let at = now();
    let declaration =
        tamga_core::validate::validate(draft, state.reference, at).map_err(ApiError::Invalid)?;
    check_declarant(&user, &declaration)?;
    let assessment = crate::revenue::assess_declaration(&state.revenue.get(), &declaration, at)
        .map_err(ApiError::Invalid)?;
    let scope = Scope::of(&user);
    let fingerprint = declaration.fingerprint(draft.lodgement_date.is_some());
    let (decision, risk) =
        crate::risk::assess_at_acceptance(state, &declaration, assessment.as_ref(), at);
    let lodgement = Lodgement::new(declaration, fingerprint, user, at, assessment).with_risk(risk);
    match state.store.lodge(lodgement).await? {
        LodgeOutcome::Accepted(record) => {
            tracing::info!(mrn = %record.mrn, channel = decision.channel.as_str(), "declaration accepted");
            let mut view = DeclarationView::from(record);
            view.channel = Some(decision.channel.as_str().to_owned());
            Ok((StatusCode::CREATED, view))
        }
        LodgeOutcome::Resubmitted(record) => {
            let mut view = DeclarationView::from(record);
            let decision = state.store.risk_decision(&view.mrn).await?;
            view.channel = decision.map(|d| d.channel);
            Ok((StatusCode::OK, view))
        }
        LodgeOutcome::LrnTaken { mrn } => Err(lrn_taken(state, &scope, mrn).await?),
    }
}

/// The 409 for a used LRN. It names the existing MRN only to a caller who may see that
/// declaration: a representative must not learn the MRNs of another broker's declarations.
async fn lrn_taken(state: &AppState, scope: &Scope, mrn: String) -> Result<ApiError, ApiError> {
    let visible = state.store.declaration(&mrn, scope).await?.is_some();
    Ok(ApiError::Conflict {
        detail: if visible {
            format!("the LRN is already used by declaration {mrn}, with different content")
        } else {
            "the LRN is already used by another declaration of this declarant".to_owned()
        },
        existing_mrn: visible.then_some(mrn),
    })
}

/// An MRN from the path; one that cannot exist is simply not found.
fn mrn_param(raw: &str) -> Result<Mrn, ApiError> {
    Mrn::parse(raw).map_err(|_| ApiError::NotFound(format!("no declaration {raw:?}")))
}

/// A declarant lodges for its own party: as the declarant or as its representative.
fn check_declarant(user: &User, declaration: &Declaration) -> Result<(), ApiError> {
    if user.role != Role::Declarant {
        return Ok(());
    }
    let Some(party) = user.party_id.as_deref() else {
        return Err(ApiError::Forbidden(
            "this declarant account has no party identifier".into(),
        ));
    };
    let representative = declaration.representative.as_ref().map(|p| p.id.as_str());
    if declaration.declarant.id.as_str() == party || representative == Some(party) {
        return Ok(());
    }
    Err(ApiError::Invalid(vec![FieldError::new(
        "/declarant/id",
        "not_your_party",
        format!(
            "this account acts for party {party}: it must be the declarant or the representative"
        ),
    )]))
}

/// One declaration with its history. Declarants see only declarations they lodged or are a
/// party to; any other MRN is 404 for them.
#[utoipa::path(
    get,
    path = "/api/v1/declarations/{mrn}",
    tag = "declarations",
    security(("bearer" = [])),
    params(("mrn" = String, Path, description = "Movement Reference Number")),
    responses(
        (status = 200, description = "The declaration", body = DeclarationView),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such declaration visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_declaration(
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
    let decision = state.store.risk_decision(mrn.as_str()).await?;
    view.channel = decision.map(|d| d.channel);
    Ok(Json(view))
}

/// A requested status change, with the reason that goes into the history.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatusRequest {
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
pub(crate) async fn change_status(
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
        TransitionOutcome::Refused(e @ TransitionError::Forbidden { .. }) => {
            Err(ApiError::Forbidden(e.to_string()))
        }
        TransitionOutcome::Refused(e) => Err(ApiError::Conflict {
            detail: e.to_string(),
            existing_mrn: None,
        }),
    }
}

/// The status of a batch answer (EDIFACT, XML): 422 when any declaration was refused, else 200
/// when any was lodged before, else 201.
pub(crate) fn batch_status(a: StatusCode, b: StatusCode) -> StatusCode {
    let rank = |s: StatusCode| match s.as_u16() {
        422 => 2,
        200 => 1,
        _ => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// The most declarations one EDIFACT interchange or XML document may carry.
pub const MAX_BATCH: usize = 1000;

/// Refuses batches too large to answer in one response.
pub(crate) fn check_batch_size(count: usize) -> Result<(), ApiError> {
    if count <= MAX_BATCH {
        return Ok(());
    }
    Err(ApiError::BadRequest {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!("{count} declarations in one submission; send at most {MAX_BATCH}"),
        errors: Vec::new(),
    })
}
