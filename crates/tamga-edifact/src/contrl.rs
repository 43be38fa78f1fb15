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

/// The message an error occurred in, when it did: reference, type, and the interchange
/// position of its UNH (UCS counts segments from the UNH, which is 1).
#[derive(Debug, Clone)]
pub struct Location<'a> {
    pub message_reference: &'a str,
    pub message_type: &'a str,
    pub unh_position: usize,
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

/// The UCI segment: the interchange, and the action (7 accepted, 4 rejected), then `more`.
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
            let code = error.code.code();
            body.push(uci(header, "4", Vec::new()));
            let message = vec![
                one(location.message_reference),
                one(location.message_type),
                one("4"),
                one(code),
            ];
            body.push(("UCM", message));
            let within = error.segment.saturating_sub(location.unh_position) + 1;
            body.push(("UCS", vec![one(&within.to_string()), one(code)]));
            if let Some(element) = error.element {
                let position = vec![
                    element.to_string(),
                    error.component.map(|c| c.to_string()).unwrap_or_default(),
                ];
                body.push(("UCD", vec![one(code), position]));
            }
        }
        Some((error, None)) => {
            let tag = error.tag.clone().unwrap_or_default();
            let element = error.element.map(|e| e.to_string()).unwrap_or_default();
            let more = vec![
                one(error.code.code()),
                vec![tag],
                one(&error.segment.to_string()),
                vec![element],
            ];
            body.push(uci(header, "4", more));
        }
    }
    writer.message("1", &["CONTRL", "D", "3", "UN"], &body);
    writer.finish()
}
