//! The OFAC Specially Designated Nationals list, `sdn.csv`.
//!
//! No header, Latin-1, twelve columns: `ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
//! Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks`; `-0- ` stands for an empty field
//! and the file ends with a row holding only the EOF character (0x1A).

use csv::{ReaderBuilder, StringRecord};

use super::{non_empty, push_name, ReadError};
use crate::entry::{Entry, EntryKind};

const COLUMNS: usize = 12;
const NAME: usize = 1;
const TYPE: usize = 2;
const PROGRAM: usize = 3;
const FLAG: usize = 9;
const REMARKS: usize = 11;

/// Reads `sdn.csv` (Latin-1 bytes) into one [`Entry`] per row.
///
/// An individual's `LAST, First` becomes `First LAST`, which screens in either order since the
/// score ignores word order. Aliases come from the `a.k.a. 'X'` notes in the remarks. The id
/// is `OFAC:` and the `ent_num`; the reference is the programme; the country is a vessel's
/// flag.
pub fn read_ofac_sdn(bytes: &[u8]) -> Result<Vec<Entry>, ReadError> {
    // Latin-1 maps every byte to the code point of the same value.
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut entries = Vec::new();
    for result in reader.records() {
        let record = result.map_err(|e| ReadError::Csv {
            line: e.position().map_or(0, csv::Position::line),
            message: e.to_string(),
        })?;
        if is_eof_marker(&record) {
            continue;
        }
        entries.push(entry(&record)?);
    }
    Ok(entries)
}

fn is_eof_marker(record: &StringRecord) -> bool {
    record.len() == 1
        && record.get(0).is_some_and(|f| {
            f.trim_matches(|c: char| c == '\u{1a}' || c.is_whitespace())
                .is_empty()
        })
}

fn entry(record: &StringRecord) -> Result<Entry, ReadError> {
    let at = format!("line {}", record.position().map_or(0, csv::Position::line));
    if record.len() != COLUMNS {
        return Err(ReadError::field(
            at,
            "record",
            format!("{} fields, expected {COLUMNS}", record.len()),
        ));
    }
    let ent_num = field(record, 0).ok_or_else(|| ReadError::field(&at, "ent_num", "missing"))?;
    if !ent_num.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ReadError::field(
            &at,
            "ent_num",
            format!("{ent_num:?} is not a number"),
        ));
    }
    let raw_name =
        field(record, NAME).ok_or_else(|| ReadError::field(&at, "SDN_Name", "missing"))?;
    let kind = kind(field(record, TYPE).as_deref());
    let remarks = field(record, REMARKS);
    let mut names = Vec::new();
    push_name(&mut names, &display_name(&raw_name, kind));
    for alias in remarks.as_deref().map(akas).unwrap_or_default() {
        push_name(&mut names, &display_name(alias, kind));
    }
    Ok(Entry {
        id: format!("OFAC:{ent_num}"),
        source: "OFAC".to_owned(),
        kind,
        names,
        reference: field(record, PROGRAM),
        country: field(record, FLAG),
        remarks,
    })
}

/// A field's trimmed text; `None` when empty or `-0-`.
fn field(record: &StringRecord, index: usize) -> Option<String> {
    record.get(index).and_then(non_empty).filter(|v| v != "-0-")
}

fn kind(sdn_type: Option<&str>) -> EntryKind {
    match sdn_type {
        Some("individual") => EntryKind::Individual,
        Some("vessel") => EntryKind::Vessel,
        Some("aircraft") => EntryKind::Aircraft,
        _ => EntryKind::Entity,
    }
}

/// `LAST, First` → `First LAST` for individuals; other names as listed.
fn display_name(name: &str, kind: EntryKind) -> String {
    match (kind, name.split_once(',')) {
        (EntryKind::Individual, Some((last, first))) if !first.trim().is_empty() => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => name.trim().to_owned(),
    }
}

/// The names quoted after `a.k.a.` in the remarks: `a.k.a. 'BNC'.` gives `BNC`.
fn akas(remarks: &str) -> Vec<&str> {
    const MARK: &str = "a.k.a. '";
    let mut found = Vec::new();
    let mut rest = remarks;
    while let Some(start) = rest.find(MARK) {
        let after = rest.get(start + MARK.len()..).unwrap_or("");
        let end = closing_quote(after);
        found.extend(after.get(..end).filter(|a| !a.trim().is_empty()));
        rest = after.get(end..).unwrap_or("");
    }
    found
}

/// Position of the quote that closes an alias: one not followed by a letter, so that
/// `O'BRIEN` stays whole.
fn closing_quote(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' && !chars.peek().is_some_and(|(_, next)| next.is_alphabetic()) {
            return i;
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn akas_come_from_the_remarks() {
        let remarks = "DOB 1965; a.k.a. 'ROMANA, Edison'; a.k.a. 'ROMANA'; a.k.a. 'O'BRIEN'.";
        assert_eq!(akas(remarks), ["ROMANA, Edison", "ROMANA", "O'BRIEN"]);
        assert_eq!(akas("a.k.a. 'UNCLOSED"), ["UNCLOSED"]);
    }

    #[test]
    fn individuals_are_turned_round() {
        assert_eq!(
            display_name("ABBAS, Abu", EntryKind::Individual),
            "Abu ABBAS"
        );
        assert_eq!(
            display_name("ANGLO-CARIBBEAN CO., LTD.", EntryKind::Entity),
            "ANGLO-CARIBBEAN CO., LTD."
        );
    }
}
