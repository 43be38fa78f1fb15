//! Revenue records: assessments, payments and guarantees, balances, exchange rates.

use rust_decimal::Decimal;
use serde::Serialize;
use tamga_core::tariff::Assessment;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use crate::records::User;

/// One version of a declaration's assessment. Version 1 is made at acceptance; later versions
/// (after inspection) replace it for the balance, and all stay on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AssessmentRecord {
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub assessed_at: OffsetDateTime,
    pub assessed_by: String,
    pub reason: Option<String>,
    /// For a re-assessment: the corrections to the declared items it rests on.
    #[schema(value_type = Option<Object>)]
    pub corrections: Option<serde_json::Value>,
    pub assessment: Assessment,
}

/// A recorded re-assessment, with the balance after it and the total it replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassessed {
    pub record: AssessmentRecord,
    pub balance: Balance,
    pub previous_total: Decimal,
}

/// A re-assessment to record as the next version.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub assessment: Assessment,
    pub by: User,
    pub at: OffsetDateTime,
    pub reason: String,
    pub corrections: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PaymentKind {
    /// Money received.
    Payment,
    /// A guarantee (bank guarantee, deposit) securing the amount.
    Guarantee,
}

impl PaymentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentKind::Payment => "payment",
            PaymentKind::Guarantee => "guarantee",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [PaymentKind::Payment, PaymentKind::Guarantee]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub kind: PaymentKind,
    pub amount: Decimal,
    pub method: String,
    pub reference: String,
    pub by: User,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Payment {
    pub id: i64,
    pub kind: PaymentKind,
    pub amount: Decimal,
    pub method: String,
    pub reference: String,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

/// What is owed on a declaration against its latest assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Balance {
    pub currency: String,
    /// The version of the assessment the balance is against.
    pub assessment_version: i64,
    pub assessed: Decimal,
    pub paid: Decimal,
    pub guaranteed: Decimal,
    /// Still to pay or guarantee before release.
    pub due: Decimal,
    /// Paid beyond what is assessed (after a re-assessment lowered it).
    pub refundable: Decimal,
    pub payments: Vec<Payment>,
}

impl Balance {
    pub fn compute(
        currency: String,
        version: i64,
        assessed: Decimal,
        payments: Vec<Payment>,
    ) -> Balance {
        let sum = |kind| {
            payments
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| p.amount)
                .sum::<Decimal>()
        };
        let (paid, guaranteed) = (sum(PaymentKind::Payment), sum(PaymentKind::Guarantee));
        let cents = |mut value: Decimal| {
            value.rescale(2);
            value
        };
        Balance {
            currency,
            assessment_version: version,
            assessed,
            due: cents((assessed - paid - guaranteed).max(Decimal::ZERO)),
            refundable: cents((paid - assessed).max(Decimal::ZERO)),
            paid,
            guaranteed,
            payments,
        }
    }
}

/// One exchange rate: national units per unit of `currency` from `valid_from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateRow {
    pub currency: String,
    pub valid_from: Date,
    pub rate: Decimal,
}

/// An imported tariff file, the latest of which is in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffImport {
    pub name: String,
    pub content: String,
    pub imported_at: OffsetDateTime,
    pub imported_by: String,
}
