//! Advance accounts: how a trader pays online. The trader transfers money to customs' account
//! ahead of time; customs credits the transfer to the party's advance account from the bank
//! statement (a deposit, named by the bank's payment order, credited once); the trader then
//! pays a declaration's duties from the balance, and a green declaration is released as soon
//! as it is covered. Amounts are in national currency, as every payment is.

use rust_decimal::Decimal;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::records::User;
use crate::revenue::Balance;

/// The payment method recorded on a declaration paid from an advance account.
pub const METHOD: &str = "advance account";

/// A credit from the bank statement.
#[derive(Debug, Clone)]
pub struct NewDeposit {
    pub amount: Decimal,
    /// The bank's payment order number.
    pub reference: String,
    pub by: User,
    pub at: OffsetDateTime,
}

/// A declaration's duties paid from the payer's advance account.
#[derive(Debug, Clone)]
pub struct AdvancePayment {
    /// The party whose account pays.
    pub payer: String,
    /// How much; `None` pays all that is due.
    pub amount: Option<Decimal>,
    pub by: User,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// Money received from the bank.
    Deposit,
    /// A declaration paid from the account.
    Payment,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Deposit => "deposit",
            EntryKind::Payment => "payment",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [EntryKind::Deposit, EntryKind::Payment]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// One line of an account's ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdvanceEntry {
    pub id: i64,
    pub kind: EntryKind,
    /// Always positive: the kind says which way it went.
    pub amount: Decimal,
    /// The balance after this entry.
    pub balance: Decimal,
    /// A deposit's payment order number, or the paid declaration's MRN.
    pub reference: String,
    /// The declaration a payment paid.
    pub mrn: Option<String>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

/// A party's advance account: the balance and the ledger, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AdvanceAccount {
    pub party_id: String,
    pub balance: Decimal,
    /// The latest entries, newest first (at most [`LEDGER_LINES`]).
    pub entries: Vec<AdvanceEntry>,
}

/// How many ledger lines an account shows.
pub const LEDGER_LINES: i64 = 200;

/// What paying a declaration from an advance account came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaidFromAdvance {
    /// Paid; the declaration's balance after it, and the account's.
    Paid { balance: Balance, account: Decimal },
    /// No declaration the caller may see.
    NotVisible,
    /// The declaration has no assessment to pay.
    NotAssessed,
    /// Nothing is due on it.
    NothingDue,
    /// More than is due was asked for.
    AboveDue { due: Decimal },
    /// The payer has no account, or too little in it.
    Short { account: Decimal, needed: Decimal },
}
