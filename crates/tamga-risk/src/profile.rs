//! Risk profiles as data: who wrote them, why, where and when they apply, what they test and
//! what they do when they fire.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::lang::{self, Condition, ParseError};

pub use tamga_core::channel::Channel;

/// What a profile does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Adds this many points to the declaration's score (negative values lower it).
    Weight(i32),
    /// Routes the declaration to this channel whatever the score; the most severe forced channel
    /// wins.
    Force(Channel),
}

/// Where a profile applies: empty lists mean everywhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    #[serde(default)]
    pub offices: Vec<String>,
    /// Declaration types (IM, EX, TR).
    #[serde(default)]
    pub declaration_types: Vec<String>,
}

impl Scope {
    pub fn covers(&self, office: &str, declaration_type: &str) -> bool {
        (self.offices.is_empty() || self.offices.iter().any(|o| o == office))
            && (self.declaration_types.is_empty()
                || self.declaration_types.iter().any(|t| t == declaration_type))
    }
}

/// One version of a risk profile. Versions are immutable: a change is a new version, and past
/// decisions keep naming the version that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub rationale: String,
    pub owner: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    #[serde(default)]
    pub scope: Scope,
    /// The condition in the profile language, as the analyst wrote it.
    pub condition: String,
    pub effect: Effect,
    pub active: bool,
}

/// The longest profile identifier accepted.
pub const MAX_ID: usize = 64;

impl Profile {
    /// Reads the condition.
    pub fn parse_condition(&self) -> Result<Condition, ParseError> {
        lang::parse(&self.condition)
    }

    /// Whether the profile applies on `date` (both ends of the window included).
    pub fn valid_on(&self, date: Date) -> bool {
        self.active
            && self.valid_from.is_none_or(|from| from <= date)
            && self.valid_to.is_none_or(|to| date <= to)
    }
}

/// Whether `id` is a usable profile or list identifier: 1 to 64 lowercase letters, digits, `-`,
/// `_` or `.`, starting with a letter or digit.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
        && id.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}
