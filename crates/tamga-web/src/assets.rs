//! Static assets, embedded in the binary and served under a content hash with a year's cache
//! lifetime: a new build changes the hash, so browsers never keep a stale file.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use tamga_api::AppState;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: [Asset; 3] = [
    Asset {
        name: "tamga.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/tamga.css"),
    },
    Asset {
        name: "tamga.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/tamga.js"),
    },
    // htmx 2 (0BSD, assets/htmx.LICENSE), vendored from the npm package htmx.org.
    Asset {
        name: "htmx.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/htmx.min.js"),
    },
];

fn hashes() -> &'static Vec<String> {
    static HASHES: OnceLock<Vec<String>> = OnceLock::new();
    HASHES.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let digest = Sha256::digest(a.bytes);
                hex::encode(digest.get(..6).unwrap_or_default())
            })
            .collect()
    })
}

/// The URL of an embedded asset, with its content hash.
pub fn url(name: &str) -> String {
    let hash = ASSETS
        .iter()
        .position(|a| a.name == name)
        .and_then(|i| hashes().get(i));
    format!("/assets/{}/{name}", hash.map_or("0", String::as_str))
}

pub fn router() -> Router<AppState> {
    Router::new().route("/assets/{hash}/{name}", get(asset))
}

async fn asset(Path((hash, name)): Path<(String, String)>) -> Response {
    let found = ASSETS.iter().zip(hashes()).find(|(a, _)| a.name == name);
    match found {
        Some((asset, current)) if *current == hash => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            asset.bytes,
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
