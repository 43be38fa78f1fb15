//! Seizures and offence cases: a seizure opens a case (numbered per office and year) or joins
//! one, in one transaction; notes and state changes under a lock on the case's row.

use tamga_control::case::{case_number, CaseError, OffenceCase};
use tamga_control::seizure::Seizure;
use tamga_control::transition::Lifecycle;
use tamga_control::UserId;
use time::OffsetDateTime;

use crate::conn::{Bind, Conn};
use crate::lab::{CaseOutcome, CaseStep, StoredSeizure};
use crate::records::User;
use crate::{Result, StoreError};

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn refused(e: CaseError) -> CaseOutcome {
    match e {
        CaseError::Illegal(e) => CaseOutcome::Illegal(e),
        other => CaseOutcome::Refused(other.to_string()),
    }
}

/// Records a seizure, opening a new case or joining `case`.
pub(crate) async fn record(
    conn: &mut Conn<'_>,
    seizure: Seizure,
    by: &User,
    case: Option<&str>,
) -> Result<CaseOutcome> {
    let at = crate::sql::now();
    let id: i64 = conn.scalar(&next_seizure_id(conn.dialect()), &[]).await?;
    let (case, new) = match case {
        Some(number) => {
            let Some(mut case) = locked_case(conn, number).await? else {
                return Ok(CaseOutcome::UnknownCase);
            };
            if let Err(e) = case.join(id, &seizure, UserId(by.id)) {
                return Ok(refused(e));
            }
            (case, false)
        }
        None => {
            let number = next_number(conn, &seizure, at).await?;
            (
                OffenceCase::open(number, id, &seizure, UserId(by.id), at),
                true,
            )
        }
    };
    save_case(conn, &case, new).await?;
    let insert = format!(
        "INSERT INTO seizures (id, case_number, office, recorded_by, recorded_at, document) \
         VALUES ($1, $2, $3, $4, $5, {})",
        conn.dialect().json_param(6)
    );
    let document = json(&seizure)?;
    let binds = [
        Bind::Int(id),
        Bind::Str(&case.number),
        Bind::Str(seizure.office.as_str()),
        Bind::Str(&by.name),
        Bind::Time(at),
        Bind::Str(&document),
    ];
    conn.execute(&insert, &binds).await?;
    let photos: Vec<String> = seizure.photos.iter().map(|p| p.sha256.clone()).collect();
    super::attachments::link(conn, super::attachments::Referrer::Seizure(id), &photos).await?;
    let object = format!("seizure:{id} case:{}", case.number);
    let change =
        super::audit::Change::new(&by.name, "seizure.record", &object, document.as_bytes());
    super::audit::record(conn, change).await?;
    let stored = StoredSeizure {
        id,
        case_number: case.number.clone(),
        recorded_by: by.name.clone(),
        recorded_at: at,
        seizure,
    };
    Ok(CaseOutcome::Done {
        seizure: Some(Box::new(stored)),
        case: Box::new(case),
    })
}

/// The next seizure id, taken before the insert so the case can name it.
fn next_seizure_id(dialect: crate::sql::Dialect) -> String {
    match dialect {
        crate::sql::Dialect::Sqlite => "SELECT COALESCE(MAX(id), 0) + 1 FROM seizures".to_owned(),
        crate::sql::Dialect::Postgres => {
            "SELECT nextval(pg_get_serial_sequence('seizures', 'id'))".to_owned()
        }
    }
}

/// The next case number of the seizure's office and year.
async fn next_number(conn: &mut Conn<'_>, seizure: &Seizure, at: OffsetDateTime) -> Result<String> {
    let prefix = format!("{}-{}-%", seizure.office, at.year());
    let count: i64 = conn
        .scalar(
            "SELECT COUNT(*) FROM offence_cases WHERE number LIKE $1",
            &[Bind::Str(&prefix)],
        )
        .await?;
    let sequence =
        u32::try_from(count + 1).map_err(|_| StoreError::Corrupt("case count".into()))?;
    Ok(case_number(&seizure.office, at.year(), sequence))
}

async fn save_case(conn: &mut Conn<'_>, case: &OffenceCase, new: bool) -> Result<()> {
    let d = conn.dialect();
    let (sql, binds) = if new {
        let sql = format!(
            "INSERT INTO offence_cases (number, office, state, document, opened_at) VALUES ($1, $2, $3, {}, $5)",
            d.json_param(4)
        );
        let binds = vec![
            Bind::Str(&case.number),
            Bind::Str(case.office.as_str()),
            Bind::Str(case.state.as_str()),
            Bind::Text(json(case)?),
            Bind::Time(case.opened_at),
        ];
        (sql, binds)
    } else {
        let sql = format!(
            "UPDATE offence_cases SET state = $1, document = {} WHERE number = $3",
            d.json_param(2)
        );
        (
            sql,
            vec![
                Bind::Str(case.state.as_str()),
                Bind::Text(json(case)?),
                Bind::Str(&case.number),
            ],
        )
    };
    conn.execute(&sql, &binds).await?;
    Ok(())
}

async fn locked_case(conn: &mut Conn<'_>, number: &str) -> Result<Option<OffenceCase>> {
    let select = format!(
        "SELECT {} FROM offence_cases WHERE number = $1{}",
        conn.dialect().json_column("document"),
        conn.dialect().lock_row()
    );
    let document: Option<String> = conn.optional_scalar(&select, &[Bind::Str(number)]).await?;
    document
        .map(|d| {
            serde_json::from_str(&d).map_err(|e| StoreError::Corrupt(format!("case {number}: {e}")))
        })
        .transpose()
}

/// A note or a state change on a case.
pub(crate) async fn step(
    conn: &mut Conn<'_>,
    number: &str,
    by: &User,
    step: CaseStep,
) -> Result<CaseOutcome> {
    let Some(mut case) = locked_case(conn, number).await? else {
        return Ok(CaseOutcome::UnknownCase);
    };
    let detail = format!("{step:?}");
    let done = match step {
        CaseStep::Note(text) => case.add_note(UserId(by.id), crate::sql::now(), &text),
        CaseStep::Move(to) => case.move_to(to),
    };
    if let Err(e) = done {
        return Ok(refused(e));
    }
    save_case(conn, &case, false).await?;
    let change = super::audit::Change::new(&by.name, "case.step", number, detail.as_bytes());
    super::audit::record(conn, change).await?;
    Ok(CaseOutcome::Done {
        seizure: None,
        case: Box::new(case),
    })
}

pub(crate) async fn case(conn: &mut Conn<'_>, number: &str) -> Result<Option<OffenceCase>> {
    let select = format!(
        "SELECT {} FROM offence_cases WHERE number = $1",
        conn.dialect().json_column("document")
    );
    let document: Option<String> = conn.optional_scalar(&select, &[Bind::Str(number)]).await?;
    document
        .map(|d| {
            serde_json::from_str(&d).map_err(|e| StoreError::Corrupt(format!("case {number}: {e}")))
        })
        .transpose()
}

type SeizureRow = (i64, String, String, OffsetDateTime, String);

pub(crate) async fn seizure(conn: &mut Conn<'_>, id: i64) -> Result<Option<StoredSeizure>> {
    let select = format!(
        "SELECT id, case_number, recorded_by, recorded_at, {} FROM seizures WHERE id = $1",
        conn.dialect().json_column("document")
    );
    let row: Option<SeizureRow> = conn.optional(&select, &[Bind::Int(id)]).await?;
    row.map(|(id, case_number, recorded_by, recorded_at, document)| {
        let seizure = serde_json::from_str(&document)
            .map_err(|e| StoreError::Corrupt(format!("seizure {id}: {e}")))?;
        Ok(StoredSeizure {
            id,
            case_number,
            recorded_by,
            recorded_at,
            seizure,
        })
    })
    .transpose()
}
