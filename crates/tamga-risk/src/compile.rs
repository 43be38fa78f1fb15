//! Conditions compiled against the named lists: list names resolved to shared sets, commodity
//! prefixes to a prefix set, literals to the types the fields hold. Evaluation visits every node
//! at most once per goods item, so it is linear in the size of the profile.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

use crate::facts::View;
use crate::fields::{Field, FieldType, ListKind};
use crate::lang::{CmpOp, Condition, Literal, Set};
use crate::lists::NamedList;

/// Why a condition does not fit the lists it names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    #[error("there is no list named \"{0}\"")]
    UnknownList(String),
    #[error("the list \"{name}\" holds {found:?} but `{field}` needs {needed:?}")]
    WrongKind {
        name: String,
        field: Field,
        needed: ListKind,
        found: ListKind,
    },
}

/// A set of commodity-code prefixes of any lengths.
#[derive(Debug, Default)]
pub(crate) struct PrefixSet {
    prefixes: HashSet<Box<str>>,
    /// Bit `n` set when a prefix of `n` digits is present.
    lengths: u16,
}

impl PrefixSet {
    fn new<'a>(codes: impl IntoIterator<Item = &'a str>) -> Self {
        let mut set = PrefixSet::default();
        for code in codes {
            set.lengths |= 1 << code.len().min(15);
            set.prefixes.insert(code.into());
        }
        set
    }

    /// Every prefix, for the engine's index.
    pub(crate) fn prefixes(&self) -> impl Iterator<Item = &str> {
        self.prefixes.iter().map(|p| &**p)
    }

    pub(crate) fn matches(&self, code: &str) -> bool {
        (1..=code.len().min(15)).any(|n| {
            self.lengths & (1 << n) != 0 && code.get(..n).is_some_and(|p| self.prefixes.contains(p))
        })
    }
}

/// A shared set of normalised codes.
pub(crate) type CodeSet = Arc<HashSet<Box<str>>>;

#[derive(Debug)]
pub(crate) enum Node {
    Const(bool),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Flag(Field, bool),
    Number(Field, CmpOp, Decimal),
    Text(Field, bool, Box<str>),
    Texts(Field, bool, CodeSet),
    Prefixes(Field, bool, Arc<PrefixSet>),
    Numbers(Field, bool, Vec<Decimal>),
    Range(Field, bool, Decimal, Decimal),
}

/// The lists as the compiler sees them: sets shared by every profile that names them.
#[derive(Debug, Default)]
pub(crate) struct CompiledLists {
    texts: HashMap<String, (ListKind, CodeSet)>,
    prefixes: HashMap<String, Arc<PrefixSet>>,
}

impl CompiledLists {
    pub(crate) fn new(lists: &[NamedList]) -> Self {
        let mut out = CompiledLists::default();
        for list in lists {
            let set = Arc::new(list.to_set());
            if list.kind == ListKind::Commodities {
                let prefixes = PrefixSet::new(set.iter().map(|s| &**s));
                out.prefixes.insert(list.name.clone(), Arc::new(prefixes));
            }
            out.texts.insert(list.name.clone(), (list.kind, set));
        }
        out
    }

    pub(crate) fn get(&self, name: &str) -> Option<&CodeSet> {
        self.texts.get(name).map(|(_, set)| set)
    }

    /// The names of the lists of `kind` holding `value` (written as entries are kept: trimmed,
    /// upper case), sorted.
    pub(crate) fn holding(&self, kind: ListKind, value: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .texts
            .iter()
            .filter(|(_, (k, set))| *k == kind && set.contains(value))
            .map(|(name, _)| name.clone())
            .collect();
        names.sort();
        names
    }
}

pub(crate) fn compile(condition: &Condition, lists: &CompiledLists) -> Result<Node, CompileError> {
    let all = |parts: &[Condition]| -> Result<Vec<Node>, CompileError> {
        parts.iter().map(|p| compile(p, lists)).collect()
    };
    Ok(match condition {
        Condition::Const(b) => Node::Const(*b),
        Condition::And(parts) => Node::And(all(parts)?),
        Condition::Or(parts) => Node::Or(all(parts)?),
        Condition::Not(inner) => Node::Not(Box::new(compile(inner, lists)?)),
        Condition::Flag(field) => Node::Flag(*field, true),
        Condition::Compare { field, op, value } => comparison(*field, *op, value),
        Condition::In {
            field,
            set,
            negated,
        } => membership(*field, set, *negated, lists)?,
    })
}

fn comparison(field: Field, op: CmpOp, value: &Literal) -> Node {
    let negated = op == CmpOp::Ne;
    match value {
        Literal::Number(n) => Node::Number(field, op, *n),
        Literal::Bool(b) => Node::Flag(field, *b != negated),
        Literal::Text(t) => Node::Text(field, negated, t.trim().to_ascii_uppercase().into()),
    }
}

fn membership(
    field: Field,
    set: &Set,
    negated: bool,
    lists: &CompiledLists,
) -> Result<Node, CompileError> {
    Ok(match set {
        Set::Range(low, high) => Node::Range(field, negated, *low, *high),
        Set::Hs(_, codes) => Node::Prefixes(
            field,
            negated,
            Arc::new(PrefixSet::new(codes.iter().map(|c| &**c))),
        ),
        Set::Values(values) if field.field_type() == FieldType::Number => {
            let numbers = values.iter().filter_map(|v| match v {
                Literal::Number(n) => Some(*n),
                _ => None,
            });
            Node::Numbers(field, negated, numbers.collect())
        }
        Set::Values(values) => {
            let texts = values.iter().filter_map(|v| match v {
                Literal::Text(t) => Some(t.trim().to_ascii_uppercase().into_boxed_str()),
                _ => None,
            });
            Node::Texts(field, negated, Arc::new(texts.collect()))
        }
        Set::List(name) => list(field, name, negated, lists)?,
    })
}

fn list(
    field: Field,
    name: &str,
    negated: bool,
    lists: &CompiledLists,
) -> Result<Node, CompileError> {
    let (kind, set) = lists
        .texts
        .get(name)
        .ok_or_else(|| CompileError::UnknownList(name.to_owned()))?;
    let needed = field.list_kind().unwrap_or(ListKind::Codes);
    if *kind != needed {
        return Err(CompileError::WrongKind {
            name: name.to_owned(),
            field,
            needed,
            found: *kind,
        });
    }
    Ok(match lists.prefixes.get(name) {
        Some(prefixes) => Node::Prefixes(field, negated, prefixes.clone()),
        None => Node::Texts(field, negated, set.clone()),
    })
}

impl Node {
    pub(crate) fn eval(&self, view: &View<'_, '_>) -> bool {
        match self {
            Node::Const(b) => *b,
            Node::And(parts) => parts.iter().all(|p| p.eval(view)),
            Node::Or(parts) => parts.iter().any(|p| p.eval(view)),
            Node::Not(inner) => !inner.eval(view),
            Node::Flag(field, want) => view.flag(*field) == *want,
            // `!=` is the negation of `==`, so a missing value is "not equal".
            Node::Number(field, CmpOp::Ne, n) => view.number(*field).is_none_or(|v| v != *n),
            Node::Number(field, op, n) => view.number(*field).is_some_and(|v| compare(v, *op, *n)),
            Node::Text(field, negated, t) => {
                view.texts(*field).any(|v| v.eq_ignore_ascii_case(t)) != *negated
            }
            Node::Texts(field, negated, set) => {
                view.texts(*field).any(|v| contains(set, v)) != *negated
            }
            Node::Prefixes(field, negated, set) => {
                view.texts(*field).any(|v| set.matches(v)) != *negated
            }
            Node::Numbers(field, negated, values) => {
                view.number(*field).is_some_and(|v| values.contains(&v)) != *negated
            }
            Node::Range(field, negated, low, high) => {
                view.number(*field).is_some_and(|v| *low <= v && v <= *high) != *negated
            }
        }
    }
}

fn contains(set: &HashSet<Box<str>>, value: &str) -> bool {
    if value.bytes().any(|b| b.is_ascii_lowercase()) {
        set.contains(value.to_ascii_uppercase().as_str())
    } else {
        set.contains(value)
    }
}

fn compare(value: Decimal, op: CmpOp, against: Decimal) -> bool {
    match op {
        CmpOp::Eq => value == against,
        CmpOp::Ne => value != against,
        CmpOp::Lt => value < against,
        CmpOp::Le => value <= against,
        CmpOp::Gt => value > against,
        CmpOp::Ge => value >= against,
    }
}
