//! Readers for the UN consolidated list (XML), the OFAC SDN list (CSV) and analysts' own CSV
//! lists. They take the text or bytes; reading the file is the caller's business.

mod list;
mod ofac;
mod un;

pub use list::{read_csv_list, LIST_HEADER};
pub use ofac::read_ofac_sdn;
pub use un::read_un_consolidated;

use crate::Entry;

/// The formats a watchlist file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The UN Security Council consolidated list (XML, UTF-8).
    Un,
    /// OFAC's SDN list (CSV, Latin-1).
    Ofac,
    /// An analysts' list (CSV, UTF-8, with `LIST_HEADER`).
    Csv,
}

impl Format {
    /// The name a list of this format is stored under when none is given (a CSV list is
    /// named after its file).
    pub fn default_name(self) -> Option<&'static str> {
        match self {
            Format::Un => Some("un-sc"),
            Format::Ofac => Some("ofac-sdn"),
            Format::Csv => None,
        }
    }
}

/// The entries of the watchlist `name` from a file's bytes in `format`, each entry's source
/// set to `name`. Text formats must be UTF-8; the error names the byte where it is not.
pub fn read_watchlist(format: Format, bytes: &[u8], name: &str) -> Result<Vec<Entry>, ReadError> {
    let text = || {
        std::str::from_utf8(bytes).map_err(|e| ReadError::Encoding {
            position: e.valid_up_to() as u64,
        })
    };
    let mut entries = match format {
        Format::Un => read_un_consolidated(text()?)?,
        Format::Ofac => read_ofac_sdn(bytes)?,
        Format::Csv => read_csv_list(text()?, name)?,
    };
    for entry in &mut entries {
        entry.source = name.to_owned();
    }
    Ok(entries)
}

/// Why a list could not be read. Every variant says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The XML is not well formed.
    #[error("XML at byte {position}: {message}")]
    Xml {
        /// Byte offset of the problem in the document.
        position: u64,
        /// What the XML parser said.
        message: String,
    },
    /// The CSV could not be split into records.
    #[error("CSV line {line}: {message}")]
    Csv {
        /// 1-based line where the broken record starts.
        line: u64,
        /// What the CSV parser said.
        message: String,
    },
    /// The text is not UTF-8.
    #[error("not UTF-8 at byte {position}")]
    Encoding {
        /// Byte offset of the first byte that is not UTF-8.
        position: u64,
    },
    /// A record is readable but a field is missing or wrong.
    #[error("{record}: field {field}: {problem}")]
    Field {
        /// Which record: `line 12`, `INDIVIDUAL ending at byte 5310`.
        record: String,
        /// The field's name in the source format.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

impl ReadError {
    pub(crate) fn field(
        record: impl Into<String>,
        field: &'static str,
        problem: impl Into<String>,
    ) -> Self {
        ReadError::Field {
            record: record.into(),
            field,
            problem: problem.into(),
        }
    }
}

/// Trims `value`; `None` when nothing is left.
pub(crate) fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Adds `name` (whitespace collapsed) to `names` unless it is empty or already there.
pub(crate) fn push_name(names: &mut Vec<String>, name: &str) {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if !name.is_empty() && !names.contains(&name) {
        names.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_watchlist_file_is_read_in_its_format_and_named() {
        let csv = "id,kind,name,aliases,country,remarks\nX-1,individual,Ali Valiyev,,UZ,\n";
        let entries = read_watchlist(Format::Csv, csv.as_bytes(), "ours").unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].source, "ours");
        let latin1 = b"id,kind,name,aliases,country,remarks\nX-1,individual,Jos\xe9,,ES,\n";
        assert_eq!(
            read_watchlist(Format::Csv, latin1, "ours"),
            Err(ReadError::Encoding { position: 55 })
        );
        assert!(read_watchlist(Format::Un, b"<not xml", "un-sc").is_err());
    }
}
