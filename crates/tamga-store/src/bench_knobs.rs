//! Benchmark knobs, compiled only with the `bench-knobs` feature (which no binary enables):
//! switches that remove a guarantee to measure what it costs. Never for a server.

use std::sync::atomic::{AtomicBool, Ordering};

static AUDIT_OFF: AtomicBool = AtomicBool::new(false);

/// Turns the audit log off (`true`) or back on for every store of the process: with it off,
/// audited writes append no entry. For `benches/audit_cost` only.
pub fn set_audit_off(off: bool) {
    AUDIT_OFF.store(off, Ordering::SeqCst);
}

pub(crate) fn audit_off() -> bool {
    AUDIT_OFF.load(Ordering::Relaxed)
}
