//! Declarations: the list with its filters, and one declaration with everything the viewer may
//! see of it — its data and history for all; the channel's reasons, the control tasks and the
//! actions of customs staff for staff. The data comes from the API's own handlers.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tamga_api::extract::{JsonBody, PathParam};
use tamga_api::views::DeclarationView;
use tamga_api::AppState;
use tamga_control::task::ControlTask;
use tamga_core::role::Role;
use tamga_risk::explain::Explanation;
use tamga_store::{Balance, Summary};

use crate::error::WebError;
use crate::page::{render, Page};
use crate::session::WebUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/declarations", get(list))
        .route("/declarations/{mrn}", get(show))
        .route("/declarations/{mrn}/status", post(change_status))
        .merge(crate::payments::router())
        .merge(crate::holds::router())
}

#[derive(Template)]
#[template(path = "declarations/list.html")]
struct ListPage {
    page: Page,
    filters: Filters,
    items: Vec<Summary>,
    next: Option<String>,
    statuses: &'static [&'static str],
}

#[derive(Debug, Default, Deserialize)]
struct Filters {
    #[serde(default)]
    status: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    declarant: String,
    #[serde(default)]
    cursor: String,
}

impl Filters {
    /// The API's query parameters: the filters that are set.
    fn params(&self) -> Vec<(String, String)> {
        [
            ("status", &self.status),
            ("office", &self.office),
            ("from", &self.from),
            ("to", &self.to),
            ("declarant", &self.declarant),
            ("cursor", &self.cursor),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect()
    }

    /// The query string of the next page.
    fn next_query(&self, cursor: &str) -> String {
        let mut params = self.params();
        params.retain(|(k, _)| k != "cursor");
        params.push(("cursor".into(), cursor.into()));
        serde_urlencoded::to_string(params).unwrap_or_default()
    }
}

const STATUSES: &[&str] = &[
    "accepted",
    "risk-assessed",
    "under-control",
    "released",
    "rejected",
    "invalidated",
];

async fn list(
    State(state): State<AppState>,
    user: WebUser,
    Query(filters): Query<Filters>,
) -> Result<Response, WebError> {
    let query = Ok(Query(filters.params()));
    let page = tamga_api::list::list(
        State(state),
        user.caller_for("GET /api/v1/declarations")?,
        query,
    )
    .await;
    let page = page.map_err(|e| WebError::api(user.tr, e))?.0;
    let next = page.next_cursor.as_deref().map(|c| filters.next_query(c));
    Ok(render(&ListPage {
        page: Page::new(&user, "declarations-title", "/declarations"),
        filters,
        items: page.items,
        next,
        statuses: STATUSES,
    }))
}

#[derive(Template)]
#[template(path = "declarations/show.html")]
struct ShowPage {
    page: Page,
    view: DeclarationView,
    explanation: Option<Explanation>,
    balance: Option<Balance>,
    /// The assessment in force, each tax line explained.
    assessed: Option<tamga_core::tariff::assess::Assessment>,
    tasks: Vec<ControlTask>,
    /// Each item's unit value against its reference, for customs staff.
    valuation: Vec<tamga_core::tariff::valuation::Indicator>,
    /// The holds on the goods, for customs staff of control.
    holds: Option<Vec<tamga_store::control::HoldRecord>>,
    may_release: bool,
    /// Customs staff who record payments and guarantees see the form.
    may_record_payment: bool,
    /// A declarant's advance account balance, when its party has an account to pay from.
    advance: Option<rust_decimal::Decimal>,
    alert: Option<String>,
    /// What was typed in the payment form, kept when it was refused.
    payment: PaymentTyped,
}

/// The payment form's fields as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct PaymentTyped {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reference: String,
}

/// The declaration page; `alert` says why an action on it was refused.
async fn page_of(
    state: AppState,
    user: &WebUser,
    mrn: String,
    alert: Option<String>,
) -> Result<Response, WebError> {
    page_with(state, user, mrn, alert, PaymentTyped::default()).await
}

/// The declaration page with the payment form as typed.
pub(crate) async fn page_with(
    state: AppState,
    user: &WebUser,
    mrn: String,
    alert: Option<String>,
    payment: PaymentTyped,
) -> Result<Response, WebError> {
    let tr = user.tr;

    let view = tamga_api::declarations::get_declaration(
        State(state.clone()),
        user.caller_for("GET /api/v1/declarations/{mrn}")?,
        PathParam(mrn.clone()),
    )
    .await;
    let view = view.map_err(|e| WebError::api(tr, e))?.0;
    let staff = !matches!(user.user.role, Role::Declarant | Role::Lab);
    let decision = tamga_api::risk::feedback::decision(
        State(state.clone()),
        user.caller_for("GET /api/v1/declarations/{mrn}/risk")?,
        PathParam(mrn.clone()),
    )
    .await;
    let decision = decision.ok().map(|d| d.0);
    let explanation = decision
        .as_ref()
        .and_then(|d| d.explanation.clone())
        .and_then(|e| serde_json::from_value(e).ok());
    let assessment = tamga_api::revenue::routes::assessment(
        State(state.clone()),
        user.caller_for("GET /api/v1/declarations/{mrn}/assessment")?,
        PathParam(mrn.clone()),
    )
    .await;
    let (balance, assessed) = match assessment {
        Ok(view) => {
            let latest = view.0.versions.into_iter().last().map(|v| v.assessment);
            (view.0.balance, latest)
        }
        Err(_) => (None, None),
    };
    let tasks = if staff {
        visible_tasks(&state, user, &mrn).await?
    } else {
        Vec::new()
    };
    let valuation = if staff {
        let indicators = tamga_api::revenue::valuation::indicators(
            State(state.clone()),
            user.caller_for("GET /api/v1/declarations/{mrn}/valuation")?,
            PathParam(mrn.clone()),
        )
        .await;
        indicators.map(|v| v.0.items).unwrap_or_default()
    } else {
        Vec::new()
    };
    let holds = if staff {
        match user.api_caller("GET /api/v1/declarations/{mrn}/holds") {
            Ok(caller) => tamga_api::control::roster::holds(
                State(state.clone()),
                caller,
                PathParam(mrn.clone()),
            )
            .await
            .ok()
            .map(|h| h.0.holds),
            Err(_) => None,
        }
    } else {
        None
    };
    let customs = matches!(
        user.user.role,
        Role::Officer | Role::Supervisor | Role::Admin
    );
    let may_release = customs && view.status != tamga_core::status::Status::Released;
    let advance = crate::advance::own_balance(&state, user).await;
    Ok(render(&ShowPage {
        page: Page::new(user, "declaration-title", "/declarations"),
        view,
        explanation,
        balance,
        assessed,
        tasks,
        valuation,
        holds,
        may_release,
        may_record_payment: customs,
        advance,
        alert,
        payment,
    }))
}

/// The declaration's control tasks the user may see (the API's rule, by asking it per task).
async fn visible_tasks(
    state: &AppState,
    user: &WebUser,
    mrn: &str,
) -> Result<Vec<ControlTask>, WebError> {
    let all = state
        .store
        .tasks_of(mrn)
        .await
        .map_err(|e| WebError::internal(user.tr, e))?;
    let mut visible = Vec::new();
    let Ok(caller) = user.api_caller("GET /api/v1/tasks/{id}") else {
        return Ok(visible);
    };
    for task in all {
        let one = tamga_api::control::tasks::one(
            State(state.clone()),
            caller.clone(),
            PathParam(task.id),
        )
        .await;
        if one.is_ok() {
            visible.push(task);
        }
    }
    Ok(visible)
}

async fn show(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
) -> Result<Response, WebError> {
    page_of(state, &user, mrn, None).await
}

#[derive(Deserialize)]
struct StatusForm {
    csrf: String,
    status: String,
    reason: String,
}

/// A status change (release, control, rejection) through the API's handler; a refusal is shown
/// on the declaration's page, with what the user typed lost nowhere (the reason is short).
async fn change_status(
    State(state): State<AppState>,
    user: WebUser,
    Path(mrn): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let body = serde_json::json!({"status": form.status, "reason": form.reason});
    let request = match serde_json::from_value(body) {
        Ok(request) => request,
        Err(_) => return page_of(state, &user, mrn, Some(user.tr.get("status-unknown"))).await,
    };
    let changed = tamga_api::declarations::change_status(
        State(state.clone()),
        user.caller_for("POST /api/v1/declarations/{mrn}/status")?,
        PathParam(mrn.clone()),
        JsonBody(request),
    )
    .await;
    let alert = match changed {
        Ok(_) => None,
        Err(e) => Some(WebError::alert(user.tr, e)?),
    };
    page_of(state, &user, mrn, alert).await
}
