//! Tariff arithmetic: duty expressions, measures, exchange rates and the assessment of a
//! declaration, all exact decimal arithmetic with documented rounding.

pub mod assess;
pub mod expr;
pub mod load;
pub mod measure;
pub mod quantity;
pub mod rates;
pub mod valuation;

pub use assess::{assess, Assessment, AssessmentError, Context};
pub use expr::{DutyExpression, ExpressionError, Signed, Sum, Term};
pub use measure::{Measure, MeasureKind, Origins, Tariff, TariffLine};
pub use rates::ExchangeRates;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_quantities;
