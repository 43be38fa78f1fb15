//! A listed party, vessel, aircraft, container or vehicle.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a watchlist entry designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A natural person.
    Individual,
    /// A company, organisation, group or any other legal person.
    Entity,
    /// A ship, screened by name.
    Vessel,
    /// An aircraft, screened by name.
    Aircraft,
    /// A container, screened by its number ([`crate::Screener::screen_identifier`]).
    Container,
    /// A road vehicle, screened by its plate or VIN ([`crate::Screener::screen_identifier`]).
    Vehicle,
}

impl EntryKind {
    /// Every kind, in declaration order.
    pub const ALL: [EntryKind; 6] = [
        EntryKind::Individual,
        EntryKind::Entity,
        EntryKind::Vessel,
        EntryKind::Aircraft,
        EntryKind::Container,
        EntryKind::Vehicle,
    ];

    /// The lowercase name used in CSV lists and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Individual => "individual",
            EntryKind::Entity => "entity",
            EntryKind::Vessel => "vessel",
            EntryKind::Aircraft => "aircraft",
            EntryKind::Container => "container",
            EntryKind::Vehicle => "vehicle",
        }
    }

    /// Whether entries of this kind are matched by identifier rather than by name.
    pub fn is_identifier(self) -> bool {
        matches!(self, EntryKind::Container | EntryKind::Vehicle)
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the [`EntryKind`] names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown kind {0:?}: expected individual, entity, vessel, aircraft, container or vehicle")]
pub struct UnknownKind(pub String);

impl FromStr for EntryKind {
    type Err = UnknownKind;

    /// Case-insensitive; surrounding spaces are ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        EntryKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownKind(s.to_owned()))
    }
}

/// One watchlist record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Unique across lists: the source and the source's own key, e.g. `UN:6908555`, `OFAC:36`.
    pub id: String,
    /// The list it comes from: `UN`, `OFAC`, or the name given to an analyst's list.
    pub source: String,
    /// What it designates.
    pub kind: EntryKind,
    /// The primary name first, then the aliases; for containers and vehicles the identifiers.
    pub names: Vec<String>,
    /// The UN reference number (`KPi.033`) or the OFAC programme (`CUBA`).
    pub reference: Option<String>,
    /// Nationality, country of address or flag, as the list gives it.
    pub country: Option<String>,
    /// Free text from the list.
    pub remarks: Option<String>,
}

impl Entry {
    /// The primary name, or the empty string for an entry without names.
    pub fn primary_name(&self) -> &str {
        self.names.first().map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_text() {
        for kind in EntryKind::ALL {
            assert_eq!(kind.as_str().parse::<EntryKind>(), Ok(kind));
        }
        assert_eq!(" Vessel ".parse::<EntryKind>(), Ok(EntryKind::Vessel));
        assert!("ship".parse::<EntryKind>().is_err());
    }
}
