//! The `tamga` binary: one entry point, clap subcommands, each in its own module.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod admin;
mod audit;
mod backup;
mod bench;
mod client;
mod control;
mod federation;
mod guarantee;
mod import;
mod ingest;
mod model;
mod posts;
mod retention;
mod risk;
mod serve;
mod settings;
mod telemetry;
mod watchlist;

use settings::{AttachmentsOverride, ControlOverride, Overrides, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "tamga",
    version,
    about = "Customs clearance and risk targeting"
)]
struct Cli {
    /// TOML configuration file (default: ./tamga.toml when it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Directory of the embedded SQLite database.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Use PostgreSQL at this URL instead of SQLite.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the HTTP API (creates and migrates the database on first start).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        listen: Option<String>,
        /// Days from acceptance until a post-clearance audit is due (default 90).
        #[arg(long)]
        audit_due_days: Option<u16>,
        /// Directory of attachment files (default: <data-dir>/attachments).
        #[arg(long)]
        attachments_dir: Option<PathBuf>,
        /// Serve Prometheus `/metrics` on this address (a listener of its own).
        #[arg(long)]
        metrics_listen: Option<String>,
    },
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Lodge a declaration from a JSON file; prints its MRN, or every problem and exits 1.
    Submit {
        file: PathBuf,
        #[command(flatten)]
        target: client::Target,
    },
    /// Import reference data into the database: a tariff, exchange rates, valuation
    /// references or a watchlist.
    Import {
        #[command(subcommand)]
        what: import::ImportCommand,
    },
    /// Valuation control.
    Valuation {
        #[command(subcommand)]
        command: ValuationCommand,
    },
    /// Lodge a batch of declaration files (JSON, UN/EDIFACT CUSDEC or WCO DM XML), with a
    /// summary; or give the server's verdict on them without lodging (--dry-run).
    Ingest(ingest::IngestArgs),
    /// Print the effective configuration, secrets redacted.
    PrintConfig,
    /// Administration on the database itself.
    Admin {
        #[command(subcommand)]
        command: admin::AdminCommand,
    },
    /// Learned risk models: train, evaluate, activate.
    Model {
        #[command(subcommand)]
        command: model::ModelCommand,
    },
    /// Control: officers, shifts and conflicts of a customs post; replaying an allocation draw.
    Control {
        #[command(subcommand)]
        command: control::ControlCommand,
    },
    /// The tamper-evident audit log: verify its chains, sign and export checkpoints.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Targeting on the database: replaying a declaration's random draw.
    Risk {
        #[command(subcommand)]
        command: risk::RiskCommand,
    },
    /// Copy the SQLite database to FILE (a new file) while servers keep using it.
    Backup { file: PathBuf },
    /// Replace the SQLite database with the backup FILE; refused while any tamga process
    /// holds the database. The replaced database is kept beside it, renamed.
    Restore { file: PathBuf },
    /// Personal data retention.
    Retention {
        #[command(subcommand)]
        command: retention::RetentionCommand,
    },
    /// Signed messages with neighbouring administrations' nodes: this node's key, its peers,
    /// checking a saved message offline.
    Federation {
        #[command(subcommand)]
        command: federation::FederationCommand,
    },
    /// Transit guarantee accounts on the database: open, show with the ledger, list,
    /// balance.
    Guarantee {
        #[command(subcommand)]
        command: guarantee::GuaranteeCommand,
    },
    /// Measure a running server, fill a database, or run transit movements across three
    /// nodes started for the purpose.
    Bench {
        #[command(subcommand)]
        command: bench::BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ValuationCommand {
    /// Rebuild the reference unit values from every accepted item (median and quartiles per
    /// HS subheading and origin).
    Rebuild,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let mut overrides = Overrides {
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
        ..Overrides::default()
    };
    if let Command::Serve {
        listen,
        audit_due_days,
        attachments_dir,
        metrics_listen,
    } = &cli.command
    {
        overrides.metrics = metrics_listen
            .clone()
            .map(|listen| settings::MetricsSettings {
                listen: Some(listen),
            });
        overrides.listen = listen.clone();
        overrides.control = audit_due_days.map(|days| ControlOverride {
            audit_due_days: days,
        });
        overrides.attachments = attachments_dir
            .clone()
            .map(|dir| AttachmentsOverride { dir });
    }
    let settings = Settings::load(cli.config.as_deref(), &overrides)?;
    telemetry::init(&settings.log);
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(dispatch(cli.command, settings))
}

async fn dispatch(command: Command, settings: Settings) -> anyhow::Result<std::process::ExitCode> {
    use std::process::ExitCode;
    match command {
        Command::Serve { .. } => serve::serve(&settings).await?,
        Command::Migrate => serve::migrate(&settings).await?,
        Command::Submit { file, target } => return client::submit(&settings, &file, &target).await,
        Command::Import { what } => import::run(&settings, what).await?,
        Command::Model { command } => model::run(&settings, command).await?,
        Command::Valuation {
            command: ValuationCommand::Rebuild,
        } => import::rebuild_valuation(&settings).await?,
        Command::Ingest(args) => return ingest::run(&settings, args).await,
        Command::PrintConfig => print!("{}", toml::to_string_pretty(&settings)?),
        Command::Admin { command } => admin::run(&settings, command).await?,
        Command::Bench { command } => bench::run(&settings, command).await?,
        Command::Guarantee { command } => guarantee::run(&settings, command).await?,
        Command::Backup { file } => backup::backup(&settings, &file).await?,
        Command::Restore { file } => backup::restore(&settings, &file).await?,
        Command::Retention { command } => retention::run(&settings, command).await?,
        Command::Audit { command } => {
            if !audit::run(&settings, command).await? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Risk { command } => {
            if !risk::run(&settings, command).await? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Federation { command } => {
            if !federation::run(&settings, command).await? {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Control { command } => {
            if !control::run(&settings, command).await? {
                return Ok(ExitCode::FAILURE);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
