//! Syntax errors, coded as CONTRL reports them (UN/EDIFACT data element 0085).

use std::fmt;

/// Syntax error codes of ISO 9735 (data element 0085), the subset tamga detects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyntaxErrorCode {
    /// 12: invalid value.
    InvalidValue,
    /// 13: missing.
    Missing,
    /// 14: value not supported in this position.
    ValueNotSupported,
    /// 15: not supported in this position.
    NotSupportedInPosition,
    /// 16: too many constituents.
    TooManyConstituents,
    /// 18: unspecified error.
    Unspecified,
    /// 20: character invalid as service character.
    InvalidServiceCharacter,
    /// 21: invalid character(s).
    InvalidCharacter,
    /// 22: invalid service segment tag.
    InvalidServiceSegment,
    /// 28: references do not match.
    ReferencesDoNotMatch,
    /// 29: control count does not match number of instances received.
    ControlCountMismatch,
    /// 36: segment group or segment missing: here, an unterminated segment or message.
    SegmentMissing,
}

impl SyntaxErrorCode {
    /// The code as CONTRL writes it.
    pub fn code(self) -> &'static str {
        match self {
            SyntaxErrorCode::InvalidValue => "12",
            SyntaxErrorCode::Missing => "13",
            SyntaxErrorCode::ValueNotSupported => "14",
            SyntaxErrorCode::NotSupportedInPosition => "15",
            SyntaxErrorCode::TooManyConstituents => "16",
            SyntaxErrorCode::Unspecified => "18",
            SyntaxErrorCode::InvalidServiceCharacter => "20",
            SyntaxErrorCode::InvalidCharacter => "21",
            SyntaxErrorCode::InvalidServiceSegment => "22",
            SyntaxErrorCode::ReferencesDoNotMatch => "28",
            SyntaxErrorCode::ControlCountMismatch => "29",
            SyntaxErrorCode::SegmentMissing => "36",
        }
    }
}

/// What is wrong and where: the segment's position in the interchange (1-based, UNA and UNB
/// included), and when known its tag, the element (1-based after the tag) and the component.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct SyntaxError {
    pub code: SyntaxErrorCode,
    pub segment: usize,
    pub tag: Option<String>,
    pub element: Option<usize>,
    pub component: Option<usize>,
    pub message: String,
}

impl SyntaxError {
    pub fn new(code: SyntaxErrorCode, segment: usize, message: impl Into<String>) -> Self {
        Self {
            code,
            segment,
            tag: None,
            element: None,
            component: None,
            message: message.into(),
        }
    }

    pub fn at(mut self, tag: &str, element: Option<usize>, component: Option<usize>) -> Self {
        self.tag = Some(tag.to_owned());
        self.element = element;
        self.component = component;
        self
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "segment {}", self.segment)?;
        if let Some(tag) = &self.tag {
            write!(f, " ({tag})")?;
        }
        if let Some(element) = self.element {
            write!(f, ", element {element}")?;
        }
        if let Some(component) = self.component {
            write!(f, ", component {component}")?;
        }
        write!(f, ": {} [syntax error {}]", self.message, self.code.code())
    }
}
