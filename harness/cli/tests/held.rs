//! Import answers as held records, end to end through the protocol adapter (the Python example,
//! driving this very binary as its reference product): a product that does not keep some fields
//! passes the import cases and the report lists them; one that will not keep a field a receiver
//! must keep fails, with the reason.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn certify(vendor: &str, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .args([
            "certify",
            "--vendor",
            vendor,
            "--filter",
            "import::provider",
        ])
        .arg("--out")
        .arg(out)
        .args(["--now", "2026-01-01T00:00:00Z", "--zero-durations"])
        .output()
        .expect("cpcert runs")
}

fn results(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap()
}

fn say(run: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    )
}

fn python3() -> bool {
    let found = Command::new("python3").arg("--version").output().is_ok();
    if !found {
        eprintln!("SKIPPED: python3 is not installed (the protocol example needs it)");
    }
    found
}

#[test]
fn fields_not_kept_pass_and_are_listed() {
    if !python3() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // `--vendor NAME` finds cases/vendors/NAME.yaml.
    let run = certify("python-not-kept", &out);
    assert_eq!(run.status.code(), Some(0), "{}", say(&run));
    let r = results(&out);
    let outcomes = r["outcomes"].as_array().unwrap();
    assert!(outcomes.len() >= 10, "{}", outcomes.len());
    let mut listed = 0;
    for o in outcomes {
        assert_eq!(o["verdict"], "pass", "{}", o["case"]);
        for k in o["held"].as_array().into_iter().flatten() {
            if k["kind"] == "UPSIKYU" {
                let names: Vec<&str> = k["not_kept"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["name"].as_str().unwrap())
                    .collect();
                assert_eq!(names.len(), 3, "{names:?}");
                assert!(names.contains(&"前月までの利用日数"), "{names:?}");
                assert_eq!(k["kept"], 34);
                listed += 1;
            }
        }
    }
    assert!(listed >= 10, "UPSIKYU listed in {listed} outcomes");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("保持しない項目（製品の宣言）"));
    assert!(html.contains("No.30 前月までの利用日数"));
}

#[test]
fn a_field_a_receiver_must_keep_cannot_be_declared_away() {
    if !python3() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vendor = dir.path().join("must-keep.yaml");
    let script = repo().join("examples/adapters/python-reference.py");
    std::fs::write(
        &vendor,
        format!(
            "name: drops-service-code\nadapter: protocol\ncommand: [\"python3\", {:?}]\n\
             timeout_seconds: 60\nenv:\n  CPCERT_EXAMPLE_NOT_KEPT: '{{\"UPPLAN\": [15]}}'\n",
            script.canonicalize().unwrap().to_string_lossy()
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = certify(vendor.to_str().unwrap(), &out);
    assert_eq!(run.status.code(), Some(1), "{}", say(&run));
    let r = results(&out);
    let mut failed = 0;
    for o in r["outcomes"].as_array().unwrap() {
        let has_upplan = o["held"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|k| k["kind"] == "UPPLAN");
        if !has_upplan {
            continue;
        }
        assert_eq!(o["verdict"], "fail", "{}", o["case"]);
        let breach = o["diffs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["actual"] == "not_kept")
            .unwrap_or_else(|| panic!("{}: no must-keep difference", o["case"]));
        assert_eq!(breach["file"], "UPPLAN");
        assert_eq!(breach["field"], 15);
        failed += 1;
    }
    assert!(failed >= 10, "{failed}");
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("受信側が保持すべき項目を保持しないと宣言しています"));
    assert!(
        html.contains("どのサービス（サービスコード）"),
        "the reason is shown"
    );
}
