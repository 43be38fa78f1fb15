//! The learned risk model: see the crate description.
