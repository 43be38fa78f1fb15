//! The declarations list: one page of a filtered list, newest first, whatever the size of the
//! history (see [`list`] for the shapes and the index each one walks).

use super::{Dialect, ACTING_COLUMNS, PARTY_COLUMNS};
use crate::conn::Bind;
use crate::records::{ListQuery, Scope};

/// The declarations list, newest first, one page of `query.limit` rows (plus one to tell
/// whether a next page exists). Each shape of query walks one index newest first and stops
/// after a page, whatever the size of the history:
///
/// - A party's scope ORs five columns. One `WHERE` over that OR makes the database gather every
///   matching row and sort it: 267 ms a page for a party with 200,000 declarations. Instead each
///   column gets its own branch, which walks that column's `(column, accepted_on, id)` index
///   newest first (by day, then id); the union of the branches is sorted again and cut to one
///   page.
/// - A date range, an office, a declarant or a status orders the list by day of acceptance and
///   then id, with the next page's cursor compared as a pair, and walks an index of that order
///   from its newest end: `(accepted_on, id)`, or the filter's `(column, accepted_on, id)`
///   (migration 0037), which seeks straight to a range's end. Gathering a range and sorting it
///   by id took 1.9 s a page for one day of 2,000,000 declarations, and 2.1 s for 13 months;
///   walking the range's index and checking a rare office on each row read the whole range.
///   With several of these filters, one index is walked (the declarant's, the office's, the
///   status's, in that order) and the others are checked on the way.
/// - An HS chapter walks the items' `(chapter, declaration_id)` index, with any date range
///   checked on the way: checking every declaration (or every one in the range) for an item of
///   a rare chapter took 132 ms (53 ms) for the first page at 2,000,000.
/// - An HS chapter with an office, declarant or status that has fewer than [`FEW`]
///   declarations (`few`, the index of that filter, which [`few_probes`] found) reads those
///   declarations instead, keeps the ones with an item of the chapter and sorts them by id:
///   walking the items of a common chapter for a rare office read all 493,000 of chapter 85 at
///   2,000,000 declarations, 0.9 s a page on SQLite. Both ways give the same order and pages.
/// - Otherwise the list walks the primary key, with the other filters checked on the way.
pub(crate) fn list<'a>(
    dialect: Dialect,
    query: &'a ListQuery,
    scope: &'a Scope,
    few: Option<&'static str>,
) -> (String, Vec<Bind<'a>>) {
    let (mut binds, mut filters) = list_filters(query);
    let branches = scope_branches(scope, &mut binds);
    if !branches.is_empty() {
        return scoped(dialect, query, branches, filters, binds);
    }
    if let (Some(chapter), None) = (query.hs_chapter.as_deref(), few) {
        return by_chapter(chapter, query, filters, binds);
    }
    let (index, order) = match (few, day_index(query)) {
        // A chapter through a filter with few declarations, in the chapter walk's order.
        (Some(index), _) => {
            chapter_filter(query, &mut filters, &mut binds);
            after_id(query, "id", &mut filters, &mut binds);
            (Some(index), "id DESC")
        }
        (None, Some(index)) => {
            after_day(query, &mut filters, &mut binds);
            (Some(index), BY_DAY)
        }
        (None, None) => {
            after_id(query, "id", &mut filters, &mut binds);
            (None, "id DESC")
        }
    };
    let mut sql = format!("SELECT {LIST_COLUMNS} FROM declarations");
    // SQLite's planner, without statistics, could take another filter's index and sort every
    // row it matches.
    if let (Dialect::Sqlite, Some(index)) = (dialect, index) {
        sql.push_str(" INDEXED BY ");
        sql.push_str(index);
    }
    push_where(&mut sql, &filters);
    binds.push(Bind::Int(i64::from(query.limit) + 1));
    sql.push_str(&format!(" ORDER BY {order} LIMIT ${}", binds.len()));
    (sql, binds)
}

/// The index, in day order, that a list walks when it is ordered by day: `None` when it is
/// ordered by id (no date range, office, declarant or status).
fn day_index(query: &ListQuery) -> Option<&'static str> {
    if query.declarant.is_some() {
        Some("declarations_declarant")
    } else if query.office.is_some() {
        Some("declarations_office")
    } else if query.status.is_some() {
        Some("declarations_status")
    } else if query.from.is_some() || query.to.is_some() {
        Some("declarations_accepted_on")
    } else {
        None
    }
}

/// Newest first by day of acceptance, then by id.
const BY_DAY: &str = "accepted_on DESC, id DESC";

/// The next page's cursor (an id) as a condition on the day and id together.
fn after_day<'a>(query: &ListQuery, filters: &mut Vec<String>, binds: &mut Vec<Bind<'a>>) {
    if let Some(after) = query.after {
        binds.push(Bind::Int(after));
        let a = binds.len();
        filters.push(format!(
            "(accepted_on, id) < ((SELECT accepted_on FROM declarations WHERE id = ${a}), ${a})"
        ));
    }
}

/// The union of one page per branch of a party's scope, cut to one page. On SQLite each
/// branch names its column's index: the planner, without statistics, could take an office's
/// and read the whole office for a small trader.
fn scoped<'a>(
    dialect: Dialect,
    query: &'a ListQuery,
    branches: Vec<(String, String)>,
    mut filters: Vec<String>,
    mut binds: Vec<Bind<'a>>,
) -> (String, Vec<Bind<'a>>) {
    chapter_filter(query, &mut filters, &mut binds);
    after_day(query, &mut filters, &mut binds);
    binds.push(Bind::Int(i64::from(query.limit) + 1));
    let limit = binds.len();
    let union: Vec<String> = branches
        .into_iter()
        .enumerate()
        .map(|(n, (branch, index))| {
            let mut sql = format!("SELECT {LIST_COLUMNS} FROM declarations");
            if dialect == Dialect::Sqlite {
                sql.push_str(&format!(" INDEXED BY {index}"));
            }
            let conditions: Vec<String> = filters.iter().cloned().chain([branch]).collect();
            push_where(&mut sql, &conditions);
            format!("SELECT * FROM ({sql} ORDER BY {BY_DAY} LIMIT ${limit}) AS b{n}")
        })
        .collect();
    let sql = format!(
        "SELECT * FROM ({}) AS scoped ORDER BY {BY_DAY} LIMIT ${limit}",
        union.join(" UNION ")
    );
    (sql, binds)
}

/// How many declarations a chapter list's filter may match for the list to read them all
/// rather than walk the chapter's items.
pub(crate) const FEW: i64 = 2_000;

/// For a chapter list of every declaration (the scope `All`), one probe per office, declarant
/// or status filter: the filter's index and a query counting its declarations, up to [`FEW`].
pub(crate) fn few_probes<'a>(
    dialect: Dialect,
    query: &'a ListQuery,
    scope: &Scope,
) -> Vec<(&'static str, String, Vec<Bind<'a>>)> {
    if query.hs_chapter.is_none() || !matches!(scope, Scope::All) {
        return Vec::new();
    }
    let filters = [
        ("declarations_office", "office", query.office.as_deref()),
        (
            "declarations_declarant",
            "declarant_id",
            query.declarant.as_deref(),
        ),
        (
            "declarations_status",
            "status",
            query.status.map(|s| s.as_str()),
        ),
    ];
    filters
        .into_iter()
        .filter_map(|(index, column, value)| {
            let value = value?;
            let indexed = match dialect {
                Dialect::Sqlite => format!(" INDEXED BY {index}"),
                Dialect::Postgres => String::new(),
            };
            let sql = format!(
                "SELECT count(*) FROM (SELECT 1 FROM declarations{indexed} \
                 WHERE {column} = $1 LIMIT {FEW}) AS few"
            );
            Some((index, sql, vec![Bind::Str(value)]))
        })
        .collect()
}

/// The declarations with an item of `chapter`, found by walking the items' chapter index
/// newest first (`CROSS JOIN` keeps SQLite's planner from starting at the declarations), each
/// declaration once: at its first item of the chapter.
fn by_chapter<'a>(
    chapter: &'a str,
    query: &'a ListQuery,
    mut filters: Vec<String>,
    mut binds: Vec<Bind<'a>>,
) -> (String, Vec<Bind<'a>>) {
    binds.push(Bind::Str(chapter));
    let c = binds.len();
    filters.push(format!("i.chapter = ${c}"));
    filters.push("declarations.id = i.declaration_id".to_owned());
    filters.push(format!(
        "i.sequence = (SELECT MIN(j.sequence) FROM declaration_items j \
         WHERE j.declaration_id = i.declaration_id AND j.chapter = ${c})"
    ));
    after_id(query, "i.declaration_id", &mut filters, &mut binds);
    let columns: Vec<String> = LIST_COLUMNS
        .split(", ")
        .map(|column| format!("declarations.{column}"))
        .collect();
    let mut sql = format!(
        "SELECT {} FROM declaration_items i CROSS JOIN declarations",
        columns.join(", ")
    );
    push_where(&mut sql, &filters);
    binds.push(Bind::Int(i64::from(query.limit) + 1));
    sql.push_str(&format!(
        " ORDER BY i.declaration_id DESC LIMIT ${}",
        binds.len()
    ));
    (sql, binds)
}

fn push_where(sql: &mut String, conditions: &[String]) {
    if !conditions.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conditions.join(" AND "));
    }
}

/// The next page's cursor as a condition on the id `column`.
fn after_id<'a>(
    query: &ListQuery,
    column: &str,
    filters: &mut Vec<String>,
    binds: &mut Vec<Bind<'a>>,
) {
    if let Some(after) = query.after {
        binds.push(Bind::Int(after));
        filters.push(format!("{column} < ${}", binds.len()));
    }
}

/// The HS chapter as a condition checked on each declaration walked.
fn chapter_filter<'a>(query: &'a ListQuery, filters: &mut Vec<String>, binds: &mut Vec<Bind<'a>>) {
    if let Some(chapter) = &query.hs_chapter {
        binds.push(Bind::Str(chapter));
        filters.push(format!(
            "EXISTS (SELECT 1 FROM declaration_items i WHERE i.declaration_id = declarations.id \
             AND i.chapter = ${})",
            binds.len()
        ));
    }
}

const LIST_COLUMNS: &str = "id, mrn, lrn, declaration_type, status, office, declarant_id, \
     accepted_at, accepted_on, item_count";

/// The list's filters on the declaration's own columns, with their parameters numbered from 1.
fn list_filters(query: &ListQuery) -> (Vec<Bind<'_>>, Vec<String>) {
    let mut binds = Vec::new();
    let mut conditions = Vec::new();
    let mut add = |template: &str, bind| {
        binds.push(bind);
        conditions.push(template.replace('?', &format!("${}", binds.len())));
    };
    if let Some(status) = query.status {
        add("status = ?", Bind::Str(status.as_str()));
    }
    if let Some(office) = &query.office {
        add("office = ?", Bind::Str(office));
    }
    if let Some(from) = query.from {
        add("accepted_on >= ?", Bind::Date(from));
    }
    if let Some(to) = query.to {
        add("accepted_on <= ?", Bind::Date(to));
    }
    if let Some(declarant) = &query.declarant {
        add("declarant_id = ?", Bind::Str(declarant));
    }
    (binds, conditions)
}

/// One condition per column of `scope` (the lodging user, then each party column), each
/// with the index that answers it, `declarations_` and the column's name without `_id`; none
/// for a scope that sees everything.
fn scope_branches<'a>(scope: &'a Scope, binds: &mut Vec<Bind<'a>>) -> Vec<(String, String)> {
    let (user_id, party_id, parties) = match scope {
        Scope::All => return Vec::new(),
        Scope::Party { user_id, party_id } => (user_id, party_id, PARTY_COLUMNS),
        Scope::Acting { user_id, party_id } => (user_id, party_id, ACTING_COLUMNS),
    };
    let index = |column: &str| format!("declarations_{}", column.trim_end_matches("_id"));
    binds.push(Bind::Int(*user_id));
    let lodged_by = format!("lodged_by = ${}", binds.len());
    let mut branches = vec![(lodged_by, index("lodged_by"))];
    if let Some(party) = party_id.as_deref() {
        binds.push(Bind::Str(party));
        let p = binds.len();
        branches.extend(parties.iter().map(|c| (format!("{c} = ${p}"), index(c))));
    }
    branches
}
