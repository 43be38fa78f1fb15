//! The profile language: a small, readable notation for conditions, with precise errors and a
//! pretty-printer whose output parses back to the same tree.
//!
//! ```
//! use tamga_risk::lang;
//!
//! let condition = lang::parse(r#"hs in chapter(93) and origin in list("high-risk-origins")"#)?;
//! assert_eq!(
//!     condition.to_string(),
//!     r#"hs in chapter(93) and origin in list("high-risk-origins")"#
//! );
//! let error = lang::parse("hs in chapter(9)").unwrap_err();
//! assert_eq!((error.line, error.column), (1, 15));
//! # Ok::<(), lang::ParseError>(())
//! ```

pub mod ast;
mod lexer;
mod parser;

pub use ast::{CmpOp, Condition, HsLevel, Literal, Set};
pub use parser::MAX_DEPTH;

/// Conditions longer than this are refused before they are read.
pub const MAX_SOURCE: usize = 16 * 1024;

/// Where a condition stopped making sense, and what would have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("line {line}, column {column}: expected {expected}, found {found}")]
pub struct ParseError {
    pub line: u32,
    pub column: u32,
    pub expected: String,
    pub found: String,
}

impl ParseError {
    pub(crate) fn new(line: u32, column: u32, expected: &str, found: String) -> Self {
        Self {
            line,
            column,
            expected: expected.to_owned(),
            found,
        }
    }
}

/// Reads a condition written in the profile language.
pub fn parse(source: &str) -> Result<Condition, ParseError> {
    if source.len() > MAX_SOURCE {
        return Err(ParseError::new(
            1,
            1,
            &format!("a condition of at most {MAX_SOURCE} bytes"),
            format!("{} bytes", source.len()),
        ));
    }
    let tokens = lexer::tokenize(source)?;
    parser::Parser::new(tokens).parse_all()
}
