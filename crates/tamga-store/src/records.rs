//! What goes into and comes out of a [`crate::Store`].

use serde::Serialize;
use tamga_core::{role::Role, status::Status, status::TransitionError, Declaration};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// For declarants: the party identifier they act for.
    pub party_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub role: Role,
    pub party_id: Option<String>,
    pub token_hash: String,
}

/// What a user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Customs staff: every declaration.
    All,
    /// A declarant: what it lodged, or where its party is declarant, importer, exporter or
    /// representative.
    Party {
        user_id: i64,
        party_id: Option<String>,
    },
    /// A declarant acting on a declaration (asking to invalidate it): only what it lodged, or
    /// where its party is the declarant or the representative.
    Acting {
        user_id: i64,
        party_id: Option<String>,
    },
}

impl Scope {
    /// What `user` may act on: customs staff everything, a declarant its own lodgements.
    pub fn acting_for(user: &User) -> Scope {
        match Scope::of(user) {
            Scope::Party { user_id, party_id } => Scope::Acting { user_id, party_id },
            other => other,
        }
    }

    /// What `user` may see.
    pub fn of(user: &User) -> Scope {
        if user.role.sees_all_declarations() {
            Scope::All
        } else {
            Scope::Party {
                user_id: user.id,
                party_id: user.party_id.clone(),
            }
        }
    }
}

/// A validated declaration to accept. Build it with [`Lodgement::new`], which serialises what
/// will be stored before the write, off the single SQLite writer.
#[derive(Debug, Clone)]
pub struct Lodgement {
    pub declaration: Declaration,
    /// [`Declaration::fingerprint`], to tell a resubmission from a different declaration.
    pub fingerprint: String,
    pub lodged_by: User,
    pub at: OffsetDateTime,
    /// The assessment made at acceptance (imports), stored as version 1 in the same commit.
    pub assessment: Option<tamga_core::tariff::Assessment>,
    /// The risk decision taken at acceptance, stored in the same commit.
    pub risk: Option<crate::risk::RiskRecord>,
    /// What the settled channel's control tasks are opened with (the audit's due days).
    pub control: tamga_control::task::TaskSettings,
    pub(crate) prepared: Prepared,
}

/// The stored forms of a lodgement, computed once.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub document: String,
    pub assessment: Option<String>,
    pub unit_values: Vec<(u16, String, Option<String>, rust_decimal::Decimal)>,
}

impl Lodgement {
    pub fn new(
        declaration: Declaration,
        fingerprint: String,
        lodged_by: User,
        at: OffsetDateTime,
        assessment: Option<tamga_core::tariff::Assessment>,
    ) -> Lodgement {
        // The model types serialise without fail: no maps with non-string keys, no floats.
        let prepared = Prepared {
            document: serde_json::to_string(&declaration).unwrap_or_default(),
            assessment: assessment
                .as_ref()
                .map(|a| serde_json::to_string(a).unwrap_or_default()),
            unit_values: assessment
                .as_ref()
                .map(|a| tamga_core::tariff::valuation::unit_values(&declaration, a))
                .unwrap_or_default(),
        };
        Lodgement {
            declaration,
            fingerprint,
            lodged_by,
            at,
            assessment,
            risk: None,
            control: tamga_control::task::TaskSettings::default(),
            prepared,
        }
    }

    /// The status the declaration has once stored: risk-assessed when it carries a decision.
    pub fn status(&self) -> Status {
        if self.risk.is_some() {
            Status::RiskAssessed
        } else {
            Status::Accepted
        }
    }

    /// Opens the control tasks with `settings` instead of the defaults.
    pub fn with_control(mut self, settings: tamga_control::task::TaskSettings) -> Lodgement {
        self.control = settings;
        self
    }

    /// Adds the risk decision to store with the declaration.
    pub fn with_risk(mut self, risk: crate::risk::RiskRecord) -> Lodgement {
        self.risk = Some(risk);
        self
    }
}

#[derive(Debug, Clone)]
pub enum LodgeOutcome {
    /// Newly accepted.
    Accepted(Box<DeclarationRecord>),
    /// The identical declaration was lodged before: here it is, unchanged.
    Resubmitted(Box<DeclarationRecord>),
    /// The LRN is taken by a different declaration of the same declarant.
    LrnTaken { mrn: String },
}

/// One entry of a declaration's append-only history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Event {
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    pub status: Status,
    /// Name of the user who caused it.
    pub actor: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DeclarationRecord {
    pub mrn: String,
    pub status: Status,
    pub accepted_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub declaration: Declaration,
    pub events: Vec<Event>,
    /// The risk channel stored at acceptance, when the operation that built this record took
    /// it (lodging does; reads leave it to [`crate::Store::risk_decision`]).
    pub channel: Option<String>,
}

/// A line of a declaration list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Summary {
    pub mrn: String,
    pub lrn: String,
    #[serde(rename = "type")]
    pub declaration_type: String,
    pub status: Status,
    pub customs_office: String,
    pub declarant_id: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub accepted_at: OffsetDateTime,
    pub item_count: i64,
}

/// Filters of a declaration list; all optional and combined with AND.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub status: Option<Status>,
    pub office: Option<String>,
    /// Accepted on or after this day (UTC).
    pub from: Option<Date>,
    /// Accepted on or before this day (UTC).
    pub to: Option<Date>,
    pub declarant: Option<String>,
    /// Two-digit HS chapter of any item.
    pub hs_chapter: Option<String>,
    /// Continue after this position (from a previous page's `next`).
    pub after: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Summary>,
    /// Position to continue from, when there may be more.
    pub next: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct StatusChange {
    pub to: Status,
    pub actor: User,
    pub reason: String,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub enum TransitionOutcome {
    Done(Box<DeclarationRecord>),
    NotFound,
    /// The release rule of control refuses the release: every reason, for customs staff.
    Blocked(Vec<String>),
    Refused(TransitionError),
    /// Release refused: duties and taxes are still owed.
    BalanceDue(crate::revenue::Balance),
}

/// Cuts the one extra row fetched to know whether another page follows.
pub(crate) fn page(rows: Vec<crate::rows::SummaryRow>, limit: u32) -> crate::Result<Page> {
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let more = rows.len() > limit;
    let mut items = Vec::with_capacity(rows.len().min(limit));
    let mut last_id = None;
    for row in rows.into_iter().take(limit) {
        last_id = Some(row.id);
        items.push(row.into_summary()?);
    }
    Ok(Page {
        items,
        next: if more { last_id } else { None },
    })
}
