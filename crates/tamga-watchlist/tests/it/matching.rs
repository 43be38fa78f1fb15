//! Transliteration, similarity and screening on small hand-made lists.

use tamga_watchlist::normalise::normalise;
use tamga_watchlist::{
    jaro_winkler, name_similarity, read_csv_list, EntryKind, Screener, DEFAULT_THRESHOLD,
};

fn assert_same_key(names: &[&str]) {
    let keys: Vec<String> = names.iter().map(|n| normalise(n)).collect();
    assert!(
        keys.windows(2).all(|w| w[0] == w[1]),
        "{names:?} → {keys:?}"
    );
}

#[test]
fn russian_and_uzbek_spellings_share_a_key() {
    assert_same_key(&["Алишер Навоий", "Alisher Navoiy", "ALISHER NAVOI"]);
    assert_same_key(&[
        "Ўзбекистон",
        "O'zbekiston",
        "Oʻzbekiston",
        "O’zbekiston",
        "O`zbekiston",
    ]);
    assert_same_key(&["Щукин", "Shchukin"]);
    assert_same_key(&["Хусанов", "Xusanov", "Khusanov", "Ҳусанов"]);
    assert_same_key(&["Абдуллаев", "Abdullayev", "Abdullaev"]);
    assert_same_key(&[
        "Ғайратжон Қодиров",
        "G'ayratjon Qodirov",
        "Gayratjon Kodirov",
    ]);
    assert_same_key(&["Юлдашев", "Yuldashev", "Juldashev", "Iuldashev"]);
    assert_same_key(&["Цой Виктор", "Tsoy Viktor", "Tzoi Wiktor"]);
}

#[test]
fn tashkent_spellings_score_high() {
    for (a, b) in [
        ("Ташкент", "Toshkent"),
        ("Tashkent", "Toshkent"),
        ("Тошкент", "Tashkent"),
    ] {
        let s = name_similarity(a, b);
        assert!(s > 0.9, "{a} / {b}: {s}");
    }
    assert_eq!(name_similarity("Ташкент", "Tashkent"), 1.0);
}

#[test]
fn jaro_winkler_known_values() {
    let jw =
        |a: &str, b: &str| (jaro_winkler(a.as_bytes(), b.as_bytes()) * 1000.0).round() / 1000.0;
    assert_eq!(jw("MARTHA", "MARHTA"), 0.961);
    assert_eq!(jw("DWAYNE", "DUANE"), 0.84);
    assert_eq!(jw("DIXON", "DICKSONX"), 0.813);
    assert_eq!(jw("JELLYFISH", "SMELLYFISH"), 0.896);
}

#[test]
fn word_order_and_case_do_not_matter() {
    assert!((name_similarity("Navoiy Alisher", "Alisher Navoiy") - 1.0).abs() < 1e-12);
    assert!((name_similarity("NAVOIY, Alisher", "алишер навоий") - 1.0).abs() < 1e-12);
    assert!(name_similarity("Alisher Navoiy", "Zahiriddin Babur") < 0.3);
}

fn local_list() -> Screener {
    let text = "id,kind,name,aliases,country,remarks\n\
                1,individual,Alisher Navoiy,Навоий Алишер,UZ,\n\
                2,individual,Шухрат Хусанов,,UZ,\n\
                3,entity,ООО «Ташкент Транзит»,Tashkent Tranzit MChJ,UZ,\n\
                4,container,MSKU 123456-7,TGHU 987654 3,,\n\
                5,vehicle,01 A 123 BC,,UZ,\n";
    Screener::build(&read_csv_list(text, "LOCAL").unwrap())
}

#[test]
fn screening_finds_transliterated_and_reordered_names() {
    let s = local_list();
    let ids = |q: &str| -> Vec<String> {
        s.screen(q, None, DEFAULT_THRESHOLD)
            .into_iter()
            .map(|h| h.entry_id)
            .collect()
    };
    assert_eq!(ids("Navoiy Alisher"), ["LOCAL:1"]);
    assert_eq!(ids("Алишер Навоий"), ["LOCAL:1"]);
    assert_eq!(ids("KHUSANOV Shukhrat"), ["LOCAL:2"]);
    assert_eq!(ids("Xusanov Shuxrat"), ["LOCAL:2"]);
    assert_eq!(ids("Toshkent Tranzit LLC"), ["LOCAL:3"]);
    assert!(ids("Samarkand Logistics").is_empty());
    let hit = &s.screen("Alisher Navoi", None, DEFAULT_THRESHOLD)[0];
    assert_eq!(
        (hit.kind, hit.matched_name.as_str()),
        (EntryKind::Individual, "Alisher Navoiy")
    );
    assert!(hit.score > 0.99 && hit.score <= 1.0);
}

#[test]
fn kind_filter_restricts_hits() {
    let s = local_list();
    assert!(s
        .screen("Alisher Navoiy", Some(EntryKind::Entity), DEFAULT_THRESHOLD)
        .is_empty());
    assert_eq!(
        s.screen(
            "Alisher Navoiy",
            Some(EntryKind::Individual),
            DEFAULT_THRESHOLD
        )
        .len(),
        1
    );
}

#[test]
fn identifiers_match_exactly_after_normalising() {
    let s = local_list();
    assert_eq!(s.screen_identifier("msku1234567")[0].entry_id, "LOCAL:4");
    assert_eq!(
        s.screen_identifier("TGHU-987654-3")[0].matched_name,
        "TGHU 987654 3"
    );
    assert_eq!(s.screen_identifier("01a123bc")[0].kind, EntryKind::Vehicle);
    assert!(s.screen_identifier("MSKU1234568").is_empty());
    // Identifiers are not names: a container number does not screen as a party.
    assert!(s.screen("MSKU 123456-7", None, 0.5).is_empty());
}

#[test]
fn one_hit_per_entry_best_first() {
    let s = local_list();
    let hits = s.screen("Navoiy", None, 0.0);
    let mut ids: Vec<&str> = hits.iter().map(|h| h.entry_id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), hits.len());
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn the_screener_is_shareable() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Screener>();
}

/// Who a listed name stands for: the father's name may be left out, but not the given name;
/// the other gender's surname and a different given name beside the same surname are other
/// people. (Not yet when the given names differ by one letter of five: `Darya Sokolova` still
/// hits `Sokolova Mariya`, the one false hit of the Russian variant set.)
#[test]
fn screening_knows_given_names_fathers_names_and_gender() {
    let list = "id,kind,name,aliases,country,remarks\n\
                1,individual,Musa Salih al-Qahtani,,SA,\n\
                2,individual,Abd al-Rahman Yusuf al-Tamimi,,QA,\n\
                3,individual,Макарова Ольга Фёдоровна,,RU,\n\
                4,individual,Соколова Мария Антоновна,,RU,\n\
                5,individual,Қодиров Ўткир Баҳодир ўғли,,UZ,\n\
                6,entity,Musa Trading Company,,,\n";
    let screener = Screener::build(&read_csv_list(list, "T").unwrap());
    let first = |query: &str| {
        let hits = screener.screen(query, None, DEFAULT_THRESHOLD);
        hits.first().map(|h| h.entry_id.clone())
    };
    for (query, id) in [
        ("Musa al-Qahtani", "T:1"),
        ("AL QAHTANI, Mousa Saleh", "T:1"),
        ("Abdurrahman Tamimi", "T:2"),
        ("Abdul Rahman Youssef Al-Tamimi", "T:2"),
        ("Tamimi Abd-ul-Rahman", "T:2"),
        ("Olga Makarova", "T:3"),
        ("Mariya Sokolova", "T:4"),
        ("Utkir Qodirov", "T:5"),
        ("Oʻtkir Bahodirovich Qodirov", "T:5"),
        ("MUSA TRADING CORPORATON", "T:6"),
    ] {
        assert_eq!(first(query).as_deref(), Some(id), "{query}");
    }
    for query in [
        "Salih al-Qahtani",
        "Oleg Makarov",
        "Anna Sokolova",
        "Sokolova Irina",
        "Bahodir Qodirov",
    ] {
        assert_eq!(first(query), None, "{query}");
    }
}
