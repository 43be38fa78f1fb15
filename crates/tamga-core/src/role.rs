//! The roles a user of tamga holds; each user has exactly one.

use serde::{Deserialize, Serialize};

pub mod rules;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A trader, broker or carrier: sees only declarations it lodged or is a party to.
    Declarant,
    /// A customs officer at a post: controls and releases.
    Officer,
    /// A targeting analyst of the National Targeting Center.
    Analyst,
    /// A customs laboratory technician.
    Lab,
    /// A supervisor: everything an officer may do, and oversight.
    Supervisor,
    /// Administers users and the system.
    Admin,
    /// A border post's gate equipment (a machine, bound to one office): reports crossings
    /// and nothing else.
    Post,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Declarant,
        Role::Officer,
        Role::Analyst,
        Role::Lab,
        Role::Supervisor,
        Role::Admin,
        Role::Post,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Declarant => "declarant",
            Role::Officer => "officer",
            Role::Analyst => "analyst",
            Role::Lab => "lab",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Post => "post",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// May this role see every declaration, not only its own?
    pub fn sees_all_declarations(self) -> bool {
        !matches!(self, Role::Declarant | Role::Post)
    }

    /// May this role lodge declarations? (The access table's rule for lodging.)
    pub fn may_lodge(self) -> bool {
        rules::allows("POST /api/v1/declarations", self)
    }
}
