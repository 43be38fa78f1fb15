//! Any text: a profile condition parses or is refused with a position; one that parses prints
//! to a text that parses back to the same tree and prints the same again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        match tamga_risk::lang::parse(text) {
            Ok(condition) => {
                let printed = condition.to_string();
                let again = tamga_risk::lang::parse(&printed);
                assert_eq!(again.as_ref(), Ok(&condition), "{printed}");
                assert_eq!(again.map(|c| c.to_string()).as_deref(), Ok(printed.as_str()));
            }
            Err(e) => assert!(e.line >= 1 && e.column >= 1),
        }
    }
});
