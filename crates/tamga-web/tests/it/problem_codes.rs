//! Every problem code the workspace can emit has a message in every language, found by reading
//! the sources (see [`every_problem_code_has_a_message`]).

use std::collections::BTreeSet;

use tamga_web::i18n::{message_ids, Lang};

fn ids(lang: Lang) -> BTreeSet<String> {
    message_ids(lang).into_iter().collect()
}

/// Every problem code the workspace can put in a `FieldError` has a `problem-<code>` message in
/// every language, so that a Russian or Uzbek reader is told what a refusal means
/// (`Tr::problem`).
///
/// The codes are read from the sources, `crates/*/src/**/*.rs`, as tokens:
/// - a literal where a *sink* takes its code: `FieldError::new(_, "code", _)`,
///   `CodeError::new("code", _)`, or any helper found to pass a parameter named `code` on to a
///   sink (`Findings::push`, `ApiError::query`, `Problems::one`, a local `fail` or `claim`
///   closure, ...); helpers of helpers count too;
/// - a constant a sink names (`const CODE: &str = "control_character"`);
/// - the arm values of `let code = match/if ...`, or the `code` element of the tuples of
///   `let (pointer, code) = match ...`, the way some handlers choose a code;
/// - the arm values of a `fn code(&self) -> &'static str`, for errors that name their own code.
///
/// A sink's code may also be `x.code` or `x.code()` (a `CodeError`'s, or such a method's, both
/// read above) or the bare `code` of a helper or a `let`. Anything else at a sink fails the
/// test, so that a new way of passing codes is taught here rather than missed. What the scan
/// cannot see: a code built at run time (`format!`), a `FieldError { code, .. }` literal, and
/// a `let` or helper parameter under another name than `code`.
#[test]
fn every_problem_code_has_a_message() {
    let scan = scan_problem_codes();
    assert!(
        scan.unfollowed.is_empty(),
        "codes passed in a way this test cannot follow: {:#?}",
        scan.unfollowed
    );
    // Each way of passing a code is seen at least once, so a broken scan cannot pass.
    for code in [
        "missing",              // a helper's literal (`Findings::missing`)
        "invalid_cursor",       // a local closure (`fail`) as a helper
        "control_character",    // a constant
        "no_exchange_rate",     // a tuple of `let (pointer, code) = match`
        "content_mismatch",     // `let code = match`
        "xml_malformed",        // `fn code(&self)`
        "check_digit_mismatch", // `CodeError::new`
    ] {
        assert!(scan.codes.contains(code), "the scan did not find {code}");
    }
    for lang in Lang::ALL {
        let defined = ids(lang);
        let missing: Vec<_> = scan
            .codes
            .iter()
            .map(|code| format!("problem-{}", code.replace('_', "-")))
            .filter(|id| !defined.contains(id))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: no message for problem codes {missing:?}",
            lang.code()
        );
    }
}

/// A token of Rust source.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Punct(char),
}

impl Tok {
    fn is(&self, word: &str) -> bool {
        matches!(self, Tok::Word(w) if w == word)
    }
}

/// Rust source as words, string literals and punctuation, without comments.
fn lex(source: &str) -> Vec<Tok> {
    let c: Vec<char> = source.chars().collect();
    let at = |k: usize| c.get(k).copied().unwrap_or('\0');
    // The text of the literal whose first character is at `i` and which ends with `close`.
    let literal = |mut i: usize, close: &str, escapes: bool| -> (String, usize) {
        let close: Vec<char> = close.chars().collect();
        let start = i;
        while i < c.len() && !c[i..].starts_with(&close) {
            i += if escapes && c[i] == '\\' { 2 } else { 1 };
        }
        let end = i.min(c.len());
        (c[start..end].iter().collect(), end + close.len())
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '/' if at(i + 1) == '/' => {
                while i < c.len() && c[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                let mut depth = 0;
                while i < c.len() {
                    if c[i] == '/' && at(i + 1) == '*' {
                        depth += 1;
                        i += 2;
                    } else if c[i] == '*' && at(i + 1) == '/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            '"' => {
                let (text, end) = literal(i + 1, "\"", true);
                out.push(Tok::Str(text));
                i = end;
            }
            // A character ('x', '\n', '"') or a lifetime ('static).
            '\'' if at(i + 1) == '\\' => {
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            }
            '\'' if at(i + 2) == '\'' => i += 3,
            ch if ch.is_alphanumeric() || ch == '_' => {
                let start = i;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
                let word: String = c[start..i].iter().collect();
                let hashes = c[i..].iter().take_while(|h| **h == '#').count();
                if matches!(word.as_str(), "r" | "br") && at(i + hashes) == '"' {
                    let close = format!("\"{}", "#".repeat(hashes));
                    let (text, end) = literal(i + hashes + 1, &close, false);
                    out.push(Tok::Str(text));
                    i = end;
                } else if word == "b" && at(i) == '"' {
                    let (text, end) = literal(i + 1, "\"", true);
                    out.push(Tok::Str(text));
                    i = end;
                } else {
                    out.push(Tok::Word(word));
                }
            }
            ch if ch.is_whitespace() => i += 1,
            ch => {
                out.push(Tok::Punct(ch));
                i += 1;
            }
        }
    }
    out
}

/// The comma-separated parts of the bracketed group opening at `open`, and the index after it.
fn group(t: &[Tok], open: usize) -> (Vec<&[Tok]>, usize) {
    let (mut depth, mut start, mut parts) = (0, open + 1, Vec::new());
    for i in open..t.len() {
        match t[i] {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    if start < i {
                        parts.push(&t[start..i]);
                    }
                    return (parts, i + 1);
                }
            }
            Tok::Punct(',') if depth == 1 => {
                parts.push(&t[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    (parts, t.len())
}

/// The index of the first `stop` at bracket depth 0 from `from` on.
fn until(t: &[Tok], from: usize, stop: &[char]) -> usize {
    let mut depth = 0i32;
    for (i, tok) in t.iter().enumerate().skip(from) {
        match tok {
            Tok::Punct(c) if depth == 0 && stop.contains(c) => return i,
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    t.len()
}

/// The literals a `match` or `if` gives as its value: after `=>` or `{`, before `,` or `}`.
fn arm_values(t: &[Tok]) -> impl Iterator<Item = String> + '_ {
    t.windows(3).filter_map(|w| match w {
        [Tok::Punct('>' | '{'), Tok::Str(s), Tok::Punct(',' | '}')] => Some(s.clone()),
        _ => None,
    })
}

/// A call that takes a problem code: its name, how many arguments, which of them is the code,
/// and where it can be called from.
#[derive(Debug, Clone, PartialEq)]
struct Sink {
    /// `Type::name` for an associated function, `.name` for a method, `name` for a function or
    /// a closure.
    name: String,
    arity: usize,
    index: usize,
    /// `None` everywhere; `Some(prefix)` only in files whose path starts with it.
    scope: Option<String>,
}

struct Source {
    path: String,
    tokens: Vec<Tok>,
}

impl Source {
    /// The sinks called at each `name(` of this file, with their arguments.
    fn calls<'a>(&'a self, sinks: &'a [Sink]) -> Vec<(&'a Sink, Vec<&'a [Tok]>)> {
        let t = &self.tokens;
        let mut found = Vec::new();
        for i in 1..t.len().saturating_sub(1) {
            let (Tok::Word(name), Tok::Punct('(')) = (&t[i], &t[i + 1]) else {
                continue;
            };
            let called = match &t[i.saturating_sub(3)..i] {
                _ if t[i - 1].is("fn") => continue,
                [.., Tok::Punct('.')] => format!(".{name}"),
                [Tok::Word(q), Tok::Punct(':'), Tok::Punct(':')]
                    if q.starts_with(char::is_uppercase) =>
                {
                    format!("{q}::{name}")
                }
                _ => name.clone(),
            };
            let (args, _) = group(t, i + 1);
            for sink in sinks {
                let named = called == sink.name;
                let here = sink.scope.as_ref().is_none_or(|s| self.path.starts_with(s));
                if named && here && args.len() == sink.arity {
                    found.push((sink, args.clone()));
                }
            }
        }
        found
    }

    /// The type of the `impl` block around index `at`, if it is in one.
    fn impl_type(&self, at: usize) -> Option<String> {
        let t = &self.tokens;
        let mut depth = 0;
        let open = (0..at).rev().find(|&k| match t[k] {
            Tok::Punct('}') => {
                depth += 1;
                false
            }
            Tok::Punct('{') if depth == 0 => true,
            Tok::Punct('{') => {
                depth -= 1;
                false
            }
            _ => false,
        })?;
        let header_start = (0..open)
            .rev()
            .find(|&k| matches!(t[k], Tok::Punct(';' | '{' | '}' | ']')))
            .map_or(0, |k| k + 1);
        let header = &t[header_start..open];
        let at_impl = header.iter().position(|w| w.is("impl"))?;
        // `impl Trait for Type`, `impl<T> Type<T>`
        let after = match header.iter().position(|w| w.is("for")) {
            Some(f) => f + 1,
            None if header.get(at_impl + 1) == Some(&Tok::Punct('<')) => {
                let mut depth = 0;
                at_impl
                    + 1
                    + header[at_impl + 1..].iter().position(|p| {
                        match p {
                            Tok::Punct('<') => depth += 1,
                            Tok::Punct('>') => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })?
                    + 1
            }
            None => at_impl + 1,
        };
        header[after..].iter().find_map(|w| match w {
            Tok::Word(name) => Some(name.clone()),
            _ => None,
        })
    }

    /// Functions and closures with a parameter named `code`: the sink each would be, and its body.
    fn code_takers(&self) -> Vec<(Sink, &[Tok])> {
        let t = &self.tokens;
        let crate_dir = self.path.split("/src/").next().unwrap_or_default();
        let mut takers = Vec::new();
        let name_of = |param: &[Tok]| -> Option<String> {
            match param[..until(param, 0, &[':'])].last() {
                Some(Tok::Word(w)) => Some(w.clone()),
                _ => None,
            }
        };
        for i in 0..t.len().saturating_sub(2) {
            // fn name(params) ... { body }
            if let (true, Tok::Word(name)) = (t[i].is("fn"), &t[i + 1]) {
                let Some(open) = (i + 2..t.len()).find(|&k| t[k] == Tok::Punct('(')) else {
                    continue;
                };
                let (params, after) = group(t, open);
                let mut params: Vec<_> = params.into_iter().filter_map(name_of).collect();
                let method = params.first().is_some_and(|p| p == "self");
                params.retain(|p| p != "self");
                let start = until(t, after, &['{', ';']);
                let Some(index) = params.iter().position(|p| p == "code") else {
                    continue;
                };
                if t.get(start) != Some(&Tok::Punct('{')) {
                    continue;
                }
                let (_, end) = group(t, start);
                // `pub`, `pub(crate)`, `pub async` ...: callable from other crates too.
                let public = t[..i]
                    .iter()
                    .rev()
                    .take_while(|w| !matches!(w, Tok::Punct(';' | '{' | '}' | ']')))
                    .any(|w| w.is("pub"));
                let name = match (method, self.impl_type(i)) {
                    (true, _) => format!(".{name}"),
                    (false, Some(ty)) => format!("{ty}::{name}"),
                    (false, None) => name.clone(),
                };
                let sink = Sink {
                    name,
                    arity: params.len(),
                    index,
                    scope: (!public).then(|| format!("{crate_dir}/src/")),
                };
                takers.push((sink, &t[start..end]));
            }
            // let name = |params| body;
            if t[i].is("let") {
                let j = i + 1 + usize::from(t[i + 1].is("mut"));
                let (Some(Tok::Word(name)), Some(Tok::Punct('=')), Some(Tok::Punct('|'))) =
                    (t.get(j), t.get(j + 1), t.get(j + 2))
                else {
                    continue;
                };
                let close = (j + 3..t.len()).find(|&k| t[k] == Tok::Punct('|'));
                let Some(close) = close else { continue };
                let params: Vec<String> = t[j + 3..close]
                    .split(|tok| *tok == Tok::Punct(','))
                    .filter_map(name_of)
                    .collect();
                if let Some(index) = params.iter().position(|p| p == "code") {
                    let sink = Sink {
                        name: name.clone(),
                        arity: params.len(),
                        index,
                        scope: Some(self.path.clone()),
                    };
                    takers.push((sink, &t[close..until(t, close, &[';'])]));
                }
            }
        }
        takers
    }

    /// The `&str` constants of this file.
    fn constants(&self) -> Vec<(String, String)> {
        self.tokens
            .windows(3)
            .enumerate()
            .filter(|(_, w)| w[0].is("const"))
            .filter_map(|(i, w)| {
                let Tok::Word(name) = &w[1] else { return None };
                let eq = until(&self.tokens, i, &['=', ';']);
                match self.tokens.get(eq..eq + 3) {
                    Some([Tok::Punct('='), Tok::Str(s), Tok::Punct(';')]) => {
                        Some((name.clone(), s.clone()))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// The codes the `fn code(&self)` of this file gives.
    fn own_codes(&self) -> Vec<String> {
        let t = &self.tokens;
        let Some(i) = (1..t.len()).find(|&i| t[i - 1].is("fn") && t[i].is("code")) else {
            return Vec::new();
        };
        let start = until(t, i, &['{', ';']);
        if t.get(start) != Some(&Tok::Punct('{')) {
            return Vec::new();
        }
        let (_, end) = group(t, start);
        arm_values(&t[start..end]).collect()
    }

    /// The codes chosen by `let code = match/if ...` and `let (.., code, ..) = match/if ...`.
    fn chosen_codes(&self) -> Vec<String> {
        let t = &self.tokens;
        let mut codes = Vec::new();
        for i in 0..t.len().saturating_sub(2) {
            if !t[i].is("let") {
                continue;
            }
            let j = i + 1 + usize::from(t[i + 1].is("mut"));
            // Where `code` is in the pattern: alone, or element `index` of `arity`.
            let (slot, after) = if t[j].is("code") {
                (None, j + 1)
            } else if t[j] == Tok::Punct('(') {
                let (parts, after) = group(t, j);
                let Some(index) = parts
                    .iter()
                    .position(|p| p.last().is_some_and(|w| w.is("code")))
                else {
                    continue;
                };
                (Some((index, parts.len())), after)
            } else {
                continue;
            };
            let start = after + 1;
            let chooses = t.get(after) == Some(&Tok::Punct('='))
                && t.get(start).is_some_and(|w| w.is("match") || w.is("if"));
            if !chooses {
                continue;
            }
            let init = &t[start..until(t, start, &[';'])];
            match slot {
                None => codes.extend(arm_values(init)),
                Some((index, arity)) => {
                    for (k, tok) in init.iter().enumerate() {
                        if *tok != Tok::Punct('(') {
                            continue;
                        }
                        let (parts, _) = group(init, k);
                        if let (true, Some([Tok::Str(s)])) =
                            (parts.len() == arity, parts.get(index).copied())
                        {
                            codes.push(s.clone());
                        }
                    }
                }
            }
        }
        codes
    }
}

#[derive(Debug, Default)]
struct Scan {
    codes: BTreeSet<String>,
    /// Sinks whose code argument is none of the patterns the scan knows, by file.
    unfollowed: Vec<String>,
}

fn scan_problem_codes() -> Scan {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs: Vec<_> = std::fs::read_dir(&crates)
        .unwrap()
        .map(|e| e.unwrap().path().join("src"))
        .filter(|p| p.is_dir())
        .collect();
    let mut sources = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let path = path.strip_prefix(&crates).unwrap().display().to_string();
                sources.push(Source {
                    path: path.replace('\\', "/"),
                    tokens: lex(&text),
                });
            }
        }
    }
    assert!(sources.len() > 100, "found only {} sources", sources.len());

    // The sinks: the two constructors, then every helper that passes its `code` on to one.
    let mut sinks = vec![
        Sink {
            name: "FieldError::new".into(),
            arity: 3,
            index: 1,
            scope: None,
        },
        Sink {
            name: "CodeError::new".into(),
            arity: 2,
            index: 0,
            scope: None,
        },
    ];
    let takers: Vec<_> = sources
        .iter()
        .flat_map(|s| {
            s.code_takers()
                .into_iter()
                .map(move |(sink, body)| (s, sink, body))
        })
        .collect();
    let mut helper_bodies: Vec<&[Tok]> = Vec::new();
    let mut grown = true;
    while grown {
        grown = false;
        for (source, sink, body) in &takers {
            if helper_bodies.iter().any(|b| std::ptr::eq(*b, *body)) {
                continue;
            }
            let body_source = Source {
                path: source.path.clone(),
                tokens: body.to_vec(),
            };
            let forwards = body_source
                .calls(&sinks)
                .iter()
                .any(|(s, args)| matches!(args[s.index], [Tok::Word(w)] if w == "code"));
            if forwards {
                helper_bodies.push(body);
                if !sinks.contains(sink) {
                    sinks.push(sink.clone());
                }
                grown = true;
            }
        }
    }

    let constants: Vec<_> = sources
        .iter()
        .flat_map(|s| s.constants().into_iter().map(move |c| (s.path.as_str(), c)))
        .collect();
    let mut scan = Scan::default();
    for source in &sources {
        let chosen = source.chosen_codes();
        let chooses = !chosen.is_empty();
        scan.codes.extend(chosen);
        for (sink, args) in source.calls(&sinks) {
            let arg = args[sink.index];
            let followed = match arg {
                [Tok::Str(code)] => {
                    scan.codes.insert(code.clone());
                    true
                }
                [.., Tok::Word(w)] if w.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                    // This file's constant of that name, or else any file's.
                    let mine: Vec<_> = constants
                        .iter()
                        .filter(|(path, (name, _))| name == w && *path == source.path)
                        .collect();
                    let any: Vec<_> = constants
                        .iter()
                        .filter(|(_, (name, _))| name == w)
                        .collect();
                    let values = if mine.is_empty() { any } else { mine };
                    scan.codes
                        .extend(values.iter().map(|(_, (_, value))| value.clone()));
                    !values.is_empty()
                }
                // `e.code`: a `CodeError`'s, whose codes `CodeError::new` gave.
                [_, .., Tok::Punct('.'), Tok::Word(w)] if w == "code" => true,
                // `self.code()`: the codes of this file's `fn code(&self)`.
                [Tok::Word(s), Tok::Punct('.'), Tok::Word(w), Tok::Punct('('), Tok::Punct(')')]
                    if s == "self" && w == "code" =>
                {
                    let own = source.own_codes();
                    let found = !own.is_empty();
                    scan.codes.extend(own);
                    found
                }
                // A helper's parameter, or a `let code` this file chooses.
                [Tok::Word(w)] if w == "code" => {
                    let in_helper = helper_bodies
                        .iter()
                        .any(|body| body.as_ptr_range().contains(&arg.as_ptr()));
                    in_helper || chooses
                }
                _ => false,
            };
            if !followed {
                scan.unfollowed
                    .push(format!("{}: {}(.., {arg:?}, ..)", source.path, sink.name));
            }
        }
    }
    scan
}
