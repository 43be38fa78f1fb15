//! `tamga admin`: users, the party registry and mandates, straight on the database, also while
//! a server runs.

use anyhow::{bail, Context};
use clap::Subcommand;
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
        /// declarant, officer, analyst, lab, supervisor or admin.
        #[arg(long)]
        role: String,
        /// For declarants: the party identifier (TIN or EORI) the user acts for.
        #[arg(long)]
        party: Option<String>,
        /// For posts (a border post's gate equipment): the UN/LOCODE of its office.
        #[arg(long)]
        office: Option<String>,
    },
    /// Change a user's role (and party): it applies to their next request; recorded in the
    /// audit log.
    SetRole {
        name: String,
        /// declarant, officer, analyst, lab, supervisor or admin.
        #[arg(long)]
        role: String,
        /// For declarants: the party identifier (TIN or EORI) the user acts for.
        #[arg(long)]
        party: Option<String>,
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
        AdminCommand::SetRole { name, role, party } => {
            set_role(settings, &name, &role, party.as_deref()).await
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

fn parse_role(role: &str) -> anyhow::Result<Role> {
    let Some(role) = Role::parse(role) else {
        let roles: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        bail!(
            "unknown role {role:?}; expected one of {}",
            roles.join(", ")
        );
    };
    Ok(role)
}

/// Changes a user's role and party, after the same rules as the API.
async fn set_role(
    settings: &Settings,
    name: &str,
    role: &str,
    party: Option<&str>,
) -> anyhow::Result<()> {
    let role = parse_role(role)?;
    if let Err(problems) = tamga_core::account::check_role(role, party) {
        bail!("{}", account_problems(&problems));
    }
    let store = crate::serve::open_store(settings).await?;
    let Some(user) = store.user_by_name(name).await? else {
        bail!("no user named {name:?}");
    };
    if user.role == Role::Post {
        bail!("{name:?} is a post's gate account: it keeps its role; make a new account instead");
    }
    store.set_role(user.id, role, party, ADMIN_ACTOR).await?;
    eprintln!("user {name:?} now has role {}", role.as_str());
    Ok(())
}

/// An account's problems as the command line names its arguments.
fn account_problems(problems: &[tamga_core::FieldError]) -> String {
    let named: Vec<String> = problems
        .iter()
        .map(|p| match p.pointer.as_str() {
            "/party_id" => format!("--party: {}", p.message),
            "/role" => format!("--role: {}", p.message),
            _ => format!("NAME: {}", p.message),
        })
        .collect();
    named.join("; ")
}

/// Creates a user; `bound` is the party a declarant acts for and the office a post stands at.
pub async fn create_user(
    settings: &Settings,
    name: &str,
    role: &str,
    bound: (Option<&str>, Option<&str>),
) -> anyhow::Result<()> {
    let (party, office) = bound;
    let role = parse_role(role)?;
    if let Err(problems) = tamga_core::account::check(name, role, party) {
        bail!("{}", account_problems(&problems));
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
        None => store.create_user_as(new, ADMIN_ACTOR).await,
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
