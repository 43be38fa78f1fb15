//! `tamga audit` and `tamga admin rotate-secret` on a database, as an auditor runs them on the
//! server: a checkpoint exported and held against the log, and a rotation in the log.

use crate::tamga;

#[test]
fn an_exported_checkpoint_verifies_and_a_rotation_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let at = |args: &[&str]| {
        let mut all = vec!["--data-dir", data];
        all.extend(args);
        tamga(&all, &[])
    };
    let (code, _, err) = at(&["admin", "create-user", "sue", "--role", "supervisor"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = at(&["admin", "rotate-secret", "selectivity"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("version 1"), "{out}");
    let (code, _, err) = at(&["admin", "rotate-secret", "allocation"]);
    assert_ne!(code, 0, "only the selectivity secret rotates: {err}");
    let file = dir.path().join("checkpoint.json");
    let (code, out, err) = at(&["audit", "export-checkpoint", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("chain 0 seq 2 hash"), "{out}");
    let (code, out, err) = at(&["audit", "verify", "--checkpoint", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("2 entries verified") && out.contains("every chain holds"),
        "{out}"
    );
    let forged = std::fs::read_to_string(&file)
        .unwrap()
        .replace("seq 2", "seq 3");
    std::fs::write(&file, forged).unwrap();
    let (code, out, _) = at(&["audit", "verify", "--checkpoint", file.to_str().unwrap()]);
    assert_eq!(code, 1, "a changed checkpoint fails: {out}");
    assert!(out.contains("signature"), "{out}");
}
