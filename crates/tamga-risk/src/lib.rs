//! The targeting engine: see the crate description.
