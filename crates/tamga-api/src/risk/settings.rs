//! The selectivity settings, and the watchlists with the screening of a name.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_risk::selectivity::Selectivity;
use tamga_store::risk::{kind, Expected};
use utoipa::ToSchema;

use super::lists::save;
use super::{check_reason, invalid, require_analyst, require_staff};
use crate::auth::NotLab;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct SelectivityView {
    /// 0 while the defaults apply.
    pub version: u32,
    #[schema(value_type = Object)]
    pub settings: Selectivity,
}

/// The selectivity settings in force: thresholds and random rates per office, AEO reduction,
/// watchlist and model weights.
#[utoipa::path(get, path = "/api/v1/risk/selectivity", tag = "risk", security(("bearer" = [])),
    responses((status = 200, description = "Settings", body = SelectivityView)))]
pub(crate) async fn get_selectivity(
    State(state): State<AppState>,
    NotLab(user): NotLab,
) -> Result<Json<SelectivityView>, ApiError> {
    require_staff(&user)?;
    let docs = state
        .store
        .documents(kind::SELECTIVITY, None, false)
        .await?;
    let version = docs.first().map_or(0, |d| d.version);
    let settings = state.risk.get().engine.selectivity().clone();
    Ok(Json(SelectivityView { version, settings }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectivityRequest {
    #[schema(value_type = Object)]
    pub settings: Selectivity,
    pub reason: String,
    pub expected_version: Option<u32>,
}

/// Replace the selectivity settings (a new version).
#[utoipa::path(put, path = "/api/v1/risk/selectivity", tag = "risk", security(("bearer" = [])),
    request_body = SelectivityRequest,
    responses(
        (status = 200, description = "The new version", body = SelectivityView),
        (status = 422, description = "Every invalid setting", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn put_selectivity(
    State(state): State<AppState>,
    NotLab(user): NotLab,
    JsonBody(request): JsonBody<SelectivityRequest>,
) -> Result<Json<SelectivityView>, ApiError> {
    require_analyst(&user)?;
    let mut errors = Vec::new();
    check_reason(&request.reason, &mut errors);
    for (pointer, message) in request.settings.problems() {
        errors.push(FieldError::new(
            format!("/settings{pointer}"),
            "invalid_setting",
            message,
        ));
    }
    for office in request.settings.offices.keys() {
        if !state.reference.offices.contains(office) {
            errors.push(FieldError::new(
                format!("/settings/offices/{office}"),
                "unknown_office",
                "not a customs office",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(invalid("settings", errors));
    }
    let expected = request
        .expected_version
        .map_or(Expected::Any, Expected::Version);
    let document =
        serde_json::to_string(&request.settings).map_err(|e| ApiError::Internal(e.into()))?;
    let doc = save(
        &state,
        kind::SELECTIVITY,
        "selectivity",
        document,
        expected,
        &user.name,
        &request.reason,
    )
    .await?;
    Ok(Json(SelectivityView {
        version: doc.version,
        settings: request.settings,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreenRequest {
    pub name: String,
    /// Defaults to the selectivity's watchlist threshold.
    pub threshold: Option<f64>,
}

/// `[["un-sc", 3], ...]`: an array of two-item arrays, a name and a version. (Items are a
/// `oneOf`, not `prefixItems`, which schemathesis 4 turns into a draft-4 tuple and refuses.)
fn name_version_pairs() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ArrayItems, ObjectBuilder, OneOfBuilder, Type};
    let name = ObjectBuilder::new().schema_type(Type::String).build();
    let version = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(0))
        .build();
    let pair = ArrayBuilder::new()
        .items(OneOfBuilder::new().item(name).item(version))
        .min_items(Some(2))
        .max_items(Some(2))
        .build();
    ArrayBuilder::new()
        .items(ArrayItems::RefOrSchema(Box::new(pair.into())))
        .build()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenView {
    /// The watchlists loaded, with their versions: `[name, version]` pairs.
    #[schema(schema_with = name_version_pairs)]
    pub watchlists: Vec<(String, u32)>,
    pub threshold: f64,
    #[schema(value_type = Vec<Object>)]
    pub hits: Vec<tamga_watchlist::Hit>,
}

/// Screen a name against the loaded watchlists (normalised, transliterated, order-free).
#[utoipa::path(post, path = "/api/v1/risk/screen", tag = "risk", security(("bearer" = [])),
    request_body = ScreenRequest,
    responses(
        (status = 200, description = "Hits, best first", body = ScreenView),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn screen(
    State(state): State<AppState>,
    NotLab(user): NotLab,
    JsonBody(request): JsonBody<ScreenRequest>,
) -> Result<Json<ScreenView>, ApiError> {
    require_staff(&user)?;
    let risk = state.risk.get();
    let threshold = request
        .threshold
        .unwrap_or(risk.engine.selectivity().watchlist_threshold);
    let mut errors = Vec::new();
    if request.name.trim().is_empty() || request.name.len() > 512 {
        errors.push(FieldError::new(
            "/name",
            "required",
            "a name of 1 to 512 bytes",
        ));
    }
    if !(0.5..=1.0).contains(&threshold) {
        errors.push(FieldError::new(
            "/threshold",
            "out_of_range",
            "from 0.5 to 1",
        ));
    }
    if !errors.is_empty() {
        return Err(invalid("request", errors));
    }
    let (watchlists, hits) = match risk.watchlists() {
        Some((versions, screener)) => (
            versions.clone(),
            screener.screen(&request.name, None, threshold),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Ok(Json(ScreenView {
        watchlists,
        threshold,
        hits,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WatchlistView {
    pub name: String,
    pub version: u32,
    pub entries: usize,
    pub changed_by: String,
    pub reason: String,
}

/// The watchlists loaded (import them with `tamga import watchlist`).
#[utoipa::path(get, path = "/api/v1/risk/watchlists", tag = "risk", security(("bearer" = [])),
    responses((status = 200, description = "Watchlists", body = [WatchlistView])))]
pub(crate) async fn watchlists(
    State(state): State<AppState>,
    NotLab(user): NotLab,
) -> Result<Json<Vec<WatchlistView>>, ApiError> {
    require_staff(&user)?;
    let docs = state.store.documents(kind::WATCHLIST, None, false).await?;
    let screener = state.risk.get();
    let count = |name: &str| {
        screener.watchlists().map_or(0, |(_, s)| {
            s.entries().iter().filter(|e| e.source == name).count()
        })
    };
    Ok(Json(
        docs.into_iter()
            .map(|d| WatchlistView {
                entries: count(&d.name),
                name: d.name,
                version: d.version,
                changed_by: d.changed_by,
                reason: d.reason,
            })
            .collect(),
    ))
}
