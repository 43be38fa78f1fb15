//! Recursive descent over the tokens: `or` binds loosest, then `and`, then `not`.
//!
//! ```text
//! condition := and ("or" and)*
//! and       := unary ("and" unary)*
//! unary     := "not" unary | "(" condition ")" | "true" | "false" | predicate
//! predicate := FIELD                                  (flag fields)
//!            | FIELD ("==" | "!=" | "<" | "<=" | ">" | ">=") value
//!            | FIELD ["not"] "in" set
//! set       := "[" value ("," value)* "]" | "list(" TEXT ")" | "range(" NUMBER "," NUMBER ")"
//!            | ("chapter" | "heading" | "subheading" | "line") "(" DIGITS ("," DIGITS)* ")"
//! ```

use super::ast::{CmpOp, Condition, HsLevel, Literal, Set};
use super::lexer::{Tok, Token};
use super::ParseError;
use crate::fields::{Field, FieldType};

/// Deeper nesting than this is refused, so a hostile profile cannot exhaust the stack.
pub const MAX_DEPTH: usize = 64;

pub(crate) struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

const END: Token = Token {
    tok: Tok::End,
    line: 0,
    column: 0,
};

impl Parser {
    pub(crate) fn new(tokens: Vec<Token>) -> Self {
        Self {
            tokens,
            at: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> &Token {
        self.tokens
            .get(self.at)
            .or(self.tokens.last())
            .unwrap_or(&END)
    }

    fn next(&mut self) -> Token {
        let token = self.peek().clone();
        if self.at < self.tokens.len() {
            self.at += 1;
        }
        token
    }

    fn error_at(token: &Token, expected: &str) -> ParseError {
        ParseError::new(token.line, token.column, expected, token.tok.describe())
    }

    fn fail<T>(&self, expected: &str) -> Result<T, ParseError> {
        Err(Self::error_at(self.peek(), expected))
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(w) if w == word)
    }

    fn expect(&mut self, tok: Tok, expected: &str) -> Result<(), ParseError> {
        if self.peek().tok == tok {
            self.next();
            Ok(())
        } else {
            self.fail(expected)
        }
    }

    pub(crate) fn parse_all(mut self) -> Result<Condition, ParseError> {
        let condition = self.condition()?;
        if self.peek().tok != Tok::End {
            return self.fail("`and`, `or` or the end of the condition");
        }
        Ok(condition)
    }

    fn condition(&mut self) -> Result<Condition, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(&format!("at most {MAX_DEPTH} levels of nesting"));
        }
        let result = self.chain("or", Self::and, Condition::Or);
        self.depth -= 1;
        result
    }

    fn and(&mut self) -> Result<Condition, ParseError> {
        self.chain("and", Self::unary, Condition::And)
    }

    fn chain(
        &mut self,
        word: &str,
        operand: fn(&mut Self) -> Result<Condition, ParseError>,
        build: fn(Vec<Condition>) -> Condition,
    ) -> Result<Condition, ParseError> {
        let mut parts = vec![operand(self)?];
        while self.is_word(word) {
            self.next();
            parts.push(operand(self)?);
        }
        Ok(match parts.len() {
            1 => parts.remove(0),
            _ => build(parts),
        })
    }

    fn unary(&mut self) -> Result<Condition, ParseError> {
        let token = self.next();
        match &token.tok {
            Tok::Ident(w) if w == "not" => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(Self::error_at(&token, "less nesting"));
                }
                let inner = self.unary();
                self.depth -= 1;
                Ok(Condition::Not(Box::new(inner?)))
            }
            Tok::Ident(w) if w == "true" => Ok(Condition::Const(true)),
            Tok::Ident(w) if w == "false" => Ok(Condition::Const(false)),
            Tok::LParen => {
                let inner = self.condition()?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(inner)
            }
            Tok::Ident(name) => match Field::from_name(name) {
                Some(field) => self.predicate(field),
                None => Err(Self::error_at(&token, &field_names())),
            },
            _ => Err(Self::error_at(
                &token,
                "a field, `not`, `true`, `false` or `(`",
            )),
        }
    }

    fn predicate(&mut self, field: Field) -> Result<Condition, ParseError> {
        if self.is_word("in") || self.is_word("not") {
            let negated = self.is_word("not");
            if negated {
                self.next();
                if !self.is_word("in") {
                    return self.fail("`in` after `not`");
                }
            }
            self.next();
            let set = self.set(field)?;
            return Ok(Condition::In {
                field,
                set,
                negated,
            });
        }
        match self.peek().tok.clone() {
            Tok::Op(op) => {
                self.next();
                self.comparison(field, op)
            }
            _ if field.field_type() == FieldType::Flag => Ok(Condition::Flag(field)),
            _ => self.fail(&format!("a comparison or `in` after `{field}`")),
        }
    }

    fn comparison(&mut self, field: Field, op: CmpOp) -> Result<Condition, ParseError> {
        let ordered = matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge);
        if ordered && field.field_type() != FieldType::Number {
            let at = self.at.saturating_sub(1);
            let token = self.tokens.get(at).unwrap_or(&END);
            return Err(Self::error_at(
                token,
                &format!("`==` or `!=` (`{field}` is not a number)"),
            ));
        }
        let value = self.value(field)?;
        Ok(Condition::Compare { field, op, value })
    }

    /// A literal of the field's type.
    fn value(&mut self, field: Field) -> Result<Literal, ParseError> {
        let token = self.next();
        let literal = match (field.field_type(), &token.tok) {
            (FieldType::Number, Tok::Number(_, n)) => Literal::Number(*n),
            (FieldType::Code | FieldType::Commodity, Tok::Text(s)) => Literal::Text(s.clone()),
            (FieldType::Code | FieldType::Commodity, Tok::Number(raw, _)) => {
                Literal::Text(raw.clone())
            }
            (FieldType::Flag, Tok::Ident(w)) if w == "true" || w == "false" => {
                Literal::Bool(w == "true")
            }
            (ty, _) => return Err(Self::error_at(&token, expected_value(ty))),
        };
        Ok(literal)
    }

    fn set(&mut self, field: Field) -> Result<Set, ParseError> {
        let token = self.peek().clone();
        match &token.tok {
            Tok::LBracket => {
                self.next();
                self.values(field)
            }
            Tok::Ident(name) => {
                self.next();
                self.expect(Tok::LParen, &format!("`(` after `{name}`"))?;
                let set = self.function(field, name, &token)?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(set)
            }
            _ => self.fail(&sets_for(field)),
        }
    }

    fn values(&mut self, field: Field) -> Result<Set, ParseError> {
        let mut values = vec![self.value(field)?];
        while self.peek().tok == Tok::Comma {
            self.next();
            values.push(self.value(field)?);
        }
        self.expect(Tok::RBracket, "`,` or `]`")?;
        Ok(Set::Values(values))
    }

    fn function(&mut self, field: Field, name: &str, at: &Token) -> Result<Set, ParseError> {
        let ty = field.field_type();
        match name {
            "list" if field.list_kind().is_some() => match self.next().tok {
                Tok::Text(name) if !name.trim().is_empty() => Ok(Set::List(name)),
                _ => Err(Self::error_at(self.previous(), "the list's name in quotes")),
            },
            "range" if ty == FieldType::Number => self.range(),
            "chapter" | "heading" | "subheading" | "line" if ty == FieldType::Commodity => {
                let level = match name {
                    "chapter" => HsLevel::Chapter,
                    "heading" => HsLevel::Heading,
                    "subheading" => HsLevel::Subheading,
                    _ => HsLevel::Line,
                };
                self.prefixes(level)
            }
            _ => Err(Self::error_at(at, &sets_for(field))),
        }
    }

    fn previous(&self) -> &Token {
        self.tokens.get(self.at.saturating_sub(1)).unwrap_or(&END)
    }

    fn range(&mut self) -> Result<Set, ParseError> {
        let low = self.number()?;
        self.expect(Tok::Comma, "`,` between the ends of the range")?;
        let high = self.number()?;
        if low > high {
            return Err(Self::error_at(
                self.previous(),
                &format!("an upper end not below the lower end {low}"),
            ));
        }
        Ok(Set::Range(low, high))
    }

    fn number(&mut self) -> Result<rust_decimal::Decimal, ParseError> {
        match self.next().tok {
            Tok::Number(_, n) => Ok(n),
            _ => Err(Self::error_at(self.previous(), "a number")),
        }
    }

    fn prefixes(&mut self, level: HsLevel) -> Result<Set, ParseError> {
        let mut codes = Vec::new();
        loop {
            let token = self.next();
            let digits = match &token.tok {
                Tok::Number(raw, _) | Tok::Text(raw) if level.fits(raw) => raw.clone(),
                _ => return Err(Self::error_at(&token, digits_for(level))),
            };
            codes.push(digits);
            if self.peek().tok != Tok::Comma {
                return Ok(Set::Hs(level, codes));
            }
            self.next();
        }
    }
}

fn field_names() -> String {
    let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    format!(
        "a field ({}), `not`, `true`, `false` or `(`",
        names.join(", ")
    )
}

fn expected_value(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Number => "a number",
        FieldType::Code | FieldType::Commodity => "a code in quotes",
        FieldType::Flag => "`true` or `false`",
    }
}

fn sets_for(field: Field) -> String {
    match field.field_type() {
        FieldType::Commodity => {
            "`[`, `list(`, `chapter(`, `heading(`, `subheading(` or `line(`".into()
        }
        FieldType::Number => "`[` or `range(`".into(),
        FieldType::Code => "`[` or `list(`".into(),
        FieldType::Flag => format!("no set: `{field}` is a flag; write it alone or with `not`"),
    }
}

fn digits_for(level: HsLevel) -> &'static str {
    match level {
        HsLevel::Chapter => "a 2-digit chapter, e.g. 93",
        HsLevel::Heading => "a 4-digit heading, e.g. 9301",
        HsLevel::Subheading => "a 6-digit subheading, e.g. 930120",
        HsLevel::Line => "an 8- or 10-digit tariff line",
    }
}
