//! Any text: reading a WCO DM document and mapping its declarations must not panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tamga_wco::dec::drafts(text);
    }
});
