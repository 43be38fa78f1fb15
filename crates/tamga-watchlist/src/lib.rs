//! Watchlists for tamga: screening parties, vessels, aircraft, containers and vehicles against
//! sanctions and analysts' lists.
//!
//! Names are compared after [`normalise`]: lowercased, Cyrillic transliterated
//! ([`translit`], Russian and Uzbek in both alphabets), diacritics and apostrophes dropped,
//! romanisation variants merged (`Хусанов`, `Xusanov`, `Khusanov`; `Hussein`, `Husayn`),
//! Arabic name particles joined ([`arabic`]: `Abdul Rahman`, `Abdurrahman`), legal forms
//! removed. The [`similarity`] of two names is a token-order independent score over the
//! similarity of their words ([`pair`]), which knows patronymics ([`patronymic`]) and the
//! fathers' names a query leaves out.
//! [`read`] loads the UN Security Council consolidated list (XML), the OFAC SDN list (CSV)
//! and analysts' CSV lists into [`Entry`] values, and a [`Screener`] compiled from them
//! answers queries with scored [`Hit`]s.
//!
//! ```
//! use tamga_watchlist::{read_csv_list, EntryKind, Screener, DEFAULT_THRESHOLD};
//!
//! let list = "id,kind,name,aliases,country,remarks\n\
//!             7,individual,Alisher Navoiy,Навоий Алишер,UZ,\n\
//!             8,container,MSKU 123456-7,,,\n";
//! let screener = Screener::build(&read_csv_list(list, "LOCAL")?);
//!
//! let hits = screener.screen("NAVOIY, Alisher", Some(EntryKind::Individual), DEFAULT_THRESHOLD);
//! assert_eq!(hits[0].entry_id, "LOCAL:7");
//! assert!(hits[0].score > 0.99);
//! assert_eq!(screener.screen_identifier("msku1234567")[0].entry_id, "LOCAL:8");
//! # Ok::<(), tamga_watchlist::ReadError>(())
//! ```
//!
//! Nothing here performs IO or panics; a hit is a value for an officer to judge, not an error.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod arabic;
pub mod entry;
mod hash;
pub mod legal;
pub mod normalise;
pub mod pair;
pub mod patronymic;
pub mod read;
pub mod screen;
pub mod similarity;
pub mod translit;

pub use entry::{Entry, EntryKind, UnknownKind};
pub use read::{read_csv_list, read_ofac_sdn, read_un_consolidated, read_watchlist, ReadError};
pub use screen::{Hit, Screener, DEFAULT_THRESHOLD};
pub use similarity::{jaro_winkler, name_similarity};
