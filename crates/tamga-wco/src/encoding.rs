//! Document bytes → text, by the encoding the XML declaration states (UTF-8 when it states
//! none, as XML 1.0 says). UTF-8, US-ASCII and ISO-8859-1 are read; UTF-16, UTF-32 and EBCDIC
//! (recognised by their first bytes, as XML 1.0 appendix F does) and any other encoding are
//! refused by name rather than read as if they were UTF-8.

use std::borrow::Cow;

use crate::intake::DocumentError;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Encodings told apart by the first bytes of a document (XML 1.0, appendix F).
const WIDE: [(&[u8], &str); 10] = [
    (b"\x00\x00\xFE\xFF", "UTF-32 (big-endian)"),
    (b"\xFF\xFE\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\x00\x3C", "UTF-32 (big-endian)"),
    (b"\x3C\x00\x00\x00", "UTF-32 (little-endian)"),
    (b"\xFE\xFF", "UTF-16 (big-endian)"),
    (b"\xFF\xFE", "UTF-16 (little-endian)"),
    (b"\x00\x3C\x00\x3F", "UTF-16 (big-endian)"),
    (b"\x3C\x00\x3F\x00", "UTF-16 (little-endian)"),
    (b"\x4C\x6F\xA7\x94", "EBCDIC"),
    (b"\x00\x3C", "UTF-16 (big-endian)"),
];

/// The text of a document, decoded as its XML declaration says.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DocumentError> {
    if let Some((_, family)) = WIDE.iter().find(|(start, _)| bytes.starts_with(start)) {
        return Err(DocumentError::Encoding {
            found: (*family).to_owned(),
        });
    }
    let (bytes, bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let declared = declared_encoding(bytes);
    let name = declared.as_deref().map(str::to_ascii_uppercase);
    match name.as_deref() {
        None | Some("UTF-8" | "UTF8") => utf8(bytes, BOM.len() * usize::from(bom)),
        Some("US-ASCII" | "ASCII") if !bom => ascii(bytes),
        Some("ISO-8859-1" | "ISO8859-1" | "ISO_8859-1" | "LATIN1" | "LATIN-1") if !bom => {
            Ok(Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect()))
        }
        _ if bom => Err(DocumentError::Encoding {
            found: format!(
                "{} after a UTF-8 byte order mark",
                declared.unwrap_or_default()
            ),
        }),
        _ => Err(DocumentError::Encoding {
            found: declared.unwrap_or_default(),
        }),
    }
}

/// The `encoding` pseudo-attribute of the XML declaration, when there is one.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let declaration = String::from_utf8_lossy(rest.get(..end)?).into_owned();
    let after = declaration.split_once("encoding")?.1.trim_start();
    let value = after.strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let inner = value.get(1..)?;
    inner.split_once(quote).map(|(v, _)| v.trim().to_owned())
}

fn utf8(bytes: &[u8], skipped: usize) -> Result<Cow<'_, str>, DocumentError> {
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| {
        let at = e.valid_up_to();
        DocumentError::Bytes {
            encoding: "UTF-8".into(),
            byte: bytes.get(at).copied().unwrap_or_default(),
            position: (at + skipped) as u64,
        }
    })
}

fn ascii(bytes: &[u8]) -> Result<Cow<'_, str>, DocumentError> {
    match bytes.iter().position(|b| !b.is_ascii()) {
        Some(at) => Err(DocumentError::Bytes {
            encoding: "US-ASCII".into(),
            byte: bytes.get(at).copied().unwrap_or_default(),
            position: at as u64,
        }),
        None => utf8(bytes, 0),
    }
}
