//! The watchlists: those loaded, the import of a new version from a UN, OFAC or analysts'
//! file, and the screening of a name against them.

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_store::risk::{kind, Expected};
use tamga_watchlist::read::Format;
use utoipa::{IntoParams, ToSchema};

use super::lists::save;
use super::{check_reason, invalid};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

/// The largest watchlist file taken (OFAC's SDN list is about 4 MB).
pub const IMPORT_LIMIT: usize = 64 * 1024 * 1024;

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
pub async fn screen(
    State(state): State<AppState>,
    Caller(_): Caller,
    JsonBody(request): JsonBody<ScreenRequest>,
) -> Result<Json<ScreenView>, ApiError> {
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

/// The watchlists loaded (import them here or with `tamga import watchlist`).
#[utoipa::path(get, path = "/api/v1/risk/watchlists", tag = "risk", security(("bearer" = [])),
    responses((status = 200, description = "Watchlists", body = [WatchlistView])))]
pub async fn watchlists(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<WatchlistView>>, ApiError> {
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

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// un (the UN consolidated XML), ofac (the SDN CSV) or csv (an analysts' list).
    #[param(value_type = String)]
    pub format: Format,
    /// Why this version is imported, kept with it.
    pub reason: String,
}

/// Import a watchlist file as the next version of the named watchlist; acceptances screen
/// with it at once. The body is the file as published (at most 64 MiB).
#[utoipa::path(put, path = "/api/v1/risk/watchlists/{name}", tag = "risk", operation_id = "import_watchlist", security(("bearer" = [])),
    params(("name" = String, Path, description = "Watchlist name"), ImportParams),
    request_body(content = String, content_type = "application/octet-stream", description = "The list file"),
    responses(
        (status = 200, description = "The new version", body = WatchlistView),
        (status = 400, description = "Unreadable query or body", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Analysts and administrators only", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another import of the list was written at the same moment", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 64 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The name, reason or file is invalid: where the file is", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn import(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(name): PathParam<String>,
    params: Result<Query<ImportParams>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<WatchlistView>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let bytes = body.map_err(|rejection| {
        if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge(IMPORT_LIMIT)
        } else {
            crate::extract::bad_request(rejection.body_text(), Vec::new())
        }
    })?;
    let entries = read(&name, &params, &bytes)?;
    let count = entries.len();
    let document = serde_json::to_string(&entries).map_err(|e| ApiError::Internal(e.into()))?;
    let doc = save(
        &state,
        kind::WATCHLIST,
        &name,
        document,
        Expected::Any,
        &user.name,
        &params.reason,
    )
    .await?;
    Ok(Json(WatchlistView {
        name: doc.name,
        version: doc.version,
        entries: count,
        changed_by: doc.changed_by,
        reason: doc.reason,
    }))
}

/// The file's entries, or every problem of the request: the name, the reason, the file.
fn read(
    name: &str,
    params: &ImportParams,
    bytes: &[u8],
) -> Result<Vec<tamga_watchlist::Entry>, ApiError> {
    let mut errors = Vec::new();
    check_reason(&params.reason, &mut errors);
    if !tamga_risk::profile::valid_id(name) {
        errors.push(FieldError::new(
            "/name",
            "invalid_id",
            "1 to 64 lowercase letters, digits, '-', '_' or '.'",
        ));
    }
    let entries = match tamga_watchlist::read_watchlist(params.format, bytes, name) {
        Ok(entries) if entries.is_empty() => {
            errors.push(FieldError::new(
                "/file",
                "empty",
                "the file holds no entries",
            ));
            Vec::new()
        }
        Ok(entries) => entries,
        Err(e) => {
            errors.push(FieldError::new("/file", "unreadable", e.to_string()));
            Vec::new()
        }
    };
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(invalid("watchlist", errors))
    }
}
