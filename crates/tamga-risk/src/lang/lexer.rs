//! Tokens of the profile language, each with the line and column where it starts.

use super::ParseError;
use crate::lang::ast::CmpOp;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Ident(String),
    Text(String),
    /// A number with its written digits, which commodity-code prefixes keep (`chapter(01)`),
    /// and its exact decimal value.
    Number(String, rust_decimal::Decimal),
    Op(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    End,
}

impl Tok {
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Text(s) => format!("the text \"{s}\""),
            Tok::Number(raw, _) => format!("the number {raw}"),
            Tok::Op(op) => format!("`{}`", op.symbol()),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::End => "the end of the condition".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub line: u32,
    pub column: u32,
}

struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: u32,
    column: u32,
}

/// Splits `source` into tokens, ending with [`Tok::End`]. `#` starts a comment to the line's end.
pub(crate) fn tokenize(source: &str) -> Result<Vec<Token>, ParseError> {
    let mut lexer = Lexer {
        chars: source.chars().peekable(),
        line: 1,
        column: 1,
    };
    let mut out = Vec::new();
    loop {
        lexer.skip_blanks();
        let (line, column) = (lexer.line, lexer.column);
        let tok = lexer.next_token()?;
        let end = tok == Tok::End;
        out.push(Token { tok, line, column });
        if end {
            return Ok(out);
        }
    }
}

impl Lexer<'_> {
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn skip_blanks(&mut self) {
        while let Some(&c) = self.chars.peek() {
            if c == '#' {
                while self.chars.peek().is_some_and(|&c| c != '\n') {
                    self.bump();
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn error(&self, expected: &str, found: String) -> ParseError {
        ParseError::new(self.line, self.column, expected, found)
    }

    fn next_token(&mut self) -> Result<Tok, ParseError> {
        let Some(&c) = self.chars.peek() else {
            return Ok(Tok::End);
        };
        if c.is_ascii_alphabetic() || c == '_' {
            return Ok(Tok::Ident(
                self.take_while(|c| c.is_ascii_alphanumeric() || c == '_'),
            ));
        }
        if c.is_ascii_digit() || c == '-' {
            return self.number();
        }
        if c == '"' {
            return self.text();
        }
        self.punctuation(c)
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let mut out = String::new();
        while let Some(&c) = self.chars.peek() {
            if !keep(c) {
                break;
            }
            out.push(c);
            self.bump();
        }
        out
    }

    fn number(&mut self) -> Result<Tok, ParseError> {
        let mut raw = String::new();
        if self.chars.peek() == Some(&'-') {
            raw.push('-');
            self.bump();
        }
        raw.push_str(&self.take_while(|c| c.is_ascii_digit()));
        if self.chars.peek() == Some(&'.') {
            raw.push('.');
            self.bump();
            let fraction = self.take_while(|c| c.is_ascii_digit());
            if fraction.is_empty() {
                let found = self.found_here();
                return Err(self.error("digits after the decimal point", found));
            }
            raw.push_str(&fraction);
        }
        if raw == "-" {
            let found = self.found_here();
            return Err(self.error("a number after `-`", found));
        }
        // Exact: `0.1` is one tenth, not the nearest binary fraction.
        match rust_decimal::Decimal::from_str_exact(&raw) {
            Ok(value) => Ok(Tok::Number(raw, value)),
            Err(_) => Err(self.error(
                "a number of at most 28 digits after the point and 29 in all",
                format!("`{raw}`"),
            )),
        }
    }

    fn found_here(&mut self) -> String {
        match self.chars.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end of the condition".into(),
        }
    }

    fn text(&mut self) -> Result<Tok, ParseError> {
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error("a closing `\"`", "the end of the condition".into())),
                Some('"') => return Ok(Tok::Text(out)),
                Some('\\') => out.push(self.escape()?),
                Some(c) => out.push(c),
            }
        }
    }

    fn escape(&mut self) -> Result<char, ParseError> {
        match self.bump() {
            Some('"') => Ok('"'),
            Some('\\') => Ok('\\'),
            Some('n') => Ok('\n'),
            Some('t') => Ok('\t'),
            Some(c) => Err(self.error("one of \\\" \\\\ \\n \\t", format!("`\\{c}`"))),
            None => Err(self.error("an escaped character", "the end of the condition".into())),
        }
    }

    fn punctuation(&mut self, c: char) -> Result<Tok, ParseError> {
        let (line, column) = (self.line, self.column);
        self.bump();
        let next_is_eq = self.chars.peek() == Some(&'=');
        let two = |lexer: &mut Self, tok| {
            lexer.bump();
            Ok(tok)
        };
        match c {
            '(' => Ok(Tok::LParen),
            ')' => Ok(Tok::RParen),
            '[' => Ok(Tok::LBracket),
            ']' => Ok(Tok::RBracket),
            ',' => Ok(Tok::Comma),
            '=' if next_is_eq => two(self, Tok::Op(CmpOp::Eq)),
            '!' if next_is_eq => two(self, Tok::Op(CmpOp::Ne)),
            '<' if next_is_eq => two(self, Tok::Op(CmpOp::Le)),
            '>' if next_is_eq => two(self, Tok::Op(CmpOp::Ge)),
            '<' => Ok(Tok::Op(CmpOp::Lt)),
            '>' => Ok(Tok::Op(CmpOp::Gt)),
            other => Err(ParseError::new(
                line,
                column,
                "a field, a value, an operator or a parenthesis",
                format!("`{other}`"),
            )),
        }
    }
}
