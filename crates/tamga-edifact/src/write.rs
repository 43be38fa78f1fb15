//! Writing EDIFACT: values escaped with the release character, trailing empty elements and
//! components left out, envelopes counted automatically.

use std::borrow::Cow;

use crate::delimiters::Delimiters;
use crate::parse::Segment;

/// Escapes the service characters of `value` with the release character. A value that needs
/// no escaping is borrowed. Without a release character, special characters cannot be
/// written and are replaced by spaces.
pub fn escape<'v>(value: &'v str, d: &Delimiters) -> Cow<'v, str> {
    if !value.chars().any(|c| d.is_special(c)) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 4);
    for c in value.chars() {
        match (d.is_special(c), d.release) {
            (true, Some(release)) => {
                out.push(release);
                out.push(c);
            }
            (true, None) => out.push(' '),
            (false, _) => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Appends one segment: `elements` each a list of components (one repetition).
pub fn segment(out: &mut String, d: &Delimiters, tag: &str, elements: &[&[&str]]) {
    out.push_str(tag);
    let last = elements
        .iter()
        .rposition(|e| e.iter().any(|c| !c.is_empty()));
    for element in elements.iter().take(last.map_or(0, |l| l + 1)) {
        out.push(d.element);
        let used = element
            .iter()
            .rposition(|c| !c.is_empty())
            .map_or(0, |l| l + 1);
        for (i, component) in element.iter().take(used).enumerate() {
            if i > 0 {
                out.push(d.component);
            }
            out.push_str(&escape(component, d));
        }
    }
    out.push(d.segment);
}

/// Writes a parsed segment back, repetitions included.
pub fn write_segment(out: &mut String, d: &Delimiters, s: &Segment<'_>) {
    out.push_str(s.tag);
    for element in &s.elements() {
        out.push(d.element);
        for (r, repetition) in element.repetitions.iter().enumerate() {
            if r > 0 {
                out.push(d.repetition.unwrap_or(d.element));
            }
            for (i, component) in repetition.iter().enumerate() {
                if i > 0 {
                    out.push(d.component);
                }
                out.push_str(&escape(component, d));
            }
        }
    }
    out.push(d.segment);
}

/// Writes a whole interchange: `UNA`, `UNB`, messages with their `UNH`/`UNT`, and `UNZ`, the
/// counts kept by the writer.
#[derive(Debug)]
pub struct InterchangeWriter {
    d: Delimiters,
    out: String,
    reference: String,
    messages: usize,
}

/// Who and when, for the `UNB` segment.
#[derive(Debug, Clone)]
pub struct Envelope<'e> {
    pub syntax: &'e str,
    pub version: &'e str,
    pub sender: &'e str,
    pub recipient: &'e str,
    /// `YYMMDD` for version 3.
    pub date: &'e str,
    /// `HHMM`.
    pub time: &'e str,
    pub reference: &'e str,
}

impl InterchangeWriter {
    pub fn new(d: Delimiters, envelope: &Envelope<'_>) -> Self {
        let mut out = d.una();
        segment(
            &mut out,
            &d,
            "UNB",
            &[
                &[envelope.syntax, envelope.version],
                &[envelope.sender],
                &[envelope.recipient],
                &[envelope.date, envelope.time],
                &[envelope.reference],
            ],
        );
        Self {
            d,
            out,
            reference: envelope.reference.to_owned(),
            messages: 0,
        }
    }

    /// One message: `identifier` is the UNH composite (type, version, release, agency), `body`
    /// the segments between UNH and UNT as (tag, elements).
    pub fn message(
        &mut self,
        reference: &str,
        identifier: &[&str],
        body: &[(&str, Vec<Vec<String>>)],
    ) {
        segment(&mut self.out, &self.d, "UNH", &[&[reference], identifier]);
        for (tag, elements) in body {
            let elements: Vec<Vec<&str>> = elements
                .iter()
                .map(|e| e.iter().map(String::as_str).collect())
                .collect();
            let refs: Vec<&[&str]> = elements.iter().map(Vec::as_slice).collect();
            segment(&mut self.out, &self.d, tag, &refs);
        }
        let count = (body.len() + 2).to_string();
        segment(&mut self.out, &self.d, "UNT", &[&[&count], &[reference]]);
        self.messages += 1;
    }

    pub fn finish(mut self) -> String {
        let count = self.messages.to_string();
        segment(
            &mut self.out,
            &self.d,
            "UNZ",
            &[&[&count], &[&self.reference]],
        );
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_released() {
        let d = Delimiters::version_4();
        assert_eq!(escape("A+B:C'D?E*F", &d), "A?+B?:C?'D??E?*F");
        assert!(matches!(escape("PLAIN", &d), Cow::Borrowed(_)));
    }

    #[test]
    fn trailing_empties_are_left_out() {
        let mut out = String::new();
        segment(
            &mut out,
            &Delimiters::version_3(),
            "LOC",
            &[&["9"], &["AUMEL", "", "6", ""], &[""], &[]],
        );
        assert_eq!(out, "LOC+9+AUMEL::6'");
    }
}
