//! Listing declarations with filters and cursor pagination.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use tamga_core::codes::{Locode, PartyId};
use tamga_core::dates::parse_date;
use tamga_core::status::Status;
use tamga_core::FieldError;
use tamga_store::{ListQuery, Scope};

use crate::auth::Caller;
use crate::error::{ApiError, Problem};
use crate::views::DeclarationPage;
use crate::AppState;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// A list's `limit` query parameter: `given`, or `default` when absent, from 1 to `max`;
/// otherwise a 400 naming `limit`.
pub fn page_limit(given: Option<u32>, default: u32, max: u32) -> Result<u32, ApiError> {
    let limit = given.unwrap_or(default);
    if (1..=max).contains(&limit) {
        return Ok(limit);
    }
    let message = format!("limit must be 1 to {max}");
    Err(ApiError::query("limit", "out_of_range", &message))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/declarations", get(list))
}

/// Declarations visible to the caller, newest first, filtered and paginated.
#[utoipa::path(
    get,
    path = "/api/v1/declarations",
    tag = "declarations",
    security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "lodged, accepted, risk-assessed, under-control, released, rejected or invalidated"),
        ("office" = Option<String>, Query, description = "UN/LOCODE of the customs office"),
        ("from" = Option<String>, Query, description = "Accepted on or after this day, YYYY-MM-DD (UTC)"),
        ("to" = Option<String>, Query, description = "Accepted on or before this day, YYYY-MM-DD (UTC)"),
        ("declarant" = Option<String>, Query, description = "Party identifier of the declarant"),
        ("hs_chapter" = Option<String>, Query, description = "Two-digit HS chapter of any goods item"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "Page size, 1 to 200 (default 50)"),
    ),
    responses(
        (status = 200, description = "One page", body = DeclarationPage),
        (status = 400, description = "Bad filters, each named", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Caller(user): Caller,
    params: Result<Query<Vec<(String, String)>>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<DeclarationPage>, ApiError> {
    let Query(params) = params.map_err(ApiError::from)?;
    let query = parse(&params)?;
    let page = state.store.list(&query, &Scope::of(&user)).await?;
    Ok(Json(DeclarationPage {
        items: page.items,
        next_cursor: page.next.map(encode_cursor),
    }))
}

fn encode_cursor(id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("after:{id}"))
}

fn decode_cursor(raw: &str) -> Option<i64> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("after:")?
        .parse()
        .ok()
}

/// Reads every filter, collecting a field error for each bad one.
fn parse(params: &[(String, String)]) -> Result<ListQuery, ApiError> {
    let mut query = ListQuery {
        limit: DEFAULT_LIMIT,
        ..ListQuery::default()
    };
    let mut errors = Vec::new();
    for (name, value) in params {
        let pointer = format!("/query/{name}");
        let mut fail =
            |code: &str, message: String| errors.push(FieldError::new(&pointer, code, message));
        match name.as_str() {
            "status" => match Status::parse(value) {
                Some(s) => query.status = Some(s),
                None => fail("invalid_code", format!("unknown status {value:?}")),
            },
            "office" => match Locode::parse(value) {
                Ok(o) => query.office = Some(o.to_string()),
                Err(e) => fail(e.code, e.message),
            },
            "from" | "to" => match parse_date(value) {
                Ok(d) if name == "from" => query.from = Some(d),
                Ok(d) => query.to = Some(d),
                Err(_) => fail(
                    "invalid_format",
                    format!("{value:?} is not a date of the form YYYY-MM-DD"),
                ),
            },
            "declarant" => match PartyId::parse(value) {
                Ok(p) => query.declarant = Some(p.to_string()),
                Err(e) => fail(e.code, e.message),
            },
            "hs_chapter" if value.len() == 2 && value.bytes().all(|b| b.is_ascii_digit()) => {
                query.hs_chapter = Some(value.clone());
            }
            "hs_chapter" => fail(
                "invalid_format",
                "an HS chapter is two digits, e.g. 84".into(),
            ),
            "cursor" => match decode_cursor(value) {
                Some(id) => query.after = Some(id),
                None => fail(
                    "invalid_cursor",
                    "use the next_cursor of a previous page".into(),
                ),
            },
            "limit" => match value.parse::<u32>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => query.limit = n,
                _ => fail("out_of_range", format!("limit must be 1 to {MAX_LIMIT}")),
            },
            _ => fail(
                "unknown_parameter",
                format!("unknown query parameter {name:?}"),
            ),
        }
    }
    if errors.is_empty() {
        return Ok(query);
    }
    Err(ApiError::BadRequest {
        status: axum::http::StatusCode::BAD_REQUEST,
        detail: format!("{} bad query parameter(s); see errors", errors.len()),
        errors,
    })
}
