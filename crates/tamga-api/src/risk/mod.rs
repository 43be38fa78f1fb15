//! The National Targeting Center at the edge: the engine snapshot every acceptance reads, its
//! reload when profiles, lists, watchlists or settings change, and the analysts' and officers'
//! endpoints.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::http::StatusCode;
use tamga_core::{Declaration, FieldError};
use tamga_risk::engine::{Engine, EngineParts, ItemScorer, NameScreen};
use tamga_risk::facts::ItemFacts;
use tamga_risk::lists::NamedList;
use tamga_risk::selectivity::{DrawSecret, Selectivity};
use tamga_risk::watch::ListScreen;
use tamga_risk::Profile;
use tamga_store::risk::kind;
use tamga_store::{Store, StoreError, User};
use tamga_watchlist::{Entry, Screener};
use time::{Date, OffsetDateTime};

use crate::error::ApiError;

mod aeo;
pub mod dry_run;
pub mod feedback;
pub mod lists;
pub mod models;
pub mod profiles;
pub mod settings;
pub mod watchlists;

mod routes;

pub(crate) use routes::router;

/// (name, version) of each watchlist.
type Versions = Vec<(String, u32)>;

/// The engine in force and what it was built from.
#[derive(Debug, Default)]
pub struct Risk {
    pub engine: Arc<Engine>,
    /// (kind, name, version) of every document the engine was built from, and a digest of
    /// the party registry's AEO holders.
    /// `None` until the first load.
    pub signature: Option<Vec<(String, String, u32)>>,
    /// When this engine was built (`None` before the first load).
    pub built_at: Option<OffsetDateTime>,
    /// The watchlists' screener, reused while the watchlists do not change.
    screener: Option<(Versions, Arc<Screener>, Arc<ListScreen>)>,
    /// The active model, reused while the activation does not change.
    model: Option<((String, u32), Arc<tamga_risk::model::ModelScorer>)>,
}

impl Risk {
    /// The watchlists loaded, with their versions, and their screener.
    pub fn watchlists(&self) -> Option<(&Versions, &Arc<Screener>)> {
        self.screener.as_ref().map(|(v, s, _)| (v, s))
    }
}

/// The shared, replaceable [`Risk`]. (The daily red capacities are counted in the store.)
#[derive(Debug, Clone, Default)]
pub struct RiskCell {
    current: Arc<RwLock<Arc<Risk>>>,
}

impl RiskCell {
    pub fn get(&self) -> Arc<Risk> {
        self.current.read().map(|r| r.clone()).unwrap_or_default()
    }

    fn set(&self, risk: Risk) {
        if let Ok(mut slot) = self.current.write() {
            *slot = Arc::new(risk);
        }
    }

    /// Rebuilds the engine when the stored documents changed; returns whether it did.
    pub async fn refresh(&self, store: &dyn Store) -> Result<bool, StoreError> {
        let holders = aeo::holders(store).await?;
        let mut signature = store.document_versions().await?;
        signature.push(aeo::signature(&holders));
        // A rotated secret rebuilds the engine too (on every server sharing the database).
        let (version, secret) = store.selectivity_secret().await?;
        signature.push(("secret".into(), "selectivity".into(), version));
        let current = self.get();
        if current.signature.as_ref() == Some(&signature) {
            return Ok(false);
        }
        let secret = DrawSecret::new(version, &secret);
        let risk = load(store, signature, (holders, secret), &current).await?;
        for (id, version, error) in risk.engine.skipped() {
            tracing::warn!(profile = %id, version, %error, "risk profile skipped");
        }
        self.set(risk);
        Ok(true)
    }
}

fn parse_all<T: serde::de::DeserializeOwned>(
    docs: &[tamga_store::risk::StoredDocument],
) -> Vec<(u32, T)> {
    docs.iter()
        .filter_map(|d| match serde_json::from_str(&d.document) {
            Ok(value) => Some((d.version, value)),
            Err(error) => {
                tracing::error!(kind = %d.kind, name = %d.name, %error, "unreadable risk document");
                None
            }
        })
        .collect()
}

async fn load(
    store: &dyn Store,
    signature: Vec<(String, String, u32)>,
    (aeo_holders, draw_secret): (Vec<String>, DrawSecret),
    current: &Risk,
) -> Result<Risk, StoreError> {
    let profiles = store.documents(kind::PROFILE, None, false).await?;
    let profiles = parse_all::<Profile>(&profiles)
        .into_iter()
        .map(|(version, mut p)| {
            p.version = version;
            p
        })
        .collect();
    let (lists, selectivity) = lists_and_selectivity(store, aeo_holders).await?;
    let screener = screener(store, &signature, current).await?;
    let model = model(store, current).await?;
    let digest: Vec<String> = signature
        .iter()
        .map(|(k, n, v)| format!("{k}:{n}@{v}"))
        .collect();
    let engine = Engine::build(EngineParts {
        profiles,
        lists,
        selectivity,
        draw_secret,
        screen: screener
            .as_ref()
            .map(|(_, _, list)| list.clone() as Arc<dyn NameScreen>),
        scorer: model
            .as_ref()
            .map(|(_, m)| m.clone() as Arc<dyn ItemScorer>),
        snapshot: snapshot_name(&digest),
    });
    Ok(Risk {
        engine: Arc::new(engine),
        signature: Some(signature),
        built_at: Some(OffsetDateTime::now_utc()),
        screener,
        model,
    })
}

/// The named lists (the AEO register joined by the party registry's holders) and the
/// selectivity settings in force.
async fn lists_and_selectivity(
    store: &dyn Store,
    aeo_holders: Vec<String>,
) -> Result<(Vec<NamedList>, Selectivity), StoreError> {
    let lists = parse_all::<NamedList>(&store.documents(kind::LIST, None, false).await?);
    let selectivity = store.documents(kind::SELECTIVITY, None, false).await?;
    let selectivity = parse_all::<Selectivity>(&selectivity)
        .pop()
        .map(|(_, s)| s)
        .unwrap_or_default();
    let mut lists: Vec<NamedList> = lists.into_iter().map(|(_, l)| l).collect();
    aeo::merge(&mut lists, &selectivity.aeo_register, aeo_holders);
    Ok((lists, selectivity))
}

/// An engine with the lists and selectivity settings in force and nothing else (no profiles,
/// watchlists or model): enough to ask [`Engine::aeo`] who holds AEO status as acceptance
/// does, for training rows built outside a server (`tamga model train --from-db`).
pub async fn register_engine(store: &dyn Store) -> Result<Engine, StoreError> {
    let holders = aeo::holders(store).await?;
    let (lists, selectivity) = lists_and_selectivity(store, holders).await?;
    Ok(Engine::build(EngineParts {
        lists,
        selectivity,
        ..EngineParts::default()
    }))
}

type Loaded = Option<((String, u32), Arc<tamga_risk::model::ModelScorer>)>;

/// The active model: the one already loaded when the activation names it still.
async fn model(store: &dyn Store, current: &Risk) -> Result<Loaded, StoreError> {
    let activation = models::activation(store).await?;
    if let (Some(a), Some((loaded, scorer))) = (&activation, &current.model) {
        if a.name.as_deref() == Some(loaded.0.as_str()) && a.version == Some(loaded.1) {
            return Ok(Some((loaded.clone(), scorer.clone())));
        }
    }
    models::active(store).await
}

/// A short, stable name for what a snapshot was built from.
fn snapshot_name(parts: &[String]) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    format!("{}-{:016x}", parts.len(), h.finish())
}

async fn screener(
    store: &dyn Store,
    signature: &[(String, String, u32)],
    current: &Risk,
) -> Result<Option<(Versions, Arc<Screener>, Arc<ListScreen>)>, StoreError> {
    let versions: Versions = signature
        .iter()
        .filter(|(k, _, _)| k == kind::WATCHLIST)
        .map(|(_, n, v)| (n.clone(), *v))
        .collect();
    if versions.is_empty() {
        return Ok(None);
    }
    if let Some((built_from, screener, list)) = &current.screener {
        if *built_from == versions {
            return Ok(Some((versions, screener.clone(), list.clone())));
        }
    }
    let docs = store.documents(kind::WATCHLIST, None, false).await?;
    let entries: Vec<Entry> = parse_all::<Vec<Entry>>(&docs)
        .into_iter()
        .flat_map(|(_, e)| e)
        .collect();
    let screener = tokio::task::spawn_blocking(move || Screener::new(entries))
        .await
        .map_err(|e| StoreError::Corrupt(format!("building the watchlist screener: {e}")))?;
    let screener = Arc::new(screener);
    let list = Arc::new(ListScreen::new(screener.clone()));
    Ok(Some((versions, screener, list)))
}

/// The office-local day of `at` at `office`.
pub fn office_day(office: &str, at: OffsetDateTime) -> Date {
    let country = office.get(..2).unwrap_or("UZ");
    at.to_offset(tamga_core::refdata::office_utc_offset(country))
        .date()
}

/// Item facts from the acceptance assessment and the valuation references.
pub fn item_facts(
    declaration: &Declaration,
    assessment: Option<&tamga_core::tariff::Assessment>,
    valuation: &tamga_core::tariff::valuation::ValuationTable,
) -> Vec<ItemFacts> {
    use rust_decimal::prelude::ToPrimitive;
    let Some(assessment) = assessment else {
        return vec![ItemFacts::default(); declaration.items.len()];
    };
    use tamga_core::tariff::MeasureKind;
    let values: HashMap<u16, f64> = assessment
        .items
        .iter()
        .filter_map(|i| Some((i.sequence, i.customs_value.to_f64()?)))
        .collect();
    let duty_rates: HashMap<u16, f64> = assessment
        .items
        .iter()
        .filter(|i| !i.customs_value.is_zero())
        .filter_map(|i| {
            let duty: rust_decimal::Decimal = i
                .taxes
                .iter()
                .filter(|t| {
                    matches!(
                        t.tax,
                        MeasureKind::ThirdCountryDuty | MeasureKind::Preference
                    )
                })
                .map(|t| t.amount)
                .sum();
            Some((i.sequence, (duty / i.customs_value).to_f64()? * 100.0))
        })
        .collect();
    let ratios: HashMap<u16, f64> =
        tamga_core::tariff::valuation::indicators(declaration, assessment, valuation)
            .into_iter()
            .filter_map(|i| Some((i.sequence, i.ratio?.to_f64()?)))
            .collect();
    declaration
        .items
        .iter()
        .map(|item| ItemFacts {
            value: values.get(&item.sequence).copied(),
            unit_value_ratio: ratios.get(&item.sequence).copied(),
            duty_rate: duty_rates.get(&item.sequence).copied(),
        })
        .collect()
}

/// Whether `user` sees a decision's score and explanation: whoever the access table admits to
/// the targeting center's profiles (customs staff outside the laboratory), not a declarant.
pub fn sees_explanations(user: &User) -> bool {
    crate::access::may(user, "GET /api/v1/risk/profiles")
}

/// A 422 naming every invalid field of a risk document.
pub fn invalid(what: &str, errors: Vec<FieldError>) -> ApiError {
    ApiError::BadRequest {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        detail: format!("the {what} is invalid"),
        errors,
    }
}

/// Every change says why.
pub fn check_reason(reason: &str, errors: &mut Vec<FieldError>) {
    if reason.trim().is_empty() || reason.len() > 1000 {
        errors.push(FieldError::new(
            "/reason",
            "required",
            "say why, in at most 1,000 characters",
        ));
    }
}

/// Rebuilds the engine after a change, so the change applies to the next acceptance.
pub async fn rebuild(state: &crate::AppState) -> Result<(), ApiError> {
    state.risk.refresh(&*state.store).await?;
    Ok(())
}
