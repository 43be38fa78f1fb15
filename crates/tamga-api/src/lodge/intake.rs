//! Intake: a submission's bytes, in one of the formats tamga reads, become drafts. One
//! [`Unit`] per declaration the submission carries; a message that is not a declaration is a
//! unit refused with its reason, so every answer accounts for every message.

use tamga_core::draft::DeclarationDraft;
use tamga_core::FieldError;
use tamga_edifact::interchange::Interchange;

use super::MAX_BATCH;

/// The formats a declaration may be lodged in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// UN/EDIFACT CUSDEC interchanges.
    Edifact,
    /// WCO DM 3.6 DEC-DMS.
    Xml,
}

impl Format {
    /// The format a request's content type names; anything else is read as JSON.
    pub fn of_content_type(content_type: &str) -> Format {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "application/edifact" => Format::Edifact,
            "application/xml" | "text/xml" => Format::Xml,
            _ => Format::Json,
        }
    }

    /// The format of a file, from its first character (`None`: none of them).
    pub fn sniff(text: &str) -> Option<Format> {
        match text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next()
        {
            Some('{') => Some(Format::Json),
            Some('U') => Some(Format::Edifact),
            Some('<') => Some(Format::Xml),
            _ => None,
        }
    }

    /// The content type tamga answers and expects for this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Edifact => "application/edifact",
            Format::Xml => "application/xml",
        }
    }
}

/// One declaration of a submission: its reference within the submission (the message
/// reference, or its position), its LRN as sent, and its draft or why it has none.
#[derive(Debug, Clone)]
pub struct Unit {
    pub reference: String,
    pub lrn: String,
    pub draft: Result<DeclarationDraft, Vec<FieldError>>,
}

impl Unit {
    fn of(reference: String, draft: DeclarationDraft) -> Unit {
        Unit {
            reference,
            lrn: draft.lrn.clone().unwrap_or_default(),
            draft: Ok(draft),
        }
    }
}

/// A submission refused whole, before any declaration in it was looked at.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("the body is not a JSON declaration: {0}")]
    Json(String),
    #[error("{0}")]
    Xml(tamga_wco::intake::DocumentError),
    #[error("the document holds no Declaration element")]
    NoDeclaration,
    #[error("{0} declarations in one submission; send at most {MAX_BATCH}")]
    TooMany(usize),
}

/// The text of an interchange, decoded by the character set its UNB declares.
pub fn edifact_text(bytes: &[u8]) -> Result<String, tamga_edifact::SyntaxError> {
    tamga_edifact::decode(bytes)
}

/// A JSON declaration.
pub fn json(text: &str) -> Result<Vec<Unit>, IntakeError> {
    let draft: DeclarationDraft =
        serde_json::from_str(text).map_err(|e| IntakeError::Json(e.to_string()))?;
    Ok(vec![Unit::of("declaration".into(), draft)])
}

/// Every message of an interchange that was read: CUSDECs mapped, others refused.
pub fn edifact(interchange: &Interchange<'_>) -> Result<Vec<Unit>, IntakeError> {
    super::check_batch_size(interchange.messages.len())?;
    Ok(interchange
        .messages
        .iter()
        .map(|message| {
            if message.kind() == Some("CUSDEC") {
                return Unit::of(
                    message.reference.clone(),
                    tamga_edifact::cusdec::to_draft(message),
                );
            }
            let kind = message.kind().unwrap_or("?");
            Unit {
                reference: message.reference.clone(),
                lrn: message.reference.clone(),
                draft: Err(vec![FieldError::new(
                    "/",
                    "message_not_supported",
                    format!("{kind} is not a declaration: send CUSDEC"),
                )]),
            }
        })
        .collect())
}

/// Every declaration of a WCO DM document, read from its bytes by the encoding it declares;
/// an amendment or another non-original declaration is a unit refused with its reason.
pub fn xml(bytes: &[u8]) -> Result<Vec<Unit>, IntakeError> {
    use tamga_wco::intake::Lodgement;
    let lodged = tamga_wco::intake::read(bytes).map_err(IntakeError::Xml)?;
    if lodged.is_empty() {
        return Err(IntakeError::NoDeclaration);
    }
    super::check_batch_size(lodged.len())?;
    Ok(lodged
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let reference = format!("declaration {}", i + 1);
            match l {
                Lodgement::Draft(d) => Unit::of(reference, *d),
                Lodgement::Refused { lrn, errors } => Unit {
                    reference,
                    lrn: lrn.unwrap_or_default(),
                    draft: Err(errors),
                },
            }
        })
        .collect())
}

/// The declarations of a file whose format is told by its first character (an upload, a
/// file given to `tamga ingest`), as the server's intake reads them.
pub fn read(bytes: &[u8]) -> Result<Vec<Unit>, String> {
    match Format::sniff(&String::from_utf8_lossy(bytes)) {
        Some(Format::Json) => {
            let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
            json(text).map_err(|e| e.to_string())
        }
        Some(Format::Edifact) => {
            let text = edifact_text(bytes).map_err(|e| format!("syntax: {e}"))?;
            match tamga_edifact::interchange::read(&text) {
                Ok(interchange) => edifact(&interchange).map_err(|e| e.to_string()),
                Err(e) => Err(format!("syntax: {e}")),
            }
        }
        Some(Format::Xml) => xml(bytes).map_err(|e| e.to_string()),
        None => Err("not JSON, EDIFACT or WCO DM XML".into()),
    }
}
