//! The pure domain of customs control and the customs laboratory: what happens to a declaration
//! after the targeting engine has chosen its channel, until the goods may leave.
//!
//! - [`task`]: the control task a channel opens (documentary check, physical examination,
//!   post-clearance audit), its states and timings.
//! - [`allocation`]: officers, shifts, conflicts and workload, and the random, workload-weighted
//!   draw of the examiner (and the chief for red) that an auditor can replay with the secret.
//! - [`finding`]: what the inspection found per goods item, the corrections a re-assessment
//!   applies, and whether the outcome is a hit for the profiles' hit rates.
//! - [`seizure`] and [`case`]: seizure records, offence cases and the WCO CEN export.
//! - [`sample`]: the laboratory sample, its lifecycle, chain of custody, results verified by a
//!   second pair of eyes, and turnaround.
//! - [`release`]: whether a declaration may be released, and if not, why.
//!
//! Nothing here does IO: times, secrets and records are passed in, business refusals are values.
//!
//! ```
//! use tamga_control::task::{tasks_for, Channel, TaskSettings, TaskType};
//! use tamga_core::codes::Locode;
//! use time::macros::datetime;
//!
//! let office = Locode::parse("UZTAS").unwrap();
//! let settings = TaskSettings::default();
//! let accepted = datetime!(2026-03-02 09:00 UTC);
//! let tasks = tasks_for(Channel::Red, &office, accepted, "heavy machinery", &settings);
//! assert_eq!(tasks.len(), 1);
//! assert_eq!(tasks[0].task_type, TaskType::PhysicalExamination);
//! assert!(tasks_for(Channel::Green, &office, accepted, "", &settings).is_empty());
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

pub mod allocation;
pub mod case;
pub mod finding;
pub mod release;
pub mod sample;
pub mod seizure;
pub mod task;
pub mod text;
pub mod transition;

pub use transition::IllegalTransition;

use serde::{Deserialize, Serialize};

/// A tamga user (officer, chief, supervisor, lab user), by the store's user id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "user {}", self.0)
    }
}

/// `#[serde(with = "crate::optional_date")]` for `Option<Date>` fields, written `YYYY-MM-DD`.
mod optional_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => tamga_core::dates::iso::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let raw = Option::<String>::deserialize(d)?;
        raw.map(|r| tamga_core::dates::parse_date(&r).map_err(serde::de::Error::custom))
            .transpose()
    }
}
