//! Guarantee accounts: opening one, reading its balance, checking a GRN's access code, and the
//! arithmetic release for transit and write-off do in the movement's transaction. A balance is
//! changed only under a lock on its row (PostgreSQL; SQLite's writer is alone), after every
//! account a release names has been checked, so it never goes below zero and a refused
//! release changes nothing. Each change is a row of the append-only `guarantee_entries`.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use tamga_core::codes::CurrencyCode;
use tamga_core::transit::{GuaranteeType, TransitParticulars};
use time::OffsetDateTime;

use super::audit::Change;
use crate::conn::{Bind, Conn};
use crate::transit::{access_code_hash, GuaranteeAccount, NewGuaranteeAccount};
use crate::{Result, StoreError};

pub(super) type AccountRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    OffsetDateTime,
);

fn select(conn: &Conn<'_>, lock: bool) -> String {
    let d = conn.dialect();
    format!(
        "SELECT grn, guarantee_type, holder, currency, {}, {}, created_at FROM guarantee_accounts \
         WHERE grn = $1{}",
        d.numeric_column("reference_amount"),
        d.numeric_column("balance"),
        if lock { d.lock_row() } else { "" }
    )
}

pub(super) fn decimal(text: &str) -> Result<Decimal> {
    Decimal::from_str(text).map_err(|e| StoreError::Corrupt(format!("amount {text:?}: {e}")))
}

pub(super) fn account(row: AccountRow) -> Result<GuaranteeAccount> {
    let (grn, kind, holder, currency, reference, balance, created_at) = row;
    Ok(GuaranteeAccount {
        guarantee_type: GuaranteeType::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("guarantee type {kind:?}")))?,
        currency: CurrencyCode::parse(&currency).map_err(|e| StoreError::Corrupt(e.message))?,
        reference_amount: decimal(&reference)?,
        balance: decimal(&balance)?,
        grn,
        holder,
        created_at,
    })
}

/// Opens an account with its whole reference amount as balance; `None` if the GRN is taken.
pub(crate) async fn create(
    conn: &mut Conn<'_>,
    new: NewGuaranteeAccount,
    by: &str,
) -> Result<Option<GuaranteeAccount>> {
    let at = crate::sql::now();
    let d = conn.dialect();
    let insert = format!(
        "INSERT INTO guarantee_accounts (grn, guarantee_type, holder, currency, reference_amount, \
         balance, access_code_hash, created_by, created_at) VALUES ($1, $2, $3, $4, {}, {}, $7, $8, $9) \
         ON CONFLICT (grn) DO NOTHING",
        d.numeric_param(5),
        d.numeric_param(6)
    );
    let amount = new.reference_amount.to_string();
    let binds = [
        Bind::Str(&new.grn),
        Bind::Str(new.guarantee_type.as_str()),
        Bind::Str(&new.holder),
        Bind::Str(new.currency.as_str()),
        Bind::Str(&amount),
        Bind::Str(&amount),
        Bind::Text(access_code_hash(&new.grn, &new.access_code)),
        Bind::Str(by),
        Bind::Time(at),
    ];
    if conn.execute(&insert, &binds).await? == 0 {
        return Ok(None);
    }
    let detail = format!(
        "{} {} {} {} {}",
        new.guarantee_type.as_str(),
        new.holder,
        new.currency,
        amount,
        new.grn
    );
    let change = Change::new(by, "guarantee.create", &new.grn, detail.as_bytes());
    super::audit::record(conn, change).await?;
    read(conn, &new.grn).await
}

/// The account of `grn`.
pub(crate) async fn read(conn: &mut Conn<'_>, grn: &str) -> Result<Option<GuaranteeAccount>> {
    let row: Option<AccountRow> = conn
        .optional(&select(conn, false), &[Bind::Str(grn)])
        .await?;
    row.map(account).transpose()
}

/// The account of `grn` if `access_code` is its code (the holder's balance query, and the
/// check of a declaration's guarantee references).
pub(crate) async fn with_access_code(
    conn: &mut Conn<'_>,
    grn: &str,
    access_code: &str,
) -> Result<Option<GuaranteeAccount>> {
    let hash: Option<String> = conn
        .optional_scalar(
            "SELECT access_code_hash FROM guarantee_accounts WHERE grn = $1",
            &[Bind::Str(grn)],
        )
        .await?;
    match hash {
        Some(h) if h == access_code_hash(grn, access_code) => read(conn, grn).await,
        _ => Ok(None),
    }
}

/// What each GRN must cover, in its currency.
fn needs(p: &TransitParticulars) -> BTreeMap<&str, (Decimal, Option<&CurrencyCode>)> {
    let mut out: BTreeMap<&str, (Decimal, Option<&CurrencyCode>)> = BTreeMap::new();
    for r in p.amounts() {
        let entry = out.entry(r.grn.as_str()).or_insert((Decimal::ZERO, None));
        entry.0 += r.amount.unwrap_or_default();
        entry.1 = r.currency.as_ref();
    }
    out
}

/// Reserves what the movement's guarantees declare, or says which GRN falls short (nothing is
/// changed then). Accounts are locked in GRN order, so two releases never wait on each other
/// in a cycle.
pub(crate) async fn reserve(
    conn: &mut Conn<'_>,
    mrn: &str,
    p: &TransitParticulars,
    at: OffsetDateTime,
) -> Result<Result<(), String>> {
    let needs = needs(p);
    let mut changes = Vec::with_capacity(needs.len());
    for (grn, (amount, currency)) in &needs {
        let row: Option<AccountRow> = conn
            .optional(&select(conn, true), &[Bind::Str(grn)])
            .await?;
        let Some(held) = row.map(account).transpose()? else {
            return Ok(Err(format!("guarantee {grn} has no account")));
        };
        if currency.is_some_and(|c| *c != held.currency) {
            return Ok(Err(format!("guarantee {grn} is held in {}", held.currency)));
        }
        if held.balance < *amount {
            return Ok(Err(format!(
                "guarantee {grn} has a balance of {} {}, {amount} is needed",
                held.balance, held.currency
            )));
        }
        changes.push((*grn, -*amount, held.balance - *amount));
    }
    for (grn, amount, balance) in changes {
        write_entry(conn, grn, mrn, amount, balance, at).await?;
    }
    Ok(Ok(()))
}

/// Restores what the movement's release reserved (write-off).
pub(crate) async fn restore(conn: &mut Conn<'_>, mrn: &str, at: OffsetDateTime) -> Result<()> {
    let d = conn.dialect();
    let sql = format!(
        "SELECT grn, {} FROM guarantee_entries WHERE mrn = $1 ORDER BY grn, id",
        d.numeric_column("amount")
    );
    let rows: Vec<(String, String)> = conn.all(&sql, &[Bind::Str(mrn)]).await?;
    let mut held: BTreeMap<String, Decimal> = BTreeMap::new();
    for (grn, amount) in rows {
        *held.entry(grn).or_default() += decimal(&amount)?;
    }
    for (grn, sum) in held {
        if sum >= Decimal::ZERO {
            continue;
        }
        let row: Option<AccountRow> = conn
            .optional(&select(conn, true), &[Bind::Str(&grn)])
            .await?;
        let account = row
            .map(account)
            .transpose()?
            .ok_or_else(|| StoreError::Corrupt(format!("guarantee {grn} vanished")))?;
        write_entry(conn, &grn, mrn, -sum, account.balance - sum, at).await?;
    }
    Ok(())
}

async fn write_entry(
    conn: &mut Conn<'_>,
    grn: &str,
    mrn: &str,
    amount: Decimal,
    balance: Decimal,
    at: OffsetDateTime,
) -> Result<()> {
    let d = conn.dialect();
    let balance = balance.to_string();
    let update = format!(
        "UPDATE guarantee_accounts SET balance = {} WHERE grn = $2",
        d.numeric_param(1)
    );
    conn.execute(&update, &[Bind::Str(&balance), Bind::Str(grn)])
        .await?;
    let insert = format!(
        "INSERT INTO guarantee_entries (grn, mrn, amount, balance, at) VALUES ($1, $2, {}, {}, $5)",
        d.numeric_param(3),
        d.numeric_param(4)
    );
    let amount = amount.to_string();
    let binds = [
        Bind::Str(grn),
        Bind::Str(mrn),
        Bind::Str(&amount),
        Bind::Str(&balance),
        Bind::Time(at),
    ];
    conn.execute(&insert, &binds).await?;
    Ok(())
}
