//! What transit stores and reads back: guarantee accounts and their balances, movements opened
//! by TR declarations, their steps and append-only history. The rules (which step follows
//! which state, who takes it where) are `tamga_core::transit`'s; the store applies them under
//! a lock on the movement's row, with the guarantee arithmetic in the same transaction.

use rust_decimal::Decimal;
use serde::Serialize;
use tamga_core::codes::{CurrencyCode, Locode};
use tamga_core::transit::access::Refusal;
use tamga_core::transit::lifecycle::{IllegalStep, MovementState, StepKind};
use tamga_core::transit::{GuaranteeType, TransitParticulars};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

/// A guarantee account to open.
#[derive(Debug, Clone)]
pub struct NewGuaranteeAccount {
    pub grn: String,
    pub guarantee_type: GuaranteeType,
    /// The principal's party identifier.
    pub holder: String,
    pub currency: CurrencyCode,
    pub reference_amount: Decimal,
    /// Kept only as its hash.
    pub access_code: String,
}

/// A guarantee account with its balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GuaranteeAccount {
    pub grn: String,
    #[serde(rename = "type")]
    pub guarantee_type: GuaranteeType,
    pub holder: String,
    #[schema(value_type = String)]
    pub currency: CurrencyCode,
    #[schema(value_type = String)]
    pub reference_amount: Decimal,
    /// The reference amount less what released movements hold.
    #[schema(value_type = String)]
    pub balance: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// A change of a guarantee account's balance: negative, reserved on a movement's release for
/// transit; positive, restored on its write-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GuaranteeEntry {
    pub mrn: String,
    #[schema(value_type = String)]
    pub amount: Decimal,
    /// The account's balance after the change.
    #[schema(value_type = String)]
    pub balance: Decimal,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The stored hash of an access code, salted with its GRN (an access code is 4 characters).
pub fn access_code_hash(grn: &str, access_code: &str) -> String {
    crate::audit::digest(format!("tamga-guarantee\0{grn}\0{access_code}").as_bytes())
}

/// What a step carries besides its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StepDetail {
    /// No release for transit: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// An incident: where it happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// An incident: what happened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Unloading remarks: the goods conform to the declaration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conform: Option<bool>,
    /// Unloading remarks: the seals were found intact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seals_intact: Option<bool>,
    /// Unloading remarks or a control decision: free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
}

/// Who asks for a step, as the store knows them.
#[derive(Debug, Clone)]
pub enum StepActor {
    /// A customs officer (or supervisor) of these offices.
    Officer { name: String, offices: Vec<Locode> },
    /// A declarant account: the holder if the movement is its own.
    Trader {
        name: String,
        user_id: i64,
        party_id: Option<String>,
    },
    /// A partner administration's node, for steps at its own offices (federation).
    Administration { name: String, country: String },
    /// tamga's overdue sweep.
    System,
}

impl StepActor {
    pub fn name(&self) -> &str {
        match self {
            StepActor::Officer { name, .. }
            | StepActor::Trader { name, .. }
            | StepActor::Administration { name, .. } => name,
            StepActor::System => crate::SYSTEM_ACTOR,
        }
    }
}

/// A step asked for.
#[derive(Debug, Clone)]
pub struct MovementStep {
    pub kind: StepKind,
    /// The office the step names (an office of transit passed, where an incident is recorded).
    pub office: Option<Locode>,
    pub detail: StepDetail,
    pub at: OffsetDateTime,
}

/// One entry of a movement's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MovementEvent {
    pub seq: i64,
    /// `mrn_allocated`, then the step's name.
    pub step: String,
    /// The state after it.
    pub state: MovementState,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub office: Option<String>,
    pub actor: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// A movement with its particulars and history.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Movement {
    pub mrn: String,
    pub state: MovementState,
    /// The declarant's party identifier.
    pub holder: String,
    #[schema(value_type = String)]
    pub departure: String,
    #[schema(value_type = String)]
    pub destination: String,
    /// The control decision at acceptance: the risk channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(with = "tamga_core::dates::iso")]
    #[schema(value_type = String, format = Date)]
    pub time_limit: Date,
    /// Unloading remarks found the goods not conform or a seal broken.
    pub seal_discrepancy: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    #[schema(value_type = Object)]
    pub particulars: TransitParticulars,
    /// Oldest first; empty in lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<MovementEvent>,
}

/// What became of a step.
#[derive(Debug, Clone)]
pub enum StepOutcome {
    Done(Box<Movement>),
    /// No movement has this MRN (or the trader may not see it).
    UnknownMrn,
    /// Not possible in the current state (a 409 naming it).
    Illegal(IllegalStep),
    /// Not for this actor, or a wrong office named.
    Refused(Refusal),
    /// A guarantee does not cover the release (a 409): the GRN and what is missing.
    Guarantee(String),
}

/// Which movements to list.
#[derive(Debug, Clone, Default)]
pub struct MovementQuery {
    /// Movements naming this office (departure, transit or destination).
    pub office: Option<String>,
    pub state: Option<MovementState>,
    /// Only movements released whose time limit has passed on this day.
    pub overdue_on: Option<Date>,
    /// Only movements whose unloading remarks found a discrepancy.
    pub seal_discrepancy: bool,
    /// Only this holder's (a trader's own), or what this user lodged.
    pub holder: Option<(i64, Option<String>)>,
    pub limit: u32,
}
