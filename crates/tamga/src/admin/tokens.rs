//! `tamga admin tokens|issue-token|revoke-token`: a user's API tokens on the database itself.

use anyhow::{bail, Context};
use tamga_store::token::{self, Revocation, TokenInfo};
use tamga_store::Store;

use super::ADMIN_ACTOR;

async fn user_id(store: &dyn Store, name: &str) -> anyhow::Result<i64> {
    match store.user_by_name(name).await? {
        Some(user) => Ok(user.id),
        None => bail!("no user named {name:?}"),
    }
}

fn line(t: &TokenInfo) -> String {
    match (&t.revoked_at, &t.revoked_by) {
        (Some(at), by) => format!(
            "{}\tcreated {}\trevoked {} by {}",
            t.id,
            t.created_at,
            at,
            by.as_deref().unwrap_or("-")
        ),
        (None, _) => format!("{}\tcreated {}\tin force", t.id, t.created_at),
    }
}

/// Prints the user's tokens, one a line: id, creation, state.
pub async fn list(store: &dyn Store, name: &str) -> anyhow::Result<()> {
    let id = user_id(store, name).await?;
    let tokens = store.tokens_of(id).await?.unwrap_or_default();
    for t in &tokens {
        println!("{}", line(t));
    }
    Ok(())
}

/// Issues a new token and prints its secret as the last line.
pub async fn issue(store: &dyn Store, name: &str) -> anyhow::Result<()> {
    let id = user_id(store, name).await?;
    let secret = token::generate();
    let info = store
        .issue_token(id, &token::hash(&secret), ADMIN_ACTOR)
        .await?
        .with_context(|| format!("no user named {name:?}"))?;
    eprintln!(
        "issued token {} to {name:?}; its secret (shown only now):",
        info.id
    );
    println!("{secret}");
    Ok(())
}

/// Revokes token `token_id` of the user.
pub async fn revoke(store: &dyn Store, name: &str, token_id: i64) -> anyhow::Result<()> {
    let id = user_id(store, name).await?;
    match store.revoke_token(id, token_id, ADMIN_ACTOR).await? {
        Revocation::Revoked(t) => println!("revoked: {}", line(&t)),
        Revocation::AlreadyRevoked(t) => println!("already revoked: {}", line(&t)),
        Revocation::NotFound => bail!("{name:?} has no token {token_id}"),
    }
    Ok(())
}
