//! The real lists shipped in the repository, read once per test binary.

use std::sync::OnceLock;

use tamga_watchlist::{read_ofac_sdn, read_un_consolidated, Entry, Screener};

pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sanctions/");

pub fn read(path: &str) -> Vec<u8> {
    let full = format!("{DIR}{path}");
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

pub fn un() -> &'static [Entry] {
    static UN: OnceLock<Vec<Entry>> = OnceLock::new();
    UN.get_or_init(|| {
        let xml = String::from_utf8(read("un-sc-consolidated/consolidated.xml")).unwrap();
        read_un_consolidated(&xml).unwrap()
    })
}

pub fn ofac() -> &'static [Entry] {
    static OFAC: OnceLock<Vec<Entry>> = OnceLock::new();
    OFAC.get_or_init(|| read_ofac_sdn(&read("ofac-sdn/sdn.csv")).unwrap())
}

/// UN and OFAC together, as `tamga import watchlist` loads them.
pub fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| Screener::new(un().iter().chain(ofac()).cloned().collect()))
}

/// `(dataid, name)` of every row of the flat UN names file: primary names and aliases.
pub fn un_flat_names() -> Vec<(String, String)> {
    let text = read("un-sc-consolidated/un_consolidated_names_flat.csv");
    let mut reader = csv::Reader::from_reader(text.as_slice());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[6].to_owned())
        })
        .collect()
}

/// The 146 Norwegian company names, none of them sanctioned.
pub fn norwegian_companies() -> Vec<String> {
    let text = String::from_utf8(read("eu_test_queries_companies.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split_once(';').map(|(_, name)| name.to_owned()))
        .collect()
}
