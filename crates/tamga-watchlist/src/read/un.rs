//! The UN Security Council consolidated list (`consolidated.xml`, schema `sc-sanctions.xsd`).

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{non_empty, push_name, ReadError};
use crate::entry::{Entry, EntryKind};

/// Reads the UN consolidated list: one [`Entry`] per `INDIVIDUAL` and `ENTITY`.
///
/// An individual's primary name is `FIRST_NAME` to `FOURTH_NAME` joined; an entity's is its
/// `FIRST_NAME`. The non-empty `ALIAS_NAME`s follow, then `NAME_ORIGINAL_SCRIPT`. The id is
/// `UN:` and the `DATAID`; the reference is the `REFERENCE_NUMBER`; the country is the first
/// nationality, else the first address country.
pub fn read_un_consolidated(xml: &str) -> Result<Vec<Entry>, ReadError> {
    let mut reader = Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut record: Option<Record> = None;
    let mut entries = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| ReadError::Xml {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(start) => {
                let name = local_name(&start);
                if let Some(kind) = record_kind(&name) {
                    record = Some(Record::new(kind));
                }
                path.push(name);
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.unescape().map_err(|e| ReadError::Xml {
                position: reader.buffer_position(),
                message: e.to_string(),
            })?),
            Event::CData(c) => text.push_str(&String::from_utf8_lossy(&c)),
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                if let Some(r) = record.as_mut() {
                    r.set(path.last().map_or("", String::as_str), &name, &text);
                }
                if record_kind(&name).is_some() {
                    if let Some(r) = record.take() {
                        entries.push(r.finish(&name, reader.buffer_position())?);
                    }
                }
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    match path.last() {
        Some(open) => Err(ReadError::Xml {
            position: reader.buffer_position(),
            message: format!("document ends inside <{open}>"),
        }),
        None => Ok(entries),
    }
}

fn local_name(start: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

fn record_kind(element: &str) -> Option<EntryKind> {
    match element {
        "INDIVIDUAL" => Some(EntryKind::Individual),
        "ENTITY" => Some(EntryKind::Entity),
        _ => None,
    }
}

/// The fields of one record, gathered as its elements close.
#[derive(Debug)]
struct Record {
    kind: EntryKind,
    dataid: Option<String>,
    name_parts: [String; 4],
    aliases: Vec<String>,
    original_script: Vec<String>,
    reference: Option<String>,
    nationality: Option<String>,
    address_country: Option<String>,
    remarks: Option<String>,
}

impl Record {
    fn new(kind: EntryKind) -> Self {
        Record {
            kind,
            dataid: None,
            name_parts: Default::default(),
            aliases: Vec::new(),
            original_script: Vec::new(),
            reference: None,
            nationality: None,
            address_country: None,
            remarks: None,
        }
    }

    /// Takes the text of element `name`, a child of `parent`, when it is a field we keep.
    fn set(&mut self, parent: &str, name: &str, text: &str) {
        let first = |slot: &mut Option<String>| {
            if slot.is_none() {
                *slot = non_empty(text);
            }
        };
        match (parent, name) {
            (_, "DATAID") => first(&mut self.dataid),
            ("INDIVIDUAL" | "ENTITY", part) if name_part(part).is_some() => {
                if let Some(slot) = name_part(part).and_then(|i| self.name_parts.get_mut(i)) {
                    *slot = text.trim().to_owned();
                }
            }
            ("INDIVIDUAL_ALIAS" | "ENTITY_ALIAS", "ALIAS_NAME") => {
                self.aliases.extend(non_empty(text))
            }
            (_, "NAME_ORIGINAL_SCRIPT") => self.original_script.extend(non_empty(text)),
            (_, "REFERENCE_NUMBER") => first(&mut self.reference),
            (_, "COMMENTS1") => first(&mut self.remarks),
            ("NATIONALITY", "VALUE") => first(&mut self.nationality),
            ("INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS", "COUNTRY") => {
                first(&mut self.address_country)
            }
            _ => {}
        }
    }

    fn finish(self, element: &str, position: u64) -> Result<Entry, ReadError> {
        let at = || format!("{element} ending at byte {position}");
        let dataid = self
            .dataid
            .ok_or_else(|| ReadError::field(at(), "DATAID", "missing"))?;
        let mut names = Vec::new();
        push_name(&mut names, &self.name_parts.join(" "));
        if names.is_empty() {
            return Err(ReadError::field(
                at(),
                "FIRST_NAME",
                format!("record {dataid} has no name"),
            ));
        }
        for alias in self.aliases.iter().chain(&self.original_script) {
            push_name(&mut names, alias);
        }
        Ok(Entry {
            id: format!("UN:{dataid}"),
            source: "UN".to_owned(),
            kind: self.kind,
            names,
            reference: self.reference,
            country: self.nationality.or(self.address_country),
            remarks: self.remarks,
        })
    }
}

fn name_part(element: &str) -> Option<usize> {
    ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .position(|p| *p == element)
}
