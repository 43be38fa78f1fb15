//! `tamga admin party|mandate`: the party registry and mandates from the command line.

use crate::tamga;

#[test]
fn admins_keep_the_party_registry_and_mandates() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let admin = |args: &[&str]| {
        let mut all = vec!["--data-dir", data, "admin"];
        all.extend_from_slice(args);
        tamga(&all, &[])
    };
    let add = [
        "party",
        "add",
        "UZ305123456",
        "--name",
        "Samarqand Savdo MChJ",
        "--country",
        "UZ",
        "--aeo",
        "AEOF",
    ];
    assert_eq!(admin(&add).0, 0);
    let (code, _, err) = admin(&add);
    assert_eq!(code, 1, "a registered identifier is refused");
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = admin(&[
        "party",
        "add",
        "uz-1",
        "--name",
        "x\u{7}",
        "--country",
        "XX",
        "--aeo",
        "gold",
    ]);
    assert_eq!(code, 1);
    for field in ["/id", "/name", "/country", "/aeo"] {
        assert!(err.contains(field), "{field} in {err}");
    }
    let broker = [
        "party",
        "add",
        "UZ207654321",
        "--name",
        "Toshkent Broker",
        "--country",
        "UZ",
    ];
    assert_eq!(admin(&broker).0, 0);
    let (_, out, _) = admin(&["party", "list", "--aeo"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("UZ305123456\tUZ\tSamarqand Savdo MChJ\tAEOF"),
        "{out}"
    );

    let grant = [
        "mandate",
        "grant",
        "UZ305123456",
        "UZ207654321",
        "--representation",
        "direct",
        "--from",
        "2026-01-01",
    ];
    let (code, _, err) = admin(&grant);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("granted mandate 1"), "{err}");
    let (code, _, err) = admin(&grant);
    assert_eq!(code, 1);
    assert!(
        err.contains("already lets UZ207654321 represent UZ305123456"),
        "{err}"
    );
    let (code, _, err) = admin(&[
        "mandate",
        "grant",
        "UZ305123456",
        "UZ404",
        "--representation",
        "direct",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("not registered: UZ404"), "{err}");
    let (code, _, err) = admin(&[
        "mandate",
        "grant",
        "UZ305123456",
        "UZ207654321",
        "--representation",
        "both",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("direct or indirect"), "{err}");
    let (code, _, err) = admin(&[
        "mandate",
        "grant",
        "UZ305123456",
        "UZ207654321",
        "--representation",
        "indirect",
        "--from",
        "2026-02-01",
        "--until",
        "2026-01-01",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("/valid_until"), "{err}");

    let (code, out, err) = admin(&[
        "mandate",
        "revoke",
        "UZ305123456",
        "1",
        "--effective",
        "2026-03-01",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("2026-01-01 .. 2026-02-28\trevoked by tamga-admin"),
        "{out}"
    );
    let (code, _, err) = admin(&["mandate", "revoke", "UZ305123456", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("revoked before"), "{err}");
    let (code, _, err) = admin(&["mandate", "revoke", "UZ207654321", "1"]);
    assert_eq!(code, 1);
    assert!(err.contains("gave no mandate 1"), "{err}");
    let (code, _, err) = admin(&[
        "mandate",
        "grant",
        "UZ207654321",
        "UZ207654321",
        "--representation",
        "direct",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("acts for itself"), "{err}");
    let (_, out, _) = admin(&["mandate", "list", "UZ207654321"]);
    assert_eq!(
        out.lines().count(),
        1,
        "a revoked mandate stays on record: {out}"
    );
}
