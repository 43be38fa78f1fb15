//! The CSV forms of a tariff and of exchange rates (`tamga import tariff|rates`).
//!
//! Tariff: one row per line, measure, country group or non-MFN list; `#` starts a comment.
//!
//! ```text
//! kind,code,origins,expression,document,valid_from,valid_to,description
//! line,8471300000,,,,,,"Portable computers, up to 10 kg"
//! group,CIS-FTA,RU BY KZ KG TJ AM MD,,,,,CIS free trade area
//! no-mfn,,XX YY,,,,,Countries without most-favoured-nation treatment
//! third-country-duty,8471,*,5 %,,2022-01-01,,
//! preference,84,group:CIS-FTA,0 %,CST1,2022-01-01,,
//! vat,84,*,12 %,,2023-01-01,,
//! restriction,9303,*,,L093,2020-01-01,,Firearms need a licence
//! ```
//!
//! `origins` is `*` (any), a country code, or `group:NAME`. Dates are YYYY-MM-DD; an empty
//! `valid_to` means open-ended. Rates: `currency,valid_from,rate` (national units per unit).

use std::str::FromStr;

use rust_decimal::Decimal;
use time::Date;

use super::expr::DutyExpression;
use super::measure::{Measure, MeasureKind, Origins, Tariff, TariffLine};
use super::rates::ExchangeRates;
use crate::dates::parse_date;

/// The largest exchange rate accepted (national units per unit of a foreign currency).
pub const MAX_RATE: i64 = 10_000_000;

/// A refused row: its line number in the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct RowError {
    pub line: u64,
    pub problem: String,
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
}

/// Parses a whole tariff; every bad row is reported.
pub fn parse_tariff(text: &str) -> Result<Tariff, Vec<RowError>> {
    let mut tariff = Tariff::default();
    let mut errors = Vec::new();
    for record in reader(text).records() {
        let result = record
            .map_err(|e| RowError {
                line: e.position().map_or(0, csv::Position::line),
                problem: e.to_string(),
            })
            .and_then(|row| tariff_row(&mut tariff, &row));
        if let Err(e) = result {
            errors.push(e);
        }
    }
    errors.extend(unknown_groups(&tariff));
    if errors.is_empty() {
        Ok(tariff)
    } else {
        Err(errors)
    }
}

/// Measures that name a group the file does not define.
fn unknown_groups(tariff: &Tariff) -> Vec<RowError> {
    let mut missing: Vec<String> = tariff
        .measures()
        .filter_map(|m| match &m.origins {
            Origins::Group(g) if !tariff.groups.contains_key(g) => Some(g.clone()),
            _ => None,
        })
        .collect();
    missing.sort();
    missing.dedup();
    missing
        .into_iter()
        .map(|g| RowError {
            line: 0,
            problem: format!("measures name the country group {g:?}, which no group row defines"),
        })
        .collect()
}

fn tariff_row(tariff: &mut Tariff, row: &csv::StringRecord) -> Result<(), RowError> {
    let line = row.position().map_or(0, csv::Position::line);
    let fail = |problem: String| RowError { line, problem };
    let field = |i: usize| row.get(i).unwrap_or("");
    let (kind, code, origins) = (field(0), field(1), field(2));
    match kind {
        "line" => {
            digits(code, 10, 10).map_err(fail)?;
            let line = TariffLine {
                code: code.to_owned(),
                description: field(7).to_owned(),
            };
            tariff.lines.insert(line.code.clone(), line);
        }
        "group" if !code.is_empty() => {
            tariff
                .groups
                .insert(code.to_owned(), countries(origins).map_err(fail)?);
        }
        "no-mfn" => tariff.without_mfn.extend(countries(origins).map_err(fail)?),
        other => {
            let kind =
                MeasureKind::parse(other).ok_or_else(|| fail(format!("unknown kind {other:?}")))?;
            tariff.add_measure(measure(kind, row).map_err(fail)?);
        }
    }
    Ok(())
}

fn measure(kind: MeasureKind, row: &csv::StringRecord) -> Result<Measure, String> {
    let field = |i: usize| row.get(i).unwrap_or("");
    let code = field(1);
    digits(code, 2, 10)?;
    let expression = match (field(3), kind) {
        ("", MeasureKind::Restriction) => None,
        ("", _) => {
            return Err(format!(
                "a {} measure needs a duty expression",
                kind.as_str()
            ))
        }
        (text, _) => Some(DutyExpression::parse(text).map_err(|e| e.to_string())?),
    };
    let document = Some(field(4)).filter(|d| !d.is_empty()).map(str::to_owned);
    if kind == MeasureKind::Restriction && document.is_none() {
        return Err("a restriction needs the code of the licence document".into());
    }
    let valid_from = date(field(5), "valid_from")?;
    let valid_to = match field(6) {
        "" => None,
        raw => Some(date(raw, "valid_to")?),
    };
    if valid_to.is_some_and(|to| to < valid_from) {
        return Err("valid_to is before valid_from".into());
    }
    Ok(Measure {
        code: code.to_owned(),
        kind,
        origins: origins(field(2))?,
        expression,
        document,
        valid_from,
        valid_to,
    })
}

fn digits(code: &str, min: usize, max: usize) -> Result<(), String> {
    if (min..=max).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("code {code:?} must be {min} to {max} digits"))
    }
}

fn date(raw: &str, name: &str) -> Result<Date, String> {
    parse_date(raw).map_err(|_| format!("{name} {raw:?} is not a date YYYY-MM-DD"))
}

fn origins(raw: &str) -> Result<Origins, String> {
    match raw {
        "*" => Ok(Origins::Any),
        _ if raw.starts_with("group:") => {
            Ok(Origins::Group(raw.trim_start_matches("group:").to_owned()))
        }
        _ if raw.len() == 2 && raw.bytes().all(|b| b.is_ascii_uppercase()) => {
            Ok(Origins::Country(raw.to_owned()))
        }
        _ => Err(format!(
            "origins {raw:?} must be *, a country code or group:NAME"
        )),
    }
}

fn countries(raw: &str) -> Result<Vec<String>, String> {
    raw.split_whitespace()
        .map(|c| {
            let ok = c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase());
            ok.then(|| c.to_owned())
                .ok_or_else(|| format!("{c:?} is not a country code"))
        })
        .collect()
}

/// Parses exchange rates into `national` units; every bad row is reported.
pub fn parse_rates(text: &str, national: &str) -> Result<ExchangeRates, Vec<RowError>> {
    let mut rates = ExchangeRates::new(national);
    for (currency, from, rate) in parse_rate_rows(text)? {
        rates.insert(&currency, from, rate);
    }
    Ok(rates)
}

/// The rows of a rates file: (currency, valid from, rate); every bad row is reported.
pub fn parse_rate_rows(text: &str) -> Result<Vec<(String, Date, Decimal)>, Vec<RowError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader(text).records() {
        let row = match record {
            Ok(row) => row,
            Err(e) => {
                errors.push(RowError {
                    line: e.position().map_or(0, csv::Position::line),
                    problem: e.to_string(),
                });
                continue;
            }
        };
        match rate_row(&row) {
            Ok(parsed) => rows.push(parsed),
            Err(problem) => errors.push(RowError {
                line: row.position().map_or(0, csv::Position::line),
                problem,
            }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn rate_row(row: &csv::StringRecord) -> Result<(String, Date, Decimal), String> {
    let field = |i: usize| row.get(i).unwrap_or("");
    let currency = field(0);
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("{currency:?} is not a currency code"));
    }
    let from = date(field(1), "valid_from")?;
    let rate =
        Decimal::from_str(field(2)).map_err(|_| format!("rate {:?} is not a decimal", field(2)))?;
    if rate <= Decimal::ZERO || rate > Decimal::from(MAX_RATE) {
        return Err(format!("a rate must be positive and at most {MAX_RATE}"));
    }
    Ok((currency.to_owned(), from, rate))
}
