//! The National Targeting Center engine: risk profiles written in a small language, named
//! lists, watchlist screening, a compiled in-memory snapshot that evaluates a declaration without
//! touching a database, selectivity (green, yellow, red, blue) and the explanation kept with every
//! decision.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod compile;
pub mod engine;
pub mod explain;
pub mod facts;
pub mod feedback;
pub mod fields;
mod index;
pub mod lang;
pub mod lists;
pub mod model;
pub mod profile;
pub mod selectivity;
pub mod watch;

pub use engine::{Engine, EngineParts};
pub use explain::Decision;
pub use profile::{Channel, Effect, Profile};
