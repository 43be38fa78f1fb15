//! `tamga control`: setting up a customs post straight on the database (officers in sections
//! and groups, shifts, conflicts with parties), and the auditor's replay of a recorded draw,
//! redone on the server with the allocation secret, which never leaves the database.

use anyhow::{bail, Context};
use clap::Subcommand;
use tamga_control::allocation::{Conflict, Group, Officer, Shift};
use tamga_control::UserId;
use tamga_core::codes::{Locode, PartyId};
use tamga_store::control::RosterChange;
use tamga_store::{Store, User};
use time::{Duration, OffsetDateTime};

use crate::settings::Settings;

#[derive(Debug, Subcommand)]
pub enum ControlCommand {
    /// Put a user (an officer or a supervisor) in a section and group of an office.
    Officer {
        /// The user's name.
        name: String,
        /// UN/LOCODE of the office, e.g. UZTAS.
        #[arg(long)]
        office: String,
        #[arg(long)]
        section: String,
        /// examiner (G1, inspects) or chief-examiner (G2, endorses).
        #[arg(long)]
        group: String,
    },
    /// Add a shift: from --start (RFC 3339, default now) for --hours hours.
    Shift {
        name: String,
        #[arg(long)]
        start: Option<String>,
        #[arg(long, default_value_t = 8)]
        hours: u8,
    },
    /// Record that an officer is linked to a party: never drawn for its declarations.
    Conflict {
        name: String,
        /// The party's identifier (TIN or EORI).
        #[arg(long)]
        party: String,
    },
    /// List the officers of an office (every office without --office).
    Officers {
        #[arg(long)]
        office: Option<String>,
    },
    /// Redo the recorded draws of a task with the server's secret; exits 1 on a mismatch.
    ReplayDraw { task: i64 },
}

pub async fn run(settings: &Settings, command: ControlCommand) -> anyhow::Result<bool> {
    let store = crate::serve::open_store(settings).await?;
    match command {
        ControlCommand::Officer {
            name,
            office,
            section,
            group,
        } => {
            let user = user(&*store, &name).await?;
            let office =
                Locode::parse(&office).map_err(|e| anyhow::anyhow!("--office {office:?}: {e}"))?;
            let Some(group) = Group::parse(&group) else {
                bail!("--group {group:?}: examiner or chief-examiner");
            };
            if section.trim().is_empty() || section.chars().any(char::is_control) {
                bail!("--section needs a name without control characters");
            }
            let officer = Officer {
                id: UserId(user.id),
                office,
                section,
                group,
                suspended: false,
            };
            saved(store.set_officer(officer).await?, &name)?;
        }
        ControlCommand::Shift { name, start, hours } => {
            let user = user(&*store, &name).await?;
            let start = match start {
                Some(s) => {
                    OffsetDateTime::parse(&s, &time::format_description::well_known::Rfc3339)
                        .with_context(|| format!("--start {s:?} is not an RFC 3339 time"))?
                }
                None => OffsetDateTime::now_utc(),
            };
            if hours == 0 || hours > 48 {
                bail!("--hours: 1 to 48");
            }
            let shift = Shift {
                officer: UserId(user.id),
                start,
                end: start + Duration::hours(i64::from(hours)),
            };
            saved(store.add_shift(shift).await?, &name)?;
        }
        ControlCommand::Conflict { name, party } => {
            let user = user(&*store, &name).await?;
            let party =
                PartyId::parse(&party).map_err(|e| anyhow::anyhow!("--party {party:?}: {e}"))?;
            saved(
                store
                    .add_conflict(Conflict {
                        officer: UserId(user.id),
                        party,
                    })
                    .await?,
                &name,
            )?;
        }
        ControlCommand::Officers { office } => {
            for o in store.officers(office.as_deref()).await? {
                let suspended = if o.suspended { " (suspended)" } else { "" };
                println!(
                    "{}\t{}\t{}\t{}{suspended}",
                    o.id.0,
                    o.office,
                    o.section,
                    o.group.as_str()
                );
            }
        }
        ControlCommand::ReplayDraw { task } => return replay(&*store, task).await,
    }
    Ok(true)
}

async fn user(store: &dyn Store, name: &str) -> anyhow::Result<User> {
    store
        .user_by_name(name)
        .await?
        .with_context(|| format!("no user named {name:?}"))
}

fn saved(change: RosterChange, name: &str) -> anyhow::Result<()> {
    match change {
        RosterChange::Saved => Ok(()),
        RosterChange::UnknownOfficer => {
            bail!("{name:?} is not in a section yet: use `tamga control officer` first")
        }
        RosterChange::NotStaff => bail!("{name:?} is not an officer or a supervisor"),
    }
}

/// Prints every recorded draw of the task with the officer the replay chooses; false when one
/// does not match.
async fn replay(store: &dyn Store, task: i64) -> anyhow::Result<bool> {
    let Some(draws) = store.replay_draws(task).await? else {
        bail!("no control task {task}");
    };
    if draws.is_empty() {
        println!("task {task}: no draw recorded (the task is still open)");
    }
    let mut all = true;
    for r in &draws {
        let d = &r.stored.draw;
        let verdict = if r.matches() { "matches" } else { "MISMATCH" };
        all &= r.matches();
        println!(
            "draw {} ({}) at {} by {}: recorded {}, replayed {}: {verdict}",
            d.key,
            d.group.as_str(),
            r.stored.drawn_at,
            r.stored.drawn_by,
            d.chosen,
            r.replayed.map_or("nobody".to_owned(), |u| u.to_string())
        );
        for c in &d.candidates {
            println!(
                "  candidate {}\tworkload {}\tweight {}",
                c.officer, c.workload, c.weight
            );
        }
    }
    Ok(all)
}
