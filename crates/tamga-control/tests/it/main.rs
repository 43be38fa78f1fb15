//! Integration tests of the control domain: one binary, one module per concern.

mod allocation;
mod duty;
mod finding;
mod fixture;
mod release;
mod sample;
mod seizure;
mod task;
