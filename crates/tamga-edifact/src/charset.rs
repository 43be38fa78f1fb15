//! The syntax identifiers (character repertoires) of the UNB segment.

/// A character repertoire of ISO 9735.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// Level A: capital letters, digits, space and `. , - ( ) / = ' + : ? ! " % & * ; < >`.
    Unoa,
    /// Level B: level A plus lower-case letters and `@ [ ] { } \ | ~ _ # $ ^ `` '`.
    Unob,
    /// ISO 8859-1 (Latin-1).
    Unoc,
    /// ISO 10646 (any Unicode).
    Unoy,
}

impl Charset {
    /// The repertoire named by a syntax identifier such as `UNOA`.
    pub fn parse(id: &str) -> Option<Charset> {
        match id {
            "UNOA" => Some(Charset::Unoa),
            "UNOB" => Some(Charset::Unob),
            "UNOC" => Some(Charset::Unoc),
            "UNOY" | "UNOW" => Some(Charset::Unoy),
            _ => None,
        }
    }

    /// May `c` appear in a value?
    pub fn allows(self, c: char) -> bool {
        const LEVEL_A: &str = " .,-()/='+:?!\"%&*;<>";
        const LEVEL_B: &str = "@[]{}\\|~_#$^`";
        match self {
            Charset::Unoa => c.is_ascii_uppercase() || c.is_ascii_digit() || LEVEL_A.contains(c),
            Charset::Unob => {
                c.is_ascii_alphanumeric() || LEVEL_A.contains(c) || LEVEL_B.contains(c)
            }
            Charset::Unoc => (c as u32) <= 0xFF && !c.is_control(),
            Charset::Unoy => !c.is_control(),
        }
    }
}

/// Decodes interchange bytes by guessing: UTF-8 when valid, else ISO 8859-1 (each byte one
/// character). It misreads a UNOC interchange whose bytes happen to be valid UTF-8; intake
/// should use [`crate::decode()`], which follows the character set the UNB declares.
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|b| char::from(*b)).collect()),
    }
}
