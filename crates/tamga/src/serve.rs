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
    let store = open_store(settings).await?;
    bootstrap_admin(&*store).await?;
    let api = tamga_api::ApiSettings {
        body_limit: settings.body_limit,
    };
    let app = tamga_api::router(tamga_api::AppState::new(store.clone(), api));
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, backend = store.backend(), "serving");
    println!(
        "tamga listening on http://{address} ({} database)",
        store.backend()
    );
    tamga_api::serve(listener, app, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
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
