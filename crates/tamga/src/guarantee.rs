//! `tamga guarantee`: transit guarantee accounts, straight on the server's database as an
//! administrator (like `tamga admin`): open one, show one with its ledger, list them, print a
//! balance. Input is checked by the API's own rule (`tamga_api::transit::guarantees::parse`),
//! so the command and `POST /api/v1/transit/guarantees` refuse the same things. The access code
//! is read from standard input, so it appears in no process list or shell history.

use anyhow::{bail, Context};
use clap::Subcommand;
use tamga_api::transit::guarantees::{parse, NewAccount};
use tamga_core::refdata::ReferenceData;
use tamga_core::FieldError;
use tamga_store::transit::GuaranteeAccount;
use tamga_store::Store;

use crate::settings::Settings;

/// Who opened an account, in its audit entry.
const ACTOR: &str = "tamga-admin";

#[derive(Debug, Subcommand)]
pub enum GuaranteeCommand {
    /// Open an account whose balance starts at its reference amount; its access code (exactly
    /// 4 letters or digits) is read from the first line of standard input.
    Add {
        /// Guarantee reference number, 1 to 24 capital letters and digits.
        grn: String,
        /// 0, 1, 2, 4 or 9: the NCTS guarantee types that declare amounts.
        #[arg(long = "type")]
        guarantee_type: String,
        /// The principal's party identifier.
        #[arg(long)]
        holder: String,
        /// ISO 4217.
        #[arg(long)]
        currency: String,
        /// The reference amount, e.g. 50000.00.
        #[arg(long)]
        reference_amount: String,
    },
    /// One account: its particulars, balance and every reservation and restoration.
    Show { grn: String },
    /// Every account (only HOLDER's with --holder), one a line.
    List {
        #[arg(long)]
        holder: Option<String>,
    },
    /// An account's balance and currency, alone on a line (for scripts).
    Balance { grn: String },
}

pub async fn run(settings: &Settings, command: GuaranteeCommand) -> anyhow::Result<()> {
    let store = crate::serve::open_store(settings).await?;
    match command {
        GuaranteeCommand::Add {
            grn,
            guarantee_type,
            holder,
            currency,
            reference_amount,
        } => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("cannot read the access code from standard input")?;
            let request = NewAccount {
                grn: Some(grn),
                guarantee_type: Some(guarantee_type),
                holder: Some(holder),
                currency: Some(currency),
                reference_amount: Some(reference_amount),
                access_code: Some(line.trim_end_matches(['\n', '\r']).to_owned()),
            };
            add(&*store, &request).await
        }
        GuaranteeCommand::Show { grn } => show(&*store, &grn).await,
        GuaranteeCommand::List { holder } => {
            for account in store.guarantee_accounts(holder.as_deref()).await? {
                println!("{}", line(&account));
            }
            Ok(())
        }
        GuaranteeCommand::Balance { grn } => {
            let account = found(&*store, &grn).await?;
            println!("{} {}", account.balance, account.currency);
            Ok(())
        }
    }
}

async fn add(store: &dyn Store, request: &NewAccount) -> anyhow::Result<()> {
    let new = parse(request, ReferenceData::embedded()).map_err(refused)?;
    let grn = new.grn.clone();
    match store.create_guarantee_account(new, ACTOR).await? {
        Some(account) => {
            eprintln!("opened guarantee account {grn}");
            println!("{}", line(&account));
            Ok(())
        }
        None => bail!("guarantee {grn} already exists"),
    }
}

async fn show(store: &dyn Store, grn: &str) -> anyhow::Result<()> {
    let account = found(store, grn).await?;
    println!("grn:              {}", account.grn);
    println!("type:             {}", account.guarantee_type.as_str());
    println!("holder:           {}", account.holder);
    println!(
        "reference amount: {} {}",
        account.reference_amount, account.currency
    );
    println!("balance:          {} {}", account.balance, account.currency);
    println!("opened:           {}", rfc3339(account.created_at));
    let entries = store.guarantee_entries(grn).await?;
    if entries.is_empty() {
        println!("no reservations");
    }
    for e in entries {
        let what = if e.amount.is_sign_negative() {
            "reserved"
        } else {
            "restored"
        };
        println!(
            "{}\t{}\t{what} {}\tbalance {}",
            rfc3339(e.at),
            e.mrn,
            e.amount.abs(),
            e.balance
        );
    }
    Ok(())
}

async fn found(store: &dyn Store, grn: &str) -> anyhow::Result<GuaranteeAccount> {
    store
        .guarantee_account(grn)
        .await?
        .with_context(|| format!("no guarantee account {grn}"))
}

/// GRN, type, holder, balance / reference amount and currency, tab-separated.
fn line(a: &GuaranteeAccount) -> String {
    format!(
        "{}\t{}\t{}\t{} / {} {}",
        a.grn,
        a.guarantee_type.as_str(),
        a.holder,
        a.balance,
        a.reference_amount,
        a.currency
    )
}

fn refused(errors: Vec<FieldError>) -> anyhow::Error {
    let lines: Vec<String> = errors
        .iter()
        .map(|e| format!("  {}: {}", e.pointer, e.message))
        .collect();
    anyhow::anyhow!("refused:\n{}", lines.join("\n"))
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
