//! The same profiles in Rego, for regorus: translated from the parsed conditions (not by hand),
//! one `fired contains "<id>" if { ... }` rule per profile under `package tamga`, the named
//! lists as data (objects keyed by their normalised entries, so membership is a lookup), and the
//! declaration with its item facts as input.
//!
//! The translation keeps tamga's semantics: a profile fires when its condition holds for at
//! least one goods item; a missing value fails every test except `!=` and `not in` (an undefined
//! expression in Rego, negated by `not`); `party` and `container` hold when any of their values
//! does; a commodity-code prefix matches at any of 2 to 10 digits (`startswith` for the one to
//! three prefixes of a `chapter(..)`, a lookup per length for a named list); `aeo` is read from the
//! `aeo-register` list like the engine does.

use std::collections::BTreeSet;
use std::fmt::Write;

use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::vm::RegoVM;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{json, Map, Value};
use tamga_risk::fields::{Field, ListKind};
use tamga_risk::lang::{CmpOp, Condition, Literal, Set};
use tamga_risk::lists::NamedList;
use tamga_risk::Profile;

use crate::data::Case;

const PRELUDE: &str = r#"package tamga

default aeo := false

aeo if {
	data.lists["aeo-register"][input.declarant]
}

aeo if {
	data.lists["aeo-register"][input.importer]
}

# Whether a prefix of 2, 4, 6, 8 or 10 digits of `code` is in `prefixes` (a set or an object):
# five lookups, for named lists of commodity prefixes; a few literal prefixes are tried in turn.
prefixed(code, prefixes) if {
	some n in [2, 4, 6, 8, 10]
	prefixes[substring(code, 0, n)]
}

starts_any(code, prefixes) if {
	some prefix in prefixes
	startswith(code, prefix)
}

any_in(values, set) if {
	some v in values
	v in set
}

any_listed(values, list) if {
	some v in values
	list[v]
}

between(x, low, high) if {
	low <= x
	x <= high
}
"#;

/// Where a field's value is in the input (`item` is the goods item under test).
fn access(field: Field) -> String {
    match field {
        Field::Aeo => "aeo".into(),
        Field::Party => "input.parties".into(),
        Field::Container => "input.containers".into(),
        Field::Containers => "input.container_count".into(),
        Field::Items => "input.item_count".into(),
        f if f.per_item() => format!("item.{}", f.name()),
        f => format!("input.{}", f.name()),
    }
}

fn quote(s: &str) -> String {
    Value::from(s.trim().to_ascii_uppercase()).to_string()
}

fn texts(values: &[Literal]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| match v {
            Literal::Text(t) => quote(t),
            Literal::Number(n) => n.to_string(),
            Literal::Bool(b) => b.to_string(),
        })
        .collect();
    format!("{{{}}}", quoted.join(", "))
}

/// A predicate as one Rego expression, and whether it must be negated.
fn predicate(c: &Condition, lists: &[NamedList]) -> Option<(String, bool)> {
    let at = access;
    Some(match c {
        Condition::Flag(field) => (format!("{} == true", at(*field)), false),
        Condition::Compare { field, op, value } => {
            let negated = *op == CmpOp::Ne;
            let symbol = if negated { "==" } else { op.symbol() };
            let expr = match value {
                Literal::Number(n) => format!("{} {symbol} {n}", at(*field)),
                Literal::Bool(b) => format!("{} == {b}", at(*field)),
                Literal::Text(t) if field.multi_valued() => {
                    format!("{} in {}", quote(t), at(*field))
                }
                Literal::Text(t) => format!("{} == {}", at(*field), quote(t)),
            };
            (expr, negated)
        }
        Condition::In {
            field,
            set,
            negated,
        } => {
            let expr = match set {
                Set::Range(low, high) => format!("between({}, {low}, {high})", at(*field)),
                Set::Hs(_, codes) => match codes.as_slice() {
                    [code] => format!("startswith({}, {})", at(*field), quote(code)),
                    _ => {
                        let codes: Vec<Literal> =
                            codes.iter().map(|c| Literal::Text(c.clone())).collect();
                        format!("starts_any({}, {})", at(*field), texts(&codes))
                    }
                },
                Set::Values(values) if field.multi_valued() => {
                    format!("any_in({}, {})", at(*field), texts(values))
                }
                Set::Values(values) => format!("{} in {}", at(*field), texts(values)),
                Set::List(name) => {
                    let list = format!("data.lists[{}]", Value::from(name.as_str()));
                    let kind = lists.iter().find(|l| &l.name == name)?.kind;
                    if kind == ListKind::Commodities {
                        format!("prefixed({}, {list})", at(*field))
                    } else if field.multi_valued() {
                        format!("any_listed({}, {list})", at(*field))
                    } else {
                        format!("{list}[{}]", at(*field))
                    }
                }
            };
            (expr, *negated)
        }
        _ => return None,
    })
}

/// Translates one profile, writing the helper functions its `or`s and `not`s need.
#[derive(Debug)]
struct Translation<'a> {
    id: &'a str,
    lists: &'a [NamedList],
    helpers: String,
    next: usize,
}

impl Translation<'_> {
    fn helper(&mut self, bodies: &[Vec<String>]) -> String {
        self.next += 1;
        let name = format!("{}_h{}", self.id, self.next);
        for body in bodies {
            let _ = writeln!(
                self.helpers,
                "{name}(item) if {{\n\t{}\n}}\n",
                body.join("\n\t")
            );
        }
        name
    }

    /// The statements (a conjunction) that hold when `c` holds for `item`.
    fn statements(&mut self, c: &Condition) -> Vec<String> {
        match c {
            Condition::Const(b) => vec![b.to_string()],
            Condition::And(parts) => parts.iter().flat_map(|p| self.statements(p)).collect(),
            Condition::Or(parts) => {
                let bodies: Vec<Vec<String>> = parts.iter().map(|p| self.statements(p)).collect();
                vec![format!("{}(item)", self.helper(&bodies))]
            }
            Condition::Not(inner) => match predicate(inner, self.lists) {
                Some((expr, true)) => vec![expr],
                Some((expr, false)) => vec![format!("not {expr}")],
                None => {
                    let body = self.statements(inner);
                    vec![format!("not {}(item)", self.helper(&[body]))]
                }
            },
            leaf => match predicate(leaf, self.lists) {
                Some((expr, false)) => vec![expr],
                Some((expr, true)) => vec![format!("not {expr}")],
                None => vec!["false".into()],
            },
        }
    }
}

/// The Rego module for `profiles`: the prelude, then one rule per profile.
pub fn policy(profiles: &[Profile], lists: &[NamedList]) -> String {
    let mut out = String::from(PRELUDE);
    for profile in profiles {
        let condition = profile
            .parse_condition()
            .expect("generated conditions parse");
        let mut t = Translation {
            id: &profile.id,
            lists,
            helpers: String::new(),
            next: 0,
        };
        let mut body = Vec::new();
        if !profile.scope.offices.is_empty() {
            let offices: Vec<Literal> = profile
                .scope
                .offices
                .iter()
                .map(|o| Literal::Text(o.clone()))
                .collect();
            body.push(format!("input.office in {}", texts(&offices)));
        }
        body.push("some item in input.items".to_owned());
        body.extend(t.statements(&condition));
        let _ = write!(
            out,
            "\n# {}\nfired contains {} if {{\n\t{}\n}}\n\n{}",
            profile.condition,
            Value::from(profile.id.as_str()),
            body.join("\n\t"),
            t.helpers
        );
    }
    out
}

/// The named lists as data: `{"lists": {name: {ENTRY: true}}}`.
pub fn data(lists: &[NamedList]) -> Value {
    let lists: Map<String, Value> = lists
        .iter()
        .map(|l| {
            let entries: Map<String, Value> = l
                .entries
                .iter()
                .map(|e| (e.trim().to_ascii_uppercase(), Value::Bool(true)))
                .collect();
            (l.name.clone(), Value::Object(entries))
        })
        .collect();
    json!({ "lists": lists })
}

/// The input document for a declaration: what an integration would hand the policy. Missing
/// values are left out (undefined in Rego), never `null`, which Rego orders below numbers.
pub fn input(case: &Case) -> Value {
    let d = &case.declaration;
    let mut m = Map::new();
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(value) = value {
            m.insert(key.to_owned(), value);
        }
    };
    let text = |s: &str| Some(Value::from(s));
    put("office", text(d.customs_office.as_str()));
    put("type", text(d.declaration_type.as_str()));
    put(
        "dispatch",
        d.country_of_dispatch.as_ref().map(|c| c.as_str().into()),
    );
    put(
        "destination",
        d.country_of_destination.as_ref().map(|c| c.as_str().into()),
    );
    put("declarant", text(d.declarant.id.as_str()));
    put(
        "importer",
        d.importer.as_ref().map(|p| p.id.as_str().into()),
    );
    put(
        "exporter",
        d.exporter.as_ref().map(|p| p.id.as_str().into()),
    );
    let parties: Vec<&str> = [
        Some(&d.declarant),
        d.importer.as_ref(),
        d.exporter.as_ref(),
        d.representative.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|p| p.id.as_str())
    .collect();
    put("parties", Some(parties.into()));
    put(
        "transport_mode",
        d.border_transport.as_ref().map(|t| t.mode.as_str().into()),
    );
    let containers: Vec<&str> = d.containers.iter().map(|c| c.as_str()).collect();
    put("container_count", Some(containers.len().into()));
    put("containers", Some(containers.into()));
    put("item_count", Some(d.items.len().into()));
    put(
        "invoice_amount",
        d.invoice
            .as_ref()
            .and_then(|i| i.amount.to_f64())
            .map(Value::from),
    );
    put("watchlist_hit", Some(false.into()));
    put("watchlist_score", Some(0.0.into()));
    let items: Vec<Value> = d
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let facts = case.facts.get(i).copied().unwrap_or_default();
            let net_mass = item.net_mass.to_f64();
            let mut v = Map::new();
            let mut put = |key: &str, value: Option<Value>| {
                if let Some(value) = value {
                    v.insert(key.to_owned(), value);
                }
            };
            put("hs", Some(item.commodity_code.as_str().into()));
            put("origin", item.origin.as_ref().map(|c| c.as_str().into()));
            put("procedure", Some(item.procedure.as_str().into()));
            put("preference", Some(item.preference.is_some().into()));
            put("net_mass", net_mass.map(Value::from));
            put("gross_mass", item.gross_mass.to_f64().map(Value::from));
            put("value", facts.value.map(Value::from));
            let unit_value = facts
                .value
                .zip(net_mass)
                .filter(|(_, m)| *m > 0.0)
                .map(|(v, m)| v / m);
            put("unit_value", unit_value.map(Value::from));
            put("unit_value_ratio", facts.unit_value_ratio.map(Value::from));
            Value::Object(v)
        })
        .collect();
    put("items", Some(items.into()));
    Value::Object(m)
}

/// An engine holding the policy and the lists, ready for inputs.
pub fn engine(profiles: &[Profile], lists: &[NamedList]) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("tamga.rego".into(), policy(profiles, lists))
        .expect("the translated policy compiles");
    engine
        .add_data(regorus::Value::from(data(lists)))
        .expect("the lists load");
    engine
}

/// The rule every evaluation asks for.
pub const FIRED: &str = "data.tamga.fired";

/// The same policy compiled to bytecode for regorus's virtual machine (RVM), data loaded.
pub fn vm(profiles: &[Profile], lists: &[NamedList]) -> RegoVM {
    let mut engine = engine(profiles, lists);
    let compiled = engine
        .compile_with_entrypoint(&regorus::Rc::from(FIRED))
        .expect("the policy compiles");
    let program = Compiler::compile_from_policy(&compiled, &[FIRED]).expect("RVM compiles it");
    let mut vm = RegoVM::new();
    // The default limit (25,000 instructions) is a guard for small policies; hundreds of
    // profiles on a declaration of four items need more.
    vm.set_max_instructions(10_000_000);
    vm.load_program(program);
    vm.set_data(regorus::Value::from(data(lists)))
        .expect("the lists load");
    vm
}

/// Runs the compiled policy on `input`: the set of profile ids that fire.
pub fn fired_vm(vm: &mut RegoVM, input: regorus::Value) -> regorus::Value {
    vm.set_input(input);
    vm.execute().expect("the program runs")
}

/// Evaluates the policy on `input`: the set of profile ids that fire.
pub fn fired(engine: &mut regorus::Engine, input: regorus::Value) -> regorus::Value {
    engine.set_input(input);
    engine
        .eval_rule(FIRED.into())
        .expect("the policy evaluates")
}

/// The ids in a result of [`fired`].
pub fn ids(result: &regorus::Value) -> BTreeSet<String> {
    match result.as_set() {
        Ok(set) => set
            .iter()
            .filter_map(|v| v.as_string().ok().map(|s| s.to_string()))
            .collect(),
        Err(_) => BTreeSet::new(),
    }
}
