//! Intelligent border posts: a crossing as the post's gate equipment reports it (a camera's
//! plate, OCR'd container numbers, the weighbridge, seals read), its validation into a
//! [`Reading`] ([`read`]), and the judgement of a reading against what the post expected
//! ([`judge`]): the alerts an officer at the gate must see.
//!
//! OCR errs, so a container number whose check digit does not add up is kept as read and
//! recorded as a [`Finding`], never a refusal; a reading shaped like no container number at
//! all is refused with the rest of the request's problems.
//!
//! ```
//! use tamga_core::crossing::ident;
//!
//! assert_eq!(ident(" 01 a-123.bc "), "01A123BC");
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

pub mod judge;
pub mod read;

pub use judge::{judge, Expected, Listed};
pub use read::{read, CrossingDraft, SealReadDraft};

/// The most containers, seals and image references one crossing may carry.
pub const MAX_CONTAINERS: usize = 8;
pub const MAX_SEALS: usize = 32;
pub const MAX_IMAGES: usize = 16;

/// An identifier (plate, container) as posts compare it: upper case, without spaces, dashes or
/// dots. A lodgement writes its post's expectations with it; the store's triggers of migration
/// 0023 normalise the other expectations the same way (for ASCII letters).
pub fn ident(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.'))
        .flat_map(char::to_uppercase)
        .collect()
}

/// Which way the vehicle crossed the post's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Entry,
    Exit,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Entry => "entry",
            Direction::Exit => "exit",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Direction::Entry, Direction::Exit]
            .into_iter()
            .find(|d| d.as_str() == raw)
    }
}

/// A seal as the equipment found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SealState {
    Intact,
    Broken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SealRead {
    pub identifier: String,
    pub state: SealState,
}

/// A container number as OCR read it (normalised), and whether its ISO 6346 check digit holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ContainerRead {
    pub number: String,
    pub check_digit_ok: bool,
}

/// A validated crossing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Reading {
    /// The plate as the camera read it, normalised by [`ident`].
    pub plate: String,
    pub containers: Vec<ContainerRead>,
    /// The weighbridge's gross weight of the vehicle and its load, in kg.
    #[schema(value_type = String)]
    pub gross_weight_kg: Decimal,
    /// The vehicle's unladen weight in kg, when the equipment knows it: the load weighed is
    /// the gross weight less this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub tare_weight_kg: Option<Decimal>,
    pub lane: String,
    #[serde(with = "time::serde::rfc3339")]
    pub crossed_at: OffsetDateTime,
    pub direction: Direction,
    /// SHA-256 digests of uploaded attachments, or the equipment's own opaque references.
    pub images: Vec<String>,
    pub seals: Vec<SealRead>,
}

impl Reading {
    /// What the vehicle's load weighs: gross less tare, or gross when the tare is unknown.
    pub fn load_kg(&self) -> Decimal {
        self.gross_weight_kg - self.tare_weight_kg.unwrap_or_default()
    }

    /// The identifiers to look for: the plate, then every container.
    pub fn idents(&self) -> Vec<String> {
        std::iter::once(self.plate.clone())
            .chain(self.containers.iter().map(|c| c.number.clone()))
            .collect()
    }
}

/// Something noted about a reading that does not stop it: an OCR'd check digit that does not
/// add up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Finding {
    /// JSON pointer into the request, e.g. `/containers/1`.
    pub pointer: String,
    pub code: String,
    pub message: String,
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Nothing at this post named the vehicle or its containers.
    NoPreArrival,
    /// The load weighed is outside the tolerance of the declared gross mass.
    Weight,
    /// The plate or a container is on a named list or a watchlist.
    Listed,
    /// A seal was reported broken.
    SealBroken,
}

impl AlertKind {
    pub const ALL: [AlertKind; 4] = [
        AlertKind::NoPreArrival,
        AlertKind::Weight,
        AlertKind::Listed,
        AlertKind::SealBroken,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::NoPreArrival => "no_pre_arrival",
            AlertKind::Weight => "weight",
            AlertKind::Listed => "listed",
            AlertKind::SealBroken => "seal_broken",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

/// One alert with the sentence an officer reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Alert {
    pub kind: AlertKind,
    pub message: String,
}
