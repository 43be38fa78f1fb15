//! Web UI tests: the pages driven in-process with `oneshot`, on SQLite and PostgreSQL. The
//! browser tests (`browser/`) drive the same pages in Chromium.

mod advance;
mod app;
mod forms;
mod i18n;
mod problem_codes;
mod screens;
mod sessions;
mod situation;
mod tokens;
mod transit;
