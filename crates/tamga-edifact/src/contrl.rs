//! CONTRL: the syntax acknowledgement of an interchange (UN/EDIFACT service message, version
//! D:3). It accepts the interchange (UCI action 7) or rejects it (action 4) with the error
//! code, and, for an error inside a message, the message (UCM), the segment (UCS) and the
//! element (UCD).

use crate::delimiters::Delimiters;
use crate::error::SyntaxError;
use crate::interchange::Header;
use crate::write::{Envelope, InterchangeWriter};

/// Who acknowledges, and when.
#[derive(Debug, Clone)]
pub struct Acknowledger<'a> {
    /// tamga's own identifier as an interchange partner.
    pub identity: &'a str,
    /// `YYMMDD` and `HHMM` of the acknowledgement.
    pub date: &'a str,
    pub time: &'a str,
    /// Control reference of the CONTRL interchange itself.
    pub reference: &'a str,
}

/// The message an error occurred in, when it did: reference, identifier, and the interchange
/// position of its UNH (UCS counts segments from the UNH, which is 1).
#[derive(Debug, Clone)]
pub struct Location<'a> {
    pub message_reference: &'a str,
    /// The message identifier (S009) as the UNH gives it: the type, then the version, release
    /// and agency, separated by `:` (`CUSDEC:D:96B:UN`); a bare type is written as it is.
    pub message_type: &'a str,
    pub unh_position: usize,
}

/// The message holding a segment, read from the interchange text: what [`Location`] borrows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageAt {
    pub reference: String,
    /// S009 components joined by `:`, e.g. `CUSDEC:D:96B:UN`.
    pub identifier: String,
    pub unh_position: usize,
}

impl MessageAt {
    pub fn location(&self) -> Location<'_> {
        Location {
            message_reference: &self.reference,
            message_type: &self.identifier,
            unh_position: self.unh_position,
        }
    }
}

/// The message that holds segment `position` of `text`, when the segments up to it can be read
/// and it lies between a UNH and its UNT (inclusive); after a UNT the error is the envelope's.
pub fn locate(text: &str, position: usize) -> Option<MessageAt> {
    let (delimiters, rest, first) = match Delimiters::from_una(text).ok().flatten() {
        Some((d, rest)) => (d, rest, 2),
        None => (Delimiters::version_3(), text, 1),
    };
    let segments = crate::parse(rest, &delimiters, first).ok()?;
    let before: Vec<_> = segments
        .iter()
        .take_while(|s| s.position <= position)
        .collect();
    let marker = before
        .iter()
        .rev()
        .find(|s| matches!(s.tag, "UNH" | "UNT"))?;
    if marker.tag == "UNT" && marker.position != position {
        return None;
    }
    let unh = before.iter().rev().find(|s| s.tag == "UNH")?;
    let identifier: Vec<&str> = (0..4).map_while(|c| unh.value(1, c)).collect();
    Some(MessageAt {
        reference: unh.value(0, 0)?.to_owned(),
        identifier: identifier.join(":"),
        unh_position: unh.position,
    })
}

/// A writer for an interchange answering `header`'s: from `by` back to its sender.
pub fn reply_writer(header: &Header, by: &Acknowledger<'_>) -> InterchangeWriter {
    // Answer in the partner's repertoire when it is Unicode, else in Latin-1.
    let syntax = if header.syntax == "UNOY" {
        "UNOY"
    } else {
        "UNOC"
    };
    let envelope = Envelope {
        syntax,
        version: "3",
        sender: by.identity,
        recipient: &header.sender,
        date: by.date,
        time: by.time,
        reference: by.reference,
    };
    InterchangeWriter::new(Delimiters::version_3(), &envelope)
}

fn one(value: &str) -> Vec<String> {
    vec![value.to_owned()]
}

/// S011, the data element identification: the element's position and, when known, the
/// component's; empty when the error is not in an element.
fn element_of(error: &SyntaxError) -> Vec<String> {
    match (error.element, error.component) {
        (Some(e), Some(c)) => vec![e.to_string(), c.to_string()],
        (Some(e), None) => vec![e.to_string()],
        (None, _) => Vec::new(),
    }
}

/// The error's code, service segment tag and element, as UCI and UCM end (0085, 0013, S011).
fn error_details(error: &SyntaxError) -> Vec<Vec<String>> {
    let tag = error.tag.clone().map(|t| vec![t]).unwrap_or_default();
    vec![one(error.code.code()), tag, element_of(error)]
}

/// The UCI segment: the interchange (0020, S002 sender, S003 recipient), the action 0083 (7
/// accepted, 4 rejected), then `more` (0085 error, 0013 service segment, S011 element).
fn uci(header: &Header, action: &str, more: Vec<Vec<String>>) -> (&'static str, Vec<Vec<String>>) {
    let mut elements = vec![
        one(&header.reference),
        one(&header.sender),
        one(&header.recipient),
        one(action),
    ];
    elements.extend(more);
    ("UCI", elements)
}

/// The UCM segment: the message reference 0062, its identifier S009 (type, version, release,
/// agency), the action 0083, then `more` as in UCI.
fn ucm(location: &Location<'_>, more: Vec<Vec<String>>) -> (&'static str, Vec<Vec<String>>) {
    let identifier = location
        .message_type
        .split(':')
        .map(str::to_owned)
        .collect();
    let mut elements = vec![one(location.message_reference), identifier, one("4")];
    elements.extend(more);
    ("UCM", elements)
}

type Body = Vec<(&'static str, Vec<Vec<String>>)>;

/// The segments reporting an error inside a message: UCM, and for an error in a segment of the
/// body, UCS (position from the UNH, error) and UCD (error, element). An error in the UNH or
/// UNT itself is the message's: UCM carries it, as ISO 9735-5 lays out.
fn in_message(body: &mut Body, error: &SyntaxError, location: &Location<'_>) {
    let code = error.code.code();
    let service = matches!(error.tag.as_deref(), Some("UNH" | "UNT"));
    if service {
        body.push(ucm(location, error_details(error)));
        return;
    }
    body.push(ucm(location, Vec::new()));
    let within = error.segment.saturating_sub(location.unh_position) + 1;
    body.push(("UCS", vec![one(&within.to_string()), one(code)]));
    if error.element.is_some() {
        body.push(("UCD", vec![one(code), element_of(error)]));
    }
}

/// A CONTRL interchange acknowledging `header`'s interchange: accepted when `error` is `None`.
pub fn acknowledge(
    header: &Header,
    error: Option<(&SyntaxError, Option<Location<'_>>)>,
    by: &Acknowledger<'_>,
) -> String {
    let mut writer = reply_writer(header, by);
    let mut body = Vec::new();
    match error {
        None => body.push(uci(header, "7", Vec::new())),
        // The interchange is rejected because of an error inside one message.
        Some((error, Some(location))) => {
            body.push(uci(header, "4", Vec::new()));
            in_message(&mut body, error, &location);
        }
        Some((error, None)) => body.push(uci(header, "4", error_details(error))),
    }
    writer.message("1", &["CONTRL", "D", "3", "UN"], &body);
    writer.finish()
}
