//! The auditor's view of the audit log (supervisors and administrators): entries in order,
//! paged by the id of the last one read. On PostgreSQL, ids come from a sequence taken before
//! commit, so a page read while writers are busy may be followed by an entry with a lower id
//! committed a moment later; `tamga audit verify` walks the chains themselves, not the ids.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tamga_store::audit::AuditEntry;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/audit", get(entries))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditParams {
    /// Entries with an id above this one (the last id of the previous page); 0 from the start.
    after: Option<i64>,
    /// 1 to 1,000 (default 100).
    limit: Option<u32>,
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The `after` of the next page, when this one was full.
    pub next_after: Option<i64>,
}

/// The audit log, oldest first: every state change with its actor, object, the digest of the
/// change and the hash chain (supervisors and administrators).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(AuditParams),
    responses(
        (status = 200, description = "Entries", body = AuditPage),
        (status = 400, description = "Unreadable query", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn entries(
    State(state): State<AppState>,
    Caller(_): Caller,
    params: Result<Query<AuditParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<AuditPage>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let limit = params.limit.unwrap_or(100).clamp(1, 1000);
    let after = params.after.unwrap_or(0).max(0);
    let entries = state.store.audit_entries(after, limit).await?;
    let full = entries.len() == limit as usize;
    let next_after = entries.last().filter(|_| full).map(|e| e.id);
    Ok(Json(AuditPage {
        entries,
        next_after,
    }))
}
