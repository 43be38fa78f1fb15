//! Integration tests of the targeting engine: one binary, one module per concern.

mod engine;
mod fixture;
mod lang;
mod model;
mod revenue;
mod semantics;
