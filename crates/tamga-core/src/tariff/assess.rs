//! The assessment of an import declaration: customs value, then per item and tax type the
//! base, the measure, the expression and the amount, each line explaining itself.
//!
//! - The customs value of an item is its price plus the declared freight and insurance
//!   apportioned by price (a CIF value at the border), converted to national currency at the
//!   rate in force on the acceptance date. Declare freight and insurance only when the price
//!   does not already include them.
//! - Duty: the most specific preference for the item's origin when the item carries the
//!   measure's proof-of-origin document; otherwise the most specific
//!   third-country duty, doubled for goods of unknown origin or from a country without
//!   most-favoured-nation treatment (the unrounded duty is doubled, then rounded once). The most
//!   specific anti-dumping and countervailing duties for the origin are added. A restriction
//!   is satisfied by its licence on the item or on the declaration.
//! - Excise, then VAT on customs value + duties + excise.
//! - Rounding: each item's customs value and each tax amount is rounded half away from zero
//!   to the national currency's minor unit; totals are sums of rounded amounts.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use super::expr::{DutyExpression, Term};
use super::measure::{Measure, MeasureKind, Tariff};
use super::rates::ExchangeRates;
use crate::model::{Declaration, GoodsItem};

/// Digits after the point of the national currency (2 for UZS).
pub const MINOR_UNIT: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Assessment {
    /// National currency of every amount.
    pub currency: String,
    pub invoice_currency: String,
    /// National units per invoice currency unit, on the acceptance date.
    pub exchange_rate: Decimal,
    pub items: Vec<ItemAssessment>,
    /// Per tax type, the sum over items.
    pub totals: Vec<TaxTotal>,
    pub total: Decimal,
    /// Observations that change no amount: a preference without proof, a licence missing.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ItemAssessment {
    pub sequence: u16,
    pub commodity_code: String,
    pub customs_value: Decimal,
    pub taxes: Vec<TaxLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TaxLine {
    pub tax: MeasureKind,
    /// The value the percentage applies to (customs value, or the VAT base).
    pub base: Decimal,
    /// The tariff code the measure is attached to.
    pub measure_code: String,
    pub expression: String,
    pub amount: Decimal,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TaxTotal {
    pub tax: MeasureKind,
    pub amount: Decimal,
}

/// Why an assessment could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssessmentError {
    #[error("only import declarations are assessed")]
    NotAnImport,
    #[error("the declaration has no invoice")]
    NoInvoice,
    #[error("no exchange rate for {currency} on {date}")]
    NoRate { currency: String, date: String },
    #[error("item {sequence}: no price")]
    NoPrice { sequence: u16 },
    #[error("item {sequence}: no duty measure for {code} on {date}")]
    NoDuty {
        sequence: u16,
        code: String,
        date: String,
    },
    #[error("item {sequence}: no VAT measure for {code} on {date}")]
    NoVat {
        sequence: u16,
        code: String,
        date: String,
    },
    #[error("item {sequence}: the rate is per {unit}; declare a supplementary quantity in {unit}")]
    MissingQuantity { sequence: u16, unit: String },
    #[error(
        "item {sequence}: the rate applies to the {base}, which the declaration does not carry"
    )]
    UnsupportedBase { sequence: u16, base: String },
}

/// Everything an assessment reads.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub tariff: &'a Tariff,
    pub rates: &'a ExchangeRates,
    /// The acceptance date: it chooses measures and exchange rates.
    pub date: Date,
}

/// Rounds half away from zero to the minor unit, and always shows it (`0.00`, not `0`).
fn round(value: Decimal) -> Decimal {
    let mut rounded =
        value.round_dp_with_strategy(MINOR_UNIT, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(MINOR_UNIT);
    rounded
}

fn date_text(date: Date) -> String {
    crate::dates::format_date(date)
}

impl Context<'_> {
    fn rate(&self, currency: &str) -> Result<Decimal, AssessmentError> {
        self.rates
            .on(currency, self.date)
            .ok_or_else(|| AssessmentError::NoRate {
                currency: currency.to_owned(),
                date: date_text(self.date),
            })
    }
}

/// Assesses an accepted import declaration; every item error is reported.
pub fn assess(
    declaration: &Declaration,
    context: &Context<'_>,
) -> Result<Assessment, Vec<AssessmentError>> {
    let values = customs_values(declaration, context).map_err(|e| vec![e])?;
    let mut notes = Vec::new();
    let mut items = Vec::with_capacity(declaration.items.len());
    let mut errors = Vec::new();
    for (item, value) in declaration.items.iter().zip(values.values) {
        match assess_item(declaration, item, value, context, &mut notes) {
            Ok(assessed) => items.push(assessed),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let totals = totals(&items);
    Ok(Assessment {
        currency: context.rates.national.clone(),
        invoice_currency: values.currency,
        exchange_rate: values.rate,
        total: round(totals.iter().map(|t| t.amount).sum()),
        totals,
        items,
        notes,
    })
}

struct Values {
    currency: String,
    rate: Decimal,
    values: Vec<Decimal>,
}

/// Each item's CIF value in national currency.
fn customs_values(
    declaration: &Declaration,
    context: &Context<'_>,
) -> Result<Values, AssessmentError> {
    use crate::model::DeclarationType;
    if declaration.declaration_type != DeclarationType::Import {
        return Err(AssessmentError::NotAnImport);
    }
    let invoice = declaration
        .invoice
        .as_ref()
        .ok_or(AssessmentError::NoInvoice)?;
    let rate = context.rate(invoice.currency.as_str())?;
    let mut prices = Vec::with_capacity(declaration.items.len());
    for item in &declaration.items {
        prices.push(item.price.ok_or(AssessmentError::NoPrice {
            sequence: item.sequence,
        })?);
    }
    let total: Decimal = prices.iter().sum();
    let extra = declaration.freight.unwrap_or_default() + declaration.insurance.unwrap_or_default();
    let values = prices
        .iter()
        .map(|price| {
            let share = if total.is_zero() {
                Decimal::ZERO
            } else {
                extra * price / total
            };
            round((price + share) * rate)
        })
        .collect();
    Ok(Values {
        currency: invoice.currency.to_string(),
        rate,
        values,
    })
}

fn assess_item(
    declaration: &Declaration,
    item: &GoodsItem,
    value: Decimal,
    context: &Context<'_>,
    notes: &mut Vec<String>,
) -> Result<ItemAssessment, AssessmentError> {
    let code = item.commodity_code.as_str();
    let origin = item.origin.as_ref().map(|o| o.as_str());
    let measures: Vec<&Measure> = context.tariff.measures_for(code, context.date).collect();
    let find = |kind| most_specific(&measures, kind, context.tariff, origin);
    let carries = |document: &Option<String>| has_document(declaration, item, document.as_deref());
    let mut taxes = vec![duty(item, value, &measures, context, notes)?];
    for kind in [MeasureKind::AntiDumping, MeasureKind::Countervailing] {
        if let Some(measure) = find(kind) {
            taxes.push(line(
                item,
                measure,
                value,
                context,
                "for this origin".into(),
            )?);
        }
    }
    if let Some(excise) = find(MeasureKind::Excise) {
        taxes.push(line(item, excise, value, context, "excise".into())?);
    }
    let vat_base = value + taxes.iter().map(|t| t.amount).sum::<Decimal>();
    let vat = find(MeasureKind::Vat).ok_or_else(|| AssessmentError::NoVat {
        sequence: item.sequence,
        code: code.to_owned(),
        date: date_text(context.date),
    })?;
    taxes.push(line(
        item,
        vat,
        vat_base,
        context,
        "on customs value + duties + excise".into(),
    )?);
    for restriction in measures
        .iter()
        .filter(|m| m.kind == MeasureKind::Restriction && !carries(&m.document))
    {
        let document = restriction.document.as_deref().unwrap_or("a licence");
        notes.push(format!(
            "item {}: {code} needs document {document}, which is not declared",
            item.sequence
        ));
    }
    Ok(ItemAssessment {
        sequence: item.sequence,
        commodity_code: code.to_owned(),
        customs_value: value,
        taxes,
    })
}

/// The duty line: a proven preference, else the third-country duty (doubled where due).
fn duty(
    item: &GoodsItem,
    value: Decimal,
    measures: &[&Measure],
    context: &Context<'_>,
    notes: &mut Vec<String>,
) -> Result<TaxLine, AssessmentError> {
    let origin = item.origin.as_ref().map(|o| o.as_str());
    if let Some(preference) =
        most_specific(measures, MeasureKind::Preference, context.tariff, origin)
    {
        let proof = preference.document.as_deref();
        if item
            .documents
            .iter()
            .any(|d| Some(d.document_type.as_str()) == proof)
            || proof.is_none()
        {
            let why = format!(
                "preference for origin {} applied, proof of origin {} declared",
                origin.unwrap_or("?"),
                proof.unwrap_or("not required")
            );
            return line(item, preference, value, context, why);
        }
        notes.push(format!(
            "item {}: a preference exists for origin {}, but proof of origin {} is not declared on the item; the third-country duty applies",
            item.sequence,
            origin.unwrap_or("?"),
            proof.unwrap_or("?")
        ));
    }
    let third = most_specific(
        measures,
        MeasureKind::ThirdCountryDuty,
        context.tariff,
        origin,
    )
    .ok_or_else(|| AssessmentError::NoDuty {
        sequence: item.sequence,
        code: item.commodity_code.to_string(),
        date: date_text(context.date),
    })?;
    let doubled = context.tariff.doubles(origin);
    let factor = if doubled { Decimal::TWO } else { Decimal::ONE };
    let mut duty = scaled_line(
        item,
        third,
        value,
        context,
        "third-country duty".into(),
        factor,
    )?;
    if doubled {
        duty.explanation = match origin {
            None => "third-country duty, doubled: origin unknown".into(),
            Some(o) => {
                format!("third-country duty, doubled: {o} has no most-favoured-nation treatment")
            }
        };
    }
    Ok(duty)
}

fn has_document(declaration: &Declaration, item: &GoodsItem, document: Option<&str>) -> bool {
    let Some(document) = document else {
        return true;
    };
    item.documents
        .iter()
        .chain(&declaration.documents)
        .any(|d| d.document_type.as_str() == document)
}

/// The measure of `kind` attached to the longest code prefix that covers `origin`.
fn most_specific<'m>(
    measures: &[&'m Measure],
    kind: MeasureKind,
    tariff: &Tariff,
    origin: Option<&str>,
) -> Option<&'m Measure> {
    measures
        .iter()
        .filter(|m| m.kind == kind && tariff.covers(&m.origins, origin))
        .max_by_key(|m| (m.code.len(), origin_rank(&m.origins), m.valid_from))
        .copied()
}

/// Between measures on the same code, one for the country beats one for its group, which
/// beats one for any origin; then the latest to enter into force wins.
fn origin_rank(origins: &super::measure::Origins) -> u8 {
    use super::measure::Origins;
    match origins {
        Origins::Country(_) => 2,
        Origins::Group(_) => 1,
        Origins::Any => 0,
    }
}

fn line(
    item: &GoodsItem,
    measure: &Measure,
    base: Decimal,
    context: &Context<'_>,
    explanation: String,
) -> Result<TaxLine, AssessmentError> {
    scaled_line(item, measure, base, context, explanation, Decimal::ONE)
}

/// A tax line whose unrounded amount is multiplied by `factor` before the one rounding.
fn scaled_line(
    item: &GoodsItem,
    measure: &Measure,
    base: Decimal,
    context: &Context<'_>,
    explanation: String,
    factor: Decimal,
) -> Result<TaxLine, AssessmentError> {
    let (amount, expression) = match &measure.expression {
        Some(expression) => (
            evaluate(expression, base, item, context)? * factor,
            expression.to_string(),
        ),
        None => (Decimal::ZERO, String::new()),
    };
    Ok(TaxLine {
        tax: measure.kind,
        base,
        measure_code: measure.code.clone(),
        expression,
        amount: round(amount),
        explanation,
    })
}

/// The value of an expression for one item: its terms summed, then floors and ceilings.
pub fn evaluate(
    expression: &DutyExpression,
    base: Decimal,
    item: &GoodsItem,
    context: &Context<'_>,
) -> Result<Decimal, AssessmentError> {
    let mut value = Decimal::ZERO;
    for term in &expression.terms {
        value += term_value(term, base, item, context)?;
    }
    for floor in &expression.minimums {
        value = value.max(term_value(floor, base, item, context)?);
    }
    for ceiling in &expression.maximums {
        value = value.min(term_value(ceiling, base, item, context)?);
    }
    Ok(value.max(Decimal::ZERO))
}

fn term_value(
    term: &Term,
    base: Decimal,
    item: &GoodsItem,
    context: &Context<'_>,
) -> Result<Decimal, AssessmentError> {
    match term {
        Term::AdValorem {
            percent,
            base: None,
        } => Ok(base * percent / Decimal::ONE_HUNDRED),
        Term::AdValorem {
            base: Some(other), ..
        } => Err(AssessmentError::UnsupportedBase {
            sequence: item.sequence,
            base: other.to_lowercase(),
        }),
        Term::Specific {
            amount,
            currency,
            per,
            unit,
        } => {
            let quantity = quantity(item, unit)?;
            Ok(amount * context.rate(currency)? * quantity / per)
        }
    }
}

/// The item's quantity in `unit`: net mass for kilograms, else its supplementary quantity
/// (declared in `unit`, or without a unit and so in the tariff's).
fn quantity(item: &GoodsItem, unit: &str) -> Result<Decimal, AssessmentError> {
    if unit == "kg" {
        return Ok(item.net_mass);
    }
    item.supplementary_quantity
        .as_ref()
        .and_then(|q| q.in_unit(unit))
        .ok_or_else(|| AssessmentError::MissingQuantity {
            sequence: item.sequence,
            unit: unit.to_owned(),
        })
}

fn totals(items: &[ItemAssessment]) -> Vec<TaxTotal> {
    let mut totals: Vec<TaxTotal> = Vec::new();
    for tax in items.iter().flat_map(|i| &i.taxes) {
        match totals.iter_mut().find(|t| t.tax == tax.tax) {
            Some(total) => total.amount += tax.amount,
            None => totals.push(TaxTotal {
                tax: tax.tax,
                amount: tax.amount,
            }),
        }
    }
    totals
}
