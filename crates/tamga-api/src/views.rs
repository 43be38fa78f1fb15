//! Response bodies.

use serde::Serialize;
use tamga_core::role::Role;
use tamga_core::status::Status;
use tamga_core::Declaration;
use tamga_store::{DeclarationRecord, Event, Summary, User};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A declaration as customs holds it: MRN, status, the accepted data and its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationView {
    #[schema(example = "26UZTAS000000042R5")]
    pub mrn: String,
    pub status: Status,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub accepted_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
    pub declaration: Declaration,
    /// Append-only history, oldest first.
    pub history: Vec<Event>,
    /// The selectivity channel (green, yellow, red, blue) decided at acceptance; the reasons
    /// are for customs staff, at `GET /declarations/{mrn}/risk`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
}

impl From<Box<DeclarationRecord>> for DeclarationView {
    fn from(r: Box<DeclarationRecord>) -> Self {
        Self::from(*r)
    }
}

impl From<DeclarationRecord> for DeclarationView {
    fn from(r: DeclarationRecord) -> Self {
        Self {
            mrn: r.mrn,
            status: r.status,
            accepted_at: r.accepted_at,
            updated_at: r.updated_at,
            declaration: r.declaration,
            history: r.events,
            channel: r.channel,
        }
    }
}

/// One page of a declaration list.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationPage {
    pub items: Vec<Summary>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub party_id: Option<String>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        Self {
            id: u.id,
            name: u.name,
            role: u.role,
            party_id: u.party_id,
        }
    }
}
