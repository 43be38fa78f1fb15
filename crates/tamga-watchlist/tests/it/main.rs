//! Integration tests of tamga-watchlist, one binary (see CONVENTIONS.md): readers on the real
//! UN and OFAC lists in `data/sanctions`, transliteration, similarity, recall and false
//! positives, and properties.

mod data;
mod eval;
mod lists;
mod matching;
mod props;
mod quality;
mod variants;
