//! Advance accounts (see [`crate::advance`]): deposits credited from the bank statement, a
//! declaration paid from the balance, and the ledger. The account's row is locked while its
//! balance changes, and the declaration's while it is paid, so two payments at once can
//! neither overdraw the account nor pay a declaration twice.

use rust_decimal::Decimal;
use time::OffsetDateTime;

use super::declarations::visible_id;
use super::revenue::{balance_of, record_payment_on};
use crate::advance::*;
use crate::conn::{Bind, Conn};
use crate::records::Scope;
use crate::revenue::{NewPayment, PaymentKind};
use crate::rows::decimal;
use crate::{Result, StoreError};

#[derive(Debug, sqlx::FromRow)]
struct EntryRow {
    id: i64,
    kind: String,
    amount: String,
    balance: String,
    reference: String,
    mrn: Option<String>,
    by_user: String,
    at: OffsetDateTime,
}

impl EntryRow {
    fn into_entry(self) -> Result<AdvanceEntry> {
        let kind = EntryKind::parse(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("advance entry kind {:?}", self.kind)))?;
        Ok(AdvanceEntry {
            id: self.id,
            kind,
            amount: decimal(&self.amount)?,
            balance: decimal(&self.balance)?,
            reference: self.reference,
            mrn: self.mrn,
            recorded_by: self.by_user,
            recorded_at: self.at,
        })
    }
}

/// The account of a registered party (an empty one if it never had a deposit); `None` when
/// the party is not registered.
pub(crate) async fn account(conn: &mut Conn<'_>, party: &str) -> Result<Option<AdvanceAccount>> {
    if !registered(conn, party).await? {
        return Ok(None);
    }
    let balance = current(conn, party, false).await?.unwrap_or_default();
    let d = conn.dialect();
    let sql = format!(
        "SELECT id, kind, {}, {}, reference, mrn, by_user, at FROM advance_entries \
         WHERE party_id = $1 ORDER BY id DESC LIMIT $2",
        d.numeric_column("amount"),
        d.numeric_column("balance"),
    );
    let rows: Vec<EntryRow> = conn
        .all(&sql, &[Bind::Str(party), Bind::Int(LEDGER_LINES)])
        .await?;
    let entries = rows
        .into_iter()
        .map(EntryRow::into_entry)
        .collect::<Result<_>>()?;
    Ok(Some(AdvanceAccount {
        party_id: party.to_owned(),
        balance,
        entries,
    }))
}

/// Credits a deposit, audited; `None` when the party is not registered. A payment order
/// credited before is a `Conflict`.
pub(crate) async fn deposit(
    conn: &mut Conn<'_>,
    party: &str,
    deposit: NewDeposit,
) -> Result<Option<AdvanceEntry>> {
    if !registered(conn, party).await? {
        return Ok(None);
    }
    let open = format!(
        "INSERT INTO advance_accounts (party_id, balance, opened_at) VALUES ($1, {}, $3) \
         ON CONFLICT (party_id) DO NOTHING",
        conn.dialect().numeric_param(2)
    );
    conn.execute(
        &open,
        &[Bind::Str(party), Bind::Str("0"), Bind::Time(deposit.at)],
    )
    .await?;
    let balance = current(conn, party, true).await?.unwrap_or_default();
    let taken: Option<i64> = conn
        .optional_scalar(
            "SELECT id FROM advance_entries WHERE party_id = $1 AND kind = 'deposit' \
             AND reference = $2",
            &[Bind::Str(party), Bind::Str(&deposit.reference)],
        )
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!(
            "a deposit of payment order {:?} to {party}",
            deposit.reference
        )));
    }
    let line = Line {
        party,
        kind: EntryKind::Deposit,
        amount: deposit.amount,
        balance: balance + deposit.amount,
        reference: &deposit.reference,
        mrn: None,
        by: &deposit.by.name,
        at: deposit.at,
    };
    let entry = write(conn, line).await?;
    super::audit::record_debug(conn, &deposit.by.name, "advance.deposit", party, &deposit).await?;
    Ok(Some(entry))
}

/// Pays a declaration `scope` may see from the payer's account, recording the payment on the
/// declaration (which releases a covered green one, as any payment does).
pub(crate) async fn pay(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
    payment: AdvancePayment,
) -> Result<PaidFromAdvance> {
    let Some(id) = visible_id(conn, mrn, scope, true).await? else {
        return Ok(PaidFromAdvance::NotVisible);
    };
    let Some(owed) = balance_of(conn, id).await? else {
        return Ok(PaidFromAdvance::NotAssessed);
    };
    if owed.due <= Decimal::ZERO {
        return Ok(PaidFromAdvance::NothingDue);
    }
    let amount = payment.amount.unwrap_or(owed.due);
    if amount > owed.due {
        return Ok(PaidFromAdvance::AboveDue { due: owed.due });
    }
    let held = current(conn, &payment.payer, true).await?;
    let account = held.unwrap_or_default();
    if held.is_none() || account < amount {
        return Ok(PaidFromAdvance::Short {
            account,
            needed: amount,
        });
    }
    let line = Line {
        party: &payment.payer,
        kind: EntryKind::Payment,
        amount,
        balance: account - amount,
        reference: mrn,
        mrn: Some(mrn),
        by: &payment.by.name,
        at: payment.at,
    };
    let entry = write(conn, line).await?;
    let recorded = NewPayment {
        kind: PaymentKind::Payment,
        amount,
        method: METHOD.to_owned(),
        reference: format!("ADV-{}", entry.id),
        by: payment.by,
        at: payment.at,
    };
    let balance = record_payment_on(conn, id, mrn, recorded)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("{mrn} vanished while paid")))?;
    Ok(PaidFromAdvance::Paid {
        balance,
        account: entry.balance,
    })
}

async fn registered(conn: &mut Conn<'_>, party: &str) -> Result<bool> {
    let found: i64 = conn
        .scalar(
            "SELECT COUNT(*) FROM parties WHERE id = $1",
            &[Bind::Str(party)],
        )
        .await?;
    Ok(found > 0)
}

/// The account's balance (`None`: no account), its row locked when `lock`.
async fn current(conn: &mut Conn<'_>, party: &str, lock: bool) -> Result<Option<Decimal>> {
    let d = conn.dialect();
    let lock = if lock { d.lock_row() } else { "" };
    let sql = format!(
        "SELECT {} FROM advance_accounts WHERE party_id = $1{lock}",
        d.numeric_column("balance")
    );
    let raw: Option<String> = conn.optional_scalar(&sql, &[Bind::Str(party)]).await?;
    raw.as_deref().map(decimal).transpose()
}

/// One ledger line to write, with the balance after it.
struct Line<'a> {
    party: &'a str,
    kind: EntryKind,
    amount: Decimal,
    balance: Decimal,
    reference: &'a str,
    mrn: Option<&'a str>,
    by: &'a str,
    at: OffsetDateTime,
}

/// Sets the account's balance and appends the line.
async fn write(conn: &mut Conn<'_>, line: Line<'_>) -> Result<AdvanceEntry> {
    let d = conn.dialect();
    let balance = line.balance.to_string();
    let update = format!(
        "UPDATE advance_accounts SET balance = {} WHERE party_id = $2",
        d.numeric_param(1)
    );
    conn.execute(&update, &[Bind::Str(&balance), Bind::Str(line.party)])
        .await?;
    let insert = format!(
        "INSERT INTO advance_entries (party_id, kind, amount, balance, reference, mrn, by_user, \
         at) VALUES ($1, $2, {}, {}, $5, $6, $7, $8) RETURNING id",
        d.numeric_param(3),
        d.numeric_param(4)
    );
    let amount = line.amount.to_string();
    let binds = [
        Bind::Str(line.party),
        Bind::Str(line.kind.as_str()),
        Bind::Str(&amount),
        Bind::Str(&balance),
        Bind::Str(line.reference),
        Bind::OptStr(line.mrn),
        Bind::Str(line.by),
        Bind::Time(line.at),
    ];
    let id: i64 = conn.scalar(&insert, &binds).await?;
    Ok(AdvanceEntry {
        id,
        kind: line.kind,
        amount: line.amount,
        balance: line.balance,
        reference: line.reference.to_owned(),
        mrn: line.mrn.map(str::to_owned),
        recorded_by: line.by.to_owned(),
        recorded_at: line.at,
    })
}
