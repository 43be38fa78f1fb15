//! Integration tests of tamga-federation (one binary).

mod inbox;
