//! Small formatting helpers the templates call.

use time::OffsetDateTime;

/// A value templates pass by value or by reference, as askama's expressions give it.
pub trait Plain<T> {
    fn plain(&self) -> T;
}

macro_rules! plain {
    ($t:ty) => {
        impl Plain<$t> for $t {
            fn plain(&self) -> $t {
                *self
            }
        }
        impl Plain<$t> for &$t {
            fn plain(&self) -> $t {
                **self
            }
        }
        impl Plain<$t> for &&$t {
            fn plain(&self) -> $t {
                ***self
            }
        }
    };
}

plain!(OffsetDateTime);
plain!(f64);
plain!(time::Date);

/// A day as ISO 8601 writes it: `2026-11-30`.
pub fn date(day: impl Plain<time::Date>) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    day.plain().format(&format).unwrap_or_default()
}

/// A UTC time to the minute, as officers read it: `2026-11-30 14:05 UTC`.
pub fn time(at: impl Plain<OffsetDateTime>) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    at.plain()
        .to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// A value as its JSON text without quotes: an enum's wire name (`red`, `physical_examination`).
pub fn json(value: impl serde::Serialize) -> String {
    match serde_json::to_value(&value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// A score between 0 and 1 with two decimals.
pub fn score(value: impl Plain<f64>) -> String {
    format!("{:.2}", value.plain())
}
