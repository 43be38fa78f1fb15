//! `tamga serve` and `tamga migrate`.

use std::sync::Arc;

use anyhow::Context;
use tamga_core::role::Role;
use tamga_store::{token, Location, NewUser, Store};

use crate::settings::Settings;

pub fn location(settings: &Settings) -> Location {
    match &settings.database_url {
        Some(url) => Location::Postgres(url.expose().to_owned()),
        None => Location::SqliteDir(settings.data_dir.clone()),
    }
}

pub async fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn Store>> {
    let store: Arc<dyn Store> = match location(settings) {
        Location::Postgres(url) => Arc::new(
            tamga_store::postgres::PgStore::connect(&url, settings.database_max_connections)
                .await
                .context("cannot open the PostgreSQL database")?,
        ),
        Location::SqliteDir(dir) => Arc::new(
            tamga_store::sqlite::SqliteStore::open(&dir)
                .await
                .with_context(|| format!("cannot open the database in {}", dir.display()))?,
        ),
    };
    Ok(store)
}

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    println!("{} database migrated", store.backend());
    Ok(())
}

pub async fn serve(settings: &Settings) -> anyhow::Result<()> {
    // Installed before anything records, the SQLite writer's group commits included.
    let metrics = match &settings.metrics.listen {
        Some(_) => Some(tamga_api::metrics::install().map_err(anyhow::Error::msg)?),
        None => None,
    };
    let store = open_store(settings).await?;
    bootstrap_admin(&*store).await?;
    let reference = tamga_core::refdata::ReferenceData::embedded();
    tracing::info!(
        subheadings = reference.hs2022.subheadings().count(),
        offices = reference.offices.len(),
        "reference data loaded"
    );
    if tamga_api::revenue::bootstrap(&*store).await? {
        println!("First start: imported the ILLUSTRATIVE starter tariff and exchange rates (see data/tariff); import the official ones with `tamga import`.");
    }
    let state = tamga_api::AppState::new(store.clone(), api_settings(settings)?);
    state.revenue.set(tamga_api::revenue::load(&*store).await?);
    let counted = store.rebuild_tallies().await?;
    if counted > 0 {
        tracing::info!(
            decisions = counted,
            "hit-rate tallies built from the stored decisions"
        );
    }
    state.risk.refresh(&*store).await?;
    let engine = state.risk.get().engine.clone();
    tracing::info!(
        profiles = engine.profiles(),
        snapshot = engine.snapshot(),
        "targeting engine built"
    );
    tokio::spawn(refresh_revenue(state.clone()));
    tokio::spawn(refresh_risk(state.clone()));
    let sweep_every = std::time::Duration::from_secs(settings.transit.sweep_minutes.max(1) * 60);
    tokio::spawn(sweep_transit(state.clone(), sweep_every));
    let every = std::time::Duration::from_secs(settings.audit_checkpoint_seconds.max(1));
    tokio::spawn(crate::audit::checkpoints(store.clone(), every));
    if let Some(days) = settings.retention.personal_data_days {
        tokio::spawn(crate::retention::periodically(store.clone(), days));
    }
    if let (Some(handle), Some(listen)) = (metrics, &settings.metrics.listen) {
        serve_metrics(listen, tamga_api::metrics::router(state.clone(), handle)).await?;
    }
    crate::federation::start_outbox(store.clone(), &state.settings.federation).await?;
    let web = tamga_web::WebSettings {
        session_hours: settings.web.session_hours.max(1),
        secure_cookies: settings.web.secure_cookies,
    };
    let app = tamga_api::router_with(state, tamga_web::router(web));
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, backend = store.backend(), "serving");
    println!(
        "tamga listening on http://{address} ({} database)",
        store.backend()
    );
    tamga_api::serve_with(listener, app, settings.limits.server(), shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Serves `/metrics` on a listener of its own until the process ends.
async fn serve_metrics(listen: &str, app: axum::Router) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen for metrics on {listen}"))?;
    let address = listener.local_addr()?;
    println!("tamga metrics on http://{address}/metrics");
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(())
}

/// What the HTTP edge takes from the settings.
pub fn api_settings(settings: &Settings) -> anyhow::Result<tamga_api::ApiSettings> {
    let days = settings.control.audit_due_days;
    anyhow::ensure!(
        days >= 1,
        "control.audit_due_days must be at least 1, got {days}"
    );
    anyhow::ensure!(
        settings.attachments.max_size >= 1,
        "attachments.max_size must be at least 1 byte"
    );
    Ok(tamga_api::ApiSettings {
        body_limit: settings.body_limit,
        attachments: tamga_api::AttachmentSettings {
            dir: settings.attachments_dir(),
            max_size: settings.attachments.max_size,
        },
        control: tamga_control::task::TaskSettings {
            audit_due_days: days,
        },
        limits: settings.limits.rates(),
        trusted_proxies: tamga_api::forwarded::TrustedProxies::parse(
            settings.server.trusted_proxies.as_slice(),
        )
        .map_err(|e| anyhow::anyhow!("server.trusted_proxies: {e}"))?,
        federation: crate::federation::api_settings(&settings.federation)?,
        transit: tamga_api::transit::TransitSettings {
            recovery_after: time::Duration::days(i64::from(
                settings.transit.recovery_after_days.max(1),
            )),
            ..Default::default()
        },
        posts: crate::posts::api_settings(&settings.posts)?,
    })
}

/// Runs the transit overdue sweep every `every`: an enquiry on each released movement past its
/// time limit (the departure office's alert), recovery on each enquiry past the period.
async fn sweep_transit(state: tamga_api::AppState, every: std::time::Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        let transit = &state.settings.transit;
        match state
            .store
            .transit_sweep(transit.clock.now(), transit.recovery_after)
            .await
        {
            Ok(done) if done.is_empty() => {}
            Ok(done) => tracing::warn!(
                movements = done.len(),
                "transit sweep: enquiries or recovery opened"
            ),
            Err(e) => tracing::error!(error = %e, "transit sweep failed"),
        }
    }
}

/// Picks up tariffs, rates and valuation references imported by `tamga import` or rebuilt by
/// `tamga valuation rebuild` (separate processes) within ten seconds.
async fn refresh_revenue(state: tamga_api::AppState) {
    let mut ticker = tokio::time::interval(std::time::Duration::from_secs(10));
    let mut seen = signature(&*state.store).await.ok();
    loop {
        ticker.tick().await;
        let now = match signature(&*state.store).await {
            Ok(now) => now,
            Err(e) => {
                tracing::warn!(error = %e, "cannot check for a new tariff");
                continue;
            }
        };
        if seen.as_ref() == Some(&now) {
            continue;
        }
        match tamga_api::revenue::load(&*state.store).await {
            Ok(revenue) => {
                tracing::info!(
                    measures = revenue.tariff.measure_count(),
                    rates = revenue.rates.len(),
                    references = revenue.valuation.len(),
                    "tariff, rates and valuation references reloaded"
                );
                state.revenue.set(revenue);
                seen = Some(now);
            }
            Err(e) => {
                tracing::error!(error = %e, "the new tariff could not be loaded; keeping the previous one")
            }
        }
    }
}

/// Picks up profiles, lists, watchlists and settings changed by another server or by
/// `tamga import watchlist` within ten seconds; this server's own changes apply at once.
async fn refresh_risk(state: tamga_api::AppState) {
    let mut ticker = tokio::time::interval(std::time::Duration::from_secs(10));
    loop {
        ticker.tick().await;
        match state.risk.refresh(&*state.store).await {
            Ok(true) => {
                let engine = state.risk.get().engine.clone();
                tracing::info!(
                    profiles = engine.profiles(),
                    snapshot = engine.snapshot(),
                    "targeting engine rebuilt"
                );
            }
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(error = %e, "cannot check for risk changes; keeping the engine")
            }
        }
    }
}

/// What changes when revenue data is imported: the tariff import, every rate, every reference.
async fn signature(store: &dyn tamga_store::Store) -> Result<String, tamga_store::StoreError> {
    let tariff = store
        .current_tariff()
        .await?
        .map(|t| (t.name, t.imported_at));
    let rates: Vec<_> = store
        .rates()
        .await?
        .into_iter()
        .map(|r| (r.currency, r.valid_from, r.rate))
        .collect();
    let references = store.references().await?;
    Ok(format!("{tariff:?}{rates:?}{references:?}"))
}

/// On first start, with no user at all, creates `admin` and prints its token once.
async fn bootstrap_admin(store: &dyn Store) -> anyhow::Result<()> {
    if store.user_count().await? > 0 {
        return Ok(());
    }
    let secret = token::generate();
    let user = NewUser {
        name: "admin".into(),
        role: Role::Admin,
        party_id: None,
        token_hash: token::hash(&secret),
    };
    match store.create_user(user).await {
        Ok(_) => {
            println!("First start: created user 'admin'. Its API token is shown only now:");
            println!("{secret}");
            Ok(())
        }
        // Another server sharing the database created it first.
        Err(tamga_store::StoreError::Conflict(_)) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
