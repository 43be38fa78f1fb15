//! Any text: a duty expression parses or is refused; one that parses prints to a text that
//! parses back to the same expression.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamga_core::tariff::DutyExpression;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(expression) = DutyExpression::parse(text) {
            let printed = expression.to_string();
            assert_eq!(DutyExpression::parse(&printed).as_ref(), Ok(&expression), "{printed}");
        }
    }
});
