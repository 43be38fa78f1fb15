//! Any bytes: decoding, reading the interchange and mapping every CUSDEC must not panic, and
//! what the writer makes of a read segment must read back to the same values.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = tamga_edifact::charset::decode(data);
    if let Ok(interchange) = tamga_edifact::interchange::read(&text) {
        for message in &interchange.messages {
            let _ = tamga_edifact::cusdec::to_draft(message);
            for segment in &message.segments {
                let mut out = String::new();
                tamga_edifact::write::write_segment(&mut out, &interchange.delimiters, segment);
                let again = tamga_edifact::parse(&out, &interchange.delimiters, 1).expect("written segments read back");
                assert_eq!(again[0].values(), segment.values());
            }
        }
    }
});
