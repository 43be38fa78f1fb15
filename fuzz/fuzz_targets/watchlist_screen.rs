//! Any name screened against a small watchlist: no panic, scores within 0 and 1, best first.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tamga_watchlist::{read_csv_list, Screener};

fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| {
        let list = "id,kind,name,aliases,country,remarks\n\
                    1,individual,Алишер Навоий,Alisher Navoiy;Navoi,UZ,\n\
                    2,entity,Shanghai Electronics Export Co.,,CN,\n\
                    3,individual,Ri Won Ho,Ри Вон Хо,KP,\n\
                    4,container,CSQU3054383,,,\n";
        Screener::new(read_csv_list(list, "fuzz").unwrap_or_default())
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let hits = screener().screen(text, None, 0.5);
        for pair in hits.windows(2) {
            assert!(pair[0].score >= pair[1].score);
        }
        assert!(hits.iter().all(|h| (0.0..=1.0).contains(&h.score)));
        let _ = screener().screen_identifier(text);
    }
});
