//! Statements that run together, [`Script`]: on SQLite in one call, on PostgreSQL one after
//! another.
//!
//! Why: a SQLite connection lives on a thread of its own and every call is a hand-off to it
//! and back. On the single writer those hand-offs, not SQLite, bounded lodgement (a profile of
//! `tamga bench submit` showed the writer thread waiting on them). SQLite runs a text of
//! several statements in one call, binding `$n` against one argument list, so a script's
//! statements are renumbered into one text. PostgreSQL's extended protocol takes one
//! statement per call, so there the statements run in turn. (sqlx 0.8 supports several
//! statements in one SQLite text but marks it deprecated; should a later sqlx drop it, `run`
//! goes back to one call per statement, as on PostgreSQL, and only speed changes.)

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

    /// Runs every statement, in order.
    pub(crate) async fn run(self, conn: &mut Conn<'_>) -> Result<()> {
        if self.statements.is_empty() {
            return Ok(());
        }
        if let Conn::Sqlite(..) = conn {
            let (sql, binds) = self.joined();
            conn.execute(&sql, &binds).await?;
            return Ok(());
        }
        for (sql, binds) in &self.statements {
            conn.execute(sql, binds).await?;
        }
        Ok(())
    }

    /// One text of every statement, parameters renumbered after the previous ones'.
    fn joined(self) -> (String, Vec<Bind<'a>>) {
        let mut text = String::new();
        let mut binds = Vec::new();
        for (sql, mut own) in self.statements {
            if !text.is_empty() {
                text.push_str(";\n");
            }
            renumber(&sql, binds.len(), &mut text);
            binds.append(&mut own);
        }
        (text, binds)
    }
}

/// Copies `sql` into `out` with every `$n` placeholder moved up by `offset`. tamga's SQL has
/// no `$` inside string literals, so every `$` followed by digits is a placeholder.
fn renumber(sql: &str, offset: usize, out: &mut String) {
    let mut chars = sql.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while let Some((j, d)) = chars.peek().copied() {
            if !d.is_ascii_digit() {
                break;
            }
            end = j + 1;
            chars.next();
        }
        match sql.get(start..end).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => out.push_str(&(n + offset).to_string()),
            None => out.push_str(sql.get(start..end).unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_move_up_by_the_offset() {
        let mut out = String::new();
        renumber("INSERT INTO t VALUES ($1, $2::jsonb, $10)", 7, &mut out);
        assert_eq!(out, "INSERT INTO t VALUES ($8, $9::jsonb, $17)");
    }

    #[test]
    fn statements_join_with_their_arguments_in_order() {
        let mut script = Script::default();
        script.push(
            "INSERT INTO a VALUES ($1, $2)",
            vec![Bind::Int(1), Bind::Int(2)],
        );
        script.push("INSERT INTO b VALUES ($1)", vec![Bind::Int(3)]);
        let (sql, binds) = script.joined();
        assert_eq!(
            sql,
            "INSERT INTO a VALUES ($1, $2);\nINSERT INTO b VALUES ($3)"
        );
        assert_eq!(binds.len(), 3);
    }
}
