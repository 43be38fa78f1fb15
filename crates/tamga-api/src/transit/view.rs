//! The transit view for customs staff: movements by office and state, overdue movements,
//! seal discrepancies, and the overdue sweep (enquiries, then recovery). A declarant listing
//! movements sees only their own.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::transit::lifecycle::MovementState;
use tamga_store::transit::{Movement, MovementQuery};
use utoipa::{IntoParams, ToSchema};

use super::movements::holder_of;
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::AppState;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MovementsQuery {
    /// UN/LOCODE of an office the movements name (departure, transit or destination).
    pub office: Option<String>,
    /// mrn_allocated, under_control, no_release, released, enquiry, recovery, arrived,
    /// unloading_permitted, unloading_remarks, goods_released or ended.
    pub state: Option<String>,
    /// At most this many, newest first (1 to 500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MovementList {
    /// Without their histories; ask for one movement for its history.
    pub movements: Vec<Movement>,
}

impl MovementsQuery {
    fn store_query(&self) -> Result<MovementQuery, ApiError> {
        let state =
            match self.state.as_deref() {
                None => None,
                Some(raw) => Some(MovementState::parse(raw).ok_or_else(|| {
                    ApiError::query("state", "invalid_code", "not a movement state")
                })?),
            };
        if self
            .office
            .as_deref()
            .is_some_and(|o| tamga_core::codes::Locode::parse(o).is_err())
        {
            return Err(ApiError::query(
                "office",
                "invalid_format",
                "not a UN/LOCODE",
            ));
        }
        let limit = crate::list::page_limit(self.limit, 100, 500)?;
        Ok(MovementQuery {
            office: self.office.clone(),
            state,
            limit,
            ..MovementQuery::default()
        })
    }
}

/// Movements by office and state (staff), or a declarant's own.
#[utoipa::path(get, path = "/api/v1/transit/movements", tag = "transit", security(("bearer" = [])),
    params(MovementsQuery),
    responses(
        (status = 200, description = "The movements, newest first", body = MovementList),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not for the laboratory", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    query: Result<Query<MovementsQuery>, QueryRejection>,
) -> Result<Json<MovementList>, ApiError> {
    let holder = holder_of(&user);
    fetch(&state, query, |q| q.holder = holder).await
}

/// Movements released whose time limit has passed without arrival (staff), by office.
#[utoipa::path(get, path = "/api/v1/transit/overdue", tag = "transit", security(("bearer" = [])),
    params(MovementsQuery),
    responses(
        (status = 200, description = "Overdue movements (released or under enquiry)", body = MovementList),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Customs staff only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn overdue(
    State(state): State<AppState>,
    Caller(_): Caller,
    query: Result<Query<MovementsQuery>, QueryRejection>,
) -> Result<Json<MovementList>, ApiError> {
    let today = state.settings.transit.clock.now().date();
    fetch(&state, query, |q| q.overdue_on = Some(today)).await
}

/// Movements whose unloading remarks found the goods not conform or a seal broken (staff).
#[utoipa::path(get, path = "/api/v1/transit/discrepancies", tag = "transit", security(("bearer" = [])),
    params(MovementsQuery),
    responses(
        (status = 200, description = "Movements with a discrepancy", body = MovementList),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Customs staff only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn discrepancies(
    State(state): State<AppState>,
    Caller(_): Caller,
    query: Result<Query<MovementsQuery>, QueryRejection>,
) -> Result<Json<MovementList>, ApiError> {
    fetch(&state, query, |q| q.seal_discrepancy = true).await
}

/// The movements the query asks for, narrowed by `narrow` (the holder, overdue, discrepancy).
async fn fetch(
    state: &AppState,
    query: Result<Query<MovementsQuery>, QueryRejection>,
    narrow: impl FnOnce(&mut MovementQuery),
) -> Result<Json<MovementList>, ApiError> {
    let Query(query) = query?;
    let mut q = query.store_query()?;
    narrow(&mut q);
    let movements = state.store.transit_movements(&q).await?;
    Ok(Json(MovementList { movements }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SweepResult {
    /// Each movement moved, with the step taken: `enquiry` or `recovery`.
    pub steps: Vec<SweptMovement>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SweptMovement {
    pub mrn: String,
    pub step: String,
}

/// Run the overdue sweep now (supervisors and administrators): an enquiry opens on every
/// released movement past its time limit — the departure office's alert — and recovery starts
/// on every enquiry older than the recovery period.
#[utoipa::path(post, path = "/api/v1/transit/sweep", tag = "transit", security(("bearer" = [])),
    responses(
        (status = 200, description = "What the sweep did", body = SweepResult),
        (status = 403, description = "Supervisors and administrators only", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sweep(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<SweepResult>, ApiError> {
    let settings = &state.settings.transit;
    let done = state
        .store
        .transit_sweep(settings.clock.now(), settings.recovery_after)
        .await?;
    let steps = done
        .into_iter()
        .map(|(mrn, step)| SweptMovement {
            mrn,
            step: step.as_str().to_owned(),
        })
        .collect();
    Ok(Json(SweepResult { steps }))
}
