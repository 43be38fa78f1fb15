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

/// The message an error occurred in, when it did: reference and type.
#[derive(Debug, Clone)]
pub struct Location<'a> {
    pub message_reference: &'a str,
    pub message_type: &'a str,
}

/// A CONTRL interchange acknowledging `header`'s interchange: accepted when `error` is `None`.
pub fn acknowledge(
    header: &Header,
    error: Option<(&SyntaxError, Option<Location<'_>>)>,
    by: &Acknowledger<'_>,
) -> String {
    let d = Delimiters::version_3();
    let envelope = Envelope {
        syntax: "UNOC",
        version: "3",
        sender: by.identity,
        recipient: &header.sender,
        date: by.date,
        time: by.time,
        reference: by.reference,
    };
    let mut writer = InterchangeWriter::new(d, &envelope);
    let mut body = Vec::new();
    let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    match error {
        None => body.push((
            "UCI",
            vec![
                owned(&[&header.reference]),
                owned(&[&header.sender]),
                owned(&[&header.recipient]),
                owned(&["7"]),
            ],
        )),
        Some((error, location)) => {
            let code = error.code.code();
            match location {
                // The interchange is rejected because of an error inside one message.
                Some(location) => {
                    body.push((
                        "UCI",
                        vec![
                            owned(&[&header.reference]),
                            owned(&[&header.sender]),
                            owned(&[&header.recipient]),
                            owned(&["4"]),
                        ],
                    ));
                    body.push((
                        "UCM",
                        vec![
                            owned(&[location.message_reference]),
                            owned(&[location.message_type]),
                            owned(&["4"]),
                            owned(&[code]),
                        ],
                    ));
                    body.push(("UCS", vec![vec![error.segment.to_string()], owned(&[code])]));
                    if let Some(element) = error.element {
                        let position = vec![
                            element.to_string(),
                            error.component.map(|c| c.to_string()).unwrap_or_default(),
                        ];
                        body.push(("UCD", vec![owned(&[code]), position]));
                    }
                }
                None => {
                    let tag = error.tag.clone().unwrap_or_default();
                    let element = error.element.map(|e| e.to_string()).unwrap_or_default();
                    body.push((
                        "UCI",
                        vec![
                            owned(&[&header.reference]),
                            owned(&[&header.sender]),
                            owned(&[&header.recipient]),
                            owned(&["4"]),
                            owned(&[code]),
                            vec![tag],
                            vec![error.segment.to_string()],
                            vec![element],
                        ],
                    ));
                }
            }
        }
    }
    writer.message("1", &["CONTRL", "D", "3", "UN"], &body);
    writer.finish()
}
