//! Statements that run together, [`Script`], in one call on either backend.
//!
//! Why: a SQLite connection lives on a thread of its own and every call is a hand-off to it
//! and back. On the single writer those hand-offs, not SQLite, bounded lodgement (a profile of
//! `tamga bench submit` showed the writer thread waiting on them). SQLite runs a text of
//! several statements in one call, binding `$n` against one argument list, so a script's
//! statements are renumbered into one text. (sqlx 0.8 supports several statements in one
//! SQLite text but marks it deprecated; should a later sqlx drop it, `run` goes back to one
//! call per statement there, and only speed changes.)
//!
//! On PostgreSQL every statement is a round trip to the server, and its extended protocol
//! takes one statement per call, so the statements become one: each but the last a
//! data-modifying `WITH` clause of the last. PostgreSQL runs them all in one snapshot, so no
//! statement of a script may depend on what another one of it writes (reads, or updates a
//! row another inserts or updates); foreign keys are checked at the end, so a row may
//! reference one inserted beside it. Statements that are `WITH` queries themselves cannot be
//! nested, so a script holding one runs its statements in turn.

use crate::conn::{Bind, Conn};
use crate::Result;

/// Statements with their parameters, each written with its own `$1..$n`.
#[derive(Debug, Default)]
pub(crate) struct Script<'a> {
    statements: Vec<(String, Vec<Bind<'a>>)>,
}

impl<'a> Script<'a> {
    pub(crate) fn push(&mut self, sql: impl Into<String>, binds: Vec<Bind<'a>>) {
        self.statements.push((sql.into(), binds));
    }

    /// Adds `other`'s statements after these.
    pub(crate) fn append(&mut self, mut other: Script<'a>) {
        self.statements.append(&mut other.statements);
    }

    /// Runs every statement: on SQLite in order, on PostgreSQL together in one snapshot (see
    /// the module documentation).
    pub(crate) async fn run(self, conn: &mut Conn<'_>) -> Result<()> {
        if self.statements.is_empty() {
            return Ok(());
        }
        let nested = |(sql, _): &(String, _)| sql.trim_start().starts_with("WITH");
        let layout = match conn {
            Conn::Sqlite(..) => Layout::Statements,
            Conn::Postgres(..) if self.statements.iter().any(nested) => {
                for (sql, binds) in &self.statements {
                    conn.execute(sql, binds).await?;
                }
                return Ok(());
            }
            Conn::Postgres(..) => Layout::With,
        };
        let (sql, binds) = self.joined(layout);
        conn.execute(&sql, &binds).await?;
        Ok(())
    }

    /// One text of every statement, parameters renumbered after the previous ones'.
    fn joined(self, layout: Layout) -> (String, Vec<Bind<'a>>) {
        let length: usize = self.statements.iter().map(|(sql, _)| sql.len() + 16).sum();
        let mut text = String::with_capacity(length);
        let mut binds = Vec::with_capacity(self.statements.iter().map(|(_, b)| b.len()).sum());
        let last = self.statements.len().saturating_sub(1);
        for (n, (sql, mut own)) in self.statements.into_iter().enumerate() {
            match layout {
                Layout::Statements if n > 0 => text.push_str(";\n"),
                Layout::With if n == 0 && n < last => text.push_str("WITH "),
                Layout::With if n > 0 && n < last => text.push_str(", "),
                Layout::With if n > 0 => text.push(' '),
                _ => {}
            }
            if layout == Layout::With && n < last {
                text.push('s');
                text.push_str(itoa::Buffer::new().format(n));
                text.push_str(" AS (");
                renumber(&sql, binds.len(), &mut text);
                text.push(')');
            } else {
                renumber(&sql, binds.len(), &mut text);
            }
            binds.append(&mut own);
        }
        (text, binds)
    }
}

/// How a script's statements are put into one text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// SQLite: one after another, separated by semicolons.
    Statements,
    /// PostgreSQL: each but the last a `WITH` clause of the last.
    With,
}

/// Copies `sql` into `out` with every `$n` placeholder moved up by `offset`. tamga's SQL has
/// no `$` inside string literals, so every `$` followed by digits is a placeholder. The text
/// between placeholders is copied whole: this runs on the SQLite writer for every statement of
/// every lodgement, and a copy character by character was a tenth of a lodgement's work there
/// (callgrind).
fn renumber(sql: &str, offset: usize, out: &mut String) {
    let mut copied = 0;
    let mut from = 0;
    while let Some(dollar) = sql.get(from..).and_then(|rest| rest.find('$')) {
        let start = from + dollar + 1;
        let digits = sql.get(start..).map_or(0, |rest| {
            rest.bytes().take_while(u8::is_ascii_digit).count()
        });
        let end = start + digits;
        from = end.max(start);
        let Some(n) = sql.get(start..end).and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        out.push_str(sql.get(copied..start).unwrap_or_default());
        out.push_str(itoa::Buffer::new().format(n + offset));
        copied = end;
    }
    out.push_str(sql.get(copied..).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_move_up_by_the_offset() {
        let mut out = String::new();
        renumber("INSERT INTO t VALUES ($1, $2::jsonb, $10)", 7, &mut out);
        assert_eq!(out, "INSERT INTO t VALUES ($8, $9::jsonb, $17)");
        let mut out = String::from("x; ");
        renumber("$1 || '$' || $ || $a$3 é$12", 2, &mut out);
        assert_eq!(
            out, "x; $3 || '$' || $ || $a$5 é$14",
            "a lone `$` stays as it is"
        );
        let mut out = String::new();
        renumber("no placeholders, ünïcode", 4, &mut out);
        assert_eq!(out, "no placeholders, ünïcode");
    }

    proptest::proptest! {
        /// Renumbering by 0 copies the text; renumbering twice adds the offsets.
        #[test]
        fn renumbering_adds_offsets(sql in "[a-z $0-9é(),]{0,60}", a in 0usize..50, b in 0usize..50) {
            let mut same = String::new();
            renumber(&sql, 0, &mut same);
            let normal = |s: &str| {
                let mut n = String::new();
                let mut chars = s.chars().peekable();
                while let Some(c) = chars.next() {
                    n.push(c);
                    if c == '$' {
                        let mut digits = String::new();
                        while let Some(d) = chars.next_if(char::is_ascii_digit) {
                            digits.push(d);
                        }
                        match digits.parse::<usize>() {
                            Ok(v) => n.push_str(&v.to_string()),
                            Err(_) => n.push_str(&digits),
                        }
                    }
                }
                n
            };
            proptest::prop_assert_eq!(&same, &normal(&sql));
            let (mut once, mut twice) = (String::new(), String::new());
            renumber(&sql, a + b, &mut once);
            let mut step = String::new();
            renumber(&sql, a, &mut step);
            renumber(&step, b, &mut twice);
            proptest::prop_assert_eq!(once, twice);
        }
    }

    #[test]
    fn statements_join_with_their_arguments_in_order() {
        let mut script = Script::default();
        script.push(
            "INSERT INTO a VALUES ($1, $2)",
            vec![Bind::Int(1), Bind::Int(2)],
        );
        script.push("INSERT INTO b VALUES ($1)", vec![Bind::Int(3)]);
        let (sql, binds) = script.joined(Layout::Statements);
        assert_eq!(
            sql,
            "INSERT INTO a VALUES ($1, $2);\nINSERT INTO b VALUES ($3)"
        );
        assert_eq!(binds.len(), 3);
    }

    #[test]
    fn on_postgres_every_statement_but_the_last_is_a_with_clause() {
        let mut script = Script::default();
        script.push("INSERT INTO a VALUES ($1)", vec![Bind::Int(1)]);
        script.push("UPDATE b SET v = $1", vec![Bind::Int(2)]);
        script.push(
            "INSERT INTO c VALUES ($1, $2)",
            vec![Bind::Int(3), Bind::Int(4)],
        );
        let (sql, binds) = script.joined(Layout::With);
        assert_eq!(
            sql,
            "WITH s0 AS (INSERT INTO a VALUES ($1)), s1 AS (UPDATE b SET v = $2) \
             INSERT INTO c VALUES ($3, $4)"
        );
        assert_eq!(binds.len(), 4);
        let mut one = Script::default();
        one.push("UPDATE b SET v = $1", vec![Bind::Int(2)]);
        assert_eq!(one.joined(Layout::With).0, "UPDATE b SET v = $1");
    }
}
