//! The profile language: round trips, the canonical form and precise errors.

use proptest::prelude::*;
use rust_decimal::Decimal;
use tamga_risk::fields::{Field, FieldType};
use tamga_risk::lang::{self, CmpOp, Condition, HsLevel, Literal, Set};

fn fields_of(ty: FieldType) -> Vec<Field> {
    Field::ALL
        .iter()
        .copied()
        .filter(|f| f.field_type() == ty)
        .collect()
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \"\\\\\n\tЎў-]{0,8}"
}

fn number() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (-10i64.pow(15)..10i64.pow(15), 0u32..7).prop_map(|(m, scale)| Decimal::new(m, scale)),
        (0u32..100_000).prop_map(Decimal::from)
    ]
}

fn hs_set() -> impl Strategy<Value = Set> {
    let level = prop_oneof![
        Just((HsLevel::Chapter, 2)),
        Just((HsLevel::Heading, 4)),
        Just((HsLevel::Subheading, 6)),
        Just((HsLevel::Line, 8)),
        Just((HsLevel::Line, 10)),
    ];
    level.prop_flat_map(|(level, n)| {
        prop::collection::vec(
            prop::string::string_regex(&format!("[0-9]{{{n}}}")).unwrap(),
            1..4,
        )
        .prop_map(move |c| Set::Hs(level, c))
    })
}

fn leaf() -> impl Strategy<Value = Condition> {
    let numbers = fields_of(FieldType::Number);
    let codes: Vec<Field> = Field::ALL
        .iter()
        .copied()
        .filter(|f| matches!(f.field_type(), FieldType::Code | FieldType::Commodity))
        .collect();
    let listed: Vec<Field> = codes
        .iter()
        .copied()
        .filter(|f| f.list_kind().is_some())
        .collect();
    let ops = prop::sample::select(vec![
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ]);
    let (lo, hi) = (number(), number());
    prop_oneof![
        any::<bool>().prop_map(Condition::Const),
        prop::sample::select(fields_of(FieldType::Flag)).prop_map(Condition::Flag),
        (
            prop::sample::select(fields_of(FieldType::Flag)),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(field, ne, b)| Condition::Compare {
                field,
                op: if ne { CmpOp::Ne } else { CmpOp::Eq },
                value: Literal::Bool(b)
            }),
        (prop::sample::select(numbers.clone()), ops, number()).prop_map(|(field, op, n)| {
            Condition::Compare {
                field,
                op,
                value: Literal::Number(n),
            }
        }),
        (prop::sample::select(codes.clone()), any::<bool>(), text()).prop_map(|(field, ne, t)| {
            let op = if ne { CmpOp::Ne } else { CmpOp::Eq };
            Condition::Compare {
                field,
                op,
                value: Literal::Text(t),
            }
        }),
        (
            prop::sample::select(codes),
            any::<bool>(),
            prop::collection::vec(text(), 1..4)
        )
            .prop_map(|(field, negated, v)| {
                let set = Set::Values(v.into_iter().map(Literal::Text).collect());
                Condition::In {
                    field,
                    set,
                    negated,
                }
            }),
        (prop::sample::select(numbers.clone()), any::<bool>(), lo, hi).prop_map(
            |(field, negated, a, b)| {
                let set = Set::Range(a.min(b), a.max(b));
                Condition::In {
                    field,
                    set,
                    negated,
                }
            }
        ),
        (
            prop::sample::select(numbers),
            any::<bool>(),
            prop::collection::vec(number(), 1..4)
        )
            .prop_map(|(field, negated, v)| {
                let set = Set::Values(v.into_iter().map(Literal::Number).collect());
                Condition::In {
                    field,
                    set,
                    negated,
                }
            }),
        (
            prop::sample::select(listed),
            any::<bool>(),
            "[a-z][a-z0-9-]{0,12}"
        )
            .prop_map(|(field, negated, name)| Condition::In {
                field,
                set: Set::List(name),
                negated
            }),
        (any::<bool>(), hs_set()).prop_map(|(negated, set)| Condition::In {
            field: Field::Hs,
            set,
            negated
        }),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Condition::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Condition::Or),
            inner.prop_map(|c| Condition::Not(Box::new(c))),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn printing_then_parsing_gives_the_same_tree(c in condition()) {
        let printed = c.to_string();
        let parsed = lang::parse(&printed);
        prop_assert_eq!(parsed.as_ref(), Ok(&c), "printed as {}", printed);
        prop_assert_eq!(parsed.unwrap().to_string(), printed);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,64}") {
        let _ = lang::parse(&s);
    }
}

#[test]
fn the_issue_example_reads_and_prints_canonically() {
    let source = "hs  in chapter(93)\n  AND_not_a_word";
    let e = lang::parse(source).unwrap_err();
    assert_eq!((e.line, e.column), (2, 3));
    assert_eq!(e.expected, "`and`, `or` or the end of the condition");
    assert_eq!(e.found, "`AND_not_a_word`");

    let c = lang::parse("hs in chapter(93)   and\n origin in list(\"high-risk-origins\") # guns")
        .unwrap();
    assert_eq!(
        c.to_string(),
        r#"hs in chapter(93) and origin in list("high-risk-origins")"#
    );
}

#[test]
fn precedence_and_parentheses() {
    let c = lang::parse("aeo or preference and not watchlist_hit").unwrap();
    assert_eq!(
        c,
        Condition::Or(vec![
            Condition::Flag(Field::Aeo),
            Condition::And(vec![
                Condition::Flag(Field::Preference),
                Condition::Not(Box::new(Condition::Flag(Field::WatchlistHit))),
            ]),
        ])
    );
    let c = lang::parse("(aeo or preference) and items > 3").unwrap();
    assert_eq!(c.to_string(), "(aeo or preference) and items > 3");
    assert_eq!(c.size(), 5);
    assert_eq!(
        c.fields(),
        vec![Field::Aeo, Field::Preference, Field::Items]
    );
}

fn error(source: &str) -> (u32, u32, String) {
    let e = lang::parse(source).unwrap_err();
    (e.line, e.column, e.expected)
}

#[test]
fn errors_name_the_place_and_what_was_expected() {
    assert_eq!(
        error("hs in chapter(9)"),
        (1, 15, "a 2-digit chapter, e.g. 93".into())
    );
    assert_eq!(
        error("origin > \"CN\""),
        (1, 8, "`==` or `!=` (`origin` is not a number)".into())
    );
    assert_eq!(error("net_mass == \"heavy\""), (1, 13, "a number".into()));
    assert_eq!(
        error("origin in chapter(93)"),
        (1, 11, "`[` or `list(`".into())
    );
    assert_eq!(
        error("net_mass in range(10, 1)"),
        (1, 23, "an upper end not below the lower end 10".into())
    );
    assert_eq!(error("(aeo"), (1, 5, "`)`".into()));
    assert_eq!(
        error("aeo and"),
        (1, 8, "a field, `not`, `true`, `false` or `(`".into())
    );
    assert_eq!(error("hs == \"93"), (1, 10, "a closing `\"`".into()));
    assert_eq!(
        error("hs = \"93\""),
        (
            1,
            4,
            "a field, a value, an operator or a parenthesis".into()
        )
    );
    assert_eq!(
        error("origin in [\"CN\" \"AF\"]"),
        (1, 17, "`,` or `]`".into())
    );
    assert_eq!(
        error("origin not \"CN\""),
        (1, 12, "`in` after `not`".into())
    );
    assert_eq!(
        error("hs"),
        (1, 3, "a comparison or `in` after `hs`".into())
    );
    let (line, column, expected) = error("weight > 3");
    assert_eq!((line, column), (1, 1));
    assert!(expected.starts_with("a field (hs, origin,"), "{expected}");
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}aeo{}", "(".repeat(200), ")".repeat(200));
    let e = lang::parse(&deep).unwrap_err();
    assert!(e.expected.contains("levels of nesting"), "{e}");
    let nots = format!("{}aeo", "not ".repeat(200));
    assert!(lang::parse(&nots).is_err());
    let fine = format!("{}aeo{}", "(".repeat(30), ")".repeat(30));
    assert!(lang::parse(&fine).is_ok());
}
