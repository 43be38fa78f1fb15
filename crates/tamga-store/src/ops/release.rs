//! Holds on goods and the release rule of controlled declarations: a yellow or red declaration
//! is released only by its allocated examiner, once the task is completed and nothing is owed,
//! red only after the chief's endorsement; a hold blocks every release until lifted.

use rust_decimal::Decimal;
use tamga_control::release::{decide, may_release, Blocker, Coverage, Hold, Release, ReleaseFacts};
use tamga_control::task::{Channel, TaskState};
use tamga_control::UserId;
use time::OffsetDateTime;

use super::audit::Change;
use super::declarations::visible_id;
use crate::conn::{Bind, Conn};
use crate::control::HoldRecord;
use crate::records::{Scope, User};
use crate::Result;

/// Places a hold on a declaration's goods (`None`: no such declaration).
pub(crate) async fn place_hold(
    conn: &mut Conn<'_>,
    mrn: &str,
    by: &User,
    reason: &str,
) -> Result<Option<HoldRecord>> {
    let Some(id) = visible_id(conn, mrn, &Scope::All, true).await? else {
        return Ok(None);
    };
    let at = crate::sql::now();
    let insert = "INSERT INTO control_holds (declaration_id, reason, placed_by, placed_at) \
         VALUES ($1, $2, $3, $4) RETURNING id";
    let binds = [
        Bind::Int(id),
        Bind::Str(reason),
        Bind::Int(by.id),
        Bind::Time(at),
    ];
    let hold: i64 = conn.scalar(insert, &binds).await?;
    let change = Change::new(&by.name, "hold.place", mrn, reason.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(Some(HoldRecord {
        id: hold,
        reason: reason.to_owned(),
        placed_by: by.id,
        placed_at: at,
        lifted_at: None,
        lift_reason: None,
    }))
}

/// Lifts a hold still in force; false when the declaration has no such hold in force.
pub(crate) async fn lift_hold(
    conn: &mut Conn<'_>,
    mrn: &str,
    hold: i64,
    by: &User,
    reason: &str,
) -> Result<bool> {
    let Some(id) = visible_id(conn, mrn, &Scope::All, true).await? else {
        return Ok(false);
    };
    let update = "UPDATE control_holds SET lifted_by = $1, lifted_at = $2, lift_reason = $3 \
         WHERE id = $4 AND declaration_id = $5 AND lifted_at IS NULL";
    let binds = [
        Bind::Int(by.id),
        Bind::Time(crate::sql::now()),
        Bind::Str(reason),
        Bind::Int(hold),
        Bind::Int(id),
    ];
    let lifted = conn.execute(update, &binds).await? == 1;
    if lifted {
        let detail = format!("hold {hold}: {reason}");
        let change = Change::new(&by.name, "hold.lift", mrn, detail.as_bytes());
        super::audit::record(conn, change).await?;
    }
    Ok(lifted)
}

type HoldRow = (
    i64,
    String,
    i64,
    OffsetDateTime,
    Option<OffsetDateTime>,
    Option<String>,
);

/// Every hold of a declaration, oldest first (`None`: no such declaration).
pub(crate) async fn holds(conn: &mut Conn<'_>, mrn: &str) -> Result<Option<Vec<HoldRecord>>> {
    let Some(id) = visible_id(conn, mrn, &Scope::All, false).await? else {
        return Ok(None);
    };
    Ok(Some(holds_of(conn, id).await?))
}

async fn holds_of(conn: &mut Conn<'_>, id: i64) -> Result<Vec<HoldRecord>> {
    let select = "SELECT id, reason, placed_by, placed_at, lifted_at, lift_reason \
         FROM control_holds WHERE declaration_id = $1 ORDER BY id";
    let rows: Vec<HoldRow> = conn.all(select, &[Bind::Int(id)]).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, reason, placed_by, placed_at, lifted_at, lift_reason)| HoldRecord {
                id,
                reason,
                placed_by,
                placed_at,
                lifted_at,
                lift_reason,
            },
        )
        .collect())
}

/// Why `actor` may not release the declaration now, by `tamga-control`'s release rule; empty
/// when they may. Declarations without a targeting decision keep the plain lifecycle rule.
pub(crate) async fn blockers(
    conn: &mut Conn<'_>,
    declaration_id: i64,
    actor: &User,
    owed: Decimal,
) -> Result<Vec<String>> {
    let select = "SELECT channel FROM risk_decisions WHERE declaration_id = $1";
    let channel: Option<String> = conn
        .optional_scalar(select, &[Bind::Int(declaration_id)])
        .await?;
    let Some(channel) = channel.as_deref().and_then(Channel::parse) else {
        return Ok(Vec::new());
    };
    let holds: Vec<Hold> = holds_of(conn, declaration_id)
        .await?
        .into_iter()
        .filter(|h| h.lifted_at.is_none())
        .map(|h| Hold {
            reason: h.reason,
            by: UserId(h.placed_by),
        })
        .collect();
    let (task, endorsed) = latest_task(conn, declaration_id).await?;
    let facts = ReleaseFacts {
        channel,
        coverage: Coverage {
            owed,
            guaranteed: false,
        },
        task: task.as_ref(),
        holds: &holds,
        chief_endorsed: endorsed,
    };
    let release = decide(&facts);
    Ok(match &release {
        Release::Refused { blockers } => blockers.iter().map(describe).collect(),
        Release::ByExaminer { .. } if !may_release(&release, UserId(actor.id)) => {
            vec!["only the allocated examiner may release this declaration".to_owned()]
        }
        _ => Vec::new(),
    })
}

fn describe(blocker: &Blocker) -> String {
    match blocker {
        Blocker::NotCovered { owed } => format!("{owed} is still owed"),
        Blocker::Held { reason } => format!("the goods are held: {reason}"),
        Blocker::NoTask => "no control task has been allocated".to_owned(),
        Blocker::TaskNotCompleted { state } => {
            format!("the control task is {state}, not completed")
        }
        Blocker::ChiefEndorsementMissing => {
            "a chief examiner has not endorsed the release".to_owned()
        }
    }
}

/// The declaration's latest task that was not cancelled, and whether a chief endorsed it.
async fn latest_task(
    conn: &mut Conn<'_>,
    declaration_id: i64,
) -> Result<(Option<tamga_control::task::ControlTask>, bool)> {
    let select = "SELECT id, endorsed_by FROM control_tasks WHERE declaration_id = $1 \
         AND state <> 'cancelled' ORDER BY id DESC LIMIT 1";
    let row: Option<(i64, Option<i64>)> =
        conn.optional(select, &[Bind::Int(declaration_id)]).await?;
    let Some((id, endorsed_by)) = row else {
        return Ok((None, false));
    };
    let task = super::control::task(conn, id).await?;
    let endorsed = endorsed_by.is_some()
        && task
            .as_ref()
            .is_some_and(|t| t.state == TaskState::Completed);
    Ok((task, endorsed))
}
