//! `tamga admin`: users, the party registry and mandates, straight on the database, also while
//! a server runs.

use anyhow::{bail, Context};
use clap::Subcommand;
use tamga_core::codes::PartyId;
use tamga_core::role::Role;
use tamga_store::{token, NewUser};

use crate::settings::Settings;

/// Who the audit log names for changes made with `tamga admin` on the server.
const ADMIN_ACTOR: &str = "tamga admin";

mod parties;
mod tokens;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user and print its new API token as the last line.
    CreateUser {
        name: String,
        /// declarant, officer, analyst, lab, supervisor, admin or post.
        #[arg(long)]
        role: String,
        /// For declarants: the party identifier (TIN or EORI) the user acts for.
        #[arg(long)]
        party: Option<String>,
        /// For posts (a border post's gate equipment): the UN/LOCODE of its office.
        #[arg(long)]
        office: Option<String>,
    },
    /// Set a user's web password, read from the first line of standard input; the user must
    /// change it at their next sign-in, and their open sessions end.
    SetPassword { name: String },
    /// The party registry.
    Party {
        #[command(subcommand)]
        command: parties::PartyCommand,
    },
    /// Representatives' mandates.
    Mandate {
        #[command(subcommand)]
        command: parties::MandateCommand,
    },
    /// Make a new server secret; the rotation is recorded in the audit log. `selectivity`:
    /// the secret keying the random draws (earlier draws stay replayable with the old one).
    RotateSecret { which: String },
    /// List a user's API tokens: id, creation, and revocation (never a secret).
    Tokens { name: String },
    /// Issue a new API token to a user and print it as the last line (recorded in the audit log).
    IssueToken { name: String },
    /// Revoke one of a user's API tokens by its id (see `tamga admin tokens`): every server
    /// refuses it at once; recorded in the audit log.
    RevokeToken { name: String, token_id: i64 },
}

pub async fn run(settings: &Settings, command: AdminCommand) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser {
            name,
            role,
            party,
            office,
        } => {
            let bound = (party.as_deref(), office.as_deref());
            create_user(settings, &name, &role, bound).await
        }
        AdminCommand::SetPassword { name } => set_password(settings, &name).await,
        AdminCommand::Party { command } => {
            let store = crate::serve::open_store(settings).await?;
            parties::party(&*store, command).await
        }
        AdminCommand::Mandate { command } => {
            let store = crate::serve::open_store(settings).await?;
            parties::mandate(&*store, command).await
        }
        AdminCommand::Tokens { name } => {
            let store = crate::serve::open_store(settings).await?;
            tokens::list(&*store, &name).await
        }
        AdminCommand::IssueToken { name } => {
            let store = crate::serve::open_store(settings).await?;
            tokens::issue(&*store, &name).await
        }
        AdminCommand::RevokeToken { name, token_id } => {
            let store = crate::serve::open_store(settings).await?;
            tokens::revoke(&*store, &name, token_id).await
        }
        AdminCommand::RotateSecret { which } => {
            if which != "selectivity" {
                bail!("unknown secret {which:?}; the one that rotates is \"selectivity\"");
            }
            let store = crate::serve::open_store(settings).await?;
            let version = store.rotate_selectivity_secret(ADMIN_ACTOR).await?;
            println!("selectivity secret version {version} in force (servers pick it up within ten seconds)");
            Ok(())
        }
    }
}

/// Creates a user; `bound` is the party a declarant acts for and the office a post stands at.
pub async fn create_user(
    settings: &Settings,
    name: &str,
    role: &str,
    bound: (Option<&str>, Option<&str>),
) -> anyhow::Result<()> {
    let (party, office) = bound;
    let Some(role) = Role::parse(role) else {
        let roles: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        bail!(
            "unknown role {role:?}; expected one of {}",
            roles.join(", ")
        );
    };
    if name.trim().is_empty() || name.chars().count() > 64 {
        bail!("a user name has 1 to 64 characters");
    }
    if let Some(party) = party {
        PartyId::parse(party).map_err(|e| anyhow::anyhow!("--party {party:?}: {e}"))?;
    } else if role == Role::Declarant {
        bail!("a declarant needs --party ID: the party (TIN or EORI) it acts for");
    }
    let office = crate::posts::office_of_new_user(role, office)?;
    let store = crate::serve::open_store(settings).await?;
    let secret = token::generate();
    let new = NewUser {
        name: name.to_owned(),
        role,
        party_id: party.map(str::to_owned),
        token_hash: token::hash(&secret),
    };
    let created = match &office {
        Some(office) => store.create_post_user(new, office).await,
        None => store.create_user(new).await,
    };
    created.with_context(|| format!("cannot create user {name:?}"))?;
    eprintln!(
        "created user {name:?} with role {}; its API token (shown only now):",
        role.as_str()
    );
    println!("{secret}");
    Ok(())
}

/// Sets the password read from standard input, after the UI's policy.
async fn set_password(settings: &Settings, name: &str) -> anyhow::Result<()> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']);
    if let Some(problem) = tamga_web::password::policy(name, password) {
        let min = tamga_web::password::MIN_LENGTH;
        bail!("the password is refused ({problem}): at least {min} characters, no control characters, not the user name");
    }
    let hash = tamga_web::password::hash(password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let store = crate::serve::open_store(settings).await?;
    let user = store.user_by_name(name).await?;
    if user.is_some_and(|u| u.role == Role::Post) {
        bail!(
            "{name:?} is a post's gate equipment: it signs in with its API token, never a password"
        );
    }
    if !store.set_password(name, &hash, true).await? {
        bail!("no user named {name:?}");
    }
    eprintln!("password set for {name:?}; they must change it at their next sign-in");
    Ok(())
}
