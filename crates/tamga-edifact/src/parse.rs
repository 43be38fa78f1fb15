//! The segment tokenizer: splits text into segments, elements, repetitions and components,
//! borrowing every value that contains no release character.

use std::borrow::Cow;

use crate::delimiters::Delimiters;
use crate::error::{SyntaxError, SyntaxErrorCode};

/// One value of a segment and where it stands: element (0-based, the tag not counted),
/// repetition and component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value<'a> {
    pub text: Cow<'a, str>,
    pub element: u16,
    pub repetition: u16,
    pub component: u16,
}

/// A view of one data element: its repetitions, each a list of components.
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

/// One segment: its tag and its values, held in one flat vector (one allocation per segment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    /// Position in the interchange, from 1 (a UNA counts).
    pub position: usize,
    /// Byte offset of the tag in the text.
    pub offset: usize,
    pub tag: &'a str,
    values: Vec<Value<'a>>,
}

impl<'a> Segment<'a> {
    /// Every value, in order.
    pub fn values(&self) -> &[Value<'a>] {
        &self.values
    }

    /// The value of element `element` and component `component` (both 0-based, the tag not
    /// counted), first repetition; an empty value is `Some("")`.
    pub fn value(&self, element: usize, component: usize) -> Option<&str> {
        let key = (
            u16::try_from(element).ok()?,
            0,
            u16::try_from(component).ok()?,
        );
        let found = self
            .values
            .binary_search_by(|v| (v.element, v.repetition, v.component).cmp(&key))
            .ok()?;
        self.values.get(found).map(|v| v.text.as_ref())
    }

    /// Like [`Segment::value`], but an empty value is `None`.
    pub fn nonempty(&self, element: usize, component: usize) -> Option<&str> {
        self.value(element, component).filter(|v| !v.is_empty())
    }

    /// How many data elements follow the tag.
    pub fn element_count(&self) -> usize {
        self.values.last().map_or(0, |v| usize::from(v.element) + 1)
    }

    /// The elements as nested lists (allocates: for writing and inspection, not hot paths).
    pub fn elements(&self) -> Vec<Element<'_>> {
        let mut elements: Vec<Element<'_>> = vec![Element::default(); self.element_count()];
        for v in &self.values {
            let Some(element) = elements.get_mut(usize::from(v.element)) else {
                continue;
            };
            if element.repetitions.len() <= usize::from(v.repetition) {
                element.repetitions.push(Vec::new());
            }
            if let Some(repetition) = element.repetitions.last_mut() {
                repetition.push(Cow::Borrowed(v.text.as_ref()));
            }
        }
        elements
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
    // Segments average well over 16 bytes: one allocation for the list in almost every case.
    let mut segments = Vec::with_capacity(text.len() / 16 + 1);
    while let Some(segment) = reader.next_segment()? {
        segments.push(segment);
    }
    Ok(segments)
}

/// What a byte is to the tokenizer.
const PLAIN: u8 = 0;
const COMPONENT: u8 = 1;
const ELEMENT: u8 = 2;
const REPETITION: u8 = 3;
const SEGMENT: u8 = 4;
const RELEASE: u8 = 5;

/// A cursor over the text.
pub(crate) struct Reader<'a> {
    text: &'a str,
    at: usize,
    position: usize,
    class: [u8; 256],
    release: Option<u8>,
    /// The values of the segment being read, reused: each segment then gets its own vector
    /// in one allocation of the right size.
    scratch: Vec<Value<'a>>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str, d: Delimiters, first: usize) -> Self {
        let mut class = [PLAIN; 256];
        let mut mark = |c: Option<char>, kind: u8| {
            if let Some(slot) = c
                .and_then(|c| u8::try_from(c).ok())
                .and_then(|b| class.get_mut(usize::from(b)))
            {
                *slot = kind;
            }
        };
        mark(Some(d.component), COMPONENT);
        mark(Some(d.element), ELEMENT);
        mark(d.repetition, REPETITION);
        mark(Some(d.segment), SEGMENT);
        mark(d.release, RELEASE);
        Self {
            text,
            at: 0,
            position: first,
            class,
            release: d.release.and_then(|c| u8::try_from(c).ok()),
            scratch: Vec::with_capacity(64),
        }
    }

    /// The byte offset reached.
    pub(crate) fn offset(&self) -> usize {
        self.at
    }

    fn kind(&self, b: u8) -> u8 {
        self.class.get(usize::from(b)).copied().unwrap_or(PLAIN)
    }

    pub(crate) fn next_segment(&mut self) -> Result<Option<Segment<'a>>, SyntaxError> {
        let bytes = self.text.as_bytes();
        // Line breaks between segments, and empty segments (a stray terminator), are skipped.
        while let Some(&b) = bytes.get(self.at) {
            if matches!(b, b'\r' | b'\n') || self.kind(b) == SEGMENT {
                self.at += 1;
            } else {
                break;
            }
        }
        if self.at >= bytes.len() {
            return Ok(None);
        }
        let offset = self.at;
        let mut values = std::mem::take(&mut self.scratch);
        values.clear();
        let (mut element, mut repetition, mut component) = (0u16, 0u16, 0u16);
        let (mut start, mut escaped) = (offset, false);
        let mut tag: Option<&'a str> = None;
        loop {
            let Some(&b) = bytes.get(self.at) else {
                return Err(SyntaxError::new(
                    SyntaxErrorCode::SegmentMissing,
                    self.position,
                    "the segment has no terminator: the text ends inside it",
                ));
            };
            let kind = self.kind(b);
            if kind == PLAIN {
                // Skip the run of ordinary bytes in one tight loop.
                let class = &self.class;
                let run = bytes
                    .get(self.at..)
                    .unwrap_or(&[])
                    .iter()
                    .position(|b| class.get(usize::from(*b)).copied().unwrap_or(PLAIN) != PLAIN)
                    .unwrap_or(bytes.len() - self.at);
                self.at += run;
                continue;
            }
            if kind == RELEASE {
                if self.at + 1 >= bytes.len() {
                    return Err(SyntaxError::new(
                        SyntaxErrorCode::InvalidCharacter,
                        self.position,
                        "a release character ends the text",
                    ));
                }
                escaped = true;
                // Skip the released character whole, whatever its UTF-8 length.
                let next = self
                    .text
                    .get(self.at + 1..)
                    .and_then(|t| t.chars().next())
                    .map_or(1, char::len_utf8);
                self.at += 1 + next;
                continue;
            }
            let raw = self.text.get(start..self.at).unwrap_or("");
            match tag {
                // Only a data element separator or the terminator may follow a tag.
                None if kind != ELEMENT && kind != SEGMENT => {
                    let shown: String = raw.chars().take(12).collect();
                    return Err(SyntaxError::new(
                        SyntaxErrorCode::InvalidValue,
                        self.position,
                        format!(
                            "segment tag {shown:?} must be followed by a data element separator"
                        ),
                    ));
                }
                None => tag = Some(raw),
                Some(_) => {
                    let text = if escaped {
                        Cow::Owned(unescape(raw, self.release))
                    } else {
                        Cow::Borrowed(raw)
                    };
                    values.push(Value {
                        text,
                        element,
                        repetition,
                        component,
                    });
                }
            }
            escaped = false;
            self.at += 1;
            start = self.at;
            match kind {
                COMPONENT => component = next(component, self.position)?,
                REPETITION => {
                    repetition = next(repetition, self.position)?;
                    component = 0;
                }
                ELEMENT => {
                    if !values.is_empty() {
                        element = next(element, self.position)?;
                    }
                    repetition = 0;
                    component = 0;
                }
                _ => break,
            }
        }
        let position = self.position;
        self.position += 1;
        // Moved into a vector of exactly their number; the scratch keeps its capacity.
        let mut owned = Vec::with_capacity(values.len());
        owned.append(&mut values);
        self.scratch = values;
        let values = owned;
        let tag = tag.unwrap_or("");
        if !is_tag(tag) {
            let shown: String = tag.chars().take(12).collect();
            return Err(SyntaxError::new(
                SyntaxErrorCode::InvalidValue,
                position,
                format!("{shown:?} is not a segment tag (three capital letters or digits)"),
            ));
        }
        Ok(Some(Segment {
            position,
            offset,
            tag,
            values,
        }))
    }
}

/// The next element, repetition or component number; more than 65,535 of them is an error.
fn next(n: u16, position: usize) -> Result<u16, SyntaxError> {
    n.checked_add(1).ok_or_else(|| {
        SyntaxError::new(
            SyntaxErrorCode::TooManyConstituents,
            position,
            "more than 65,535 elements, repetitions or components in one segment",
        )
    })
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
            s.elements()[1].repetitions[1],
            [Cow::Borrowed("USLAX"), Cow::Borrowed("139")]
        );
        assert_eq!(s.nonempty(1, 1), None);
    }

    #[test]
    fn release_characters_make_delimiters_literal() {
        let s = one("FTX+AAA+++PLASTICS?:ARTICLES?'S ?? ?+ 50?*'");
        assert_eq!(s.value(3, 0), Some("PLASTICS:ARTICLES'S ? + 50*"));
        assert!(matches!(s.values()[3].text, Cow::Owned(_)));
        assert!(matches!(s.values()[0].text, Cow::Borrowed(_)));
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
    fn a_tag_is_followed_by_an_element_separator() {
        // Found by fuzzing: "LOC*28+UZ'" read as an element but wrote back differently.
        for text in ["LOC*28+UZ'", "LOC:1+X'"] {
            let e = parse(text, &Delimiters::version_4(), 1).unwrap_err();
            assert_eq!(e.code, SyntaxErrorCode::InvalidValue, "{text}");
        }
        assert_eq!(
            parse("EQN'", &Delimiters::version_4(), 1).unwrap()[0].element_count(),
            0
        );
    }

    #[test]
    fn too_many_constituents_are_refused() {
        let text = format!("FTX+{}'", ":".repeat(70_000));
        let e = parse(&text, &Delimiters::version_3(), 1).unwrap_err();
        assert_eq!(e.code, SyntaxErrorCode::TooManyConstituents);
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
