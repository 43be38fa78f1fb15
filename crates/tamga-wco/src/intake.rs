//! A lodged WCO DM document, from its bytes: the encoding its XML declaration states, the
//! namespaces of its root and of its declarations, then each declaration either mapped to a
//! draft or refused before validation (amendments, invalidations and other requests; item
//! prices in several currencies where no `InvoiceAmount` gives the invoice).
//!
//! ```
//! use tamga_wco::intake::{read, Lodgement};
//! let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
//! <Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"><FunctionCode>9</FunctionCode>
//! <TypeCode>IMA</TypeCode><FunctionalReferenceID>LRN1</FunctionalReferenceID></Declaration>"#;
//! let lodged = read(xml).unwrap();
//! assert!(matches!(&lodged[0], Lodgement::Draft(d) if d.lrn.as_deref() == Some("LRN1")));
//! let wrong = br#"<Declaration xmlns="urn:wco:datamodel:WCO:DEC-DMS:3"/>"#;
//! assert_eq!(read(wrong).unwrap_err().code(), "namespace_mismatch");
//! ```

use tamga_core::draft::DeclarationDraft;
use tamga_core::FieldError;

use crate::xml::{self, Node, XmlError};

/// The namespace of a DEC-DMS `Declaration`.
pub const DEC_DMS: &str = "urn:wco:datamodel:WCO:DEC-DMS:2";
/// The namespace of the `MetaData` envelope around declarations.
pub const METADATA: &str = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2";

/// Why a whole document is refused before any declaration in it is read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The document is (or says it is) in an encoding tamga does not read.
    #[error("the document is encoded in {found}; send UTF-8 (ISO-8859-1 and US-ASCII are read when the XML declaration says so)")]
    Encoding { found: String },
    /// A byte that the encoding in force cannot hold.
    #[error("byte 0x{byte:02X} at byte {position} is not {encoding}")]
    Bytes {
        encoding: String,
        byte: u8,
        position: u64,
    },
    /// An element in the wrong namespace (or in none).
    #[error("{element} must be in namespace {expected}, found {found}")]
    Namespace {
        element: String,
        expected: String,
        found: String,
    },
    #[error(transparent)]
    Xml(#[from] XmlError),
}

impl DocumentError {
    /// The stable problem code.
    pub fn code(&self) -> &'static str {
        match self {
            DocumentError::Encoding { .. } => "encoding_not_supported",
            DocumentError::Bytes { .. } => "encoding_invalid",
            DocumentError::Namespace { .. } => "namespace_mismatch",
            DocumentError::Xml(_) => "xml_malformed",
        }
    }

    /// The problem as a field error at the document's root, for a notification or a problem
    /// document.
    pub fn to_field_error(&self) -> FieldError {
        FieldError::new("/", self.code(), self.to_string())
    }
}

/// One declaration of a document: a draft to validate, or refused as it stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Lodgement {
    /// Boxed: a draft is large beside a refusal.
    Draft(Box<DeclarationDraft>),
    Refused {
        /// The declarant's reference (`FunctionalReferenceID`), to answer under.
        lrn: Option<String>,
        errors: Vec<FieldError>,
    },
}

/// Reads a lodged document: checks its encoding and namespaces, then maps or refuses each
/// `Declaration` (a `MetaData` envelope may hold several).
pub fn read(bytes: &[u8]) -> Result<Vec<Lodgement>, DocumentError> {
    let text = crate::encoding::decode(bytes)?;
    let root = xml::parse(&text)?;
    Ok(declarations(&root)?.into_iter().map(lodgement).collect())
}

/// The drafts of a lodged document, refused declarations left out: for callers that only map.
pub fn drafts_from_bytes(bytes: &[u8]) -> Result<Vec<DeclarationDraft>, DocumentError> {
    let lodged = read(bytes)?;
    Ok(lodged
        .into_iter()
        .filter_map(|l| match l {
            Lodgement::Draft(d) => Some(*d),
            Lodgement::Refused { .. } => None,
        })
        .collect())
}

/// The declarations of a document whose root is a DEC-DMS `Declaration`, or a `MetaData`
/// envelope holding DEC-DMS declarations; anything else is refused by its namespace.
fn declarations(root: &Node) -> Result<Vec<&Node>, DocumentError> {
    match root.name.as_str() {
        "Declaration" => {
            expect(root, DEC_DMS)?;
            Ok(vec![root])
        }
        "MetaData" => {
            expect(root, METADATA)?;
            let found: Vec<&Node> = root.all("Declaration").collect();
            for declaration in &found {
                expect(declaration, DEC_DMS)?;
            }
            Ok(found)
        }
        other => Err(DocumentError::Namespace {
            element: "the root element".into(),
            expected: format!("{DEC_DMS} (Declaration) or {METADATA} (MetaData)"),
            found: format!("{other} in {}", described(&root.namespace)),
        }),
    }
}

fn described(namespace: &str) -> String {
    if namespace.is_empty() {
        "no namespace".into()
    } else {
        namespace.to_owned()
    }
}

fn expect(node: &Node, namespace: &str) -> Result<(), DocumentError> {
    if node.namespace == namespace {
        return Ok(());
    }
    Err(DocumentError::Namespace {
        element: node.name.clone(),
        expected: namespace.to_owned(),
        found: described(&node.namespace),
    })
}

/// A declaration mapped, or refused: as an amendment or request, or because its item prices
/// cannot make the invoice it leaves out.
fn lodgement(declaration: &Node) -> Lodgement {
    let errors = match crate::function::refusal(declaration) {
        Some(error) => vec![error],
        None => crate::invoice::mixed_currencies(declaration),
    };
    if errors.is_empty() {
        return Lodgement::Draft(Box::new(crate::dec::draft(declaration)));
    }
    Lodgement::Refused {
        lrn: declaration
            .text_at(&["FunctionalReferenceID"])
            .map(str::to_owned),
        errors,
    }
}
