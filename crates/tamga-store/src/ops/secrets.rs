//! The server's secrets in `node_secrets`: 32 random bytes per name, made at first use and
//! never returned by the API. The selectivity draws' secret is kept in versions
//! (`selectivity/1`, `selectivity/2`, ...) so that a rotation leaves earlier draws replayable;
//! the audit log's Ed25519 signing key is one more secret.

use base64::Engine;

use crate::conn::{Bind, Conn};
use crate::{Result, StoreError};

/// The name of the audit log's signing key (its 32-byte seed).
pub(crate) const AUDIT_SIGNING_KEY: &str = "audit-signing-key";
/// The prefix of the selectivity secret's versions.
const SELECTIVITY: &str = "selectivity/";

/// The secret called `name`, made now if there is none. Concurrent first uses agree, since
/// only one insert wins and both read the winner back.
pub(crate) async fn node_secret(conn: &mut Conn<'_>, name: &str) -> Result<Vec<u8>> {
    let select = "SELECT secret FROM node_secrets WHERE name = $1";
    let stored: Option<String> = conn.optional_scalar(select, &[Bind::Str(name)]).await?;
    let text = match stored {
        Some(text) => text,
        None => {
            let insert = "INSERT INTO node_secrets (name, secret) VALUES ($1, $2) \
                 ON CONFLICT (name) DO NOTHING";
            conn.execute(insert, &[Bind::Str(name), Bind::Text(fresh())])
                .await?;
            conn.scalar(select, &[Bind::Str(name)]).await?
        }
    };
    decode(name, &text)
}

/// The secret called `name` if it was made (a read).
pub(crate) async fn stored(conn: &mut Conn<'_>, name: &str) -> Result<Option<Vec<u8>>> {
    let select = "SELECT secret FROM node_secrets WHERE name = $1";
    let stored: Option<String> = conn.optional_scalar(select, &[Bind::Str(name)]).await?;
    stored.map(|text| decode(name, &text)).transpose()
}

fn fresh() -> String {
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn decode(name: &str, text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| StoreError::Corrupt(format!("the secret {name:?} is not base64")))
}

/// The versions of the selectivity secret, oldest first.
async fn selectivity_versions(conn: &mut Conn<'_>) -> Result<Vec<u32>> {
    let select = "SELECT name FROM node_secrets WHERE name LIKE 'selectivity/%'";
    let names: Vec<(String,)> = conn.all(select, &[]).await?;
    let mut versions: Vec<u32> = names
        .iter()
        .filter_map(|(n,)| n.strip_prefix(SELECTIVITY)?.parse().ok())
        .collect();
    versions.sort_unstable();
    Ok(versions)
}

/// The selectivity secret in force and its version, if one was made (a read).
pub(crate) async fn latest_selectivity(conn: &mut Conn<'_>) -> Result<Option<(u32, Vec<u8>)>> {
    let Some(version) = selectivity_versions(conn).await?.pop() else {
        return Ok(None);
    };
    let secret = selectivity_secret_of(conn, version).await?;
    Ok(secret.map(|s| (version, s)))
}

/// The selectivity secret in force and its version, the first made now if there is none.
pub(crate) async fn selectivity_secret(conn: &mut Conn<'_>) -> Result<(u32, Vec<u8>)> {
    let version = selectivity_versions(conn).await?.pop().unwrap_or(1);
    let secret = node_secret(conn, &format!("{SELECTIVITY}{version}")).await?;
    Ok((version, secret))
}

/// The selectivity secret of `version`, if it was ever made.
pub(crate) async fn selectivity_secret_of(
    conn: &mut Conn<'_>,
    version: u32,
) -> Result<Option<Vec<u8>>> {
    let select = "SELECT secret FROM node_secrets WHERE name = $1";
    let name = format!("{SELECTIVITY}{version}");
    let stored: Option<String> = conn.optional_scalar(select, &[Bind::Str(&name)]).await?;
    stored.map(|text| decode(&name, &text)).transpose()
}

/// Makes the next version of the selectivity secret, which decides every draw from now on;
/// the audit log records the rotation (its version, never the secret). Returns the version.
pub(crate) async fn rotate_selectivity(conn: &mut Conn<'_>, by: &str) -> Result<u32> {
    let next = selectivity_versions(conn).await?.pop().unwrap_or(0) + 1;
    let name = format!("{SELECTIVITY}{next}");
    let insert = "INSERT INTO node_secrets (name, secret) VALUES ($1, $2)";
    conn.execute(insert, &[Bind::Str(&name), Bind::Text(fresh())])
        .await?;
    let detail = format!("selectivity secret version {next}");
    let change = super::audit::Change::new(by, "secret.rotate", &name, detail.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(next)
}
