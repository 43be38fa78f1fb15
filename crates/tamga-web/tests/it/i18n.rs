//! Every message exists in Uzbek, Russian and English, and every message a page asks for exists.

use std::collections::BTreeSet;

use tamga_web::i18n::{message_ids, Lang};

fn ids(lang: Lang) -> BTreeSet<String> {
    message_ids(lang).into_iter().collect()
}

#[test]
fn every_message_is_in_every_language() {
    let english = ids(Lang::En);
    assert!(english.len() > 100);
    for lang in [Lang::Uz, Lang::Ru] {
        let other = ids(lang);
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: missing {missing:?}, not in English {extra:?}",
            lang.code()
        );
    }
}

/// The ids named literally in templates and sources: `t.get("id")`, `t.arg("id", ...)`, and
/// whole literals of the families handlers pass (`"error-..."`, `"field-..."`, ...).
fn used_ids() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let ident = |piece: &str| -> String {
        piece
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    };
    let mut used = BTreeSet::new();
    for dir in [
        "templates",
        "templates/declarations",
        "templates/control",
        "templates/risk",
        "templates/situation",
        "templates/admin",
        "templates/cargo",
        "templates/lab",
        "templates/transit",
        "templates/crossings",
        "src",
    ] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["t.get(\"", "t.arg(\""] {
                used.extend(text.split(call).skip(1).map(ident));
            }
            let source = path.extension().is_some_and(|e| e == "rs");
            for family in [
                "error-",
                "password-",
                "field-",
                "nav-",
                "login-",
                "lodge-",
                "task-",
                "profile-",
                "situation-",
                "alert-",
                "duration-",
                "chart-",
                "list-",
                "watchlist-",
                "payment-",
                "cargo-",
                "hold-",
            ] {
                for piece in text
                    .split(&format!("\"{family}"))
                    .skip(1)
                    .filter(|_| source)
                {
                    let rest = ident(piece);
                    if !rest.is_empty() && piece[rest.len()..].starts_with('"') {
                        used.insert(format!("{family}{rest}"));
                    }
                }
            }
        }
    }
    used
}

#[test]
fn every_message_a_page_uses_exists() {
    let english = ids(Lang::En);
    let mut used = used_ids();
    for status in tamga_core::status::Status::ALL {
        used.insert(format!("status-{}", status.as_str()));
    }
    for role in tamga_core::role::Role::ALL {
        used.insert(format!("role-{}", role.as_str()));
    }
    for channel in ["green", "yellow", "red", "blue"] {
        used.insert(format!("channel-{channel}"));
    }
    for kind in tamga_control::task::TaskType::ALL {
        used.insert(format!("task-type-{}", tamga_web::fmt::json(kind)));
    }
    for state in tamga_control::task::TaskState::ALL {
        used.insert(format!("task-state-{}", tamga_web::fmt::json(state)));
    }
    for state in tamga_control::sample::SampleState::ALL {
        used.insert(format!("sample-state-{}", tamga_web::fmt::json(state)));
    }
    for condition in tamga_web::lab::CONDITIONS {
        used.insert(format!("condition-{condition}"));
    }
    for (kind, _) in tamga_web::control::FINDINGS {
        used.insert(format!("finding-{kind}"));
    }
    for kind in [
        "countries",
        "commodities",
        "parties",
        "offices",
        "containers",
        "codes",
    ] {
        used.insert(format!("list-kind-{kind}"));
    }
    for kind in ["payment", "guarantee"] {
        used.insert(format!("payment-kind-{kind}"));
    }
    for how in ["direct", "indirect"] {
        used.insert(format!("mandate-representation-{how}"));
    }
    for setting in [
        "yellow_at",
        "red_at",
        "random_red",
        "random_yellow",
        "random_blue",
        "red_capacity_per_day",
        "priority_at",
        "aeo_reduction",
        "aeo_register",
        "watchlist_threshold",
        "watchlist_weight",
        "model_weight",
    ] {
        used.insert(format!("selectivity-{setting}"));
    }
    // posts: the crossing screens' families.
    for kind in tamga_core::crossing::AlertKind::ALL {
        used.insert(format!("crossing-alert-{}", kind.as_str()));
    }
    for name in [
        "direction-entry",
        "direction-exit",
        "seal-intact",
        "seal-broken",
    ] {
        used.insert(format!("crossing-{name}"));
    }
    for source in tamga_core::crossing::judge::Source::ALL {
        used.insert(format!("crossing-source-{}", source.as_str()));
    }
    let missing: Vec<_> = used.iter().filter(|id| !english.contains(*id)).collect();
    assert!(missing.is_empty(), "used but not defined: {missing:?}");
}
