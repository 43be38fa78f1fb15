//! Duty expressions, as tariffs write them:
//!
//! | form | example |
//! |---|---|
//! | ad valorem | `10 %` |
//! | ad valorem on another base | `16.50 % / Retail Price` |
//! | specific | `93.10 EUR / 100 kg`, `1.25 USD / cm3`, `144.10 GBP / 1000 kg/biodiesel` |
//! | compound | `10.20 % + 93.10 EUR / 100 kg` |
//! | with a deduction | `20 % - 7.00 GBP / 100 kg` |
//! | on a product of quantities | `0.50 GBP / % vol/hl` (strength × hectolitres) |
//! | on a named substance | `144.10 GBP / 1000 kg/biodiesel`, `10 GBP / l alc. 100%` |
//! | with a floor or ceiling | `16.50 % ... MIN 320.90 GBP / 1000 p/st`, `... MAX 24 % ...` |
//! | with a floor or ceiling that is itself a sum | `... MAX 15.00 GBP / 100 kg - 7.00 GBP / 100 kg` |
//!
//! Amounts are decimals with a `.`; currencies are ISO 4217 codes; a unit is anything up to the
//! next `+`, `-`, `MIN` or `MAX` standing alone (`kg`, `p/st`, `% vol/hl`, `l alc. 100%`,
//! `kg/biodiesel`, ...), so units of any length and with spaces are kept whole. Terms joined by
//! `+` are added and by `-` subtracted. `MIN` sets a minimum duty (the expression is worth at
//! least that) and `MAX` a maximum; as in TARIC (`MAX 18.70 % + 7.10 GBP / 100 kg`), each
//! takes the whole sum up to the next `MIN` or `MAX`.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The largest amount, percentage or "per" quantity an expression may carry; with the bounds
/// on declared values it keeps every assessment within decimal range.
pub const MAX_AMOUNT: i64 = 1_000_000_000;

/// A parsed duty expression: the sum of its terms, then floors and ceilings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyExpression {
    pub terms: Sum,
    /// The duty is at least each of these.
    pub minimums: Vec<Sum>,
    /// The duty is at most each of these.
    pub maximums: Vec<Sum>,
}

/// Terms added or subtracted in order; the first is always added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum(pub Vec<Signed>);

/// A term and whether it is added or subtracted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub subtract: bool,
    pub term: Term,
}

impl Sum {
    /// A sum of one term.
    pub fn of(term: Term) -> Self {
        Sum(vec![Signed {
            subtract: false,
            term,
        }])
    }

    /// Every term, added or subtracted.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.0.iter().map(|s| &s.term)
    }
}

/// One part of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A percentage of the customs value of the item (or of another base, e.g. "Retail Price").
    AdValorem {
        percent: Decimal,
        base: Option<String>,
    },
    /// An amount of a currency per `per` units, e.g. 93.10 EUR per 100 kg.
    Specific {
        amount: Decimal,
        currency: String,
        per: Decimal,
        unit: String,
    },
}

/// Why an expression was refused, with the byte offset where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("duty expression {expression:?}, at character {position}: {problem}")]
pub struct ExpressionError {
    pub expression: String,
    pub position: usize,
    pub problem: String,
}

impl FromStr for DutyExpression {
    type Err = ExpressionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Parser::new(text).expression()
    }
}

impl DutyExpression {
    pub fn parse(text: &str) -> Result<Self, ExpressionError> {
        text.parse()
    }
}

/// Splits on the separators that can stand between terms: `+`, `-`, `MIN` and `MAX`.
struct Parser<'a> {
    text: &'a str,
    tokens: Vec<(usize, &'a str)>,
    at: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let tokens = text
            .split_whitespace()
            .map(|t| (t.as_ptr() as usize - text.as_ptr() as usize, t))
            .collect();
        Self {
            text,
            tokens,
            at: 0,
        }
    }

    fn fail(&self, problem: impl Into<String>) -> ExpressionError {
        let position = self
            .tokens
            .get(self.at)
            .map_or(self.text.len(), |(p, _)| *p);
        ExpressionError {
            expression: self.text.to_owned(),
            position,
            problem: problem.into(),
        }
    }

    fn peek(&self) -> Option<&'a str> {
        self.tokens.get(self.at).map(|(_, t)| *t)
    }

    fn next(&mut self) -> Option<&'a str> {
        let token = self.peek();
        self.at += 1;
        token
    }

    fn expression(mut self) -> Result<DutyExpression, ExpressionError> {
        if self.tokens.is_empty() {
            return Err(self.fail("the expression is empty: no duty is expressed"));
        }
        let mut expression = DutyExpression {
            terms: self.sum()?,
            minimums: Vec::new(),
            maximums: Vec::new(),
        };
        while let Some(separator) = self.next() {
            match separator {
                "MIN" => expression.minimums.push(self.sum()?),
                "MAX" => expression.maximums.push(self.sum()?),
                other => {
                    self.at -= 1;
                    return Err(self.fail(format!("expected +, -, MIN or MAX, found {other:?}")));
                }
            }
        }
        Ok(expression)
    }

    /// Terms joined by `+` and `-`, up to `MIN`, `MAX` or the end.
    fn sum(&mut self) -> Result<Sum, ExpressionError> {
        let mut sum = Sum::of(self.term()?);
        while let Some(sign @ ("+" | "-")) = self.peek() {
            self.at += 1;
            sum.0.push(Signed {
                subtract: sign == "-",
                term: self.term()?,
            });
        }
        Ok(sum)
    }

    fn term(&mut self) -> Result<Term, ExpressionError> {
        let amount = self.number("an amount")?;
        match self.next() {
            Some("%") => Ok(Term::AdValorem {
                percent: amount,
                base: self.base()?,
            }),
            Some(currency)
                if currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()) =>
            {
                self.specific(amount, currency)
            }
            Some(other) => {
                self.at -= 1;
                Err(self.fail(format!(
                    "expected % or a currency code after {amount}, found {other:?}"
                )))
            }
            None => Err(self.fail(format!("expected % or a currency code after {amount}"))),
        }
    }

    fn number(&mut self, what: &str) -> Result<Decimal, ExpressionError> {
        let token = self
            .peek()
            .ok_or_else(|| self.fail(format!("expected {what}, found the end")))?;
        let value = Decimal::from_str(token).map_err(|_| {
            if token.bytes().all(|b| b.is_ascii_alphabetic() || b == b'/') {
                self.fail(format!(
                    "expected {what}, found {token:?} (a unit with no rate is not a duty)"
                ))
            } else {
                self.fail(format!("expected {what}, found {token:?}"))
            }
        })?;
        if value < Decimal::ZERO {
            return Err(self.fail("a rate cannot be negative"));
        }
        if value > Decimal::from(MAX_AMOUNT) {
            return Err(self.fail(format!(
                "{value} is above the largest rate tamga accepts, {MAX_AMOUNT}"
            )));
        }
        self.at += 1;
        Ok(value)
    }

    /// `/ Retail Price` after a percentage: the words up to the next separator.
    fn base(&mut self) -> Result<Option<String>, ExpressionError> {
        if self.peek() != Some("/") {
            return Ok(None);
        }
        self.at += 1;
        let words = self.words();
        if words.is_empty() {
            return Err(self.fail("expected the base of the percentage after /"));
        }
        Ok(Some(words))
    }

    fn specific(&mut self, amount: Decimal, currency: &str) -> Result<Term, ExpressionError> {
        if self.next() != Some("/") {
            self.at -= 1;
            return Err(self.fail(format!("expected / and a unit after {amount} {currency}")));
        }
        let per = match self.peek().map(Decimal::from_str) {
            Some(Ok(per)) => {
                self.at += 1;
                per
            }
            _ => Decimal::ONE,
        };
        if per <= Decimal::ZERO {
            return Err(self.fail("the quantity a rate applies to must be positive"));
        }
        if self.peek().is_some_and(|t| Decimal::from_str(t).is_ok()) {
            return Err(self.fail(format!(
                "expected a unit after {amount} {currency} / {per}, found a second number"
            )));
        }
        let unit = self.words();
        if unit.is_empty() {
            return Err(self.fail(format!("expected a unit after {amount} {currency} /")));
        }
        Ok(Term::Specific {
            amount,
            currency: currency.to_owned(),
            per,
            unit,
        })
    }

    /// Tokens up to the next separator, joined by single spaces.
    fn words(&mut self) -> String {
        let mut words = Vec::new();
        while let Some(token) = self.peek() {
            if matches!(token, "+" | "-" | "MIN" | "MAX") {
                break;
            }
            words.push(token);
            self.at += 1;
        }
        words.join(" ")
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::AdValorem {
                percent,
                base: None,
            } => write!(f, "{percent} %"),
            Term::AdValorem {
                percent,
                base: Some(base),
            } => write!(f, "{percent} % / {base}"),
            Term::Specific {
                amount,
                currency,
                per,
                unit,
            } if *per == Decimal::ONE => {
                write!(f, "{amount} {currency} / {unit}")
            }
            Term::Specific {
                amount,
                currency,
                per,
                unit,
            } => write!(f, "{amount} {currency} / {per} {unit}"),
        }
    }
}

impl fmt::Display for Sum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, signed) in self.0.iter().enumerate() {
            match (i, signed.subtract) {
                (0, _) => {}
                (_, true) => f.write_str(" - ")?,
                (_, false) => f.write_str(" + ")?,
            }
            write!(f, "{}", signed.term)?;
        }
        Ok(())
    }
}

impl fmt::Display for DutyExpression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.terms)?;
        for sum in &self.minimums {
            write!(f, " MIN {sum}")?;
        }
        for sum in &self.maximums {
            write!(f, " MAX {sum}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
