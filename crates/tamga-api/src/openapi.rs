//! The OpenAPI 3.1 document, generated from the handlers and types.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::openapi_responses::SharedResponses;
use crate::AppState;

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "tamga",
        description = "Customs clearance: lodge goods declarations, follow them to release, and look up the nomenclature.",
        license(name = "Apache-2.0")
    ),
    paths(
        crate::declarations::lodge,
        crate::declarations::get_declaration,
        crate::declarations::change_status,
        crate::wco::notifications,
        crate::list::list,
        crate::commodities::lookup,
        crate::commodities::search,
        crate::commodities::offices,
        crate::auth::me,
        crate::users::list,
        crate::users::revoke_sessions,
        crate::users::create,
        crate::users::set_role,
        crate::tokens::list,
        crate::tokens::issue,
        crate::tokens::revoke,
        crate::audit::entries,
        crate::cargo::lodge,
        crate::cargo::list,
        crate::cargo::one,
        crate::cargo::risk,
        crate::revenue::routes::assessment,
        crate::revenue::routes::pay,
        crate::revenue::advance::pay,
        crate::revenue::advance::account,
        crate::revenue::advance::deposit,
        crate::revenue::reassess::reassess,
        crate::revenue::valuation::indicators,
        crate::revenue::routes::calculate,
        crate::revenue::routes::measures,
        crate::risk::profiles::create_profile,
        crate::risk::profiles::list_profiles,
        crate::risk::profiles::update_profile,
        crate::risk::profiles::profile_history,
        crate::risk::profiles::deactivate_profile,
        crate::risk::dry_run::dry_run,
        crate::risk::lists::fields,
        crate::risk::lists::check_condition,
        crate::risk::lists::lists,
        crate::risk::lists::put_list,
        crate::risk::settings::get_selectivity,
        crate::risk::settings::put_selectivity,
        crate::risk::watchlists::watchlists,
        crate::risk::watchlists::import,
        crate::risk::watchlists::screen,
        crate::risk::feedback::decision,
        crate::risk::feedback::record_inspection,
        crate::risk::feedback::statistics,
        crate::parties::create_party,
        crate::parties::list_parties,
        crate::parties::get_party,
        crate::parties::update_party,
        crate::parties::mandates::list_mandates,
        crate::parties::mandates::grant_mandate,
        crate::parties::mandates::revoke_mandate,
        crate::control::tasks::worklist,
        crate::control::attachments::upload,
        crate::control::attachments::download,
        crate::control::tasks::office,
        crate::control::tasks::one,
        crate::control::tasks::start,
        crate::control::tasks::complete,
        crate::control::tasks::cancel,
        crate::control::tasks::endorse,
        crate::control::tasks::reallocate,
        crate::control::tasks::allocate,
        crate::control::roster::officers,
        crate::control::roster::set_officer,
        crate::control::roster::add_shift,
        crate::control::roster::add_conflict,
        crate::control::roster::suspend,
        crate::control::roster::holds,
        crate::control::roster::place_hold,
        crate::control::roster::lift_hold,
        crate::control::lab::request,
        crate::control::lab::queue,
        crate::control::lab::one,
        crate::control::lab::change_state,
        crate::control::lab::handover,
        crate::control::lab::result,
        crate::control::lab::verify,
        crate::control::lab::publish,
        crate::control::lab::turnaround,
        crate::control::seizures::record,
        crate::control::seizures::one,
        crate::control::seizures::cen,
        crate::control::seizures::case,
        crate::control::seizures::change,
        crate::posts::crossings::report,
        crate::posts::crossings::list,
        crate::posts::crossings::one,
        crate::federation::node::node,
        crate::federation::inbox::receive,
        crate::federation::node::refusals,
        crate::federation::node::outbox,
        crate::federation::node::received_envelope,
        crate::federation::alerts::send,
        crate::federation::alerts::sent,
        crate::federation::alerts::received,
        crate::federation::alerts::feedback,
        crate::federation::movements::list,
        crate::federation::movements::arrival,
        crate::federation::movements::control_results,
        crate::federation::movements::enquiry_reply,
        crate::transit::view::list,
        crate::transit::movements::one,
        crate::transit::movements::step,
        crate::transit::view::overdue,
        crate::transit::view::discrepancies,
        crate::transit::view::sweep,
        crate::transit::guarantees::create,
        crate::transit::guarantees::balance,
        crate::health::healthz,
        crate::health::readyz,
    ),
    modifiers(&BearerAuth, &SharedResponses)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(document))
}

async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
