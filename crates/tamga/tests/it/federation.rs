//! `tamga federation`: the node's key made once, a saved message checked offline against a
//! configured peer's key or a given one, the peers listed with their reachability.

use tamga_federation::keys::NodeKey;
use tamga_federation::{Kind, Unsigned};

use crate::tamga;

#[test]
fn keygen_makes_one_key_and_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let (code, first, made) = tamga(&["--data-dir", data, "federation", "keygen"], &[]);
    assert_eq!(code, 0, "{made}");
    assert!(made.contains("made a new federation key"), "{made}");
    let (code, again, said) = tamga(&["--data-dir", data, "federation", "keygen"], &[]);
    assert_eq!(code, 0);
    assert_eq!(first, again, "the same key");
    assert!(!said.contains("made"), "{said}");
    assert_eq!(first.trim().len(), 44, "32 bytes in base64: {first}");
}

#[test]
fn verify_checks_a_saved_message_offline() {
    let dir = tempfile::tempdir().unwrap();
    let uz = NodeKey::from_seed([5; 32]);
    let public = uz.public().to_base64();
    let message = Unsigned {
        id: "UZ-1-a".into(),
        sender: "UZ".into(),
        recipient: "KZ".into(),
        kind: Kind::Enquiry,
        conversation: "26UZTAS000000017J".into(),
        body: r#"{"mrn":"26UZTAS000000017J","text":"where are the goods?"}"#.into(),
    }
    .sign(&uz, time::OffsetDateTime::now_utc());
    // Saved pretty-printed: the signed bytes are the body string's, not the file's layout.
    let good = dir.path().join("good.json");
    std::fs::write(&good, serde_json::to_string_pretty(&message).unwrap()).unwrap();
    let mut altered = message.clone();
    altered.body = altered.body.replace("where", "when");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, altered.to_json()).unwrap();
    let config = dir.path().join("kz.toml");
    let toml = format!(
        "[federation]\ncountry = \"KZ\"\n[[federation.peers]]\ncountry = \"UZ\"\n\
         url = \"http://127.0.0.1:9\"\npublic_key = \"{public}\"\n"
    );
    std::fs::write(&config, toml).unwrap();
    let config = config.to_str().unwrap();

    let (code, out, err) = tamga(
        &[
            "--config",
            config,
            "federation",
            "verify",
            good.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("valid: enquiry UZ-1-a from UZ to KZ"),
        "{out}"
    );
    let (code, out, _) = tamga(
        &[
            "--config",
            config,
            "federation",
            "verify",
            bad.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("INVALID"), "{out}");
    let other = NodeKey::from_seed([6; 32]).public().to_base64();
    let (code, _, _) = tamga(
        &[
            "federation",
            "verify",
            good.to_str().unwrap(),
            "--key",
            &other,
        ],
        &[],
    );
    assert_eq!(code, 1, "another key does not verify it");
    let (code, _, err) = tamga(&["federation", "verify", good.to_str().unwrap()], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("UZ is not a configured peer"), "{err}");

    let (code, out, _) = tamga(&["--config", config, "federation", "peers"], &[]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(&format!("UZ\thttp://127.0.0.1:9\t{public}\tunreachable")),
        "{out}"
    );
    let broken = dir.path().join("broken.toml");
    std::fs::write(
        &broken,
        "[[federation.peers]]\ncountry = \"TJ\"\nurl = \"x\"\npublic_key = \"AAAA\"\n",
    )
    .unwrap();
    let (code, _, err) = tamga(
        &["--config", broken.to_str().unwrap(), "federation", "peers"],
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("federation.peers[0] (TJ): public_key"),
        "{err}"
    );
}
