//! `tamga control`: a post set up from the command line, a red declaration drawn among its
//! officers, and the auditor's replay of the recorded draw.

use tamga_core::role::Role;
use tamga_store::risk::RiskRecord;
use tamga_store::{token, LodgeOutcome, Lodgement, NewUser, Store};

use crate::{tamga, SAMPLE};

fn red() -> RiskRecord {
    RiskRecord {
        office: "UZTAS".into(),
        channel: "red".into(),
        score: 90,
        random: false,
        day: time::OffsetDateTime::now_utc().date(),
        document: r#"{"summary":"red"}"#.into(),
        profiles: vec![],
        claim: None,
    }
}

/// Lodges the sample as red straight in the store of `dir`; returns the task's id.
fn lodge_red(dir: &str) -> i64 {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = tamga_store::sqlite::SqliteStore::open(std::path::Path::new(dir))
            .await
            .unwrap();
        let new = NewUser {
            name: "lodger".into(),
            role: Role::Officer,
            party_id: None,
            token_hash: token::hash(&token::generate()),
        };
        let lodger = store.create_user(new).await.unwrap();
        let draft: tamga_core::draft::DeclarationDraft =
            serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
        let at = time::OffsetDateTime::now_utc();
        let declaration = tamga_core::validate::validate(
            &draft,
            tamga_core::refdata::ReferenceData::embedded(),
            at,
        )
        .unwrap();
        let fingerprint = declaration.fingerprint(true);
        let l = Lodgement::new(declaration, fingerprint, lodger, at, None).with_risk(red());
        let LodgeOutcome::Accepted(record) = store.lodge(l).await.unwrap() else {
            panic!("not accepted")
        };
        store.tasks_of(&record.mrn).await.unwrap()[0].id
    })
}

#[test]
fn a_post_is_set_up_and_its_draws_replay() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    for (name, role) in [
        ("exa", "officer"),
        ("exb", "officer"),
        ("chief", "officer"),
        ("trader", "declarant"),
    ] {
        let mut args = vec![
            "--data-dir",
            data,
            "admin",
            "create-user",
            name,
            "--role",
            role,
        ];
        if role == "declarant" {
            args.extend(["--party", "UZ305123456"]);
        }
        assert_eq!(tamga(&args, &[]).0, 0);
    }
    let control = |args: &[&str]| {
        let mut all = vec!["--data-dir", data, "control"];
        all.extend_from_slice(args);
        tamga(&all, &[])
    };
    for (name, group) in [
        ("exa", "examiner"),
        ("exb", "examiner"),
        ("chief", "chief-examiner"),
    ] {
        let (code, _, err) = control(&[
            "officer",
            name,
            "--office",
            "UZTAS",
            "--section",
            "import",
            "--group",
            group,
        ]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(control(&["shift", name, "--hours", "8"]).0, 0);
    }
    let (code, _, err) = control(&["conflict", "exb", "--party", "UZ305123456"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = control(&[
        "officer",
        "trader",
        "--office",
        "UZTAS",
        "--section",
        "x",
        "--group",
        "examiner",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("not an officer"), "{err}");
    let (code, _, err) = control(&["shift", "nobody"]);
    assert!(code == 1 && err.contains("no user named"), "{err}");
    let (code, _, err) = control(&[
        "officer",
        "exa",
        "--office",
        "UZTAS",
        "--section",
        "import",
        "--group",
        "boss",
    ]);
    assert!(code == 1 && err.contains("--group"), "{err}");
    let (_, listed, _) = control(&["officers", "--office", "UZTAS"]);
    assert_eq!(listed.lines().count(), 3, "{listed}");

    let task = lodge_red(data);
    let (code, out, err) = control(&["replay-draw", &task.to_string()]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.matches(": matches").count(),
        2,
        "examiner and chief: {out}"
    );
    assert_eq!(
        out.matches("  candidate").count(),
        2,
        "exb is conflicted with the importer: {out}"
    );
    assert!(
        out.contains("(examiner)") && out.contains("(chief-examiner)"),
        "{out}"
    );
    let (code, _, err) = control(&["replay-draw", "999999"]);
    assert!(code == 1 && err.contains("no control task"), "{err}");
}
