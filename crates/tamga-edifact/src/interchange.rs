//! Interchanges: the `UNA` advice, the `UNB`…`UNZ` envelope, optional `UNG`…`UNE` groups and
//! `UNH`…`UNT` messages, with every count and control reference checked. Bare messages
//! without an envelope are read too (some partners send them).

use crate::charset::Charset;
use crate::delimiters::Delimiters;
use crate::error::{SyntaxError, SyntaxErrorCode};
use crate::parse::{Reader, Segment};

/// What the `UNB` segment says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Syntax identifier, e.g. `UNOC`.
    pub syntax: String,
    /// Syntax version number, `1` to `4`.
    pub version: String,
    pub sender: String,
    pub recipient: String,
    /// `YYMMDD` (version 3) or `CCYYMMDD` (version 4).
    pub date: String,
    pub time: String,
    /// Interchange control reference, repeated in `UNZ`.
    pub reference: String,
}

/// One message, `UNH` to `UNT` inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message<'a> {
    pub reference: String,
    pub segments: Vec<Segment<'a>>,
}

impl<'a> Message<'a> {
    /// The message type, e.g. `CUSDEC`.
    pub fn kind(&self) -> Option<&str> {
        self.segments.first()?.value(1, 0)
    }

    /// Version, release and agency, e.g. (`D`, `96B`, `UN`).
    pub fn directory(&self) -> Option<(&str, &str, &str)> {
        let unh = self.segments.first()?;
        Some((unh.value(1, 1)?, unh.value(1, 2)?, unh.value(1, 3)?))
    }

    /// The segments between `UNH` and `UNT`.
    pub fn body(&self) -> &[Segment<'a>] {
        let end = self.segments.len().saturating_sub(1);
        self.segments.get(1..end).unwrap_or(&[])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interchange<'a> {
    pub delimiters: Delimiters,
    /// Was there a `UNA` segment?
    pub una: bool,
    /// Absent for bare messages.
    pub header: Option<Header>,
    /// Number of `UNG` functional groups.
    pub groups: usize,
    pub messages: Vec<Message<'a>>,
}

/// Reads and checks a whole interchange.
pub fn read(text: &str) -> Result<Interchange<'_>, SyntaxError> {
    let (mut delimiters, rest, una, first) = match Delimiters::from_una(text)? {
        Some((d, rest)) => (d, rest, true, 2),
        None => (Delimiters::version_3(), text, false, 1),
    };
    let mut reader = Reader::new(rest, delimiters, first);
    let mut segments = Vec::new();
    let header = match reader.next_segment()? {
        Some(unb) if unb.tag == "UNB" => {
            let header = header(&unb)?;
            if header.version == "4" && !una {
                delimiters = Delimiters::version_4();
            }
            segments.push(unb);
            Some(header)
        }
        Some(other) => {
            segments.push(other);
            None
        }
        None => {
            return Err(SyntaxError::new(
                SyntaxErrorCode::Missing,
                first,
                "the interchange is empty",
            ))
        }
    };
    let tail = rest.get(reader.offset()..).unwrap_or("");
    let next = first + segments.len();
    let mut more = crate::parse::parse(tail, &delimiters, next)?;
    for segment in &mut more {
        segment.offset += reader.offset();
    }
    segments.extend(more);
    if let Some(header) = &header {
        check_charset(header, &segments)?;
    }
    envelope(segments, header, delimiters, una)
}

fn required<'s>(
    segment: &'s Segment<'_>,
    element: usize,
    component: usize,
    what: &str,
) -> Result<&'s str, SyntaxError> {
    segment.nonempty(element, component).ok_or_else(|| {
        segment.element_error(
            SyntaxErrorCode::Missing,
            element,
            format!("{} needs {what}", segment.tag),
        )
    })
}

fn header(unb: &Segment<'_>) -> Result<Header, SyntaxError> {
    let syntax = required(unb, 0, 0, "a syntax identifier")?;
    if Charset::parse(syntax).is_none() {
        return Err(unb.element_error(
            SyntaxErrorCode::ValueNotSupported,
            0,
            format!("syntax identifier {syntax} is not supported (UNOA, UNOB, UNOC, UNOY)"),
        ));
    }
    let version = required(unb, 0, 1, "a syntax version")?;
    if !matches!(version, "1" | "2" | "3" | "4") {
        return Err(unb.element_error(
            SyntaxErrorCode::ValueNotSupported,
            0,
            format!("syntax version {version} is not supported"),
        ));
    }
    Ok(Header {
        syntax: syntax.to_owned(),
        version: version.to_owned(),
        sender: required(unb, 1, 0, "a sender")?.to_owned(),
        recipient: required(unb, 2, 0, "a recipient")?.to_owned(),
        date: required(unb, 3, 0, "a date")?.to_owned(),
        time: required(unb, 3, 1, "a time")?.to_owned(),
        reference: required(unb, 4, 0, "an interchange control reference")?.to_owned(),
    })
}

/// Every value must be in the repertoire the UNB names.
fn check_charset(header: &Header, segments: &[Segment<'_>]) -> Result<(), SyntaxError> {
    let Some(charset) = Charset::parse(&header.syntax) else {
        return Ok(());
    };
    for segment in segments {
        for value in segment.values() {
            if let Some(bad) = value.text.chars().find(|ch| !charset.allows(*ch)) {
                let error = SyntaxError::new(
                    SyntaxErrorCode::InvalidCharacter,
                    segment.position,
                    format!("{bad:?} is not in the {} repertoire", header.syntax),
                );
                let (e, c) = (
                    usize::from(value.element) + 1,
                    usize::from(value.component) + 1,
                );
                return Err(error.at(segment.tag, Some(e), Some(c)));
            }
        }
    }
    Ok(())
}

fn count(segment: &Segment<'_>, element: usize, what: &str) -> Result<usize, SyntaxError> {
    required(segment, element, 0, what)?.parse().map_err(|_| {
        segment.element_error(
            SyntaxErrorCode::InvalidValue,
            element,
            format!("{what} must be a number"),
        )
    })
}

fn envelope<'a>(
    segments: Vec<Segment<'a>>,
    header: Option<Header>,
    delimiters: Delimiters,
    una: bool,
) -> Result<Interchange<'a>, SyntaxError> {
    let mut interchange = Interchange {
        delimiters,
        una,
        header,
        groups: 0,
        messages: Vec::new(),
    };
    let mut iter = segments.into_iter().peekable();
    if interchange.header.is_some() {
        iter.next();
    }
    let mut trailer = None;
    let mut group: Option<(Segment<'a>, usize)> = None;
    let (mut grouped_messages, mut loose_messages) = (0usize, 0usize);
    while let Some(segment) = iter.next() {
        if trailer.is_some() {
            return Err(segment.segment_error(
                SyntaxErrorCode::NotSupportedInPosition,
                "nothing may follow UNZ",
            ));
        }
        match segment.tag {
            "UNH" => {
                let grouped = group.is_some();
                let outside = if grouped {
                    &mut grouped_messages
                } else {
                    &mut loose_messages
                };
                *outside += 1;
                if grouped_messages > 0 && loose_messages > 0 {
                    return Err(segment.segment_error(
                        SyntaxErrorCode::NotSupportedInPosition,
                        "messages inside and outside functional groups are mixed",
                    ));
                }
                let message = message(segment, &mut iter)?;
                if let Some((_, n)) = &mut group {
                    *n += 1;
                }
                interchange.messages.push(message);
            }
            "UNG" if group.is_none() => group = Some((segment, 0)),
            "UNE" => {
                let (ung, n) = group.take().ok_or_else(|| {
                    segment
                        .segment_error(SyntaxErrorCode::NotSupportedInPosition, "UNE without UNG")
                })?;
                check_trailer(
                    &segment,
                    n,
                    required(&ung, 4, 0, "a group reference")?,
                    "messages in the group",
                )?;
                interchange.groups += 1;
            }
            "UNZ" => trailer = Some(segment),
            tag => {
                return Err(segment.segment_error(
                    SyntaxErrorCode::NotSupportedInPosition,
                    format!("{tag} stands outside a message"),
                ))
            }
        }
    }
    if let Some((ung, _)) = group {
        return Err(ung.segment_error(SyntaxErrorCode::SegmentMissing, "the group has no UNE"));
    }
    if interchange.messages.is_empty() {
        let error = SyntaxError::new(
            SyntaxErrorCode::Missing,
            trailer.as_ref().map_or(1, |t| t.position),
            "the interchange holds no message",
        );
        return Err(match &trailer {
            Some(unz) => error.at(unz.tag, None, None),
            None => error,
        });
    }
    match (&interchange.header, trailer) {
        (Some(header), Some(unz)) => {
            let expected = if interchange.groups > 0 {
                interchange.groups
            } else {
                interchange.messages.len()
            };
            check_trailer(
                &unz,
                expected,
                &header.reference,
                "messages or groups in the interchange",
            )?;
        }
        (Some(_), None) => {
            let last = interchange
                .messages
                .last()
                .and_then(|m| m.segments.last())
                .map_or(1, |s| s.position + 1);
            return Err(SyntaxError::new(
                SyntaxErrorCode::SegmentMissing,
                last,
                "the interchange has no UNZ",
            )
            .at("UNZ", None, None));
        }
        (None, Some(unz)) => {
            return Err(
                unz.segment_error(SyntaxErrorCode::NotSupportedInPosition, "UNZ without UNB")
            )
        }
        (None, None) => {}
    }
    Ok(interchange)
}

/// Checks the count (element 1) and control reference (element 2) of a UNT, UNE or UNZ.
fn check_trailer(
    trailer: &Segment<'_>,
    expected: usize,
    reference: &str,
    what: &str,
) -> Result<(), SyntaxError> {
    let counted = count(trailer, 0, "a control count")?;
    if counted != expected {
        return Err(trailer.element_error(
            SyntaxErrorCode::ControlCountMismatch,
            0,
            format!(
                "{} counts {counted} {what}, but there are {expected}",
                trailer.tag
            ),
        ));
    }
    let theirs = required(trailer, 1, 0, "a control reference")?;
    if theirs != reference {
        return Err(trailer.element_error(
            SyntaxErrorCode::ReferencesDoNotMatch,
            1,
            format!(
                "{} reference {theirs} does not match {reference}",
                trailer.tag
            ),
        ));
    }
    Ok(())
}

fn message<'a>(
    unh: Segment<'a>,
    iter: &mut std::iter::Peekable<std::vec::IntoIter<Segment<'a>>>,
) -> Result<Message<'a>, SyntaxError> {
    let reference = required(&unh, 0, 0, "a message reference")?.to_owned();
    required(&unh, 1, 0, "a message type")?;
    let mut segments = vec![unh];
    loop {
        let ends = matches!(
            iter.peek().map(|s| s.tag),
            None | Some("UNH" | "UNZ" | "UNE" | "UNG")
        );
        if ends {
            let unh = segments.swap_remove(0);
            return Err(unh.segment_error(
                SyntaxErrorCode::SegmentMissing,
                format!("message {reference} has no UNT"),
            ));
        }
        let Some(segment) = iter.next() else { continue };
        let is_trailer = segment.tag == "UNT";
        segments.push(segment);
        if is_trailer {
            break;
        }
    }
    if let Some(unt) = segments.last() {
        check_trailer(unt, segments.len(), &reference, "segments in the message")?;
    }
    Ok(Message {
        reference,
        segments,
    })
}
