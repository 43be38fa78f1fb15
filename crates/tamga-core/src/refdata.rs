//! Reference data compiled into the binary from `data/` (see `data/*/SOURCE.txt` for origins
//! and licenses): the HS 2022 and HS 2017 nomenclatures with the UN correlation between them,
//! ISO 3166 countries, ISO 4217 currencies and the UN/LOCODEs of Central Asia that serve as the
//! initial customs offices.
//!
//! Chapter 99 ("commodities not specified according to kind") is a UN Comtrade reporting code,
//! not part of the HS, and is left out.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::{Date, Month, UtcOffset};
use utoipa::ToSchema;

const HS2022: &str = include_str!("../../../data/hs/hs2022.csv");
const HS2017: &str = include_str!("../../../data/hs/hs2017.csv");
const HS_CORRELATION: &str = include_str!("../../../data/hs/hs2022_hs2017_correlation.csv");
const COUNTRIES: &str = include_str!("../../../data/iso/country-codes.csv");
const CURRENCIES: &str = include_str!("../../../data/iso/currency-codes.csv");
const LOCODES: &str = include_str!("../../../data/locode/unlocode_central_asia.csv");

/// An HS edition, named by the year it entered into force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum HsEditionYear {
    #[serde(rename = "HS2017")]
    Hs2017,
    #[serde(rename = "HS2022")]
    Hs2022,
}

impl HsEditionYear {
    /// The edition in force on `date`: HS 2022 from 1 January 2022, HS 2017 before. Dates
    /// before 1 January 2017 have no edition here.
    pub fn in_force_on(date: Date) -> Option<Self> {
        if date >= first_of_january(2022) {
            Some(Self::Hs2022)
        } else if date >= first_of_january(2017) {
            Some(Self::Hs2017)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Hs2017 => "HS 2017",
            Self::Hs2022 => "HS 2022",
        }
    }
}

/// The civil time offset of the offices of `country`: UTC+6 in Kyrgyzstan, UTC+5 in Uzbekistan,
/// Kazakhstan (one zone since 2024), Tajikistan and Turkmenistan, and for anything else.
pub fn office_utc_offset(country: &str) -> UtcOffset {
    let hours = if country == "KG" { 6 } else { 5 };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

fn first_of_january(year: i32) -> Date {
    Date::from_calendar_date(year, Month::January, 1).unwrap_or(Date::MIN)
}

/// One line of the nomenclature: a chapter (2 digits), heading (4) or subheading (6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct HsEntry {
    pub code: String,
    pub description: String,
    /// Chapter code for headings, heading code for subheadings; absent for chapters.
    pub parent: Option<String>,
    /// HS section, in Roman numerals.
    pub section: String,
}

impl HsEntry {
    /// 2 for chapters, 4 for headings, 6 for subheadings.
    pub fn level(&self) -> usize {
        self.code.len()
    }
}

/// One edition of the nomenclature.
#[derive(Debug, Default)]
pub struct HsNomenclature {
    entries: BTreeMap<String, HsEntry>,
    /// Lower-cased descriptions, in the order of `entries`, for text search.
    search_index: Vec<(String, String)>,
}

impl HsNomenclature {
    fn parse(text: &str) -> Self {
        let mut entries = BTreeMap::new();
        for row in csv_rows(text) {
            let (Some(section), Some(code), Some(description), Some(parent)) =
                (row.get(0), row.get(1), row.get(2), row.get(3))
            else {
                continue;
            };
            if code.starts_with("99") || !matches!(code.len(), 2 | 4 | 6) {
                continue;
            }
            let parent = (parent != "TOTAL").then(|| parent.to_owned());
            let entry = HsEntry {
                code: code.to_owned(),
                description: description.to_owned(),
                parent,
                section: section.to_owned(),
            };
            entries.insert(code.to_owned(), entry);
        }
        let search_index = entries
            .values()
            .map(|e| (e.description.to_lowercase(), e.code.clone()))
            .collect();
        Self {
            entries,
            search_index,
        }
    }

    pub fn get(&self, code: &str) -> Option<&HsEntry> {
        self.entries.get(code)
    }

    /// Is `hs6` a subheading, the leaf level of the international nomenclature?
    pub fn is_subheading(&self, hs6: &str) -> bool {
        hs6.len() == 6 && self.entries.contains_key(hs6)
    }

    pub fn subheadings(&self) -> impl Iterator<Item = &HsEntry> {
        self.entries.values().filter(|e| e.level() == 6)
    }

    /// Entries directly below `code`.
    pub fn children(&self, code: &str) -> Vec<&HsEntry> {
        self.entries
            .range(code.to_owned()..)
            .take_while(|(k, _)| k.starts_with(code))
            .map(|(_, e)| e)
            .filter(|e| e.parent.as_deref() == Some(code))
            .collect()
    }

    /// Entries whose description contains every word of `query` (case-insensitive), or whose
    /// code starts with `query` when it is all digits; subheadings first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<&HsEntry> {
        let query = query.trim().to_lowercase();
        if !query.is_empty() && query.bytes().all(|b| b.is_ascii_digit()) {
            return self
                .entries
                .range(query.clone()..)
                .take_while(|(k, _)| k.starts_with(&query))
                .map(|(_, e)| e)
                .take(limit)
                .collect();
        }
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<&HsEntry> = self
            .search_index
            .iter()
            .filter(|(text, _)| words.iter().all(|w| text.contains(w)))
            .filter_map(|(_, code)| self.entries.get(code))
            .collect();
        // An entry whose own text names the goods comes before one that names them only in
        // an exception ("..., excluding fillets"), then subheadings before headings.
        hits.sort_by_key(|e| {
            let description = e.description.to_lowercase();
            let own = own_text(&description);
            let own = words.iter().all(|w| own.contains(w));
            (!own, std::cmp::Reverse(e.level()), e.code.clone())
        });
        hits.truncate(limit);
        hits
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Words that open the exceptions of a description: what follows them is not what the entry
/// covers.
const EXCEPTIONS: [&str; 5] = [
    "excluding",
    "other than",
    "except",
    "not including",
    "excl.",
];

/// The part of a lower-case description before its first exception.
fn own_text(description: &str) -> &str {
    let end = EXCEPTIONS
        .iter()
        .filter_map(|e| description.find(e))
        .min()
        .unwrap_or(description.len());
    description.get(..end).unwrap_or(description)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Country {
    pub code: String,
    pub name: String,
    pub name_ru: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Currency {
    pub code: String,
    pub name: String,
    /// Digits after the decimal point of the minor unit; absent for units such as gold.
    pub minor_unit: Option<u8>,
}

/// A customs office: a UN/LOCODE location in Central Asia.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Office {
    pub code: String,
    pub name: String,
    pub country: String,
    /// UN/LOCODE function string: 1 port, 2 rail, 3 road, 4 airport, 5 postal, 6 ICD, B border crossing.
    pub function: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Keyed lookups over a set of reference rows.
#[derive(Debug)]
pub struct Table<T> {
    rows: BTreeMap<String, T>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
        }
    }
}

impl<T> Table<T> {
    pub fn get(&self, code: &str) -> Option<&T> {
        self.rows.get(code)
    }

    pub fn contains(&self, code: &str) -> bool {
        self.rows.contains_key(code)
    }

    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.rows.values()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// All the reference data tamga validates against.
#[derive(Debug, Default)]
pub struct ReferenceData {
    pub hs2022: HsNomenclature,
    pub hs2017: HsNomenclature,
    /// HS 2017 subheading -> the HS 2022 subheadings it corresponds to (UN correlation table).
    pub hs2017_to_2022: HashMap<String, Vec<String>>,
    pub countries: Table<Country>,
    pub currencies: Table<Currency>,
    pub offices: Table<Office>,
}

impl ReferenceData {
    /// The data compiled into this binary, parsed once on first use.
    pub fn embedded() -> &'static ReferenceData {
        static DATA: OnceLock<ReferenceData> = OnceLock::new();
        DATA.get_or_init(Self::parse_embedded)
    }

    fn parse_embedded() -> Self {
        Self {
            hs2022: HsNomenclature::parse(HS2022),
            hs2017: HsNomenclature::parse(HS2017),
            hs2017_to_2022: parse_correlation(HS_CORRELATION),
            countries: parse_countries(COUNTRIES),
            currencies: parse_currencies(CURRENCIES),
            offices: parse_offices(LOCODES),
        }
    }

    pub fn nomenclature(&self, edition: HsEditionYear) -> &HsNomenclature {
        match edition {
            HsEditionYear::Hs2017 => &self.hs2017,
            HsEditionYear::Hs2022 => &self.hs2022,
        }
    }
}

/// Data rows of a CSV text (header skipped, byte-order mark tolerated). Rows that fail to parse
/// are dropped; the tests check that every shipped file parses whole.
fn csv_rows(text: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .filter_map(Result::ok)
}

fn header_index(text: &str, name: &str) -> Option<usize> {
    let first = text.trim_start_matches('\u{feff}').lines().next()?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(first.as_bytes());
    let header = reader.records().next()?.ok()?;
    header.iter().position(|h| h == name)
}

fn parse_correlation(text: &str) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for row in csv_rows(text) {
        if let (Some(hs2022), Some(hs2017)) = (row.get(0), row.get(1)) {
            map.entry(hs2017.trim().to_owned())
                .or_default()
                .push(hs2022.trim().to_owned());
        }
    }
    map
}

fn parse_countries(text: &str) -> Table<Country> {
    let col = |name| header_index(text, name);
    let (Some(code), Some(name), Some(name_ru)) = (
        col("ISO3166-1-Alpha-2"),
        col("CLDR display name"),
        col("UNTERM Russian Short"),
    ) else {
        return Table::default();
    };
    let rows = csv_rows(text)
        .filter_map(|row| {
            let country = Country {
                code: row.get(code)?.trim().to_owned(),
                name: row.get(name)?.to_owned(),
                name_ru: row.get(name_ru)?.to_owned(),
            };
            (country.code.len() == 2).then(|| (country.code.clone(), country))
        })
        .collect();
    Table { rows }
}

fn parse_currencies(text: &str) -> Table<Currency> {
    let rows = csv_rows(text)
        .filter_map(|row| {
            let (name, code, minor, withdrawn) =
                (row.get(1)?, row.get(2)?, row.get(4)?, row.get(5)?);
            if code.len() != 3 || !withdrawn.trim().is_empty() {
                return None;
            }
            let currency = Currency {
                code: code.to_owned(),
                name: name.to_owned(),
                minor_unit: minor.parse().ok(),
            };
            Some((currency.code.clone(), currency))
        })
        .collect();
    Table { rows }
}

fn parse_offices(text: &str) -> Table<Office> {
    let rows = csv_rows(text)
        .filter_map(|row| {
            let (country, place) = (row.get(0)?, row.get(1)?);
            let office = Office {
                code: format!("{country}{place}"),
                name: row.get(3)?.to_owned(),
                country: country.to_owned(),
                function: row.get(6)?.to_owned(),
                latitude: row.get(8).and_then(|v| v.parse().ok()),
                longitude: row.get(9).and_then(|v| v.parse().ok()),
            };
            Some((office.code.clone(), office))
        })
        .collect();
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_file_parses_whole() {
        let data = ReferenceData::embedded();
        assert_eq!(data.hs2022.subheadings().count(), 5612);
        assert_eq!(data.hs2017.subheadings().count(), 5387);
        assert_eq!(data.countries.len(), 249);
        assert_eq!(data.offices.len(), 195);
        assert!(data.currencies.get("UZS").is_some());
        assert_eq!(
            data.currencies.get("UZS").and_then(|c| c.minor_unit),
            Some(2)
        );
        assert_eq!(
            data.countries.get("UZ").map(|c| c.name_ru.as_str()),
            Some("Узбекистан")
        );
    }

    #[test]
    fn search_ranks_entries_whose_own_text_matches_before_their_exceptions() {
        let hs = &ReferenceData::embedded().hs2022;
        for (query, heading, excepted) in [
            ("fish fillets", "0304", "0302"),
            ("fish fillets", "0304", "0303"),
            ("Fish Fillets", "0304", "0303"),
        ] {
            let hits = hs.search(query, 500);
            let at = |code: &str| hits.iter().position(|e| e.code == code);
            let (Some(own), Some(other)) = (at(heading), at(excepted)) else {
                panic!("{query}: {heading} and {excepted} should both be found in {hits:?}");
            };
            assert!(
                own < other,
                "{query}: {heading} at {own}, {excepted} at {other}"
            );
            // Every entry naming the goods in its own text precedes those that only except them.
            let own_flags: Vec<bool> = hits
                .iter()
                .map(|e| {
                    let text = e.description.to_lowercase();
                    query
                        .to_lowercase()
                        .split_whitespace()
                        .all(|w| own_text(&text).contains(w))
                })
                .collect();
            assert!(own_flags.windows(2).all(|w| w[0] || !w[1]), "{query}");
        }
        assert_eq!(own_text("fish, excluding fish fillets"), "fish, ");
        assert_eq!(own_text("fish fillets"), "fish fillets");
    }

    #[test]
    fn search_finds_words_and_code_prefixes() {
        let hs = &ReferenceData::embedded().hs2022;
        let hits = hs.search("unmanned aircraft", 50);
        assert!(hits.iter().any(|e| e.code.starts_with("8806")), "{hits:?}");
        let by_code = hs.search("8471", 100);
        assert!(by_code.iter().all(|e| e.code.starts_with("8471")));
        assert!(by_code.len() > 5);
    }

    #[test]
    fn edition_in_force() {
        let date = |y, m, d| Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap();
        assert_eq!(
            HsEditionYear::in_force_on(date(2021, 12, 31)),
            Some(HsEditionYear::Hs2017)
        );
        assert_eq!(
            HsEditionYear::in_force_on(date(2022, 1, 1)),
            Some(HsEditionYear::Hs2022)
        );
        assert_eq!(HsEditionYear::in_force_on(date(2016, 12, 31)), None);
    }
}
