//! Declarations lodged as UN/EDIFACT interchanges (`Content-Type: application/edifact`),
//! answered in kind: a syntax error gets a CONTRL rejecting the interchange (400); otherwise
//! every CUSDEC goes through the one lodgement pipeline ([`crate::lodge`]), and a
//! CUSRES interchange answers each one: 201 when all were accepted anew, 200 when all were
//! accepted (some earlier), 422 when any was not.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use tamga_edifact::contrl::{self, Acknowledger};
use tamga_edifact::cusres::{self, Verdict};
use tamga_edifact::interchange::{self, Header};
use tamga_store::User;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::error::ApiError;
use crate::lodge::Lodger;

const YYMMDD: &[BorrowedFormatItem<'static>] =
    format_description!("[year repr:last_two][month][day]");
const HHMM: &[BorrowedFormatItem<'static>] = format_description!("[hour][minute]");

/// tamga's identity as an interchange partner.
pub const IDENTITY: &str = "UZCUSTOMS";

/// The date, time and reference tamga's answers carry.
pub(crate) struct Stamp {
    date: String,
    time: String,
    reference: String,
}

impl Stamp {
    pub(crate) fn now() -> Stamp {
        let now = tamga_store::sql::now();
        Stamp {
            date: now.format(YYMMDD).unwrap_or_default(),
            time: now.format(HHMM).unwrap_or_default(),
            reference: format!(
                "{:014}",
                now.unix_timestamp_nanos() / 1_000_000 % 100_000_000_000_000
            ),
        }
    }

    pub(crate) fn by(&self) -> Acknowledger<'_> {
        Acknowledger {
            identity: IDENTITY,
            date: &self.date,
            time: &self.time,
            reference: &self.reference,
        }
    }
}

/// The interchange's text, decoded by the character set its UNB declares, or the CONTRL that
/// rejects it (400): a byte outside the declared repertoire, or an unknown syntax identifier.
pub(crate) fn decode_or_refuse(bytes: &[u8], stamp: &Stamp) -> Result<String, Box<Response>> {
    crate::lodge::intake::edifact_text(bytes).map_err(|error| {
        tracing::info!(%error, "EDIFACT interchange refused: character set");
        let header = header_of(&String::from_utf8_lossy(bytes));
        let body = contrl::acknowledge(&header, Some((&error, None)), &stamp.by());
        Box::new(edifact(StatusCode::BAD_REQUEST, body))
    })
}

/// Reads an interchange, or answers with the CONTRL that rejects it (400).
pub(crate) fn read_or_refuse<'a>(
    text: &'a str,
    stamp: &Stamp,
) -> Result<interchange::Interchange<'a>, Box<Response>> {
    interchange::read(text).map_err(|error| {
        tracing::info!(%error, "EDIFACT interchange refused");
        let at = contrl::locate(text, error.segment);
        let location = at.as_ref().map(contrl::MessageAt::location);
        let body = contrl::acknowledge(&header_of(text), Some((&error, location)), &stamp.by());
        Box::new(edifact(StatusCode::BAD_REQUEST, body))
    })
}

/// The interchange's header, or what can be read of its UNB.
pub(crate) fn header(read: &interchange::Interchange<'_>, text: &str) -> Header {
    read.header.clone().unwrap_or_else(|| header_of(text))
}

pub(crate) async fn lodge_interchange(
    lodger: &Lodger,
    user: &User,
    bytes: &[u8],
) -> Result<Response, ApiError> {
    let stamp = Stamp::now();
    let text = match decode_or_refuse(bytes, &stamp) {
        Ok(text) => text,
        Err(refusal) => return Ok(*refusal),
    };
    let text = text.as_str();
    let read = match read_or_refuse(text, &stamp) {
        Ok(read) => read,
        Err(refusal) => return Ok(*refusal),
    };
    let units = crate::lodge::intake::edifact(&read)?;
    let verdicts = lodger.lodge_all(user, &units).await?;
    let answers: Vec<(String, Verdict)> = units
        .iter()
        .zip(&verdicts)
        .map(|(unit, verdict)| (unit.lrn.clone(), cusres_verdict(verdict)))
        .collect();
    Ok(edifact(
        crate::lodge::batch_status(&verdicts),
        cusres::respond(&header(&read, text), &answers, &stamp.by()),
    ))
}

/// A verdict as CUSRES says it.
pub(crate) fn cusres_verdict(verdict: &crate::lodge::Verdict) -> Verdict {
    use crate::lodge::Verdict as V;
    match verdict {
        V::Accepted(record) | V::Resubmitted(record) => Verdict::Accepted {
            mrn: record.mrn.clone(),
            status: record.status.as_str().to_owned(),
            channel: record.channel.clone(),
        },
        V::Valid | V::WouldResubmit { .. } => Verdict::Accepted {
            mrn: String::new(),
            status: "valid".to_owned(),
            channel: None,
        },
        refused => Verdict::Rejected {
            errors: refused.problems(),
        },
    }
}

pub(crate) fn edifact(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/edifact")],
        body,
    )
        .into_response()
}

/// The sender and reference of an interchange too broken to read whole: from its UNB, if any.
fn header_of(text: &str) -> Header {
    let (delimiters, rest) = tamga_edifact::Delimiters::from_una(text)
        .ok()
        .flatten()
        .unwrap_or((tamga_edifact::Delimiters::version_3(), text));
    let unb = tamga_edifact::parse(
        rest.split_inclusive(delimiters.segment)
            .next()
            .unwrap_or(""),
        &delimiters,
        1,
    )
    .ok()
    .and_then(|mut s| (!s.is_empty()).then(|| s.remove(0)))
    .filter(|s| s.tag == "UNB");
    let value = |e: usize, c: usize| {
        unb.as_ref()
            .and_then(|s| s.nonempty(e, c))
            .unwrap_or("UNKNOWN")
            .to_owned()
    };
    Header {
        syntax: value(0, 0),
        version: value(0, 1),
        sender: value(1, 0),
        recipient: value(2, 0),
        date: value(3, 0),
        time: value(3, 1),
        reference: value(4, 0),
    }
}
