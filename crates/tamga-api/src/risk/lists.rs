//! Named lists, the field catalogue and the condition checker.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_risk::fields::{Field, FieldType, ListKind};
use tamga_risk::lists::{NamedList, MAX_ENTRIES};
use tamga_risk::profile::valid_id;
use tamga_store::risk::{kind, DocumentOutcome, Expected, NewDocument};
use utoipa::ToSchema;

use super::{check_reason, invalid, rebuild};
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
pub async fn fields(Caller(_): Caller) -> Result<Json<Vec<FieldView>>, ApiError> {
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
pub async fn check_condition(
    State(state): State<AppState>,
    Caller(_): Caller,
    JsonBody(request): JsonBody<ConditionRequest>,
) -> Result<Json<ConditionView>, ApiError> {
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
pub async fn lists(
    State(state): State<AppState>,
    Caller(_): Caller,
) -> Result<Json<Vec<ListView>>, ApiError> {
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
pub async fn put_list(
    State(state): State<AppState>,
    Caller(user): Caller,
    PathParam(name): PathParam<String>,
    JsonBody(request): JsonBody<ListRequest>,
) -> Result<Json<ListView>, ApiError> {
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

pub async fn save(
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
