//! Alerts sent and received, with their feedback, and feedback queued once per alert.

use std::collections::HashMap;

use time::OffsetDateTime;

use super::{enqueue, outbox_entry, received, InboxRow, OutboxRow, INBOX_COLUMNS, OUTBOX_COLUMNS};
use crate::conn::{Bind, Conn};
use crate::federation::*;
use crate::Result;

/// Alerts received, newest first, with the feedback queued on each.
pub(crate) async fn alerts_received(conn: &mut Conn<'_>) -> Result<Vec<ReceivedAlert>> {
    let select = format!(
        "SELECT {INBOX_COLUMNS} FROM federation_inbox WHERE kind = 'alert' ORDER BY seq DESC"
    );
    let alerts: Vec<InboxRow> = conn.all(&select, &[]).await?;
    let select =
        format!("SELECT {OUTBOX_COLUMNS} FROM federation_outbox WHERE kind = 'alert_feedback'");
    let feedback: Vec<OutboxRow> = conn.all(&select, &[]).await?;
    let mut by_alert: HashMap<(String, String), (OutboxEntry, String)> = feedback
        .into_iter()
        .map(outbox_entry)
        .map(|(e, body)| ((e.recipient.clone(), e.conversation.clone()), (e, body)))
        .collect();
    Ok(alerts
        .into_iter()
        .map(received)
        .map(|alert| {
            let found = by_alert.remove(&(alert.sender.clone(), alert.id.clone()));
            let (feedback, feedback_body) = found.map_or((None, None), |(e, b)| (Some(e), Some(b)));
            ReceivedAlert {
                alert,
                feedback,
                feedback_body,
            }
        })
        .collect())
}

/// Alerts sent, newest first, with the feedback received on each.
pub(crate) async fn alerts_sent(conn: &mut Conn<'_>) -> Result<Vec<SentAlert>> {
    let select = format!(
        "SELECT {OUTBOX_COLUMNS} FROM federation_outbox WHERE kind = 'alert' ORDER BY seq DESC"
    );
    let alerts: Vec<OutboxRow> = conn.all(&select, &[]).await?;
    let select = format!(
        "SELECT {INBOX_COLUMNS} FROM federation_inbox WHERE kind = 'alert_feedback' ORDER BY seq"
    );
    let feedback: Vec<InboxRow> = conn.all(&select, &[]).await?;
    let mut by_alert: HashMap<(String, String), Received> = feedback
        .into_iter()
        .map(received)
        .map(|r| ((r.sender.clone(), r.conversation.clone()), r))
        .collect();
    Ok(alerts
        .into_iter()
        .map(outbox_entry)
        .map(|(alert, body)| {
            let feedback = by_alert.remove(&(alert.recipient.clone(), alert.id.clone()));
            SentAlert {
                alert,
                body,
                feedback,
            }
        })
        .collect())
}

/// Queues feedback on the alert `alert_id` received from `sender`, once.
pub(crate) async fn feedback(
    conn: &mut Conn<'_>,
    out: &Outgoing,
    by: &str,
    now: OffsetDateTime,
) -> Result<FeedbackOutcome> {
    let select =
        "SELECT seq FROM federation_inbox WHERE sender = $1 AND id = $2 AND kind = 'alert'";
    let alert = [Bind::Str(&out.recipient), Bind::Str(&out.conversation)];
    if conn.optional_scalar::<i64>(select, &alert).await?.is_none() {
        return Ok(FeedbackOutcome::UnknownAlert);
    }
    let select = "SELECT seq FROM federation_outbox WHERE recipient = $1 AND conversation = $2 \
         AND kind = 'alert_feedback'";
    if conn.optional_scalar::<i64>(select, &alert).await?.is_some() {
        return Ok(FeedbackOutcome::AlreadyGiven);
    }
    enqueue(conn, out, by, now).await?;
    Ok(FeedbackOutcome::Queued)
}
