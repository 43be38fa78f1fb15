//! The segment tokenizer: splits text into segments, elements, repetitions and components,
//! borrowing every value that contains no release character.

use std::borrow::Cow;

use crate::delimiters::Delimiters;
use crate::error::{SyntaxError, SyntaxErrorCode};

/// One data element: its repetitions (one unless the version-4 repetition separator is used),
/// each a list of components.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element<'a> {
    pub repetitions: Vec<Vec<Cow<'a, str>>>,
}

impl Element<'_> {
    /// Component `component` (0-based) of the first repetition.
    pub fn component(&self, component: usize) -> Option<&str> {
        self.repetitions.first()?.get(component).map(AsRef::as_ref)
    }
}

/// One segment: its tag and data elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// Position in the interchange, from 1 (a UNA counts).
    pub position: usize,
    /// Byte offset of the tag in the text.
    pub offset: usize,
    pub tag: &'a str,
    /// The data elements after the tag.
    pub elements: Vec<Element<'a>>,
}

impl<'a> Segment<'a> {
    /// The value of element `element` and component `component` (both 0-based, the tag not
    /// counted), first repetition; an empty value is `Some("")`.
    pub fn value(&self, element: usize, component: usize) -> Option<&str> {
        self.elements.get(element)?.component(component)
    }

    /// Like [`Segment::value`], but an empty value is `None`.
    pub fn nonempty(&self, element: usize, component: usize) -> Option<&str> {
        self.value(element, component).filter(|v| !v.is_empty())
    }

    fn error(
        &self,
        code: SyntaxErrorCode,
        element: Option<usize>,
        message: impl Into<String>,
    ) -> SyntaxError {
        SyntaxError::new(code, self.position, message).at(self.tag, element.map(|e| e + 1), None)
    }

    /// An error about element `element` (0-based) of this segment.
    pub fn element_error(
        &self,
        code: SyntaxErrorCode,
        element: usize,
        message: impl Into<String>,
    ) -> SyntaxError {
        self.error(code, Some(element), message)
    }

    /// An error about the whole segment.
    pub fn segment_error(&self, code: SyntaxErrorCode, message: impl Into<String>) -> SyntaxError {
        self.error(code, None, message)
    }
}

/// Reads every segment of `text` with `delimiters`; `first` is the position of the first one.
pub fn parse<'a>(
    text: &'a str,
    delimiters: &Delimiters,
    first: usize,
) -> Result<Vec<Segment<'a>>, SyntaxError> {
    let mut reader = Reader::new(text, *delimiters, first);
    let mut segments = Vec::new();
    while let Some(segment) = reader.next_segment()? {
        segments.push(segment);
    }
    Ok(segments)
}

/// A cursor over the text.
pub(crate) struct Reader<'a> {
    text: &'a str,
    at: usize,
    position: usize,
    d: [u8; 5],
    release: Option<u8>,
}

const COMPONENT: usize = 0;
const ELEMENT: usize = 1;
const REPETITION: usize = 2;
const SEGMENT: usize = 3;

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str, d: Delimiters, first: usize) -> Self {
        let byte = |c: char| u8::try_from(c).unwrap_or(0);
        let repetition = d.repetition.map_or(0, byte);
        Self {
            text,
            at: 0,
            position: first,
            d: [
                byte(d.component),
                byte(d.element),
                repetition,
                byte(d.segment),
                0,
            ],
            release: d.release.map(byte),
        }
    }

    /// The byte offset reached.
    pub(crate) fn offset(&self) -> usize {
        self.at
    }

    pub(crate) fn next_segment(&mut self) -> Result<Option<Segment<'a>>, SyntaxError> {
        let bytes = self.text.as_bytes();
        // Line breaks between segments, and empty segments (a stray terminator), are skipped.
        let terminator = self.d[SEGMENT];
        while bytes
            .get(self.at)
            .is_some_and(|b| matches!(b, b'\r' | b'\n') || *b == terminator)
        {
            self.at += 1;
        }
        if self.at >= bytes.len() {
            return Ok(None);
        }
        let offset = self.at;
        let mut parts = Parts {
            start: offset,
            ..Parts::default()
        };
        loop {
            let Some(&b) = bytes.get(self.at) else {
                let error = SyntaxError::new(
                    SyntaxErrorCode::SegmentMissing,
                    self.position,
                    "the segment has no terminator: the text ends inside it",
                );
                return Err(error);
            };
            if Some(b) == self.release {
                if self.at + 1 >= bytes.len() {
                    return Err(SyntaxError::new(
                        SyntaxErrorCode::InvalidCharacter,
                        self.position,
                        "a release character ends the text",
                    ));
                }
                parts.escaped = true;
                // Skip the released character whole, whatever its UTF-8 length.
                let next = self
                    .text
                    .get(self.at + 1..)
                    .and_then(|t| t.chars().next())
                    .map_or(1, char::len_utf8);
                self.at += 1 + next;
                continue;
            }
            let kind = self.d.iter().position(|d| *d == b && *d != 0);
            if let Some(kind) = kind {
                parts.end_value(self.text, self.at, self.release);
                match kind {
                    COMPONENT => {}
                    REPETITION => parts.end_repetition(),
                    ELEMENT => parts.end_element(),
                    SEGMENT => {
                        parts.end_element();
                        self.at += 1;
                        break;
                    }
                    _ => {}
                }
                parts.start = self.at + 1;
            }
            self.at += 1;
        }
        let position = self.position;
        self.position += 1;
        parts.into_segment(position, offset).map(Some)
    }
}

/// What has been read of the current segment.
#[derive(Default)]
struct Parts<'a> {
    elements: Vec<Element<'a>>,
    repetitions: Vec<Vec<Cow<'a, str>>>,
    components: Vec<Cow<'a, str>>,
    start: usize,
    escaped: bool,
}

impl<'a> Parts<'a> {
    fn end_value(&mut self, text: &'a str, end: usize, release: Option<u8>) {
        let raw = text.get(self.start..end).unwrap_or("");
        let value = if self.escaped {
            Cow::Owned(unescape(raw, release))
        } else {
            Cow::Borrowed(raw)
        };
        self.components.push(value);
        self.escaped = false;
    }

    fn end_repetition(&mut self) {
        self.repetitions.push(std::mem::take(&mut self.components));
    }

    fn end_element(&mut self) {
        self.end_repetition();
        self.elements.push(Element {
            repetitions: std::mem::take(&mut self.repetitions),
        });
    }

    fn into_segment(mut self, position: usize, offset: usize) -> Result<Segment<'a>, SyntaxError> {
        let tag_element = if self.elements.is_empty() {
            Element::default()
        } else {
            self.elements.remove(0)
        };
        let tag = match tag_element.repetitions.first().and_then(|r| r.first()) {
            Some(Cow::Borrowed(tag)) if is_tag(tag) => *tag,
            other => {
                let found = other.map_or("", |t| t.as_ref()).trim();
                let shown: String = found.chars().take(12).collect();
                return Err(SyntaxError::new(
                    SyntaxErrorCode::InvalidValue,
                    position,
                    format!("{shown:?} is not a segment tag (three capital letters or digits)"),
                ));
            }
        };
        Ok(Segment {
            position,
            offset,
            tag,
            elements: self.elements,
        })
    }
}

fn is_tag(tag: &str) -> bool {
    tag.len() == 3
        && tag
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Removes release characters, keeping the characters they release.
fn unescape(raw: &str, release: Option<u8>) -> String {
    let release = release.map(char::from);
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if Some(c) == release {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Segment<'_> {
        parse(text, &Delimiters::version_4(), 1).unwrap().remove(0)
    }

    #[test]
    fn elements_components_and_repetitions() {
        let s = one("LOC+9+AUMEL::6*USLAX:139'");
        assert_eq!(s.tag, "LOC");
        assert_eq!(s.value(0, 0), Some("9"));
        assert_eq!(s.value(1, 0), Some("AUMEL"));
        assert_eq!(s.value(1, 1), Some(""));
        assert_eq!(s.value(1, 2), Some("6"));
        assert_eq!(
            s.elements[1].repetitions[1],
            [Cow::Borrowed("USLAX"), Cow::Borrowed("139")]
        );
        assert_eq!(s.nonempty(1, 1), None);
    }

    #[test]
    fn release_characters_make_delimiters_literal() {
        let s = one("FTX+AAA+++PLASTICS?:ARTICLES?'S ?? ?+ 50?*'");
        assert_eq!(s.value(3, 0), Some("PLASTICS:ARTICLES'S ? + 50*"));
        assert!(matches!(s.elements[3].repetitions[0][0], Cow::Owned(_)));
        assert!(matches!(s.elements[0].repetitions[0][0], Cow::Borrowed(_)));
    }

    #[test]
    fn line_breaks_between_segments_are_ignored() {
        let segments = parse("UNH+1+X'\r\nBGM+9'\n", &Delimiters::version_3(), 5).unwrap();
        assert_eq!(
            segments
                .iter()
                .map(|s| (s.tag, s.position))
                .collect::<Vec<_>>(),
            [("UNH", 5), ("BGM", 6)]
        );
    }

    #[test]
    fn errors_name_the_segment() {
        let e = parse("UNH+1'BGM+9", &Delimiters::version_3(), 1).unwrap_err();
        assert_eq!((e.code, e.segment), (SyntaxErrorCode::SegmentMissing, 2));
        let e = parse("UNH+1'bgm+9'", &Delimiters::version_3(), 1).unwrap_err();
        assert_eq!((e.code, e.segment), (SyntaxErrorCode::InvalidValue, 2));
        let e = parse("FTX+A?", &Delimiters::version_3(), 1).unwrap_err();
        assert_eq!(e.code, SyntaxErrorCode::InvalidCharacter);
    }
}
