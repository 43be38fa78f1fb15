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
        let p = metrics["probability"]["precision_at"][key]
            .as_f64()
            .unwrap();
        assert!(
            p > 0.3,
            "a model from 3,000 rows still beats the 8 % base rate: {metrics}"
        );
    }
    assert!(metrics["probability"]["auc"].as_f64().unwrap() > 0.6);
    assert!(metrics["priority"]["revenue_at"]["5"].as_f64().unwrap() > 0.3);
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
    assert!(
        out.contains("model pilot v1: layout kcs, 3000 training rows"),
        "{out}"
    );
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
