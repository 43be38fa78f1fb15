//! The administrator's party registry: every registered party, registering one, changing its
//! name, address or AEO status, and the mandates it gave — granted and revoked here. Customs
//! staff read the same pages; the API's handlers decide who may change what.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::parties::mandates::MandateView;
use tamga_api::parties::PartyView;
use tamga_api::AppState;
use tamga_core::role::Role;

use crate::error::WebError;
use crate::page::{render_status, Page};
use crate::problems::Problems;
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/parties", get(all).post(register))
        .route("/admin/parties/{id}", get(one).post(change))
        .route("/admin/parties/{id}/mandates", post(grant))
        .route(
            "/admin/parties/{id}/mandates/{mandate}/revoke",
            post(revoke),
        )
}

/// A party form's fields as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct PartyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    aeo: String,
}

impl PartyForm {
    fn of(p: &PartyView) -> PartyForm {
        PartyForm {
            id: p.id.clone(),
            name: p.name.clone(),
            country: p.country.clone(),
            address: p.address.clone().unwrap_or_default(),
            aeo: p.aeo.clone().unwrap_or_default(),
            ..PartyForm::default()
        }
    }

    /// The API's request: empty fields are left out.
    fn request(&self, with_id: bool) -> serde_json::Value {
        let given = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
        serde_json::json!({
            "id": if with_id { given(&self.id) } else { None },
            "name": given(&self.name),
            "country": given(&self.country),
            "address": given(&self.address),
            "aeo": given(&self.aeo),
        })
    }
}

/// A mandate form's fields as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct MandateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    representative: String,
    #[serde(default)]
    representation: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_until: String,
}

const AEO: &[&str] = &["", "AEOC", "AEOS", "AEOF"];

#[derive(Template)]
#[template(path = "admin/parties.html")]
struct PartiesPage {
    page: Page,
    parties: Vec<PartyView>,
    is_admin: bool,
    aeo: &'static [&'static str],
    form: PartyForm,
    problems: Problems,
}

async fn list_page(
    state: AppState,
    user: &WebUser,
    form: PartyForm,
    problems: Problems,
) -> Result<Response, WebError> {
    let parties =
        tamga_api::parties::list_parties(State(state), user.caller_for("GET /api/v1/parties")?)
            .await;
    let parties = parties.map_err(|e| WebError::api(user.tr, e))?.0;
    let status = if problems.0.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PartiesPage {
        page: Page::new(user, "parties-title", "/admin/parties"),
        parties,
        is_admin: user.user.role == Role::Admin,
        aeo: AEO,
        form,
        problems,
    };
    Ok(render_status(status, &page))
}

async fn all(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    list_page(state, &user, PartyForm::default(), Problems::default()).await
}

async fn register(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<PartyForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let request =
        serde_json::from_value(form.request(true)).map_err(|e| WebError::internal(user.tr, e))?;
    let created = tamga_api::parties::create_party(
        State(state.clone()),
        user.caller_for("POST /api/v1/parties")?,
        JsonBody(request),
    )
    .await;
    match created {
        Ok((_, view)) => Ok(Redirect::to(&format!("/admin/parties/{}", view.0.id)).into_response()),
        Err(e) => {
            let problems = Problems::of(e, user.tr)?;
            list_page(state, &user, form, problems).await
        }
    }
}

#[derive(Template)]
#[template(path = "admin/party.html")]
struct PartyPage {
    page: Page,
    party: PartyView,
    mandates: Vec<MandateView>,
    is_admin: bool,
    aeo: &'static [&'static str],
    form: PartyForm,
    mandate: MandateForm,
    problems: Problems,
}

async fn party_page(
    state: AppState,
    user: &WebUser,
    id: String,
    typed: Option<PartyForm>,
    mandate: MandateForm,
    problems: Problems,
) -> Result<Response, WebError> {
    let tr = user.tr;
    let party = tamga_api::parties::get_party(
        State(state.clone()),
        user.caller_for("GET /api/v1/parties/{id}")?,
        PathParam(id.clone()),
    )
    .await;
    let party = party.map_err(|e| WebError::api(tr, e))?.0;
    let mandates = tamga_api::parties::mandates::list_mandates(
        State(state),
        user.caller_for("GET /api/v1/parties/{id}/mandates")?,
        PathParam(id),
    )
    .await;
    let mandates = mandates.map_err(|e| WebError::api(tr, e))?.0;
    let status = if problems.0.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PartyPage {
        page: Page::new(user, "party-title", "/admin/parties"),
        form: typed.unwrap_or_else(|| PartyForm::of(&party)),
        party,
        mandates,
        is_admin: user.user.role == Role::Admin,
        aeo: AEO,
        mandate,
        problems,
    };
    Ok(render_status(status, &page))
}

async fn one(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let mandate = MandateForm {
        representation: "direct".into(),
        ..MandateForm::default()
    };
    party_page(state, &user, id, None, mandate, Problems::default()).await
}

async fn change(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Form(form): Form<PartyForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let request =
        serde_json::from_value(form.request(false)).map_err(|e| WebError::internal(user.tr, e))?;
    let changed = tamga_api::parties::update_party(
        State(state.clone()),
        user.caller_for("PUT /api/v1/parties/{id}")?,
        PathParam(id.clone()),
        JsonBody(request),
    )
    .await;
    match changed {
        Ok(_) => Ok(Redirect::to(&format!("/admin/parties/{id}")).into_response()),
        Err(e) => {
            let problems = Problems::of(e, user.tr)?;
            party_page(
                state,
                &user,
                id,
                Some(form),
                MandateForm::default(),
                problems,
            )
            .await
        }
    }
}

async fn grant(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<String>,
    Form(form): Form<MandateForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let given = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_owned());
    let request = serde_json::json!({
        "representative": given(&form.representative),
        "representation": given(&form.representation),
        "valid_from": given(&form.valid_from),
        "valid_until": given(&form.valid_until),
    });
    let request = serde_json::from_value(request).map_err(|e| WebError::internal(user.tr, e))?;
    let granted = tamga_api::parties::mandates::grant_mandate(
        State(state.clone()),
        user.caller_for("POST /api/v1/parties/{id}/mandates")?,
        PathParam(id.clone()),
        JsonBody(request),
    )
    .await;
    match granted {
        Ok(_) => Ok(Redirect::to(&format!("/admin/parties/{id}#mandates")).into_response()),
        Err(e) => {
            let problems = Problems::of(e, user.tr)?;
            party_page(state, &user, id, None, form, problems).await
        }
    }
}

#[derive(Deserialize)]
struct RevokeForm {
    csrf: String,
    #[serde(default)]
    effective: String,
}

async fn revoke(
    State(state): State<AppState>,
    user: WebUser,
    Path((id, mandate)): Path<(String, i64)>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let effective = form.effective.trim();
    let request = serde_json::json!({
        "effective": (!effective.is_empty()).then_some(effective),
    });
    let request = serde_json::from_value(request).map_err(|e| WebError::internal(user.tr, e))?;
    let revoked = tamga_api::parties::mandates::revoke_mandate(
        State(state.clone()),
        user.caller_for("POST /api/v1/parties/{id}/mandates/{mandate}/revoke")?,
        PathParam((id.clone(), mandate)),
        JsonBody(request),
    )
    .await;
    match revoked {
        Ok(_) => Ok(Redirect::to(&format!("/admin/parties/{id}#mandates")).into_response()),
        Err(e) => {
            let problems = Problems::of(e, user.tr)?;
            party_page(state, &user, id, None, MandateForm::default(), problems).await
        }
    }
}
