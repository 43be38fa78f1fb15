//! Readers for the UN consolidated list (XML), the OFAC SDN list (CSV) and analysts' own CSV
//! lists. They take the text or bytes; reading the file is the caller's business.

mod list;
mod ofac;
mod un;

pub use list::{read_csv_list, LIST_HEADER};
pub use ofac::read_ofac_sdn;
pub use un::read_un_consolidated;

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
