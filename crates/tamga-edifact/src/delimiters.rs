//! Service characters and the `UNA` service string advice.

use crate::error::{SyntaxError, SyntaxErrorCode};

/// The characters that structure an interchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiters {
    /// Separates components of a composite (default `:`).
    pub component: char,
    /// Separates data elements (default `+`).
    pub element: char,
    /// Decimal mark (default `.`); only carried, never used to split.
    pub decimal: char,
    /// Makes the next character literal (default `?`); `None` when the UNA says space.
    pub release: Option<char>,
    /// Separates repetitions of an element (version 4, default `*`); `None` in version 3.
    pub repetition: Option<char>,
    /// Ends a segment (default `'`).
    pub segment: char,
}

impl Default for Delimiters {
    /// The defaults of syntax version 4 for UNOA/UNOB: `:+.? '` with `*` for repetitions
    /// unless a UNA or version 3 says otherwise.
    fn default() -> Self {
        Self::version_3()
    }
}

impl Delimiters {
    /// The level A defaults without repetition: `UNA:+.? '`.
    pub fn version_3() -> Self {
        Self {
            component: ':',
            element: '+',
            decimal: '.',
            release: Some('?'),
            repetition: None,
            segment: '\'',
        }
    }

    /// The version 4 defaults: as version 3, with `*` separating repetitions.
    pub fn version_4() -> Self {
        Self {
            repetition: Some('*'),
            ..Self::version_3()
        }
    }

    /// Reads a `UNA` service string advice at the start of `text`; returns the delimiters and
    /// the rest of the text, or `None` when there is no UNA.
    pub fn from_una(text: &str) -> Result<Option<(Delimiters, &str)>, SyntaxError> {
        let Some(rest) = text.strip_prefix("UNA") else {
            return Ok(None);
        };
        let chars: Vec<char> = rest.chars().take(6).collect();
        let [component, element, decimal, release, repetition, segment] = chars[..] else {
            return Err(SyntaxError::new(
                SyntaxErrorCode::InvalidServiceSegment,
                1,
                "UNA needs six service characters",
            ));
        };
        let optional = |c: char| (c != ' ').then_some(c);
        let delimiters = Delimiters {
            component,
            element,
            decimal,
            release: optional(release),
            repetition: optional(repetition),
            segment,
        };
        delimiters.check()?;
        let used: usize = chars.iter().map(|c| c.len_utf8()).sum();
        Ok(Some((delimiters, rest.get(used..).unwrap_or(""))))
    }

    /// Service characters must differ from one another and from letters and digits.
    fn check(&self) -> Result<(), SyntaxError> {
        let mut service = vec![self.component, self.element, self.segment];
        service.extend(self.release);
        service.extend(self.repetition);
        for (i, c) in service.iter().enumerate() {
            let repeated = service.iter().skip(i + 1).any(|d| d == c);
            if repeated || c.is_ascii_alphanumeric() || !c.is_ascii() {
                return Err(SyntaxError::new(
                    SyntaxErrorCode::InvalidServiceCharacter,
                    1,
                    format!("UNA service character {c:?} is repeated, alphanumeric or not ASCII"),
                ));
            }
        }
        Ok(())
    }

    /// Is `c` one of the characters a value must escape?
    pub fn is_special(&self, c: char) -> bool {
        c == self.component
            || c == self.element
            || c == self.segment
            || Some(c) == self.release
            || Some(c) == self.repetition
    }

    /// The `UNA` segment that announces these delimiters.
    pub fn una(&self) -> String {
        format!(
            "UNA{}{}{}{}{}{}",
            self.component,
            self.element,
            self.decimal,
            self.release.unwrap_or(' '),
            self.repetition.unwrap_or(' '),
            self.segment
        )
    }
}
