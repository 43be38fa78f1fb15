//! `tamga guarantee add|show|list|balance`: guarantee accounts from the command line, checked
//! as the API checks them, the access code read from standard input.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::tamga;

/// Runs tamga with `input` on its standard input.
fn with_input(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tamga"))
        .args(args)
        .env("TAMGA_LOG__FILTER", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tamga");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn administrators_keep_guarantee_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let add = |grn: &str, kind: &str, currency: &str, amount: &str, code: &str| {
        let args = [
            "--data-dir",
            data,
            "guarantee",
            "add",
            grn,
            "--type",
            kind,
            "--holder",
            "UZ305123456",
            "--currency",
            currency,
            "--reference-amount",
            amount,
        ];
        with_input(&args, &format!("{code}\n"))
    };
    let (code, out, err) = add("26UZ0000010000001", "1", "USD", "20000.00", "AB12");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "26UZ0000010000001\t1\tUZ305123456\t20000.00 / 20000.00 USD\n"
    );
    let (code, _, err) = add("26UZ0000010000001", "1", "USD", "5.00", "AB12");
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = add("26uz-1", "3", "QQQ", "12.345", "AB1");
    assert_eq!(code, 1);
    for field in [
        "/grn",
        "/type",
        "/currency",
        "/reference_amount",
        "/access_code",
    ] {
        assert!(err.contains(field), "{field} in {err}");
    }
    let (code, _, _) = add("26UZ0000020000002", "0", "UZS", "900000000.00", "ZZ99");
    assert_eq!(code, 0);

    let run = |args: &[&str]| {
        let mut all = vec!["--data-dir", data, "guarantee"];
        all.extend_from_slice(args);
        tamga(&all, &[])
    };
    let (_, out, _) = run(&["list"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.starts_with("26UZ0000010000001\t"), "{out}");
    let (_, out, _) = run(&["list", "--holder", "KZ990011"]);
    assert_eq!(out, "");
    let (code, out, _) = run(&["balance", "26UZ0000020000002"]);
    assert_eq!((code, out.as_str()), (0, "900000000.00 UZS\n"));
    let (code, out, _) = run(&["show", "26UZ0000010000001"]);
    assert_eq!(code, 0);
    assert!(out.contains("balance:          20000.00 USD"), "{out}");
    assert!(out.contains("no reservations"), "{out}");
    assert!(
        !out.contains("AB12"),
        "the access code is never shown: {out}"
    );
    let (code, _, err) = run(&["show", "26UZ0000099999999"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no guarantee account 26UZ0000099999999"),
        "{err}"
    );
}
