//! Analysts' own lists: CSV with the header `id,kind,name,aliases,country,remarks`.

use csv::{ReaderBuilder, StringRecord};

use super::{non_empty, push_name, ReadError};
use crate::entry::{Entry, EntryKind};

/// The header an analyst's list must start with.
pub const LIST_HEADER: [&str; 6] = ["id", "kind", "name", "aliases", "country", "remarks"];

/// Reads an analyst's list (UTF-8 CSV, header [`LIST_HEADER`]) whose entries get `source`.
///
/// `kind` is one of `individual`, `entity`, `vessel`, `aircraft`, `container`, `vehicle`;
/// `aliases` are separated by `;`. For containers and vehicles `name` and `aliases` are the
/// identifiers (container numbers, plates, VINs). Ids become `source:id`.
pub fn read_csv_list(text: &str, source: &str) -> Result<Vec<Entry>, ReadError> {
    let mut reader = ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(csv_error)?.clone();
    let found: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    if found != LIST_HEADER {
        return Err(ReadError::field(
            "line 1",
            "header",
            format!(
                "found {:?}, expected {:?}",
                found.join(","),
                LIST_HEADER.join(",")
            ),
        ));
    }
    let mut entries = Vec::new();
    for result in reader.records() {
        entries.push(entry(&result.map_err(csv_error)?, source)?);
    }
    Ok(entries)
}

fn csv_error(e: csv::Error) -> ReadError {
    ReadError::Csv {
        line: e.position().map_or(0, csv::Position::line),
        message: e.to_string(),
    }
}

fn entry(record: &StringRecord, source: &str) -> Result<Entry, ReadError> {
    let at = format!("line {}", record.position().map_or(0, csv::Position::line));
    let get = |i: usize| record.get(i).and_then(non_empty);
    let id = get(0).ok_or_else(|| ReadError::field(&at, "id", "missing"))?;
    let kind_text = get(1).ok_or_else(|| ReadError::field(&at, "kind", "missing"))?;
    let kind: EntryKind = kind_text
        .parse()
        .map_err(|e: crate::entry::UnknownKind| ReadError::field(&at, "kind", e.to_string()))?;
    let name = get(2).ok_or_else(|| ReadError::field(&at, "name", "missing"))?;
    let mut names = Vec::new();
    push_name(&mut names, &name);
    for alias in get(3).as_deref().unwrap_or("").split(';') {
        push_name(&mut names, alias);
    }
    Ok(Entry {
        id: format!("{source}:{id}"),
        source: source.to_owned(),
        kind,
        names,
        reference: None,
        country: get(4),
        remarks: get(5),
    })
}
