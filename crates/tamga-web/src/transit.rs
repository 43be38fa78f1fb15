//! The officer's transit screens: the movements of their offices (with the overdue ones
//! marked), and one movement with its particulars, its history and a button for each step its
//! state allows. Every step is the API's handler; its refusal is shown on the movement's page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::transit::movements::{self, StepRequest};
use tamga_api::transit::view::{self, MovementsQuery};
use tamga_api::AppState;
use tamga_core::transit::lifecycle::StepKind;
use tamga_store::transit::Movement;
use time::Date;

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/transit", get(list))
        .route("/transit/{mrn}", get(show))
        .route("/transit/{mrn}/step", post(step))
}

#[derive(Template)]
#[template(path = "transit/list.html")]
struct ListPage {
    page: Page,
    offices: Vec<String>,
    movements: Vec<Movement>,
    today: Date,
}

async fn list(State(state): State<AppState>, user: WebUser) -> Result<Response, WebError> {
    let offices = tamga_api::control::offices_of(&state, &user.user).await;
    let offices = offices.map_err(|e| WebError::api(user.tr, e))?;
    let mut movements = Vec::new();
    for office in &offices {
        let query = MovementsQuery {
            office: Some(office.as_str().to_owned()),
            ..MovementsQuery::default()
        };
        let found = view::list(
            State(state.clone()),
            user.caller_for("GET /api/v1/transit/movements")?,
            Ok(Query(query)),
        )
        .await;
        let found = found.map_err(|e| WebError::api(user.tr, e))?.0.movements;
        for m in found {
            if !movements.iter().any(|n: &Movement| n.mrn == m.mrn) {
                movements.push(m);
            }
        }
    }
    Ok(render(&ListPage {
        page: Page::new(&user, "transit-title", "/transit"),
        offices: offices.iter().map(|o| o.as_str().to_owned()).collect(),
        movements,
        today: state.settings.transit.clock.now().date(),
    }))
}

#[derive(Template)]
#[template(path = "transit/movement.html")]
struct MovementPage {
    page: Page,
    movement: Movement,
    steps: Vec<&'static str>,
    alert: Option<String>,
}

/// The steps one may ask for in the movement's state.
fn steps_from(movement: &Movement) -> Vec<&'static str> {
    StepKind::ALL
        .iter()
        .filter(|k| !k.by_system() && k.next(movement.state).is_ok())
        .map(|k| k.as_str())
        .collect()
}

async fn page_of(
    state: AppState,
    user: &WebUser,
    mrn: String,
    alert: Option<String>,
) -> Result<Response, WebError> {
    let movement = movements::one(
        State(state),
        user.caller_for("GET /api/v1/transit/movements/{mrn}")?,
        PathParam(mrn),
    )
    .await;
    let movement = movement.map_err(|e| WebError::api(user.tr, e))?.0;
    Ok(render(&MovementPage {
        page: Page::new(user, "transit-movement-title", "/transit"),
        steps: steps_from(&movement),
        movement,
        alert,
    }))
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
) -> Result<Response, WebError> {
    page_of(state, &user, mrn, None).await
}

/// The step form as the API's request: empty fields are left out, so the API names what a
/// step needs; the yes/no choices are booleans.
fn request_of(fields: &[(String, String)]) -> StepRequest {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let yes_no = |name: &str| get(name).map(|v| v == "yes");
    StepRequest {
        step: get("step").unwrap_or_default(),
        office: get("office"),
        reason: get("reason"),
        location: get("location"),
        description: get("description"),
        conform: yes_no("conform"),
        seals_intact: yes_no("seals_intact"),
        remarks: get("remarks"),
    }
}

async fn step(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    user.check_csrf(csrf)?;
    let request = request_of(&fields);
    let done = movements::step(
        State(state.clone()),
        user.caller_for("POST /api/v1/transit/movements/{mrn}/steps")?,
        PathParam(mrn.clone()),
        JsonBody(request),
    )
    .await;
    match done {
        Ok(_) => Ok(Redirect::to(&format!("/transit/{mrn}")).into_response()),
        Err(e) => {
            let alert = WebError::alert(user.tr, e)?;
            page_of(state, &user, mrn, Some(alert)).await
        }
    }
}
