//! Watchlists: see the crate description.
