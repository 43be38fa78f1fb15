//! Any JSON: a draft that deserialises must validate or be refused, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(draft) = serde_json::from_slice::<tamga_core::draft::DeclarationDraft>(data) {
        let now = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
        let _ = tamga_core::validate::validate(&draft, tamga_core::refdata::ReferenceData::embedded(), now);
    }
});
