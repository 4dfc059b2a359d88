//! `cpcert interop` end to end: the exit codes of the one table (0 all ○, 1 any ×, 2 usage,
//! 3 a cell not run), what it writes and prints, a certification bundle as a sender.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cpcert(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .output()
        .expect("cpcert runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_default_run_is_all_pass_and_a_faulty_receiver_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out_a = dir.path().join("a");
    let step = dir.path().join("step-summary.md");
    let out = Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .env("GITHUB_STEP_SUMMARY", &step)
        .args(["interop", "--now", "2026-01-01T00:00:00Z", "--out"])
        .arg(&out_a)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("すべての組合せで○"),
        "{}",
        stdout(&out)
    );
    for f in ["index.html", "interop.json", "junit.xml", "summary.md"] {
        assert!(out_a.join(f).is_file(), "{f}");
    }
    // Every exchange's files are kept as evidence, with the hashes interop.json records, and
    // the page links to them.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_a.join("interop.json")).unwrap()).unwrap();
    let page = std::fs::read_to_string(out_a.join("index.html")).unwrap();
    let mut checked = 0;
    for o in json["outcomes"].as_array().unwrap() {
        let folder = cpcert_report::interop::pair_folder(
            o["sender"].as_str().unwrap(),
            o["receiver"].as_str().unwrap(),
        );
        let rel = o["outcome"]["case"].as_str().unwrap().replace("::", "/");
        assert!(
            page.contains(&format!("href=\"evidence/{folder}/{rel}/\"")),
            "{folder}/{rel}"
        );
        for f in o["outcome"]["files"].as_array().unwrap() {
            let path = out_a
                .join("evidence")
                .join(&folder)
                .join(&rel)
                .join(f["path"].as_str().unwrap());
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(
                cpcert_report::results::sha256_hex(&bytes),
                f["sha256"].as_str().unwrap()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    // The summary goes to the CI job page too.
    let summary = std::fs::read_to_string(out_a.join("summary.md")).unwrap();
    assert_eq!(std::fs::read_to_string(&step).unwrap(), summary);
    assert!(summary.contains("| reference | ○ | ○ |"), "{summary}");
    let out_b = dir.path().join("b");
    let out = cpcert(&[
        "--lang",
        "en",
        "interop",
        "--receiver",
        "reference",
        "--receiver",
        "reference:fault=taka-variant",
        "--out",
        out_b.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(
        text.contains("reference:fault=taka-variant") && text.contains('×'),
        "{text}"
    );
    assert!(text.contains("1 exchange failed (×)"), "{text}");
    // --format json prints interop.json.
    let out = cpcert(&[
        "interop",
        "--fault-receivers",
        "--filter",
        "deletions",
        "--format",
        "json",
        "--out",
        dir.path().join("c").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert!(json["receivers"].as_array().unwrap().len() > 2);
}

#[test]
fn usage_errors_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("r");
    for args in [
        vec!["--receiver", "reference:fault=utf8"],
        vec!["--receiver", "reference:variant=lf-only"],
        vec!["--sender", "reference:variant=no-such-variant"],
        vec!["--sender", "reference:fault=taka-variant"],
        vec!["--receiver", "reference:fault=no-such-fault"],
        vec!["--receiver", "no-such-vendor"],
        vec!["--filter", "no-such-case"],
        vec!["--sender", "reference", "--sender", "reference"],
    ] {
        let mut all = vec!["interop", "--out", out_dir.to_str().unwrap()];
        all.extend(args.iter().copied());
        let out = cpcert(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with("cpcert: "),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(!out_dir.exists(), "{args:?}: a report was written");
        // Japanese by default.
        assert!(!stderr(&out).is_ascii(), "{args:?}: {}", stderr(&out));
    }
    let out = cpcert(&[
        "--lang",
        "en",
        "interop",
        "--receiver",
        "reference:fault=utf8",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is an exporter fault"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).is_ascii(), "{}", stderr(&out));
}

/// A certification bundle as the sender: its exports go into the reference's import; an
/// import case whose export the bundle lacks is 未実施 (exit 3), never a silent pass.
#[test]
fn a_bundle_sends_its_exports_and_a_missing_export_is_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert");
    let out = cpcert(&[
        "certify",
        "--filter",
        "export::planner::minimal",
        "--out",
        cert.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bundle = cert.join("bundle.cpcert");
    let run = |filters: &[&str], name: &str| {
        let out_dir = dir.path().join(name);
        let mut args = vec![
            "interop",
            "--sender",
            bundle.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ];
        for f in filters {
            args.extend(["--filter", f]);
        }
        let out = cpcert(&args);
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out_dir.join("interop.json")).unwrap()).unwrap();
        (out, json)
    };
    let (out, json) = run(&["minimal-from-planner"], "one");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(json["senders"][0]["kind"], "bundle");
    assert_eq!(json["outcomes"][0]["outcome"]["verdict"], "pass");
    let (out, json) = run(&["minimal-from-planner", "deletions-from-planner"], "two");
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stdout(&out).contains("未実施"), "{}", stdout(&out));
    let missing = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["outcome"]["case"] == "import::provider::deletions-from-planner")
        .unwrap();
    assert_eq!(missing["outcome"]["verdict"], "error");
    assert_eq!(missing["why"]["why"], "bundle-without-case");
    // The reason in the run's language, on the page and in the summary.
    for file in ["index.html", "summary.md"] {
        let text = std::fs::read_to_string(dir.path().join("two").join(file)).unwrap();
        assert!(
            text.contains(
                "送信側のバンドルに出力ケース `export::planner::deletions` の結果がありません"
            ),
            "{file}: {text}"
        );
    }
    assert!(
        missing["outcome"]["error"]
            .as_str()
            .unwrap()
            .contains("export::planner::deletions"),
        "{missing}"
    );
}

/// Published (masked) interop output holds no personal data: a receiver that misreads 髙 in
/// names shows the names in its differences unmasked, and not at all with `--mask`; no
/// exchanged file is kept.
#[test]
fn masked_interop_output_holds_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &std::path::Path, mask: bool| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cpcert"));
        cmd.current_dir(repo()).args([
            "interop",
            "--sender",
            "reference",
            "--receiver",
            "reference:fault=taka-variant",
            "--filter",
            "import::provider::nec-ibm-characters",
            "--now",
            "2026-01-01T00:00:00Z",
            "--out",
        ]);
        cmd.arg(out);
        if mask {
            cmd.arg("--mask");
        }
        let done = cmd.output().unwrap();
        assert_eq!(
            done.status.code(),
            Some(1),
            "{}{}",
            stdout(&done),
            stderr(&done)
        );
        let mut text = String::new();
        for f in ["index.html", "interop.json", "junit.xml", "summary.md"] {
            text.push_str(&std::fs::read_to_string(out.join(f)).unwrap());
        }
        text
    };
    // The person's name (cases/scenarios/nec-ibm-characters.yaml), as meant and as misread.
    // (The office's name, ㈱架空ヘルパー髙﨑, is not personal data and stays.)
    let personal = ["髙﨑 ①子", "高﨑 ①子"];
    let plain = run(&dir.path().join("plain"), false);
    assert!(
        personal.iter().any(|p| plain.contains(p)),
        "the unmasked matrix shows the misread names (else this test proves nothing)"
    );
    let masked_out = dir.path().join("masked");
    let masked = run(&masked_out, true);
    for p in personal {
        assert!(!masked.contains(p), "{p} in masked output");
    }
    assert!(!masked_out.join("evidence").exists());
}
