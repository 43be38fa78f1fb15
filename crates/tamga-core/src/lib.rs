//! The pure core of tamga: the goods declaration model, coded-field newtypes, reference data,
//! validation that reports every problem at once, MRN allocation and the status lifecycle.
//!
//! Nothing here does IO, spawns tasks or knows about HTTP: reference data is compiled into the
//! binary and "today" is always passed in, so every function is deterministic and testable.
//!
//! ```
//! use tamga_core::{codes::ContainerNumber, refdata::ReferenceData};
//!
//! assert!(ContainerNumber::parse("CSQU3054383").is_ok());
//! let reference = ReferenceData::embedded();
//! assert!(reference.countries.contains("UZ"));
//! ```
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod account;
pub mod cargo;
pub mod channel;
pub mod check;
pub mod codes;
pub mod crossing;
pub mod dates;
pub mod draft;
pub mod model;
pub mod mrn;
pub mod party;
pub mod problem;
pub mod refdata;
pub mod retention;
pub mod role;
pub mod status;
pub mod tariff;
pub mod transit;
pub mod validate;

pub use model::Declaration;
pub use problem::FieldError;
