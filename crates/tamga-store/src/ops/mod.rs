//! The operations, each written once for both backends as an ordinary `async fn` over a
//! [`Conn`](crate::conn::Conn). A write runs inside a transaction its caller owns (the
//! SQLite writer's savepoint, or a PostgreSQL transaction) and is answered only after that
//! commits; a read takes a pooled connection. SQL that differs between the backends comes
//! from the connection's [`Dialect`](crate::sql::Dialect).
//!
//! Adding an operation: write it in the module of its concern here, declare it on
//! [`Store`](crate::Store), and forward to it from [`SqlStore`](crate::SqlStore).

pub(crate) mod advance;
pub(crate) mod allocation;
pub(crate) mod attachments;
pub(crate) mod audit;
pub(crate) mod cargo;
pub(crate) mod control;
pub(crate) mod crossings;
pub(crate) mod decisions;
pub(crate) mod declarations;
pub(crate) mod documents;
pub(crate) mod federation;
pub(crate) mod guarantee_ledger;
pub(crate) mod guarantees;
pub(crate) mod lab;
pub(crate) mod parties;
pub(crate) mod posts;
pub(crate) mod reference_data;
pub(crate) mod release;
pub(crate) mod retention;
pub mod retention_records;
pub(crate) mod revenue;
pub(crate) mod roster;
pub(crate) mod secrets;
pub(crate) mod seizures;
pub(crate) mod situation;
pub(crate) mod tallies;
pub(crate) mod tasks;
pub(crate) mod tokens;
pub(crate) mod transit;
pub(crate) mod transit_view;
pub(crate) mod users;
pub(crate) mod web;
