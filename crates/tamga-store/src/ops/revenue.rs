//! Assessments (versioned, append-only), payments and guarantees, and the balance between
//! them.

use crate::conn::{Bind, Conn};
use crate::records::Scope;
use crate::revenue::*;
use crate::rows::{decimal, AssessmentRow, LatestAssessmentRow, PaymentRow};
use crate::sql;
use crate::{Result, StoreError};

use super::declarations::visible_id;

pub(crate) async fn assessments(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
) -> Result<Option<Vec<AssessmentRecord>>> {
    let Some(id) = visible_id(conn, mrn, scope, false).await? else {
        return Ok(None);
    };
    let select = sql::select_assessments(conn.dialect());
    let rows: Vec<AssessmentRow> = conn.all(&select, &[Bind::Int(id)]).await?;
    rows.into_iter()
        .map(AssessmentRow::into_record)
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// The balance against the latest assessment, if there is one.
pub(crate) async fn balance_of(conn: &mut Conn<'_>, id: i64) -> Result<Option<Balance>> {
    let select = sql::select_latest_assessment(conn.dialect());
    let latest: Option<LatestAssessmentRow> = conn.optional(&select, &[Bind::Int(id)]).await?;
    let Some(latest) = latest else {
        return Ok(None);
    };
    let select = sql::select_payments(conn.dialect());
    let rows: Vec<PaymentRow> = conn.all(&select, &[Bind::Int(id)]).await?;
    let payments = rows
        .into_iter()
        .map(PaymentRow::into_payment)
        .collect::<Result<Vec<_>>>()?;
    let total = decimal(&latest.total)?;
    Ok(Some(Balance::compute(
        latest.currency,
        latest.version,
        total,
        payments,
    )))
}

pub(crate) async fn balance(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
) -> Result<Option<Option<Balance>>> {
    let Some(id) = visible_id(conn, mrn, scope, false).await? else {
        return Ok(None);
    };
    balance_of(conn, id).await.map(Some)
}

/// Records a payment or guarantee; `None` when the declaration is not visible, an inner
/// `None` when it has no assessment to pay against. A reference used twice is a `Conflict`.
pub(crate) async fn record_payment(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
    payment: NewPayment,
) -> Result<Option<Option<Balance>>> {
    let Some(id) = visible_id(conn, mrn, scope, false).await? else {
        return Ok(None);
    };
    if balance_of(conn, id).await?.is_none() {
        return Ok(Some(None));
    }
    record_payment_on(conn, id, mrn, payment).await.map(Some)
}

/// Records a payment or guarantee on the assessed declaration `id`, releasing it when covered,
/// audited; the new balance.
pub(crate) async fn record_payment_on(
    conn: &mut Conn<'_>,
    id: i64,
    mrn: &str,
    payment: NewPayment,
) -> Result<Option<Balance>> {
    let binds = [
        Bind::Int(id),
        Bind::Str(payment.kind.as_str()),
        Bind::Text(payment.amount.to_string()),
        Bind::Str(&payment.method),
        Bind::Str(&payment.reference),
        Bind::Str(&payment.by.name),
        Bind::Time(payment.at),
    ];
    let inserted = conn
        .execute(&sql::insert_payment(conn.dialect()), &binds)
        .await?;
    if inserted == 0 {
        let kind = payment.kind.as_str();
        return Err(StoreError::Conflict(format!(
            "a {kind} with reference {:?} on {mrn}",
            payment.reference
        )));
    }
    let balance = balance_of(conn, id).await?;
    if balance
        .as_ref()
        .is_some_and(|b| b.due <= rust_decimal::Decimal::ZERO)
    {
        super::control::release_when_covered(conn, id, payment.at).await?;
    }
    super::audit::record_debug(conn, &payment.by.name, "payment.record", mrn, &payment).await?;
    Ok(balance)
}

/// Records a re-assessment as the next version, audited; `None` when the declaration is not
/// visible to `scope`.
pub(crate) async fn add_assessment(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
    new: NewAssessment,
) -> Result<Option<Reassessed>> {
    let Some(reassessed) = reassess(conn, mrn, scope, new).await? else {
        return Ok(None);
    };
    let by = &reassessed.record.assessed_by;
    let record = &reassessed.record;
    super::audit::record_debug(conn, by, "assessment.reassess", mrn, record).await?;
    Ok(Some(reassessed))
}

/// Stores a re-assessment as the next version, numbered under a lock on the declaration's
/// row, as part of a write that audits itself (this module's, or a task's completion).
pub(crate) async fn reassess(
    conn: &mut Conn<'_>,
    mrn: &str,
    scope: &Scope,
    new: NewAssessment,
) -> Result<Option<Reassessed>> {
    let Some(id) = visible_id(conn, mrn, scope, true).await? else {
        return Ok(None);
    };
    let previous = balance_of(conn, id).await?.map(|b| b.assessed);
    let version: i64 = conn
        .scalar(sql::NEXT_ASSESSMENT_VERSION, &[Bind::Int(id)])
        .await?;
    let record = AssessmentRecord {
        version,
        assessed_at: new.at,
        assessed_by: new.by.name,
        reason: Some(new.reason),
        corrections: Some(new.corrections),
        assessment: new.assessment,
    };
    insert_assessment(conn, id, &record).await?;
    let balance = balance_of(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt("an assessment vanished".into()))?;
    Ok(Some(Reassessed {
        record,
        balance,
        previous_total: previous.unwrap_or_default(),
    }))
}

async fn insert_assessment(conn: &mut Conn<'_>, id: i64, record: &AssessmentRecord) -> Result<()> {
    let document = serde_json::to_string(&record.assessment)
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let binds = [
        Bind::Int(id),
        Bind::Int(record.version),
        Bind::Time(record.assessed_at),
        Bind::Str(&record.assessed_by),
        Bind::OptStr(record.reason.as_deref()),
        Bind::Str(&record.assessment.currency),
        Bind::Text(record.assessment.total.to_string()),
        Bind::Text(document),
        Bind::OptText(record.corrections.as_ref().map(ToString::to_string)),
    ];
    conn.execute(&sql::insert_assessment(conn.dialect()), &binds)
        .await?;
    Ok(())
}
