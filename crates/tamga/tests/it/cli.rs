use crate::{tamga, Server, SAMPLE};

#[test]
fn submit_prints_the_mrn_or_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    assert!(
        server.admin_token.is_some(),
        "first start prints an admin token"
    );
    // A user created on the data directory while the server runs.
    let (code, out, _) = tamga(
        &[
            "--data-dir",
            data,
            "admin",
            "create-user",
            "broker",
            "--role",
            "declarant",
            "--party",
            "UZ305123456",
        ],
        &[],
    );
    assert_eq!(code, 0);
    let token = out.lines().last().unwrap().to_owned();
    assert!(token.starts_with("tmg_"));

    let args = ["submit", SAMPLE, "--url", &server.url];
    let (code, mrn, _) = tamga(&args, &[("TAMGA_TOKEN", &token)]);
    assert_eq!(code, 0);
    let mrn = mrn.trim();
    assert!(tamga_core::mrn::Mrn::parse(mrn).is_ok(), "{mrn}");
    let (code, again, _) = tamga(&args, &[("TAMGA_TOKEN", &token)]);
    assert_eq!(
        (code, again.trim()),
        (0, mrn),
        "a resubmission prints the same MRN"
    );

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"type": "IM", "lrn": "X-1", "customs_office": "UZXXX", "items": []}"#,
    )
    .unwrap();
    let (code, out, err) = tamga(
        &[
            "submit",
            bad.to_str().unwrap(),
            "--url",
            &server.url,
            "--token",
            &token,
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.contains("/customs_office") && err.contains("office_unknown"),
        "{err}"
    );
    assert!(
        err.contains("/items") && err.contains("/declarant"),
        "{err}"
    );
}

#[test]
fn admin_refuses_bad_users() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (code, _, err) = tamga(
        &[
            "--data-dir",
            data,
            "admin",
            "create-user",
            "x",
            "--role",
            "king",
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("unknown role"), "{err}");
    let (code, _, err) = tamga(
        &[
            "--data-dir",
            data,
            "admin",
            "create-user",
            "x",
            "--role",
            "declarant",
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("--party"), "{err}");
    let ok = [
        "--data-dir",
        data,
        "admin",
        "create-user",
        "x",
        "--role",
        "officer",
    ];
    assert_eq!(tamga(&ok, &[]).0, 0);
    let (code, _, err) = tamga(&ok, &[]);
    assert_eq!(code, 1, "a used name is refused");
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn print_config_layers_and_redacts() {
    let (code, out, _) = tamga(
        &["print-config", "--data-dir", "/srv/tamga"],
        &[
            ("TAMGA_DATABASE_URL", "postgres://tamga:hunter2@db/tamga"),
            ("TAMGA_LOG__JSON", "true"),
        ],
    );
    assert_eq!(code, 0);
    assert!(out.contains("data_dir = \"/srv/tamga\""), "{out}");
    assert!(
        out.contains("postgres://tamga:[redacted]@db/tamga"),
        "{out}"
    );
    assert!(!out.contains("hunter2"));
    assert!(out.contains("json = true"), "{out}");
}

#[test]
fn imports_report_every_bad_row_and_store_good_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let bad = dir.path().join("bad-tariff.csv");
    std::fs::write(
        &bad,
        "kind,code,origins,expression,document,valid_from,valid_to,description\n\
         third-country-duty,84,*,10 % +,,2020-01-01,,\n\
         vat,84,*,12 %,,someday,,\n",
    )
    .unwrap();
    let (code, _, err) = tamga(
        &[
            "--data-dir",
            data,
            "import",
            "tariff",
            bad.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("line 2") && err.contains("line 3") && err.contains("nothing imported"),
        "{err}"
    );

    let good = dir.path().join("tariff.csv");
    std::fs::write(
        &good,
        "kind,code,origins,expression,document,valid_from,valid_to,description\n\
         line,8471300000,,,,,,Laptops\n\
         third-country-duty,84,*,10 %,,2020-01-01,,\n\
         vat,84,*,12 %,,2023-01-01,,\n",
    )
    .unwrap();
    let (code, out, err) = tamga(
        &[
            "--data-dir",
            data,
            "import",
            "tariff",
            good.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1 national lines, 2 measures"), "{out}");
    let rates = dir.path().join("rates.csv");
    std::fs::write(
        &rates,
        "currency,valid_from,rate\nUSD,2026-01-01,12850.00\nEUR,2026-01-01,14950.5\n",
    )
    .unwrap();
    let (code, out, _) = tamga(
        &[
            "--data-dir",
            data,
            "import",
            "rates",
            rates.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("imported 2 exchange rates for 2 currencies"),
        "{out}"
    );
}

const EDI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/declaration.edi"
);
const XML: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/declaration.xml"
);

#[test]
fn ingest_dry_run_checks_files_without_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"{"type": "IM", "lrn": "X-1", "customs_office": "UZXXX", "items": []}"#,
    )
    .unwrap();
    let broken = dir.path().join("broken.edi");
    std::fs::write(
        &broken,
        std::fs::read_to_string(EDI)
            .unwrap()
            .replace("UNT+33+1", "UNT+30+1"),
    )
    .unwrap();
    let files = [
        SAMPLE,
        EDI,
        XML,
        bad.to_str().unwrap(),
        broken.to_str().unwrap(),
    ];
    let mut args = vec!["ingest", "--dry-run"];
    args.extend(files);
    let (code, out, err) = tamga(&args, &[]);
    assert_eq!(code, 0, "every file was handled: {err}");
    assert!(
        out.contains("5 files: 3 valid, 2 rejected, 0 unreadable"),
        "{out}"
    );
    assert!(out.contains("office_unknown"), "{out}");
    assert!(out.contains("syntax") && out.contains("UNT"), "{out}");
    let missing = dir.path().join("missing.json");
    let (code, out, _) = tamga(
        &["ingest", "--dry-run", SAMPLE, missing.to_str().unwrap()],
        &[],
    );
    assert_eq!(code, 1, "an unreadable file fails the run");
    assert!(out.contains("1 unreadable"), "{out}");
}

#[test]
fn ingest_lodges_json_edifact_and_xml_through_a_server() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = Server::start(&["--data-dir", data]);
    let token = server.admin_token.clone().unwrap();
    let (code, out, err) = tamga(
        &["ingest", "--url", &server.url, SAMPLE, EDI, XML],
        &[("TAMGA_TOKEN", &token)],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 files: 3 accepted, 0 rejected"), "{out}");
    let mrns: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split("accepted ").nth(1))
        .collect();
    assert_eq!(mrns.len(), 3, "{out}");
    assert!(
        mrns.iter().all(|m| tamga_core::mrn::Mrn::parse(m).is_ok()),
        "{out}"
    );
}

#[test]
fn watched_folders_move_every_file_once_with_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = Server::start(&["--data-dir", data.to_str().unwrap()]);
    let token = server.admin_token.clone().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("processing")).unwrap();
    std::fs::copy(SAMPLE, inbox.join("a.json")).unwrap();
    std::fs::copy(EDI, inbox.join("b.edi")).unwrap();
    std::fs::write(inbox.join("c.json"), r#"{"type": "IM"}"#).unwrap();
    // A file an interrupted run had taken but not finished: the same declaration as a.json.
    std::fs::copy(SAMPLE, inbox.join("processing").join("0-interrupted.json")).unwrap();
    let args = [
        "ingest",
        "--watch",
        inbox.to_str().unwrap(),
        "--once",
        "--url",
        &server.url,
        "--token",
        &token,
    ];
    let (code, out, err) = tamga(&args, &[]);
    assert_eq!(code, 0, "{err}");
    let listed = |folder: &str| {
        let mut names: Vec<String> = std::fs::read_dir(inbox.join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        listed("done"),
        [
            "0-interrupted.json",
            "0-interrupted.json.response",
            "a.json",
            "a.json.response",
            "b.edi",
            "b.edi.response"
        ],
        "{out}"
    );
    assert_eq!(listed("failed"), ["c.json", "c.json.response"]);
    assert!(listed("processing").is_empty());
    let first: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(inbox.join("done/0-interrupted.json.response")).unwrap(),
    )
    .unwrap();
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(inbox.join("done/a.json.response")).unwrap())
            .unwrap();
    assert_eq!(
        first["mrn"], again["mrn"],
        "the same declaration is lodged once"
    );
    assert!(std::fs::read_to_string(inbox.join("done/b.edi.response"))
        .unwrap()
        .contains("CUSRES"));
    assert!(
        std::fs::read_to_string(inbox.join("failed/c.json.response"))
            .unwrap()
            .contains("missing")
    ); // The same name again is kept beside the first, never over it.
    std::fs::copy(SAMPLE, inbox.join("a.json")).unwrap();
    assert_eq!(tamga(&args, &[]).0, 0);
    assert!(inbox.join("done/a.json.2").exists() && inbox.join("done/a.json.2.response").exists());
    assert!(inbox.join("done/a.json").exists());
}

#[test]
fn watchlists_import_from_the_real_lists_and_refuse_broken_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let sanctions = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/sanctions");
    let un = format!("{sanctions}/un-sc-consolidated/consolidated.xml");
    let (code, out, err) = tamga(
        &[
            "--data-dir",
            data,
            "import",
            "watchlist",
            "--format",
            "un",
            &un,
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.trim(),
        "imported watchlist un-sc version 1: 1093 entries, 4153 names"
    );
    let ofac = format!("{sanctions}/ofac-sdn/sdn.csv");
    let (code, out, _) = tamga(
        &[
            "--data-dir",
            data,
            "import",
            "watchlist",
            "--format",
            "ofac",
            &ofac,
        ],
        &[],
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("imported watchlist ofac-sdn version 1: 14965 entries"),
        "{out}"
    );

    let broken = dir.path().join("broken.xml");
    std::fs::write(&broken, "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>").unwrap();
    let (code, _, err) = tamga(
        &[
            "--data-dir",
            data,
            "import",
            "watchlist",
            "--format",
            "un",
            broken.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("nothing imported"), "{err}");
    let (code, _, err) = tamga(
        &[
            "--data-dir",
            data,
            "import",
            "watchlist",
            "--format",
            "un",
            "--name",
            "Bad Name",
            &un,
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("must be 1 to 64 lowercase"), "{err}");
}

#[test]
fn models_train_evaluate_and_activate_with_an_audit_trail() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let kcs = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/kcs");
    let train = format!("{kcs}/sample_train_2020.csv");
    let model = dir.path().join("pilot.json");
    let model = model.to_str().unwrap();
    let (code, out, err) = tamga(
        &[
            "--data-dir",
            data,
            "model",
            "train",
            "--data",
            &train,
            "--seed",
            "3",
            "--out",
            model,
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("trained on 3000 rows (638 fraud)"), "{out}");
    let valid = format!("{kcs}/df_syn_valid_eng.csv");
    let (code, out, _) = tamga(
        &[
            "model", "evaluate", "--model", model, "--data", &valid, "--json",
        ],
        &[],
    );
    assert_eq!(code, 0);
    let metrics: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["1", "2", "5", "10"] {
        let p = metrics["precision_at"][key].as_f64().unwrap();
        assert!(
            p > 0.3,
            "a model from 3,000 rows still beats the 8 % base rate: {metrics}"
        );
    }
    assert!(metrics["auc"].as_f64().unwrap() > 0.6);
    let (code, _, err) = tamga(
        &[
            "--data-dir",
            data,
            "model",
            "activate",
            model,
            "--reason",
            " ",
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("say why"), "{err}");
    let (code, out, err) = tamga(
        &[
            "--data-dir",
            data,
            "model",
            "activate",
            model,
            "--reason",
            "pilot at UZTAS",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("model pilot version 1 is active"), "{out}");
    tamga(
        &[
            "--data-dir",
            data,
            "model",
            "deactivate",
            "--reason",
            "pilot over",
        ],
        &[],
    );
    let (_, out, _) = tamga(&["--data-dir", data, "model", "list"], &[]);
    assert!(out.contains("model pilot v1: 3000 training rows"), "{out}");
    assert!(
        out.contains("(pilot at UZTAS)") && out.contains("(pilot over)"),
        "{out}"
    );
    let (code, _, err) = tamga(
        &["model", "evaluate", "--model", &train, "--data", &valid],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("is not a tamga model"), "{err}");
}

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
