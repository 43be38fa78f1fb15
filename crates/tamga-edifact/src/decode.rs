//! Interchange bytes → text, by the character set the UNB declares (never by guessing).
//!
//! The syntax identifier is read from the bytes themselves (after an optional UNA): UNOA and
//! UNOB are 7-bit, UNOC is ISO 8859-1 (every byte one character; only its graphic characters
//! belong to the repertoire), UNOY and UNOW are UTF-8. A byte outside the declared repertoire
//! is refused with syntax error 21 and its segment position; carriage returns and line feeds
//! between segments are tolerated, as the parser tolerates them.

use crate::charset::Charset;
use crate::error::{SyntaxError, SyntaxErrorCode};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where the service characters of the bytes are: the component and element separators, the
/// release character and the segment terminator.
#[derive(Debug, Clone, Copy)]
struct Service {
    component: u8,
    element: u8,
    release: Option<u8>,
    segment: u8,
    /// The bytes of the UNA (0 when there is none).
    una: usize,
}

impl Service {
    fn of(bytes: &[u8]) -> Service {
        match bytes {
            [b'U', b'N', b'A', component, element, _, release, _, segment, ..] => Service {
                component: *component,
                element: *element,
                release: (*release != b' ').then_some(*release),
                segment: *segment,
                una: 9,
            },
            _ => Service {
                component: b':',
                element: b'+',
                release: Some(b'?'),
                segment: b'\'',
                una: 0,
            },
        }
    }
}

/// Decodes an interchange by the syntax identifier of its UNB. A bare message without UNB
/// declares no character set, so it must be UTF-8 (of which ASCII is a part).
///
/// ```
/// let latin1 = b"UNB+UNOC:3+S+R+260101:1200+1'UNH+1+CUSDEC:D:96B:UN'FTX+AAA+++Caf\xE9'UNT+3+1'UNZ+1+1'";
/// let text = tamga_edifact::decode(latin1).unwrap();
/// assert!(text.contains("Café"));
/// let declared_ascii = b"UNB+UNOA:3+S+R+260101:1200+1'UNH+1+X:D:96B:UN'FTX+AAA+++\xE9'";
/// assert_eq!(tamga_edifact::decode(declared_ascii).unwrap_err().code.code(), "21");
/// ```
pub fn decode(bytes: &[u8]) -> Result<String, SyntaxError> {
    let (bytes, bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let service = Service::of(bytes);
    let Some(identifier) = syntax_identifier(bytes, service) else {
        return utf8(bytes, service, "no UNB declares a character set");
    };
    let Some(charset) = Charset::parse(&identifier) else {
        let message = format!(
            "syntax identifier {identifier} is not supported (UNOA, UNOB, UNOC, UNOY, UNOW)"
        );
        return Err(SyntaxError::new(
            SyntaxErrorCode::ValueNotSupported,
            unb_position(service),
            message,
        )
        .at("UNB", Some(1), Some(1)));
    };
    if bom && charset != Charset::Unoy {
        let message = format!("a UTF-8 byte order mark opens an interchange declared {identifier}");
        return Err(SyntaxError::new(
            SyntaxErrorCode::InvalidCharacter,
            1,
            message,
        ));
    }
    match charset {
        Charset::Unoy => utf8(bytes, service, &format!("the UNB declares {identifier}")),
        Charset::Unoa | Charset::Unob => single_byte(bytes, service, &identifier, |b| b < 0x80),
        Charset::Unoc => single_byte(bytes, service, &identifier, |b| !(0x7F..0xA0).contains(&b)),
    }
}

/// The UNB segment's position: 2 after a UNA, else 1.
fn unb_position(service: Service) -> usize {
    if service.una > 0 {
        2
    } else {
        1
    }
}

/// The first component of the UNB's first element, when the bytes open with a UNB.
fn syntax_identifier(bytes: &[u8], service: Service) -> Option<String> {
    let rest = bytes.get(service.una..)?;
    let start = rest.iter().position(|b| !matches!(b, b'\r' | b'\n'))?;
    let unb = rest.get(start..)?.strip_prefix(b"UNB")?;
    let unb = unb.strip_prefix(&[service.element])?;
    let end = unb
        .iter()
        .position(|b| [service.component, service.element, service.segment].contains(b))
        .unwrap_or(unb.len());
    let identifier = unb.get(..end)?;
    Some(identifier.iter().map(|b| char::from(*b)).collect())
}

/// UTF-8 text, refused at the first byte that does not decode.
fn utf8(bytes: &[u8], service: Service, why: &str) -> Result<String, SyntaxError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let offset = e.valid_up_to();
            let byte = bytes.get(offset).copied().unwrap_or_default();
            let message = format!("byte 0x{byte:02X} at offset {offset} is not UTF-8 ({why})");
            Err(refusal(bytes, service, offset, message))
        }
    }
}

/// Single-byte text: every byte one character (ISO 8859-1 maps byte n to U+00nn), each byte
/// either in `repertoire` or a printable ASCII character, a carriage return or a line feed.
fn single_byte(
    bytes: &[u8],
    service: Service,
    identifier: &str,
    repertoire: impl Fn(u8) -> bool,
) -> Result<String, SyntaxError> {
    let allowed = |b: u8| matches!(b, b'\r' | b'\n') || (b >= 0x20 && repertoire(b));
    if let Some(offset) = bytes.iter().position(|b| !allowed(*b)) {
        let byte = bytes.get(offset).copied().unwrap_or_default();
        let message =
            format!("byte 0x{byte:02X} at offset {offset} is not in the {identifier} repertoire");
        return Err(refusal(bytes, service, offset, message));
    }
    Ok(bytes.iter().map(|b| char::from(*b)).collect())
}

/// Syntax error 21 at the segment holding byte `offset`.
fn refusal(bytes: &[u8], service: Service, offset: usize, message: String) -> SyntaxError {
    let (position, start) = segment_at(bytes, service, offset);
    let error = SyntaxError::new(SyntaxErrorCode::InvalidCharacter, position, message);
    match tag_at(bytes, start) {
        Some(tag) => error.at(&tag, None, None),
        None => error,
    }
}

/// The 1-based position of the segment holding byte `offset` (the UNA counts as one), and the
/// offset where that segment begins. Released terminators do not end a segment.
fn segment_at(bytes: &[u8], service: Service, offset: usize) -> (usize, usize) {
    if offset < service.una {
        return (1, 0);
    }
    let (mut position, mut start) = (unb_position(service), service.una);
    let mut released = false;
    let before = bytes.get(service.una..offset).unwrap_or_default();
    for (i, b) in before.iter().enumerate() {
        if released {
            released = false;
        } else if Some(*b) == service.release {
            released = true;
        } else if *b == service.segment {
            position += 1;
            start = service.una + i + 1;
        }
    }
    (position, start)
}

/// The three-letter tag of the segment that begins at `start`, past line breaks.
fn tag_at(bytes: &[u8], start: usize) -> Option<String> {
    let rest = bytes.get(start..)?;
    let skip = rest.iter().position(|b| !matches!(b, b'\r' | b'\n'))?;
    let tag = rest.get(skip..skip + 3)?;
    tag.iter()
        .all(u8::is_ascii_uppercase)
        .then(|| tag.iter().map(|b| char::from(*b)).collect())
}
