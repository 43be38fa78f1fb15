//! The nomenclature: look up a commodity code, or search descriptions, in the HS edition in
//! force on a date.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tamga_core::dates::parse_date;
use tamga_core::refdata::{HsEditionYear, HsEntry, Office};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, Problem};
use crate::extract::PathParam;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/commodities", get(search))
        .route("/commodities/{code}", get(lookup))
        .route("/offices", get(offices))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DateParam {
    /// The day whose HS edition applies, YYYY-MM-DD; today when absent.
    date: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words that must all appear in the description, or the leading digits of a code.
    q: String,
    /// The day whose HS edition applies, YYYY-MM-DD; today when absent.
    date: Option<String>,
    /// At most this many results, 1 to 200 (default 20).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<usize>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommodityView {
    pub edition: HsEditionYear,
    pub entry: HsEntry,
    /// May goods be declared under it (a 6-digit subheading, the leaf of the HS)?
    pub declarable: bool,
    /// Chapter, then heading, above this entry.
    pub ancestors: Vec<HsEntry>,
    pub children: Vec<HsEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    pub edition: HsEditionYear,
    pub items: Vec<HsEntry>,
}

fn edition_on(raw: Option<&str>) -> Result<HsEditionYear, ApiError> {
    let date = match raw {
        None => tamga_store::sql::now().date(),
        Some(raw) => parse_date(raw)
            .map_err(|_| ApiError::query("date", "invalid_format", "a date is YYYY-MM-DD"))?,
    };
    HsEditionYear::in_force_on(date).ok_or_else(|| {
        ApiError::query(
            "date",
            "date_out_of_range",
            "tamga holds the HS editions from 2017 on",
        )
    })
}

/// One entry of the nomenclature with its place in the tree.
#[utoipa::path(
    get,
    path = "/api/v1/commodities/{code}",
    tag = "reference",
    params(("code" = String, Path, description = "2, 4 or 6 digits; longer national codes are looked up by their first 6"), DateParam),
    responses(
        (status = 200, description = "The entry", body = CommodityView),
        (status = 400, description = "Bad date", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in the edition in force", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn lookup(
    State(state): State<AppState>,
    PathParam(code): PathParam<String>,
    params: Result<Query<DateParam>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CommodityView>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let edition = edition_on(params.date.as_deref())?;
    let hs = state.reference.nomenclature(edition);
    let key = if code.len() > 6 {
        code.get(..6).unwrap_or(&code)
    } else {
        &code
    };
    let entry = hs
        .get(key)
        .ok_or_else(|| ApiError::NotFound(format!("{code} is not in {}", edition.label())))?;
    let mut ancestors = Vec::new();
    let mut parent = entry.parent.clone();
    while let Some(p) = parent.and_then(|p| hs.get(&p)) {
        ancestors.insert(0, p.clone());
        parent = p.parent.clone();
    }
    Ok(Json(CommodityView {
        edition,
        declarable: entry.level() == 6,
        children: hs.children(key).into_iter().cloned().collect(),
        entry: entry.clone(),
        ancestors,
    }))
}

/// Search the nomenclature by words or code prefix.
#[utoipa::path(
    get,
    path = "/api/v1/commodities",
    tag = "reference",
    params(SearchParams),
    responses(
        (status = 200, description = "Matching entries, subheadings first", body = SearchResult),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<SearchResult>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let edition = edition_on(params.date.as_deref())?;
    let given = params.limit.map(|n| u32::try_from(n).unwrap_or(u32::MAX));
    let limit = crate::list::page_limit(given, 20, 200)? as usize;
    let items = state
        .reference
        .nomenclature(edition)
        .search(&params.q, limit);
    Ok(Json(SearchResult {
        edition,
        items: items.into_iter().cloned().collect(),
    }))
}

/// The customs offices known to tamga (UN/LOCODEs of UZ, KZ, TJ, KG and TM).
#[utoipa::path(
    get,
    path = "/api/v1/offices",
    tag = "reference",
    responses((status = 200, description = "Every office", body = Vec<Office>))
)]
pub async fn offices(State(state): State<AppState>) -> Json<Vec<Office>> {
    Json(state.reference.offices.iter().cloned().collect())
}
