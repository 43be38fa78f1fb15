//! Revenue at the edge: the tariff snapshot every assessment reads, and the endpoints for
//! assessments, payments, the tariff and the calculator.

use std::sync::{Arc, RwLock};

use tamga_core::tariff::{self, Assessment, AssessmentError, Context, ExchangeRates, Tariff};
use tamga_core::{Declaration, FieldError};
use tamga_store::{RateRow, Store, StoreError, TariffImport};
use time::OffsetDateTime;

pub mod advance;
pub(crate) mod reassess;
pub mod routes;
pub mod valuation;

pub(crate) use routes::router;
pub use routes::{AssessmentView, MeasureView, PaymentRequest, TariffView};

/// The illustrative starter tariff and rates shipped in `data/tariff/`, imported on first start.
pub const STARTER_TARIFF: &str = include_str!("../../../../data/tariff/uz-starter-tariff.csv");
pub const STARTER_RATES: &str = include_str!("../../../../data/tariff/uz-rates.csv");
pub const NATIONAL_CURRENCY: &str = "UZS";

/// The tariff and rates in force, parsed once and shared by every request.
#[derive(Debug, Default)]
pub struct Revenue {
    pub tariff: Tariff,
    pub rates: ExchangeRates,
    /// Reference unit values for the undervaluation indicator.
    pub valuation: tariff::valuation::ValuationTable,
    /// Which tariff import this is, for `/readyz` and logs.
    pub source: Option<(String, OffsetDateTime)>,
}

/// A shared, replaceable [`Revenue`].
#[derive(Debug, Clone, Default)]
pub struct RevenueCell(Arc<RwLock<Arc<Revenue>>>);

impl RevenueCell {
    pub fn get(&self) -> Arc<Revenue> {
        self.0.read().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn set(&self, revenue: Revenue) {
        if let Ok(mut slot) = self.0.write() {
            *slot = Arc::new(revenue);
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RevenueError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the stored tariff {name} does not parse: {problems}")]
    Tariff { name: String, problems: String },
}

/// Imports the shipped illustrative tariff and rates when the database has none.
pub async fn bootstrap(store: &dyn Store) -> Result<bool, RevenueError> {
    if store.current_tariff().await?.is_some() {
        return Ok(false);
    }
    store
        .import_tariff(TariffImport {
            name: "uz-starter-tariff.csv (illustrative)".into(),
            content: STARTER_TARIFF.into(),
            imported_at: tamga_store::sql::now(),
            imported_by: "tamga first start".into(),
        })
        .await?;
    if store.rates().await?.is_empty() {
        let rates = parse_rate_rows(STARTER_RATES).map_err(|problems| RevenueError::Tariff {
            name: "uz-rates.csv".into(),
            problems,
        })?;
        store.import_rates(rates).await?;
    }
    Ok(true)
}

/// Rate rows of a rates CSV, or every problem in one message.
pub fn parse_rate_rows(text: &str) -> Result<Vec<RateRow>, String> {
    tariff::load::parse_rate_rows(text)
        .map_err(|errors| join(&errors))
        .map(|rows| {
            rows.into_iter()
                .map(|(currency, valid_from, rate)| RateRow {
                    currency,
                    valid_from,
                    rate,
                })
                .collect()
        })
}

fn join(errors: &[tariff::load::RowError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reads the tariff in force, every rate and every valuation reference from the store.
pub async fn load(store: &dyn Store) -> Result<Revenue, RevenueError> {
    let mut rates = ExchangeRates::new(NATIONAL_CURRENCY);
    for row in store.rates().await? {
        rates.insert(&row.currency, row.valid_from, row.rate);
    }
    let mut valuation = tariff::valuation::ValuationTable::default();
    for reference in store.references().await? {
        valuation.insert(reference);
    }
    let Some(import) = store.current_tariff().await? else {
        return Ok(Revenue {
            tariff: Tariff::default(),
            rates,
            valuation,
            source: None,
        });
    };
    let tariff =
        tariff::load::parse_tariff(&import.content).map_err(|errors| RevenueError::Tariff {
            name: import.name.clone(),
            problems: join(&errors),
        })?;
    Ok(Revenue {
        tariff,
        rates,
        valuation,
        source: Some((import.name, import.imported_at)),
    })
}

/// The assessment of a validated import at the instant `at`, or field errors naming what is
/// missing for it. Other declaration types are not assessed.
pub fn assess_declaration(
    revenue: &Revenue,
    declaration: &Declaration,
    at: OffsetDateTime,
) -> Result<Option<Assessment>, Vec<FieldError>> {
    if declaration.declaration_type != tamga_core::model::DeclarationType::Import {
        return Ok(None);
    }
    let offset = tamga_core::refdata::office_utc_offset(declaration.customs_office.country());
    let context = Context {
        tariff: &revenue.tariff,
        rates: &revenue.rates,
        date: at.to_offset(offset).date(),
    };
    tariff::assess(declaration, &context)
        .map(Some)
        .map_err(|errors| errors.iter().map(|e| field_error(declaration, e)).collect())
}

fn field_error(declaration: &Declaration, error: &AssessmentError) -> FieldError {
    let item = |sequence: &u16| {
        declaration
            .items
            .iter()
            .position(|i| i.sequence == *sequence)
            .unwrap_or_default()
    };
    let message = error.to_string();
    let (pointer, code) = match error {
        AssessmentError::NotAnImport => ("/type".to_owned(), "not_assessable"),
        AssessmentError::NoInvoice => ("/invoice".to_owned(), "missing"),
        AssessmentError::NoRate { .. } => ("/invoice/currency".to_owned(), "no_exchange_rate"),
        AssessmentError::NoPrice { sequence } => {
            (format!("/items/{}/price", item(sequence)), "missing")
        }
        AssessmentError::NoDuty { sequence, .. } => (
            format!("/items/{}/commodity_code", item(sequence)),
            "no_tariff_measure",
        ),
        AssessmentError::NoVat { sequence, .. } => (
            format!("/items/{}/commodity_code", item(sequence)),
            "no_vat_measure",
        ),
        AssessmentError::MissingQuantity { sequence, .. } => (
            format!("/items/{}/supplementary_quantity", item(sequence)),
            "quantity_required",
        ),
        AssessmentError::UnsupportedBase { sequence, .. } => (
            format!("/items/{}/commodity_code", item(sequence)),
            "unsupported_duty_base",
        ),
    };
    FieldError::new(pointer, code, message)
}
