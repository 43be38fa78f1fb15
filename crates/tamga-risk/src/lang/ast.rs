//! The condition tree that profiles compile to, and its canonical printed form.

use std::fmt;

use crate::fields::Field;

/// A risk profile's condition: a typed tree over [`Field`]s. Not Turing-complete: no loops, no
/// variables, no recursion; evaluation visits each node at most once per goods item.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Const(bool),
    /// All of at least two conditions.
    And(Vec<Condition>),
    /// Any of at least two conditions.
    Or(Vec<Condition>),
    Not(Box<Condition>),
    /// A flag field alone: `aeo`.
    Flag(Field),
    Compare {
        field: Field,
        op: CmpOp,
        value: Literal,
    },
    /// `field in set` or, when `negated`, `field not in set`.
    In {
        field: Field,
        set: Set,
        negated: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Text(String),
    /// An exact decimal, as written.
    Number(rust_decimal::Decimal),
    Bool(bool),
}

/// The level of a commodity-code prefix set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HsLevel {
    Chapter,
    Heading,
    Subheading,
    /// A national tariff line: 8 or 10 digits.
    Line,
}

impl HsLevel {
    pub fn function(self) -> &'static str {
        match self {
            HsLevel::Chapter => "chapter",
            HsLevel::Heading => "heading",
            HsLevel::Subheading => "subheading",
            HsLevel::Line => "line",
        }
    }

    /// Whether `digits` has the length of this level.
    pub fn fits(self, digits: &str) -> bool {
        let n = digits.len();
        digits.bytes().all(|b| b.is_ascii_digit())
            && match self {
                HsLevel::Chapter => n == 2,
                HsLevel::Heading => n == 4,
                HsLevel::Subheading => n == 6,
                HsLevel::Line => n == 8 || n == 10,
            }
    }
}

/// The right-hand side of `in`.
#[derive(Debug, Clone, PartialEq)]
pub enum Set {
    /// `[a, b, c]`
    Values(Vec<Literal>),
    /// `list("name")`: a named list managed by analysts.
    List(String),
    /// `chapter(93, 94)`, `heading(8703)`, ...: commodity-code prefixes.
    Hs(HsLevel, Vec<String>),
    /// `range(low, high)`, both ends included.
    Range(rust_decimal::Decimal, rust_decimal::Decimal),
}

impl Condition {
    /// Every field the condition reads, in order of first appearance, without repeats.
    pub fn fields(&self) -> Vec<Field> {
        let mut out = Vec::new();
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields(&self, out: &mut Vec<Field>) {
        let field = match self {
            Condition::Const(_) => return,
            Condition::And(parts) | Condition::Or(parts) => {
                parts.iter().for_each(|p| p.collect_fields(out));
                return;
            }
            Condition::Not(inner) => return inner.collect_fields(out),
            Condition::Flag(field)
            | Condition::Compare { field, .. }
            | Condition::In { field, .. } => *field,
        };
        if !out.contains(&field) {
            out.push(field);
        }
    }

    /// Every named list the condition refers to.
    pub fn lists(&self) -> Vec<(Field, &str)> {
        let mut out = Vec::new();
        self.visit(&mut |c| {
            if let Condition::In {
                field,
                set: Set::List(name),
                ..
            } = c
            {
                out.push((*field, name.as_str()));
            }
        });
        out
    }

    /// The number of nodes, which bounds the work of one evaluation.
    pub fn size(&self) -> usize {
        let mut n = 0;
        self.visit(&mut |_| n += 1);
        n
    }

    fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a Condition)) {
        f(self);
        match self {
            Condition::And(parts) | Condition::Or(parts) => parts.iter().for_each(|p| p.visit(f)),
            Condition::Not(inner) => inner.visit(f),
            _ => {}
        }
    }
}

/// Binding strength, for printing the fewest parentheses that keep the tree's shape.
fn precedence(c: &Condition) -> u8 {
    match c {
        Condition::Or(_) => 1,
        Condition::And(_) => 2,
        Condition::Not(_) => 3,
        _ => 4,
    }
}

fn write_child(f: &mut fmt::Formatter<'_>, child: &Condition, parent: u8) -> fmt::Result {
    // A child of the same kind is parenthesised too, so `(a and b) and c` keeps its shape.
    if precedence(child) <= parent {
        write!(f, "({child})")
    } else {
        write!(f, "{child}")
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Const(b) => write!(f, "{b}"),
            Condition::And(parts) | Condition::Or(parts) => {
                let (word, level) = match self {
                    Condition::And(_) => (" and ", 2),
                    _ => (" or ", 1),
                };
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(word)?;
                    }
                    write_child(f, part, level)?;
                }
                Ok(())
            }
            Condition::Not(inner) => {
                f.write_str("not ")?;
                write_child(f, inner, 2)
            }
            Condition::Flag(field) => write!(f, "{field}"),
            Condition::Compare { field, op, value } => {
                write!(f, "{field} {} {value}", op.symbol())
            }
            Condition::In {
                field,
                set,
                negated,
            } => {
                let not = if *negated { "not " } else { "" };
                write!(f, "{field} {not}in {set}")
            }
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Text(s) => write_quoted(f, s),
            Literal::Number(n) => write!(f, "{}", n.normalize()),
            Literal::Bool(b) => write!(f, "{b}"),
        }
    }
}

fn write_quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
}

impl fmt::Display for Set {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Set::Values(values) => {
                f.write_str("[")?;
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Set::List(name) => {
                f.write_str("list(")?;
                write_quoted(f, name)?;
                f.write_str(")")
            }
            Set::Hs(level, codes) => write!(f, "{}({})", level.function(), codes.join(", ")),
            Set::Range(low, high) => {
                write!(f, "range({}, {})", low.normalize(), high.normalize())
            }
        }
    }
}
