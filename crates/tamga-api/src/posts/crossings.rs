//! `/crossings`: a post's gate equipment reports a crossing; staff list an office's crossings
//! by alert and read one with its matches.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::codes::Locode;
use tamga_core::crossing::{read, AlertKind, CrossingDraft, Listed, Reading};
use tamga_core::role::Role;
use tamga_risk::fields::ListKind;
use tamga_store::crossings::{CrossingQuery, NewCrossing, StoredCrossing};
use time::{Duration, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};

use super::readable_offices;
use crate::auth::Caller;
use crate::control::invalid;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// Report a crossing (a post's gate equipment only): matched with what the post expects,
/// judged, and recorded with its alerts; a transit movement's passage or arrival is taken.
#[utoipa::path(post, path = "/api/v1/crossings", tag = "posts", security(("bearer" = [])),
    request_body = CrossingDraft,
    responses(
        (status = 201, description = "The crossing recorded, its matches and alerts", body = StoredCrossing),
        (status = 403, description = "Not a post's gate equipment, or one bound to no office", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(draft): JsonBody<CrossingDraft>,
) -> Result<(StatusCode, Json<StoredCrossing>), ApiError> {
    if user.role != Role::Post {
        return Err(ApiError::Forbidden(
            "only a post's gate equipment reports crossings".into(),
        ));
    }
    let office = state
        .store
        .post_office(user.id)
        .await?
        .ok_or_else(|| ApiError::Forbidden("this post account is bound to no office".into()))?;
    let (reading, findings) = read(&draft).map_err(invalid)?;
    let listed = listed(&state, &reading);
    let at = OffsetDateTime::now_utc();
    let settings = &state.settings.posts;
    let new = NewCrossing {
        office,
        by: user,
        findings,
        listed,
        tolerance_percent: settings.weight_tolerance_percent,
        expected_since: at - Duration::days(i64::from(settings.expected_days)),
        at,
        reading,
    };
    let crossing = state.store.record_crossing(new).await?;
    Ok((StatusCode::CREATED, Json(crossing)))
}

/// The plate's and containers' hits on named lists (plates on lists of codes, containers on
/// lists of containers) and on the watchlists' vehicle and container entries.
pub fn listed(state: &AppState, reading: &Reading) -> Vec<Listed> {
    let risk = state.risk.get();
    let mut out = Vec::new();
    let idents = std::iter::once((ListKind::Codes, &reading.plate)).chain(
        reading
            .containers
            .iter()
            .map(|c| (ListKind::Containers, &c.number)),
    );
    for (kind, ident) in idents {
        for list in risk.engine.lists_holding(kind, ident) {
            out.push(Listed {
                ident: ident.clone(),
                on: format!("list:{list}"),
            });
        }
        if let Some((_, screener)) = risk.watchlists() {
            for hit in screener.screen_identifier(ident) {
                out.push(Listed {
                    ident: ident.clone(),
                    on: format!("watchlist:{}", hit.entry_id),
                });
            }
        }
    }
    out
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CrossingsQuery {
    /// UN/LOCODE of the post (officers and supervisors: one of their offices, required).
    pub office: Option<String>,
    /// Only crossings with an alert: `any`, or no_pre_arrival, weight, listed, seal_broken.
    pub alert: Option<String>,
    /// Only crossings older than this id (the next page).
    pub before: Option<i64>,
    /// At most this many, newest first (1 to 500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CrossingList {
    pub crossings: Vec<StoredCrossing>,
}

impl CrossingsQuery {
    fn store_query(&self) -> Result<CrossingQuery, ApiError> {
        if let Some(office) = &self.office {
            Locode::parse(office).map_err(|e| ApiError::query("office", e.code, &e.message))?;
        }
        let alert = match self.alert.as_deref() {
            None => None,
            Some("any") => Some(None),
            Some(kind) => Some(Some(AlertKind::parse(kind).ok_or_else(|| {
                ApiError::query(
                    "alert",
                    "invalid_code",
                    "alert is any, no_pre_arrival, weight, listed or seal_broken",
                )
            })?)),
        };
        let limit = crate::list::page_limit(self.limit, 100, 500)?;
        Ok(CrossingQuery {
            office: self.office.clone(),
            alert,
            before: self.before,
            limit,
        })
    }
}

/// Crossings at a post, newest first, by alert (customs staff of that office).
#[utoipa::path(get, path = "/api/v1/crossings", tag = "posts", security(("bearer" = [])),
    params(CrossingsQuery),
    responses(
        (status = 200, description = "The crossings with their matches and alerts", body = CrossingList),
        (status = 400, description = "A bad query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not staff of that office", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    query: Result<Query<CrossingsQuery>, QueryRejection>,
) -> Result<Json<CrossingList>, ApiError> {
    let mine = readable_offices(&state, &user).await?;
    let Query(query) = query?;
    let q = query.store_query()?;
    if let Some(mine) = mine {
        match &q.office {
            None => {
                return Err(ApiError::query(
                    "office",
                    "missing",
                    "name the office (one of your roster offices)",
                ))
            }
            Some(office) if !mine.contains(office) => {
                return Err(ApiError::Forbidden(format!(
                    "only staff of {office} see its crossings"
                )))
            }
            Some(_) => {}
        }
    }
    let crossings = state.store.crossings(&q).await?;
    Ok(Json(CrossingList { crossings }))
}

/// One crossing with its reading, findings, matches, transit steps and alerts.
#[utoipa::path(get, path = "/api/v1/crossings/{id}", tag = "posts", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The crossing's id")),
    responses(
        (status = 200, description = "The crossing", body = StoredCrossing),
        (status = 403, description = "Not staff of its office", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such crossing", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn one(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(id): PathParam<i64>,
) -> Result<Json<StoredCrossing>, ApiError> {
    let mine = readable_offices(&state, &user).await?;
    let crossing = state
        .store
        .crossing(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no crossing {id}")))?;
    if mine.is_some_and(|mine| !mine.contains(&crossing.office)) {
        return Err(ApiError::Forbidden(format!(
            "only staff of {} see its crossings",
            crossing.office
        )));
    }
    Ok(Json(crossing))
}
