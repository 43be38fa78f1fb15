//! Guarantee accounts read for administrators (`tamga guarantee list` and `show`): the
//! accounts, a holder's alone if asked, and an account's ledger — each reservation on release
//! for transit and restoration on write-off, with the balance after it.

use super::guarantees::{account, decimal, AccountRow};
use crate::conn::{Bind, Conn};
use crate::transit::{GuaranteeAccount, GuaranteeEntry};
use crate::Result;

/// Every account, or `holder`'s, in GRN order.
pub(crate) async fn accounts(
    conn: &mut Conn<'_>,
    holder: Option<&str>,
) -> Result<Vec<GuaranteeAccount>> {
    let d = conn.dialect();
    let filter = if holder.is_some() {
        " WHERE holder = $1"
    } else {
        ""
    };
    let sql = format!(
        "SELECT grn, guarantee_type, holder, currency, {}, {}, created_at FROM guarantee_accounts\
         {filter} ORDER BY grn",
        d.numeric_column("reference_amount"),
        d.numeric_column("balance"),
    );
    let binds: Vec<Bind<'_>> = holder.into_iter().map(Bind::Str).collect();
    let rows: Vec<AccountRow> = conn.all(&sql, &binds).await?;
    rows.into_iter().map(account).collect()
}

/// The ledger of `grn`, oldest first.
pub(crate) async fn entries(conn: &mut Conn<'_>, grn: &str) -> Result<Vec<GuaranteeEntry>> {
    let d = conn.dialect();
    let sql = format!(
        "SELECT mrn, {}, {}, at FROM guarantee_entries WHERE grn = $1 ORDER BY id",
        d.numeric_column("amount"),
        d.numeric_column("balance"),
    );
    let rows: Vec<(String, String, String, time::OffsetDateTime)> =
        conn.all(&sql, &[Bind::Str(grn)]).await?;
    rows.into_iter()
        .map(|(mrn, amount, balance, at)| {
            Ok(GuaranteeEntry {
                mrn,
                amount: decimal(&amount)?,
                balance: decimal(&balance)?,
                at,
            })
        })
        .collect()
}
