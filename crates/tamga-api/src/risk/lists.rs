//! Named lists, watchlists, the selectivity settings, the field catalogue and the condition
//! checker.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_risk::fields::{Field, FieldType, ListKind};
use tamga_risk::lists::{NamedList, MAX_ENTRIES};
use tamga_risk::profile::valid_id;
use tamga_risk::selectivity::Selectivity;
use tamga_store::risk::{kind, DocumentOutcome, Expected, NewDocument};
use utoipa::ToSchema;

use super::{check_reason, invalid, rebuild, require_analyst, require_staff};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::{JsonBody, PathParam};
use crate::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldView {
    pub name: &'static str,
    /// code, commodity, number or flag.
    #[serde(rename = "type")]
    pub field_type: &'static str,
    /// Whether the field has one value per goods item.
    pub per_item: bool,
    pub description: &'static str,
}

/// The fields a condition may test.
#[utoipa::path(get, path = "/api/v1/risk/fields", tag = "risk", security(("bearer" = [])),
    responses((status = 200, description = "The field catalogue", body = [FieldView])))]
pub(crate) async fn fields(Caller(user): Caller) -> Result<Json<Vec<FieldView>>, ApiError> {
    require_staff(&user)?;
    let view = |f: &Field| FieldView {
        name: f.name(),
        field_type: match f.field_type() {
            FieldType::Code => "code",
            FieldType::Commodity => "commodity",
            FieldType::Number => "number",
            FieldType::Flag => "flag",
        },
        per_item: f.per_item(),
        description: f.describe(),
    };
    Ok(Json(Field::ALL.iter().map(view).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionRequest {
    pub condition: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConditionView {
    /// The condition as the pretty-printer writes it.
    pub canonical: String,
    pub fields: Vec<&'static str>,
    /// Nodes in the tree: evaluation is linear in this.
    pub size: usize,
}

/// Check a condition against the language and the current lists.
#[utoipa::path(post, path = "/api/v1/risk/conditions/check", tag = "risk", security(("bearer" = [])),
    request_body = ConditionRequest,
    responses(
        (status = 200, description = "It reads; here is its canonical form", body = ConditionView),
        (status = 422, description = "Where it stopped making sense (line, column, what was expected)", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn check_condition(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<ConditionRequest>,
) -> Result<Json<ConditionView>, ApiError> {
    require_staff(&user)?;
    let condition = tamga_risk::lang::parse(&request.condition).map_err(|e| {
        invalid(
            "condition",
            vec![super::profiles::condition_error(&e.into())],
        )
    })?;
    let probe = tamga_risk::Profile {
        id: "check".into(),
        version: 0,
        title: String::new(),
        rationale: String::new(),
        owner: String::new(),
        valid_from: None,
        valid_to: None,
        scope: Default::default(),
        condition: request.condition,
        effect: tamga_risk::Effect::Weight(0),
        active: true,
    };
    if let Err(e) = state.risk.get().engine.compile(probe) {
        return Err(invalid(
            "condition",
            vec![super::profiles::condition_error(&e)],
        ));
    }
    Ok(Json(ConditionView {
        canonical: condition.to_string(),
        fields: condition.fields().iter().map(|f| f.name()).collect(),
        size: condition.size(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    /// countries, commodities, parties, offices, containers or codes.
    #[schema(value_type = String)]
    pub kind: ListKind,
    pub entries: Vec<String>,
    pub reason: String,
    pub expected_version: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListView {
    pub name: String,
    pub version: u32,
    #[schema(value_type = String)]
    pub kind: ListKind,
    pub entries: Vec<String>,
    pub changed_by: String,
    pub reason: String,
}

fn list_view(doc: tamga_store::risk::StoredDocument) -> Result<ListView, ApiError> {
    let list: NamedList = serde_json::from_str(&doc.document)
        .map_err(|e| ApiError::Internal(format!("stored list {}: {e}", doc.name).into()))?;
    Ok(ListView {
        name: doc.name,
        version: doc.version,
        kind: list.kind,
        entries: list.entries,
        changed_by: doc.changed_by,
        reason: doc.reason,
    })
}

/// Every named list (latest versions).
#[utoipa::path(get, path = "/api/v1/risk/lists", tag = "risk", security(("bearer" = [])),
    responses((status = 200, description = "Named lists", body = [ListView])))]
pub(crate) async fn lists(
    State(state): State<AppState>,
    Caller(user): Caller,
) -> Result<Json<Vec<ListView>>, ApiError> {
    require_staff(&user)?;
    let docs = state.store.documents(kind::LIST, None, false).await?;
    Ok(Json(
        docs.into_iter().map(list_view).collect::<Result<_, _>>()?,
    ))
}

/// Create or replace a named list (a new version). Entries are checked against the kind.
#[utoipa::path(put, path = "/api/v1/risk/lists/{name}", tag = "risk", security(("bearer" = [])),
    params(("name" = String, Path, description = "List name")),
    request_body = ListRequest,
    responses(
        (status = 200, description = "The new version", body = ListView),
        (status = 409, description = "expected_version is not the latest", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid entry", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn put_list(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(name): PathParam<String>,
    JsonBody(request): JsonBody<ListRequest>,
) -> Result<Json<ListView>, ApiError> {
    require_analyst(&user)?;
    let mut errors = Vec::new();
    check_reason(&request.reason, &mut errors);
    if !valid_id(&name) {
        errors.push(FieldError::new(
            "/name",
            "invalid_id",
            "1 to 64 lowercase letters, digits, '-', '_' or '.'",
        ));
    }
    if request.entries.len() > MAX_ENTRIES {
        errors.push(FieldError::new(
            "/entries",
            "too_many",
            format!("at most {MAX_ENTRIES} entries"),
        ));
    }
    let list = NamedList {
        name: name.clone(),
        kind: request.kind,
        entries: request.entries,
    };
    let entries = match list.normalised() {
        Ok(entries) => entries,
        Err(bad) => {
            let shown = bad.into_iter().take(100);
            errors.extend(
                shown.map(|(i, m)| FieldError::new(format!("/entries/{i}"), "invalid_entry", m)),
            );
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return Err(invalid("list", errors));
    }
    let list = NamedList { entries, ..list };
    let expected = request
        .expected_version
        .map_or(Expected::Any, Expected::Version);
    let document = serde_json::to_string(&list).map_err(|e| ApiError::Internal(e.into()))?;
    let doc = save(
        &state,
        kind::LIST,
        &name,
        document,
        expected,
        &user.name,
        &request.reason,
    )
    .await?;
    list_view(doc).map(Json)
}

pub(crate) async fn save(
    state: &AppState,
    kind: &'static str,
    name: &str,
    document: String,
    expected: Expected,
    by: &str,
    reason: &str,
) -> Result<tamga_store::risk::StoredDocument, ApiError> {
    let new = NewDocument {
        kind,
        name: name.to_owned(),
        document,
        expected,
        by: by.to_owned(),
        reason: reason.to_owned(),
        at: tamga_store::sql::now(),
    };
    match state.store.save_document(new).await? {
        DocumentOutcome::Saved(doc) => {
            rebuild(state).await?;
            Ok(doc)
        }
        DocumentOutcome::Conflict { latest } => Err(ApiError::Conflict {
            detail: match latest {
                Some(v) => format!("{kind} {name} is at version {v}"),
                None => format!("there is no {kind} {name}"),
            },
            existing_mrn: None,
        }),
    }
}

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
    Caller(user): Caller,
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
    Caller(user): Caller,
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ScreenView {
    /// The watchlists loaded, with their versions.
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
    Caller(user): Caller,
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
    Caller(user): Caller,
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
