//! Serde helpers for calendar dates written as `YYYY-MM-DD`.

use time::{format_description::BorrowedFormatItem, macros::format_description, Date};

pub const ISO_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// Parses `YYYY-MM-DD`.
pub fn parse_date(raw: &str) -> Result<Date, time::error::Parse> {
    Date::parse(raw, ISO_DATE)
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    date.format(ISO_DATE).unwrap_or_default()
}

/// `#[serde(with = "tamga_core::dates::iso")]` for `Date` fields.
pub mod iso {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let raw = String::deserialize(d)?;
        super::parse_date(&raw).map_err(serde::de::Error::custom)
    }
}
