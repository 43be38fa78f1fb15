//! Localisation with Project Fluent: one `.ftl` file per language in `locales/`, compiled in.
//! Every message id exists in every language (a test checks it); a template never holds text
//! that is not a message id.

use std::fmt::Display;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Uzbek, Latin script: the administration's language and the default.
    Uz,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Uz, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Uz => "uz",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Uz => "Oʻzbekcha",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The first language of an `Accept-Language` header that the UI speaks.
    pub fn from_accept(header: &str) -> Option<Lang> {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .filter_map(|tag| tag.trim().split('-').next())
            .find_map(|primary| Lang::parse(&primary.to_ascii_lowercase()))
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Uz => include_str!("../locales/uz.ftl"),
            Lang::Ru => include_str!("../locales/ru.ftl"),
            Lang::En => include_str!("../locales/en.ftl"),
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
        let bundles = BUNDLES.get_or_init(|| Lang::ALL.into_iter().map(build).collect());
        let index = Lang::ALL.iter().position(|l| *l == self).unwrap_or(0);
        &bundles[index.min(bundles.len() - 1)]
    }
}

fn build(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would show up in attributes and tests; our arguments are plain values.
    bundle.set_use_isolating(false);
    let resource =
        FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(r, errors)| {
            tracing::error!(
                lang = lang.code(),
                ?errors,
                "a Fluent file has syntax errors"
            );
            r
        });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            lang = lang.code(),
            ?errors,
            "a Fluent file defines a message twice"
        );
    }
    bundle
}

/// The translator a page renders with.
#[derive(Debug, Clone, Copy)]
pub struct Tr(pub Lang);

impl Tr {
    /// The message `id`; a missing id shows as itself (and the completeness test fails).
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// A refused field's problem in the reader's language: what its code means, then the
    /// API's own sentence (which names the values involved, in English). English readers get
    /// the API's sentence alone; a code without a translation keeps it too.
    pub fn problem(&self, error: &tamga_core::FieldError) -> String {
        let id = format!("problem-{}", error.code.replace('_', "-"));
        if self.0 == Lang::En || !self.0.bundle().has_message(&id) {
            return error.message.clone();
        }
        format!("{} ({})", self.get(&id), error.message)
    }

    /// `errors` with each message put in the reader's language ([`Tr::problem`]).
    pub fn problems(&self, errors: Vec<tamga_core::FieldError>) -> Vec<tamga_core::FieldError> {
        errors
            .into_iter()
            .map(|e| tamga_core::FieldError {
                message: self.problem(&e),
                ..e
            })
            .collect()
    }

    /// A person's or company's name as stored, or the words for a name removed at the end of
    /// its retention period (the store keeps a mark of fixed text in its place).
    pub fn name(&self, name: &str) -> String {
        if name == tamga_core::retention::MASK {
            self.get("masked-name")
        } else {
            name.to_owned()
        }
    }

    /// The message `id` with one argument. A whole number is passed as a number, so the
    /// message can choose its plural form ("one problem", "3 problems").
    pub fn arg(&self, id: &str, name: &str, value: impl Display) -> String {
        let mut args = FluentArgs::new();
        let text = value.to_string();
        match text.parse::<i64>() {
            Ok(number) => args.set(name.to_owned(), number),
            Err(_) => args.set(name.to_owned(), text),
        }
        self.format(id, Some(&args))
    }

    /// A risk profile's effect in words: "forces the red channel", "+30 points".
    pub fn effect(&self, effect: impl serde::Serialize) -> String {
        let value = serde_json::to_value(effect).unwrap_or_default();
        if let Some(channel) = value.get("force").and_then(|c| c.as_str()) {
            return self.arg(
                "effect-forces",
                "channel",
                self.get(&format!("channel-{channel}")),
            );
        }
        match value.get("weight").and_then(serde_json::Value::as_i64) {
            Some(points) => self.arg("effect-points", "points", format!("{points:+}")),
            None => value.to_string(),
        }
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.0.bundle();
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, lang = self.0.code(), "missing message");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// The message ids a Fluent source defines (for the completeness test).
pub fn message_ids(lang: Lang) -> Vec<String> {
    let resource = match FluentResource::try_new(lang.source().to_owned()) {
        Ok(r) | Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}
