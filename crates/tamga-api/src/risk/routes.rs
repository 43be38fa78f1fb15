//! The targeting center's routes.

use axum::routing::{get, post};
use axum::Router;

use axum::extract::DefaultBodyLimit;

use super::{dry_run, feedback, lists, profiles, settings, watchlists};
use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/risk/fields", get(lists::fields))
        .route("/risk/conditions/check", post(lists::check_condition))
        .route(
            "/risk/profiles",
            get(profiles::list_profiles).post(profiles::create_profile),
        )
        .route("/risk/profiles/dry-run", post(dry_run::dry_run))
        .route(
            "/risk/profiles/{id}",
            get(profiles::profile_history).put(profiles::update_profile),
        )
        .route(
            "/risk/profiles/{id}/deactivate",
            post(profiles::deactivate_profile),
        )
        .route("/risk/lists", get(lists::lists))
        .route("/risk/lists/{name}", axum::routing::put(lists::put_list))
        .route(
            "/risk/selectivity",
            get(settings::get_selectivity).put(settings::put_selectivity),
        )
        .route("/risk/watchlists", get(watchlists::watchlists))
        .route(
            "/risk/watchlists/{name}",
            axum::routing::put(watchlists::import)
                .layer(DefaultBodyLimit::max(watchlists::IMPORT_LIMIT)),
        )
        .route("/risk/screen", post(watchlists::screen))
        .route("/risk/statistics", get(feedback::statistics))
        .route("/declarations/{mrn}/risk", get(feedback::decision))
        .route(
            "/declarations/{mrn}/inspection",
            post(feedback::record_inspection),
        )
}
