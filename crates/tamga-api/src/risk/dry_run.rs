//! Dry runs: a profile tried on the latest accepted declarations before it is activated.

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use tamga_core::FieldError;
use tamga_risk::facts::Subject;
use tamga_risk::fields::Field;
use tamga_risk::Effect;
use tamga_store::Scope;
use utoipa::ToSchema;

use super::invalid;
use super::profiles::{condition_error, profile_of, ProfileRequest};
use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::extract::JsonBody;
use crate::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DryRunRequest {
    pub profile: ProfileRequest,
    /// How many of the latest accepted declarations to try (1 to 10,000; default 1,000).
    pub last: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DryRunSelection {
    pub mrn: String,
    pub item: u16,
    #[schema(value_type = Object)]
    pub matched: std::collections::BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DryRunView {
    pub evaluated: usize,
    pub selected: usize,
    /// The effect it would have had on each (its channel if forced, or its weight).
    #[schema(value_type = Object)]
    pub effect: Effect,
    /// At most the first 100 selected declarations, newest first.
    pub selections: Vec<DryRunSelection>,
    /// What a dry run cannot know.
    pub note: String,
}

/// Try a profile on the latest accepted declarations without activating it.
#[utoipa::path(post, path = "/api/v1/risk/profiles/dry-run", tag = "risk", security(("bearer" = [])),
    request_body = DryRunRequest,
    responses(
        (status = 200, description = "How many it would select, and which", body = DryRunView),
        (status = 422, description = "Every invalid field", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn dry_run(
    State(state): State<AppState>,
    Caller(user): Caller,
    JsonBody(request): JsonBody<DryRunRequest>,
) -> Result<Json<DryRunView>, ApiError> {
    let last = request.last.unwrap_or(1000);
    let mut errors = Vec::new();
    if !(1..=10_000).contains(&last) {
        errors.push(FieldError::new("/last", "out_of_range", "from 1 to 10,000"));
    }
    let id = request
        .profile
        .id
        .clone()
        .unwrap_or_else(|| "dry-run".into());
    let profile = profile_of(&state, &id, request.profile, &user.name).map_err(|mut e| {
        e.iter_mut()
            .for_each(|f| f.pointer = format!("/profile{}", f.pointer));
        e.append(&mut errors.clone());
        invalid("dry run", e)
    })?;
    if !errors.is_empty() {
        return Err(invalid("dry run", errors));
    }
    let engine = state.risk.get().engine.clone();
    let compiled = engine
        .compile(profile.clone())
        .map_err(|e| invalid("dry run", vec![condition_error(&e)]))?;
    let recent = state.store.recent_declarations(last).await?;
    let mut view = DryRunView {
        evaluated: recent.len(),
        selected: 0,
        effect: profile.effect,
        selections: Vec::new(),
        note: "scope and validity dates are ignored; values come from each declaration's latest assessment; model_score is not computed in dry runs".into(),
    };
    let needs_values = profile.parse_condition().is_ok_and(|c| {
        c.fields()
            .iter()
            .any(|f| matches!(f, Field::Value | Field::UnitValue | Field::UnitValueRatio))
    });
    let revenue = state.revenue.get();
    for (mrn, declaration) in &recent {
        let facts = if needs_values {
            let versions = state.store.assessments(mrn, &Scope::All).await?;
            let latest = versions
                .as_ref()
                .and_then(|v| v.last())
                .map(|v| &v.assessment);
            super::item_facts(declaration, latest, &revenue.valuation)
        } else {
            Vec::new()
        };
        let subject = Subject {
            declaration,
            items: &facts,
        };
        if let Some(fired) = engine.fires(&compiled, subject) {
            view.selected += 1;
            if view.selections.len() < 100 {
                view.selections.push(DryRunSelection {
                    mrn: mrn.clone(),
                    item: fired.item,
                    matched: fired.matched,
                });
            }
        }
    }
    Ok(Json(view))
}
