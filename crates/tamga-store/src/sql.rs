//! SQL shared by both backends. Placeholders are `$1, $2, ...` in order of first use, which
//! both SQLite and PostgreSQL accept; the few differences (JSONB and NUMERIC casts, serials, row locks) go
//! through [`Dialect`]. Values are bound through [`crate::conn::Bind`].

use tamga_core::Declaration;

use crate::conn::Bind;
use crate::records::{Lodgement, Scope};

mod list;
mod tasks;
pub(crate) use list::{few_probes, list, FEW};
#[cfg(feature = "testing")]
pub(crate) use tasks::FEW_TASKS;
pub(crate) use tasks::{few_probe as few_tasks_probe, few_tasks, page as task_page, TaskList};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// How the stored document is read back as text.
    fn document(self) -> &'static str {
        match self {
            Dialect::Sqlite => "document",
            Dialect::Postgres => "document::text AS document",
        }
    }

    /// Locks the selected row until the transaction ends (SQLite's writer is alone anyway).
    pub(crate) fn lock_row(self) -> &'static str {
        match self {
            Dialect::Sqlite => "",
            Dialect::Postgres => " FOR UPDATE",
        }
    }

    /// How a decimal text parameter is written into a NUMERIC column.
    pub(crate) fn numeric_param(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("${n}"),
            Dialect::Postgres => format!("${n}::numeric"),
        }
    }

    /// How a NUMERIC column is read back as decimal text.
    pub(crate) fn numeric_column(self, name: &str) -> String {
        match self {
            Dialect::Sqlite => name.to_owned(),
            Dialect::Postgres => format!("{name}::text AS {name}"),
        }
    }

    /// How a JSON column is read back as text.
    pub(crate) fn json_column(self, name: &str) -> String {
        match self {
            Dialect::Sqlite => name.to_owned(),
            Dialect::Postgres => format!("{name}::text AS {name}"),
        }
    }

    /// Every value of the text expression `expr` over the rows, joined by commas, as one value
    /// (NULL over no rows).
    pub(crate) fn joined(self, expr: &str) -> String {
        match self {
            Dialect::Sqlite => format!("group_concat({expr}, ',')"),
            Dialect::Postgres => format!("string_agg({expr}, ',')"),
        }
    }

    /// How a JSON text parameter is written into a JSON column.
    pub(crate) fn json_param(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("${n}"),
            Dialect::Postgres => format!("${n}::jsonb"),
        }
    }
}

pub(crate) const SELECT_USER_BY_TOKEN: &str =
    "SELECT u.id, u.name, u.role, u.party_id FROM users u \
     JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1 AND t.revoked_at IS NULL";
pub(crate) const INSERT_USER: &str =
    "INSERT INTO users (name, role, party_id, created_at) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (name) DO NOTHING RETURNING id";
pub(crate) const INSERT_TOKEN: &str =
    "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)";
pub(crate) const COUNT_USERS: &str = "SELECT COUNT(*) FROM users";
pub(crate) const SELECT_EXISTING: &str =
    "SELECT id, mrn, fingerprint FROM declarations WHERE declarant_id = $1 AND lrn = $2";
/// PostgreSQL's reservation in one round trip: the holder of the declarant's LRN, or (only
/// then, `CASE` evaluating `nextval` lazily) the next MRN serial.
pub(crate) const RESERVE_POSTGRES: &str = "SELECT e.id, e.mrn, e.fingerprint, \
     CASE WHEN e.id IS NULL THEN nextval('mrn_serial') END, \
     CASE WHEN e.id IS NULL AND $4 THEN nextval(pg_get_serial_sequence('control_tasks', 'id')) END, \
     (SELECT token FROM control_roster_state WHERE office = $3) \
     FROM (SELECT 1) AS one LEFT JOIN declarations e ON e.declarant_id = $1 AND e.lrn = $2";
pub(crate) const INSERT_EVENT: &str =
    "INSERT INTO declaration_events (declaration_id, seq, at, status, actor, reason) \
     VALUES ($1, $2, $3, $4, $5, $6)";
pub(crate) const SELECT_EVENTS: &str =
    "SELECT seq, at, status, actor, reason FROM declaration_events \
     WHERE declaration_id = $1 ORDER BY seq";
pub(crate) const NEXT_EVENT_SEQ: &str =
    "SELECT COALESCE(MAX(seq), 0) + 1 FROM declaration_events WHERE declaration_id = $1";
pub(crate) const UPDATE_STATUS: &str =
    "UPDATE declarations SET status = $1, updated_at = $2 WHERE id = $3";

pub(crate) fn insert_declaration(dialect: Dialect) -> String {
    format!(
        "INSERT INTO declarations (mrn, lrn, declarant_id, importer_id, exporter_id, representative_id, \
         lodged_by, declaration_type, office, status, lodgement_date, accepted_at, accepted_on, updated_at, \
         item_count, fingerprint, document) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, {}) \
         ON CONFLICT (declarant_id, lrn) DO NOTHING RETURNING id",
        dialect.json_param(17)
    )
}

/// [`insert_declaration`] with the id given as `$18` (SQLite's single writer takes it).
pub(crate) fn insert_declaration_with_id(dialect: Dialect) -> String {
    insert_declaration(dialect)
        .replacen("(mrn, ", "(id, mrn, ", 1)
        .replacen("VALUES ($1, ", "VALUES ($18, $1, ", 1)
        .replace(
            " ON CONFLICT (declarant_id, lrn) DO NOTHING RETURNING id",
            "",
        )
}

/// SQLite, in one read: the next MRN serial, the next declaration id, and the declaration
/// holding the declarant's LRN, if any (id, MRN, fingerprint).
pub(crate) const RESERVE_SQLITE: &str = "SELECT c.value + 1, \
     COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'declarations'), 0) + 1, \
     e.id, e.mrn, e.fingerprint, \
     COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'control_tasks'), 0) + 1, \
     (SELECT token FROM control_roster_state WHERE office = $3) FROM counters c \
     LEFT JOIN declarations e ON e.declarant_id = $1 AND e.lrn = $2 \
     WHERE c.name = 'mrn_serial'";

/// SQLite: the MRN serial taken by [`RESERVE_SQLITE`].
pub(crate) const SET_SERIAL: &str = "UPDATE counters SET value = $1 WHERE name = 'mrn_serial'";

/// The 17 parameters of [`insert_declaration`], in order, borrowed from the lodgement.
pub(crate) fn declaration_binds<'a>(l: &'a Lodgement, mrn: &'a str) -> [Bind<'a>; 17] {
    let d = &l.declaration;
    let party =
        |p: &'a Option<tamga_core::model::Party>| Bind::OptStr(p.as_ref().map(|p| p.id.as_str()));
    let item_count = i64::try_from(d.items.len()).unwrap_or(i64::MAX);
    [
        Bind::Str(mrn),
        Bind::Str(d.lrn.as_str()),
        Bind::Str(d.declarant.id.as_str()),
        party(&d.importer),
        party(&d.exporter),
        party(&d.representative),
        Bind::Int(l.lodged_by.id),
        Bind::Str(d.declaration_type.as_str()),
        Bind::Str(d.customs_office.as_str()),
        Bind::Str(l.status().as_str()),
        Bind::Date(d.lodgement_date),
        Bind::Time(l.at),
        Bind::Date(l.at.date()),
        Bind::Time(l.at),
        Bind::Int(item_count),
        Bind::Str(&l.fingerprint),
        Bind::Str(&l.prepared.document),
    ]
}

/// A multi-row insert of the goods items of one declaration, with its binds.
pub(crate) fn insert_items(
    declaration_id: i64,
    declaration: &Declaration,
) -> (String, Vec<Bind<'_>>) {
    let mut sql = String::from(
        "INSERT INTO declaration_items (declaration_id, sequence, commodity_code, chapter, origin) VALUES ",
    );
    let mut binds = Vec::with_capacity(declaration.items.len() * 5);
    for (i, item) in declaration.items.iter().enumerate() {
        let n = i * 5;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${})",
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5
        ));
        binds.push(Bind::Int(declaration_id));
        binds.push(Bind::Int(i64::from(item.sequence)));
        binds.push(Bind::Str(item.commodity_code.as_str()));
        binds.push(Bind::Str(item.commodity_code.chapter()));
        binds.push(Bind::OptStr(item.origin.as_ref().map(|o| o.as_str())));
    }
    (sql, binds)
}

/// The visibility condition for `scope`, its parameters numbered from `first`.
fn scope_condition<'a>(
    scope: &'a Scope,
    first: usize,
    binds: &mut Vec<Bind<'a>>,
) -> Option<String> {
    let (user_id, party_id, parties) = match scope {
        Scope::All => return None,
        Scope::Party { user_id, party_id } => (user_id, party_id, PARTY_COLUMNS),
        Scope::Acting { user_id, party_id } => (user_id, party_id, ACTING_COLUMNS),
    };
    binds.push(Bind::Int(*user_id));
    binds.push(Bind::OptStr(party_id.as_deref()));
    let (u, p) = (first, first + 1);
    let matches: Vec<String> = parties.iter().map(|c| format!(" OR {c} = ${p}")).collect();
    Some(format!("(lodged_by = ${u}{})", matches.concat()))
}

/// Columns naming a party that may see a declaration.
pub(super) const PARTY_COLUMNS: &[&str] = &[
    "declarant_id",
    "importer_id",
    "exporter_id",
    "representative_id",
];
/// Columns naming a party that may act on a declaration.
pub(super) const ACTING_COLUMNS: &[&str] = &["declarant_id", "representative_id"];

/// The row of one declaration by MRN, if `scope` may see it.
pub(crate) fn select_declaration<'a>(
    dialect: Dialect,
    mrn: &'a str,
    scope: &'a Scope,
) -> (String, Vec<Bind<'a>>) {
    let mut binds = vec![Bind::Str(mrn)];
    let mut sql = format!(
        "SELECT id, mrn, status, accepted_at, updated_at, {} FROM declarations WHERE mrn = $1",
        dialect.document()
    );
    if let Some(condition) = scope_condition(scope, 2, &mut binds) {
        sql.push_str(" AND ");
        sql.push_str(&condition);
    }
    (sql, binds)
}

/// The id of one declaration by MRN, if `scope` may see it.
pub(crate) fn select_declaration_id<'a>(mrn: &'a str, scope: &'a Scope) -> (String, Vec<Bind<'a>>) {
    let mut binds = vec![Bind::Str(mrn)];
    let mut sql = String::from("SELECT id FROM declarations WHERE mrn = $1");
    if let Some(condition) = scope_condition(scope, 2, &mut binds) {
        sql.push_str(" AND ");
        sql.push_str(&condition);
    }
    (sql, binds)
}

pub(crate) fn insert_assessment(dialect: Dialect) -> String {
    format!(
        "INSERT INTO assessments (declaration_id, version, assessed_at, assessed_by, reason, currency, total, document, corrections) \
         VALUES ($1, $2, $3, $4, $5, $6, {}, {}, {})",
        dialect.numeric_param(7),
        dialect.json_param(8),
        dialect.json_param(9)
    )
}

pub(crate) const NEXT_ASSESSMENT_VERSION: &str =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM assessments WHERE declaration_id = $1";

pub(crate) fn select_assessments(dialect: Dialect) -> String {
    format!(
        "SELECT version, assessed_at, assessed_by, reason, {}, {} FROM assessments WHERE declaration_id = $1 ORDER BY version",
        dialect.json_column("document"),
        dialect.json_column("corrections")
    )
}

pub(crate) fn select_latest_assessment(dialect: Dialect) -> String {
    format!(
        "SELECT version, currency, {} FROM assessments WHERE declaration_id = $1 ORDER BY version DESC LIMIT 1",
        dialect.numeric_column("total")
    )
}

pub(crate) fn select_payments(dialect: Dialect) -> String {
    format!(
        "SELECT id, kind, {}, method, reference, recorded_by, recorded_at FROM payments \
         WHERE declaration_id = $1 ORDER BY id",
        dialect.numeric_column("amount")
    )
}

pub(crate) fn insert_payment(dialect: Dialect) -> String {
    format!(
        "INSERT INTO payments (declaration_id, kind, amount, method, reference, recorded_by, recorded_at) \
         VALUES ($1, $2, {}, $4, $5, $6, $7) ON CONFLICT (declaration_id, kind, reference) DO NOTHING",
        dialect.numeric_param(3)
    )
}

pub(crate) fn upsert_rate(dialect: Dialect) -> String {
    format!(
        "INSERT INTO exchange_rates (currency, valid_from, rate) VALUES ($1, $2, {0}) \
         ON CONFLICT (currency, valid_from) DO UPDATE SET rate = {0}",
        dialect.numeric_param(3)
    )
}

pub(crate) fn select_rates(dialect: Dialect) -> String {
    format!(
        "SELECT currency, valid_from, {} FROM exchange_rates ORDER BY currency, valid_from",
        dialect.numeric_column("rate")
    )
}

/// A multi-row insert: `columns` per row, each row's placeholders through `placeholder`.
fn multi_row(
    head: &str,
    rows: usize,
    columns: usize,
    placeholder: impl Fn(usize, usize) -> String,
) -> String {
    let mut sql = String::from(head);
    for row in 0..rows {
        sql.push_str(if row == 0 { " VALUES (" } else { ", (" });
        let cells: Vec<String> = (0..columns)
            .map(|c| placeholder(c, row * columns + c + 1))
            .collect();
        sql.push_str(&cells.join(", "));
        sql.push(')');
    }
    sql
}

/// The unit values of one declaration's items, in one statement.
pub(crate) fn insert_unit_values(
    dialect: Dialect,
    declaration_id: i64,
    values: &[(u16, String, Option<String>, rust_decimal::Decimal)],
) -> (String, Vec<Bind<'_>>) {
    let head = "INSERT INTO item_unit_values (declaration_id, sequence, hs6, origin, unit_value)";
    let sql = multi_row(head, values.len(), 5, |column, n| {
        if column == 4 {
            dialect.numeric_param(n)
        } else {
            format!("${n}")
        }
    });
    let mut binds = Vec::with_capacity(values.len() * 5);
    for (sequence, hs6, origin, value) in values {
        binds.push(Bind::Int(declaration_id));
        binds.push(Bind::Int(i64::from(*sequence)));
        binds.push(Bind::Str(hs6));
        binds.push(Bind::OptStr(origin.as_deref()));
        binds.push(Bind::Text(value.to_string()));
    }
    (sql, binds)
}

/// Events of one declaration, in one statement.
pub(crate) fn insert_events(
    declaration_id: i64,
    events: &[crate::records::Event],
) -> (String, Vec<Bind<'_>>) {
    let head = "INSERT INTO declaration_events (declaration_id, seq, at, status, actor, reason)";
    let sql = multi_row(head, events.len(), 6, |_, n| format!("${n}"));
    let mut binds = Vec::with_capacity(events.len() * 6);
    for event in events {
        binds.push(Bind::Int(declaration_id));
        binds.push(Bind::Int(event.seq));
        binds.push(Bind::Time(event.at));
        binds.push(Bind::Str(event.status.as_str()));
        binds.push(Bind::Str(&event.actor));
        binds.push(Bind::OptStr(event.reason.as_deref()));
    }
    (sql, binds)
}

/// Every item's unit value, one row per (HS6, origin) with the values joined by commas: read in
/// the order of the covering index `(hs6, origin, unit_value)` (migration 0035). One row per
/// item cost a hand-off between sqlx's worker thread and the caller per row, most of the
/// rebuild's time at 4,000,000 items.
pub(crate) fn select_unit_values(dialect: Dialect) -> String {
    let value = match dialect {
        Dialect::Sqlite => "unit_value",
        Dialect::Postgres => "unit_value::text",
    };
    format!(
        "SELECT hs6, origin, {} AS unit_values FROM item_unit_values WHERE origin IS NOT NULL \
         GROUP BY hs6, origin ORDER BY hs6, origin",
        dialect.joined(value)
    )
}

pub(crate) fn upsert_reference(dialect: Dialect) -> String {
    let n = |i| dialect.numeric_param(i);
    format!(
        "INSERT INTO valuation_references (hs6, origin, median, q1, q3, count, source, built_at) \
         VALUES ($1, $2, {}, {}, {}, $6, $7, $8) ON CONFLICT (hs6, origin) DO UPDATE SET \
         median = EXCLUDED.median, q1 = EXCLUDED.q1, q3 = EXCLUDED.q3, count = EXCLUDED.count, \
         source = EXCLUDED.source, built_at = EXCLUDED.built_at",
        n(3),
        n(4),
        n(5)
    )
}

pub(crate) fn select_references(dialect: Dialect) -> String {
    format!(
        "SELECT hs6, origin, {}, {}, {}, count FROM valuation_references ORDER BY hs6, origin",
        dialect.numeric_column("median"),
        dialect.numeric_column("q1"),
        dialect.numeric_column("q3")
    )
}

pub(crate) const INSERT_TARIFF: &str =
    "INSERT INTO tariff_imports (name, content, imported_at, imported_by) VALUES ($1, $2, $3, $4)";
pub(crate) const SELECT_TARIFF: &str =
    "SELECT name, content, imported_at, imported_by FROM tariff_imports ORDER BY id DESC LIMIT 1";

pub(crate) fn select_declaration_by_id(dialect: Dialect) -> String {
    format!(
        "SELECT id, mrn, status, accepted_at, updated_at, {} FROM declarations WHERE id = $1",
        dialect.document()
    )
}

/// The current time in UTC, truncated to the microsecond that both backends store.
pub fn now() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

/// Counts one red at an office on a day if fewer than `$3` were counted: a row back means
/// granted. Concurrent lodgements on PostgreSQL serialise on the (office, day) row.
pub(crate) const CLAIM_RED: &str =
    "INSERT INTO red_capacity (office, day, used) VALUES ($1, $2, 1) \
     ON CONFLICT (office, day) DO UPDATE SET used = red_capacity.used + 1 \
     WHERE red_capacity.used < $3 RETURNING used";
