//! One goods item as the model sees it, and the reader of the KCS declarations layout.
//!
//! A [`Row`] has the KCS columns below, then four fields only tamga's own declarations have
//! (`commodity`, `procedure`, `aeo` and `unit_value_ratio`, empty in KCS rows); the
//! [`Layout`](crate::features::Layout) a model was trained on says which of them it uses.
//! `tamga_risk::model` builds rows from tamga declarations.
//!
//! The Korea Customs Service synthetic declarations (`kcs-declarations`, see
//! `data/kcs/README.md`) have one row per goods item. [`read_kcs`] maps each column to a field
//! of [`Row`], which carries tamga's meaning:
//!
//! | KCS column                    | `Row` field        | tamga meaning                                   |
//! |-------------------------------|--------------------|-------------------------------------------------|
//! | Declaration ID                | `id`               | declaration reference (not a feature)           |
//! | Date                          | `date`             | date of acceptance                              |
//! | Office ID                     | `office`           | customs office of lodgement                     |
//! | Process Type                  | `process_type`     | declaration process (paperless, ...)            |
//! | Import Type                   | `import_type`      | import type code                                |
//! | Import Use                    | `import_use`       | intended use of the goods                       |
//! | Payment Type                  | `payment_type`     | duty payment method                             |
//! | Mode of Transport             | `transport_mode`   | mode of transport at the border                 |
//! | Declarant ID                  | `declarant`        | declarant (customs broker) party id             |
//! | Importer ID                   | `importer`         | importer (consignee) party id                   |
//! | Seller ID                     | `seller`           | seller (consignor) party id                     |
//! | Courier ID                    | `courier`          | express carrier party id                        |
//! | HS6 Code                      | `hs6`              | first six digits of the commodity code          |
//! | Country of Departure          | `departure`        | country of dispatch                             |
//! | Country of Origin             | `origin`           | country of origin                               |
//! | Tax Rate                      | `tax_rate`         | duty rate applied, in percent                   |
//! | Tax Type                      | `tax_type`         | duty regime (preference, FTA rate, ...)         |
//! | Country of Origin Indicator   | `origin_indicator` | how origin is marked                            |
//! | Net Mass                      | `net_mass`         | net mass in kg                                  |
//! | Item Price                    | `item_price`       | customs value of the item (KRW)                 |
//! | Fraud                         | `fraud`            | inspection outcome label (`None` if absent)     |
//! | Critical Fraud                | (ignored)          |                                                 |
//!
//! Columns are found by header name, so their order does not matter and extra columns are
//! ignored. An empty categorical cell is `None`; numbers and the date must be present.
//! Numbers are `f64` on purpose: they only feed model features, never duty arithmetic.

use std::io::Read;

use time::{macros::format_description, Date};

/// One goods item of a declaration, with the fields the model uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub date: Date,
    pub office: Option<String>,
    pub process_type: Option<String>,
    pub import_type: Option<String>,
    pub import_use: Option<String>,
    pub payment_type: Option<String>,
    pub transport_mode: Option<String>,
    pub declarant: Option<String>,
    pub importer: Option<String>,
    pub seller: Option<String>,
    pub courier: Option<String>,
    pub hs6: Option<String>,
    pub departure: Option<String>,
    pub origin: Option<String>,
    /// Duty rate in percent (8.0 means 8 %).
    pub tax_rate: f64,
    pub tax_type: Option<String>,
    pub origin_indicator: Option<String>,
    /// Net mass in kg.
    pub net_mass: f64,
    /// Customs value of the item.
    pub item_price: f64,
    /// Whether inspection found fraud; `None` for unlabelled rows.
    pub fraud: Option<bool>,
    /// The full commodity code (tamga's ten digits; KCS rows have the HS6 only).
    pub commodity: Option<String>,
    /// The customs procedure code (four digits).
    pub procedure: Option<String>,
    /// Whether the declarant or the importer holds AEO status; `None` when unknown.
    pub aeo: Option<bool>,
    /// The unit value over the valuation reference's median for its HS6 and origin; `None`
    /// when there is no reference.
    pub unit_value_ratio: Option<f64>,
}

impl Row {
    /// The duty base the revenue proxy counts: item price × tax rate / 100.
    pub fn duty(&self) -> f64 {
        self.item_price * self.tax_rate / 100.0
    }
}

/// Why a KCS file could not be read. Lines count from 1, the header being line 1.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("line {line}: {source}")]
    Csv { line: u64, source: csv::Error },
    #[error("the header has no column {column:?}")]
    MissingColumn { column: &'static str },
    #[error("line {line}, column {column:?}: {value:?} is not {expected}")]
    BadValue {
        line: u64,
        column: &'static str,
        value: String,
        expected: &'static str,
    },
}

/// Reads a KCS declarations CSV (header line first) into rows.
pub fn read_kcs(reader: impl Read) -> Result<Vec<Row>, ReadError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|source| ReadError::Csv { line: 1, source })?
        .clone();
    let columns = Columns::locate(&headers)?;
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|source| {
            let line = source.position().map_or(0, |p| p.line());
            ReadError::Csv { line, source }
        })?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push(columns.row(&Record {
            record: &record,
            line,
        })?);
    }
    Ok(rows)
}

/// Where each column of the layout sits in the file.
struct Columns {
    at: Vec<Option<usize>>,
}

const NAMES: [&str; 21] = [
    "Declaration ID",
    "Date",
    "Office ID",
    "Process Type",
    "Import Type",
    "Import Use",
    "Payment Type",
    "Mode of Transport",
    "Declarant ID",
    "Importer ID",
    "Seller ID",
    "Courier ID",
    "HS6 Code",
    "Country of Departure",
    "Country of Origin",
    "Tax Rate",
    "Tax Type",
    "Country of Origin Indicator",
    "Net Mass",
    "Item Price",
    "Fraud",
];

/// The only column that may be absent: unlabelled files have no outcome.
const OPTIONAL: &str = "Fraud";

impl Columns {
    fn locate(headers: &csv::StringRecord) -> Result<Self, ReadError> {
        let mut at = Vec::with_capacity(NAMES.len());
        for column in NAMES {
            let found = headers.iter().position(|h| h.trim() == column);
            if found.is_none() && column != OPTIONAL {
                return Err(ReadError::MissingColumn { column });
            }
            at.push(found);
        }
        Ok(Self { at })
    }

    fn cell<'r>(&self, record: &Record<'r>, column: usize) -> (&'static str, &'r str) {
        let name = NAMES.get(column).copied().unwrap_or("");
        let value = self
            .at
            .get(column)
            .copied()
            .flatten()
            .and_then(|i| record.record.get(i));
        (name, value.unwrap_or("").trim())
    }

    fn text(&self, record: &Record<'_>, column: usize) -> Option<String> {
        let (_, value) = self.cell(record, column);
        (!value.is_empty()).then(|| value.to_owned())
    }

    fn number(&self, record: &Record<'_>, column: usize) -> Result<f64, ReadError> {
        let (name, value) = self.cell(record, column);
        value
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| record.bad(name, value, "a number"))
    }

    fn date(&self, record: &Record<'_>) -> Result<Date, ReadError> {
        let (name, value) = self.cell(record, 1);
        Date::parse(value, format_description!("[year]-[month]-[day]"))
            .map_err(|_| record.bad(name, value, "a date (YYYY-MM-DD)"))
    }

    fn fraud(&self, record: &Record<'_>) -> Result<Option<bool>, ReadError> {
        let (name, value) = self.cell(record, 20);
        match value {
            "" => Ok(None),
            "0" => Ok(Some(false)),
            "1" => Ok(Some(true)),
            _ => Err(record.bad(name, value, "0 or 1")),
        }
    }

    fn row(&self, r: &Record<'_>) -> Result<Row, ReadError> {
        Ok(Row {
            id: self.text(r, 0).unwrap_or_default(),
            date: self.date(r)?,
            office: self.text(r, 2),
            process_type: self.text(r, 3),
            import_type: self.text(r, 4),
            import_use: self.text(r, 5),
            payment_type: self.text(r, 6),
            transport_mode: self.text(r, 7),
            declarant: self.text(r, 8),
            importer: self.text(r, 9),
            seller: self.text(r, 10),
            courier: self.text(r, 11),
            hs6: self.text(r, 12),
            departure: self.text(r, 13),
            origin: self.text(r, 14),
            tax_rate: self.number(r, 15)?,
            tax_type: self.text(r, 16),
            origin_indicator: self.text(r, 17),
            net_mass: self.number(r, 18)?,
            item_price: self.number(r, 19)?,
            fraud: self.fraud(r)?,
            commodity: None,
            procedure: None,
            aeo: None,
            unit_value_ratio: None,
        })
    }
}

struct Record<'r> {
    record: &'r csv::StringRecord,
    line: u64,
}

impl Record<'_> {
    fn bad(&self, column: &'static str, value: &str, expected: &'static str) -> ReadError {
        ReadError::BadValue {
            line: self.line,
            column,
            value: value.to_owned(),
            expected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "Declaration ID,Date,Office ID,Process Type,Import Type,Import Use,Payment Type,Mode of Transport,Declarant ID,Importer ID,Seller ID,Courier ID,HS6 Code,Country of Departure,Country of Origin,Tax Rate,Tax Type,Country of Origin Indicator,Net Mass,Item Price,Fraud,Critical Fraud\n";

    #[test]
    fn reads_a_row() {
        let text = format!("{HEAD}97061800,2020-01-01,30,B,11,21,11,10,ZZR1LT6,QLRUBN9,0VKY2BR,,440890,BE,BE,0.0,FEU1,G,108.0,372254.4,1,2\n");
        let rows = read_kcs(text.as_bytes()).unwrap();
        let row = &rows[0];
        assert_eq!(row.hs6.as_deref(), Some("440890"));
        assert_eq!(row.courier, None);
        assert_eq!(row.fraud, Some(true));
        assert_eq!(row.date.to_string(), "2020-01-01");
    }

    #[test]
    fn names_line_and_column() {
        let text =
            format!("{HEAD}1,2020-01-01,30,B,11,21,11,10,A,B,C,,440890,BE,BE,x,FEU1,G,1,1,0,0\n");
        let err = read_kcs(text.as_bytes()).unwrap_err().to_string();
        assert_eq!(err, "line 2, column \"Tax Rate\": \"x\" is not a number");
    }

    #[test]
    fn refuses_missing_column() {
        let err = read_kcs("Date,Office ID\n".as_bytes()).unwrap_err();
        assert!(matches!(
            err,
            ReadError::MissingColumn {
                column: "Declaration ID"
            }
        ));
    }
}
