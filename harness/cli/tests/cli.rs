//! End-to-end tests of the `cpcert` binary: validate output (human and JSON, Japanese and
//! English) on the examples and on files with a seeded defect, exit codes, certify.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cpcert(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("cpcert runs")
}

/// `cpcert certify` of the one case `export::planner::minimal` against `vendor` into `out`, at a
/// fixed time, with `env` set.
fn certify_minimal(vendor: &Path, out: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .envs(env.iter().copied())
        .args(["certify", "--vendor"])
        .arg(vendor)
        .args(["--filter", "export::planner::minimal", "--out"])
        .arg(out)
        .args(["--now", "2026-01-01T00:00:00Z"])
        .output()
        .expect("cpcert runs")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Copies one example into a temp dir, lets `edit` change its bytes, returns (dir, name).
fn seeded(example: &str, edit: impl Fn(&mut Vec<u8>)) -> (tempfile::TempDir, String) {
    let src = repo().join("examples").join(example);
    let name = src.file_name().unwrap().to_string_lossy().into_owned();
    let mut bytes = std::fs::read(&src).unwrap();
    edit(&mut bytes);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(&name), bytes).unwrap();
    (dir, name)
}

fn replace(bytes: &mut Vec<u8>, from: &[u8], to: &[u8]) {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern in example");
    bytes.splice(at..at + from.len(), to.iter().copied());
}

const UPPLAN: &str = "planner/UPPLAN_202504_1399100001_43_1399100101_11_20250325100000.CSV";

#[test]
fn examples_validate_clean() {
    let out = cpcert(&repo(), &["validate", "examples/"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).ends_with("結果: 35 ファイル、エラー 0 件、警告 0 件、検査せず 3 件\n"),
        "{}",
        text(&out)
    );
}

#[test]
fn seeded_invalid_date_is_found_at_record_and_field() {
    let (dir, name) = seeded(UPPLAN, |b| replace(b, b",20250401,", b",20250431,"));
    let out = cpcert(dir.path(), &["validate", &name]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("human_ja_invalid_date", text(&out));
    let out = cpcert(
        dir.path(),
        &["--lang", "en", "validate", "--format", "json", &name],
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = &json["files"][0]["findings"][0];
    assert_eq!(finding["rule"], "field-date");
    assert_eq!(finding["field"], 10);
    assert_eq!(finding["record"], 1);
    insta::assert_snapshot!("json_en_invalid_date", text(&out));
}

#[test]
fn seeded_bom_and_lower_case_extension() {
    let (dir, name) = seeded(UPPLAN, |b| {
        b.splice(0..0, [0xEF, 0xBB, 0xBF]).for_each(drop)
    });
    let lower = name.replace(".CSV", ".csv");
    std::fs::rename(dir.path().join(&name), dir.path().join(&lower)).unwrap();
    let out = cpcert(dir.path(), &["validate", &lower]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("human_ja_bom_lowercase", text(&out));
}

#[test]
fn usage_errors_exit_2() {
    let out = cpcert(&repo(), &["validate", "no/such/file.CSV"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.CSV"));
    let out = cpcert(&repo(), &["validate", "--format", "xml", "examples/"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn certify_reference_subset_writes_three_files() {
    let out_dir = tempfile::tempdir().unwrap();
    let out_path = out_dir.path().to_string_lossy().into_owned();
    let args = [
        "certify",
        "--filter",
        "minimal",
        "--out",
        &out_path,
        "--now",
        "2026-01-01T00:00:00Z",
        "--zero-durations",
    ];
    let first = cpcert(&repo(), &args);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}{}",
        text(&first),
        String::from_utf8_lossy(&first.stderr)
    );
    let html = std::fs::read(out_dir.path().join("index.html")).unwrap();
    let json = std::fs::read(out_dir.path().join("results.json")).unwrap();
    assert!(out_dir.path().join("junit.xml").is_file());
    // Same inputs, byte-identical reports.
    let again = cpcert(&repo(), &args);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read(out_dir.path().join("index.html")).unwrap(),
        html
    );
    assert_eq!(
        std::fs::read(out_dir.path().join("results.json")).unwrap(),
        json
    );
}

/// A vendor adapter (python3) that starts correctly, then misbehaves on every request.
fn broken_vendor(dir: &Path, behaviour: &str) -> PathBuf {
    let script = format!(
        r#"import json, os, sys, time
for line in sys.stdin:
    msg = json.loads(line)
    t = msg.get("type")
    if t == "start":
        print(json.dumps({{"type": "started", "protocol": 1, "product": {{"name": "broken", "version": "0"}},
                          "roles": ["planner", "provider", "prevention-planner"], "kinds": [], "layout_versions": ["202407"]}}), flush=True)
    elif t == "stop":
        break
    else:
        b = "{behaviour}"
        if b == "hang":
            time.sleep(600)
        elif b == "crash":
            sys.stderr.write("segmentation fault (simulated)\n"); sys.exit(139)
        elif b == "setsid":
            first = os.fork()
            if first == 0:
                os.setsid()
                if os.fork() == 0:
                    sys.stderr.write("orphan=%d\n" % os.getpid()); sys.stderr.flush()
                    time.sleep(30)
                os._exit(0)
            os.waitpid(first, 0)
            time.sleep(0.2)
            print(json.dumps({{"type": "exported", "id": msg["id"], "files": []}}), flush=True)
        elif b == "plant":
            # Finds --out on its parent's command line, then the staging folder beside it, and
            # plants a link there so that evidence would be written elsewhere.
            argv = open("/proc/%d/cmdline" % os.getppid(), "rb").read().split(b"\0")
            out = argv[argv.index(b"--out") + 1].decode()
            parent, name = os.path.split(out)
            for entry in os.listdir(parent):
                if entry.startswith("." + name + ".cpcert-"):
                    os.symlink(os.environ["ATTACKER"], os.path.join(parent, entry, "evidence"))
            print(json.dumps({{"type": "exported", "id": msg["id"], "files": []}}), flush=True)
        elif b == "stray":
            # Leaves a file of its own in the staging folder beside --out, then refuses.
            argv = open("/proc/%d/cmdline" % os.getppid(), "rb").read().split(b"\0")
            out = argv[argv.index(b"--out") + 1].decode()
            parent, name = os.path.split(out)
            for entry in os.listdir(parent):
                if entry.startswith("." + name + ".cpcert-"):
                    open(os.path.join(parent, entry, "stray.txt"), "w").write("x")
            print(json.dumps({{"type": "error", "id": msg["id"], "message": "refused"}}), flush=True)
        elif b == "up2":
            open(os.path.join(msg["sandbox"], "..", "..", "escaped.CSV"), "w").write("x")
            print(json.dumps({{"type": "exported", "id": msg["id"], "files": []}}), flush=True)
        elif b == "outside":
            path = os.path.join(os.path.dirname(msg["sandbox"]), "..", "escaped.CSV")
            open(path, "w").write("x")
            print(json.dumps({{"type": "exported", "id": msg["id"], "files": [path]}}), flush=True)
"#
    );
    std::fs::write(dir.join("adapter.py"), script).unwrap();
    let yaml = dir.join("vendor.yaml");
    std::fs::write(&yaml, "name: broken\nadapter: protocol\ncommand: [\"python3\", \"adapter.py\"]\ntimeout_seconds: 2\n").unwrap();
    yaml
}

#[test]
fn a_product_that_hangs_crashes_or_escapes_is_an_infrastructure_error_with_a_report() {
    for behaviour in ["hang", "crash", "outside"] {
        let dir = tempfile::tempdir().unwrap();
        let vendor = broken_vendor(dir.path(), behaviour);
        let out = dir.path().join("report");
        let args = [
            "certify",
            "--vendor",
            vendor.to_str().unwrap(),
            "--filter",
            "export::planner::minimal",
            "--out",
            out.to_str().unwrap(),
            "--now",
            "2026-01-01T00:00:00Z",
        ];
        let run = cpcert(&repo(), &args);
        assert_eq!(
            run.status.code(),
            Some(3),
            "{behaviour}: {}{}",
            text(&run),
            String::from_utf8_lossy(&run.stderr)
        );
        let results = std::fs::read_to_string(out.join("results.json")).unwrap();
        assert!(
            results.contains("\"verdict\": \"error\""),
            "{behaviour}: {results}"
        );
        assert!(out.join("index.html").is_file() && out.join("junit.xml").is_file());
        if behaviour == "crash" {
            assert!(
                results.contains("segmentation fault (simulated)"),
                "stderr kept: {results}"
            );
            // Why it stopped, in both languages: the Japanese report and terminal say it in
            // Japanese (the product's own stderr quoted as it came), the English ones in English.
            let json: serde_json::Value = serde_json::from_str(&results).unwrap();
            let outcome = &json["outcomes"][0];
            let (en, ja) = (
                outcome["error"].as_str().unwrap(),
                outcome["error_ja"].as_str().unwrap(),
            );
            assert!(en.starts_with("adapter exited"), "{en}");
            assert!(ja.starts_with("アダプタが出力の途中で終了しました"), "{ja}");
            assert!(
                ja.contains("--- 標準エラー出力 ---\nsegmentation fault (simulated)"),
                "{ja}"
            );
            let html = std::fs::read_to_string(out.join("index.html")).unwrap();
            assert!(
                html.contains("アダプタが出力の途中で終了しました"),
                "ja report"
            );
            assert!(
                !html.contains("adapter exited"),
                "no English in the ja report"
            );
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(
                stderr.contains("アダプタが出力の途中で終了しました"),
                "{stderr}"
            );
            let en_out = dir.path().join("report-en");
            let mut en_args = vec!["--lang", "en"];
            en_args.extend_from_slice(&args);
            let at = en_args.len() - 3;
            en_args[at] = en_out.to_str().unwrap();
            let run = cpcert(&repo(), &en_args);
            assert_eq!(run.status.code(), Some(3));
            let html = std::fs::read_to_string(en_out.join("index.html")).unwrap();
            assert!(html.contains("adapter exited"), "en report");
            assert!(
                !html.contains("アダプタが"),
                "no Japanese error in the en report"
            );
            assert!(String::from_utf8_lossy(&run.stderr).contains("adapter exited"));
        }
    }
}

/// Whether a process is gone (or a zombie), waiting up to 3 s.
fn process_gone(pid: u32) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    while std::time::Instant::now() < deadline {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => return true,
            Ok(stat)
                if stat
                    .rsplit(')')
                    .next()
                    .is_some_and(|r| r.trim_start().starts_with('Z')) =>
            {
                return true;
            }
            Ok(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    false
}

/// An adapter that leaves a `setsid` double-forked child, or writes two folders above its
/// sandbox, gets an infrastructure error naming the reason, with Landlock and without; the
/// report says which confinement was in force; no process is left.
#[test]
fn a_detached_child_or_a_write_above_the_sandbox_is_an_infrastructure_error() {
    for confinement in ["on", "off"] {
        for (behaviour, reason) in [
            ("setsid", "detached process"),
            ("up2", "outside the sandbox"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let vendor = broken_vendor(dir.path(), behaviour);
            let out = dir.path().join("report");
            let run = certify_minimal(&vendor, &out, &[("CPCERT_CONFINEMENT", confinement)]);
            assert_eq!(run.status.code(), Some(3), "{behaviour}: {}", text(&run));
            let results = std::fs::read_to_string(out.join("results.json")).unwrap();
            assert!(results.contains(reason), "{behaviour}: {results}");
            let json: serde_json::Value = serde_json::from_str(&results).unwrap();
            let mode = json["confinement"]["mode"].as_str().unwrap().to_owned();
            let html = std::fs::read_to_string(out.join("index.html")).unwrap();
            if confinement == "off" {
                assert_eq!(mode, "detection-only");
                assert!(html.contains("検出のみ"), "{behaviour}");
            } else {
                assert!(mode == "landlock" || mode == "detection-only", "{mode}");
                assert!(html.contains("Landlock ABI") || html.contains("検出のみ"));
            }
            if let Some(pid) = results
                .split("orphan=")
                .nth(1)
                .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|p| p.parse::<u32>().ok())
            {
                assert!(process_gone(pid), "orphan {pid} outlived certify");
            }
        }
    }
}

/// An adapter that plants a link in the output folder: refused by Landlock where the kernel
/// has it, detected otherwise; either way an infrastructure error, the report written, nothing
/// written through the link.
#[test]
fn a_link_planted_in_the_output_folder_is_an_infrastructure_error() {
    for confinement in ["on", "off"] {
        let dir = tempfile::tempdir().unwrap();
        let vendor = broken_vendor(dir.path(), "plant");
        let attacker = dir.path().join("attacker");
        std::fs::create_dir(&attacker).unwrap();
        let out = dir.path().join("report");
        let run = certify_minimal(
            &vendor,
            &out,
            &[
                ("CPCERT_CONFINEMENT", confinement),
                ("ATTACKER", attacker.to_str().unwrap()),
            ],
        );
        assert_eq!(
            run.status.code(),
            Some(3),
            "{confinement}: {}{}",
            text(&run),
            String::from_utf8_lossy(&run.stderr)
        );
        let results = std::fs::read_to_string(out.join("results.json")).unwrap();
        assert!(results.contains("\"verdict\": \"error\""), "{results}");
        if confinement == "off" {
            assert!(results.contains("changed by someone else"), "{results}");
        }
        assert_eq!(std::fs::read_dir(&attacker).unwrap().count(), 0);
        assert!(!std::fs::symlink_metadata(out.join("evidence")).is_ok_and(|m| m.is_symlink()));
    }
}

/// `cpcert interop` checks its output folder as certify does: a receiver that leaves a file of
/// its own there (no confinement) turns every exchange into "not run", said in Japanese.
#[test]
fn interop_refuses_an_output_folder_a_receiver_wrote_into() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = broken_vendor(dir.path(), "stray");
    let out = dir.path().join("matrix");
    let run = Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .env("CPCERT_CONFINEMENT", "off")
        .args([
            "interop",
            "--sender",
            "reference",
            "--receiver",
            vendor.to_str().unwrap(),
            "--filter",
            "import::planner::satellites-from-provider",
            "--now",
            "2026-01-01T00:00:00Z",
            "--out",
            out.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{}{stderr}", text(&run));
    assert!(
        stderr.contains("実行中に出力フォルダが他から変更されました")
            && stderr.contains("stray.txt"),
        "{stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("interop.json")).unwrap()).unwrap();
    let outcomes = json["outcomes"].as_array().unwrap();
    assert!(!outcomes.is_empty());
    for o in outcomes {
        assert_eq!(o["outcome"]["verdict"], "error", "{o}");
        assert!(
            o["outcome"]["error_ja"]
                .as_str()
                .unwrap()
                .contains("stray.txt")
        );
    }
    assert!(
        !out.join("evidence").exists(),
        "the run's files are discarded"
    );
    assert!(!out.join("stray.txt").exists());
}

/// A second run into the same --out while one runs is refused with exit 2.
#[test]
fn a_second_run_into_the_same_out_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = broken_vendor(dir.path(), "hang");
    let out = dir.path().join("report");
    let args = |vendor: &str| {
        vec![
            "certify".to_owned(),
            "--vendor".to_owned(),
            vendor.to_owned(),
            "--filter".to_owned(),
            "export::planner::minimal".to_owned(),
            "--out".to_owned(),
            out.to_string_lossy().into_owned(),
            "--lang".to_owned(),
            "en".to_owned(),
        ]
    };
    let mut first = Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .args(args(vendor.to_str().unwrap()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the first run has its staging folder (so holds the lock).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !std::fs::read_dir(dir.path()).unwrap().flatten().any(|e| {
        e.file_name()
            .to_string_lossy()
            .starts_with(".report.cpcert-")
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "the first run never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .args(args("reference"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("another cpcert run is writing"), "{stderr}");
    assert_eq!(first.wait().unwrap().code(), Some(3));
    assert!(out.join("results.json").is_file());
}

/// `kill -9` at any moment leaves either the previous run's complete outputs or the new ones,
/// never a mix; the staging folders of killed runs are swept by the next run.
#[test]
fn kill_9_at_any_moment_leaves_a_whole_output_set() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let certify = |now: &str| {
        Command::new(env!("CARGO_BIN_EXE_cpcert"))
            .current_dir(repo())
            .args([
                "certify",
                "--vendor",
                "reference",
                "--filter",
                "minimal",
                "--out",
                out.to_str().unwrap(),
                "--now",
                now,
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let whole = |starts: &[String]| {
        let results = std::fs::read_to_string(out.join("results.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&results).unwrap();
        let started = json["run"]["started"].as_str().unwrap().to_owned();
        assert!(starts.contains(&started), "{started} is no run's");
        for name in ["index.html", "junit.xml", "bundle.cpcert"] {
            let bytes = std::fs::read(out.join(name)).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                text.contains(&started),
                "{name} is not of the run {started}"
            );
        }
        assert!(out.join("summary.md").is_file());
        started
    };
    let mut starts = vec!["2026-01-01T00:00:00Z".to_owned()];
    assert_eq!(certify(&starts[0]).wait().unwrap().code(), Some(0));
    whole(&starts);
    // Measure one run, then kill runs at spread-out moments within it.
    let clock = std::time::Instant::now();
    starts.push("2026-01-02T00:00:00Z".to_owned());
    assert_eq!(certify(&starts[1]).wait().unwrap().code(), Some(0));
    let took = clock.elapsed().as_millis().max(50) as u64;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut completed = 0;
    for i in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = seed % (took + took / 4);
        let now = format!("2026-02-{:02}T00:00:00Z", i + 1);
        starts.push(now.clone());
        let mut child = certify(&now);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        if child.wait().unwrap().code() == Some(0) {
            completed += 1;
        }
        whole(&starts);
    }
    eprintln!("kill -9 loop: {completed} of 12 runs finished before the kill");
    // A run that completes sweeps what the killed ones left.
    starts.push("2026-03-01T00:00:00Z".to_owned());
    assert_eq!(
        certify(&starts[starts.len() - 1]).wait().unwrap().code(),
        Some(0)
    );
    assert_eq!(whole(&starts), starts[starts.len() - 1]);
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, [".report.lock", "report"]);
}

/// SIGTERM during a run: the adapter's processes are killed, its workspace and the staging
/// folder removed, the previous outputs untouched.
#[test]
fn sigterm_cleans_up_processes_and_temporary_folders() {
    let dir = tempfile::tempdir().unwrap();
    let vendor = broken_vendor(dir.path(), "hang");
    let out = dir.path().join("report");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(repo())
        .args([
            "certify",
            "--vendor",
            vendor.to_str().unwrap(),
            "--filter",
            "export::planner::minimal",
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let session = format!("CPCERT_SESSION={pid}-");
    let adapter_pids = || -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter(|p| {
                std::fs::read(format!("/proc/{p}/environ"))
                    .is_ok_and(|env| String::from_utf8_lossy(&env).contains(&session))
            })
            .collect()
    };
    let workspace = format!("cpcert-run-{pid}-");
    let workspaces = || -> usize {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&workspace))
            .count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let started = loop {
        let found = adapter_pids();
        if !found.is_empty() {
            break found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the adapter never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(workspaces(), 1);
    let term = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    assert_eq!(child.wait().unwrap().code(), Some(128 + 15));
    for p in started {
        assert!(process_gone(p), "adapter process {p} survived SIGTERM");
    }
    assert_eq!(workspaces(), 0, "workspace left behind");
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".report.cpcert-"))
        .collect();
    assert!(left.is_empty(), "staging left: {left:?}");
    assert!(!out.exists());
}

#[test]
fn the_python_example_adapter_gives_the_reference_verdicts() {
    let verdicts = |vendor: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_str().unwrap().to_owned();
        let run = cpcert(
            &repo(),
            &[
                "certify",
                "--vendor",
                vendor,
                "--filter",
                "minimal",
                "--out",
                &out,
                "--now",
                "2026-01-01T00:00:00Z",
            ],
        );
        assert_eq!(
            run.status.code(),
            Some(0),
            "{vendor}: {}{}",
            text(&run),
            String::from_utf8_lossy(&run.stderr)
        );
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("results.json")).unwrap())
                .unwrap();
        json["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| (o["case"].to_string(), o["verdict"].to_string()))
            .collect::<Vec<_>>()
    };
    let reference = verdicts("reference");
    let (tolerance, cases): (Vec<_>, Vec<_>) = reference
        .iter()
        .partition(|(case, _)| case.starts_with("\"tolerance::"));
    assert_eq!(
        cases.len(),
        3,
        "export, import and roundtrip cases of `minimal`"
    );
    // and the import case's tolerance cases (its input written in each permitted way).
    assert!(tolerance.len() >= 5, "{tolerance:?}");
    assert_eq!(
        verdicts("examples/adapters/python-reference.yaml"),
        reference
    );
}

/// `cpcert selftest` under `cargo test`: the reference passes every case, every fault of the
/// catalogue is caught by its intended rule or case, and every permitted variant passes every
/// case. A weakened rule turns a fault into "survived" or "caught by another rule", a too strict
/// comparison fails a variant, and this test (so CI) fails.
#[test]
fn selftest_catches_every_fault_by_its_intended_rule() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_owned();
    let run = cpcert(&repo(), &["--lang", "en", "selftest", "--out", &out]);
    let stdout = text(&run);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(stdout.contains("reference: all cases pass"), "{stdout}");
    let score = stdout
        .lines()
        .find(|l| l.starts_with("mutation score:"))
        .expect("score line");
    assert!(score.contains("(100.0 %)"), "{score}");
    let total: usize = score
        .split('/')
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(total >= 40, "at least 40 faults in the catalogue: {score}");
    let false_fails = stdout
        .lines()
        .find(|l| l.starts_with("false fails"))
        .expect("false-fail line");
    let variants: usize = false_fails
        .rsplit('/')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(false_fails.contains(": 0 /"), "{false_fails}");
    assert!(
        variants >= 8,
        "at least 8 permitted variants: {false_fails}"
    );
    assert!(
        stdout.contains("false passes (faults not caught): 0 /"),
        "{stdout}"
    );
    // Every tolerance case passes on the reference and is failed by a faulty importer.
    let tolerance = stdout
        .lines()
        .find(|l| l.starts_with("tolerance:"))
        .expect("tolerance line");
    assert!(tolerance.ends_with("(0 failed by none)"), "{tolerance}");
    assert!(!stdout.contains("UNPROVEN"), "{stdout}");
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(results["selftest"]["false_fails"], 0);
    let tolerance = results["selftest"]["tolerance"].as_array().unwrap();
    assert!(tolerance.len() >= 100, "{}", tolerance.len());
    assert!(
        tolerance
            .iter()
            .all(|t| t["reference"] == "pass" && !t["failed_by"].as_array().unwrap().is_empty())
    );
    assert_eq!(
        results["selftest"]["variants"].as_array().map(Vec::len),
        Some(variants)
    );
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        html.contains("false fails (permitted variants failed) 0 /"),
        "rates in the HTML"
    );
}

#[test]
fn a_golden_mismatch_shows_field_and_decoded_text_differences() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_owned();
    let args = [
        "certify",
        "--fault",
        "plan-category-1-2-3",
        "--filter",
        "export::planner::minimal",
        "--out",
        &out,
        "--now",
        "2026-01-01T00:00:00Z",
    ];
    let run = cpcert(&repo(), &args);
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    // Mismatching product files go under the output folder (作成年月日 is volatile, so a
    // wrong one is a finding, not a golden mismatch: this value difference is).
    assert!(dir.path().join("golden-wip").is_dir());
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("results.json")).unwrap()).unwrap();
    let outcome = &json["outcomes"][0];
    assert_eq!(outcome["verdict"], "fail");
    let diff = outcome["diffs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field_name"] == "計画書区分")
        .expect("field diff");
    assert_eq!(diff["expected"], "11");
    let text_diff = outcome["text_diffs"][0]["diff"].as_str().unwrap();
    assert!(
        text_diff.contains("@@") && text_diff.contains("+202407"),
        "{text_diff}"
    );
    // Published (masked) output leaves the decoded diff out.
    let masked = tempfile::tempdir().unwrap();
    let m = masked.path().to_str().unwrap().to_owned();
    let mut args = args.to_vec();
    args[6] = &m;
    args.push("--mask");
    cpcert(&repo(), &args);
    let html = std::fs::read_to_string(masked.path().join("index.html")).unwrap();
    assert!(!html.contains("class=\"textdiff\""));
    let results = std::fs::read_to_string(masked.path().join("results.json")).unwrap();
    assert!(
        !results.contains("text_diffs"),
        "masked results.json keeps no decoded records"
    );
}

/// The matrix marks of index.html: kind → one mark class per column.
fn matrix_marks(html: &str) -> Vec<(String, Vec<String>)> {
    let start = html.find("class=\"matrix\"").expect("matrix");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr><th class=\"kind\"><span class=\"mono\">")
        .skip(1)
        .map(|row| {
            let kind = row[..row.find('<').unwrap()].to_owned();
            let marks = row
                .split("class=\"mark mark-")
                .skip(1)
                .map(|m| m[..m.find([' ', '"']).unwrap()].to_owned())
                .collect();
            (kind, marks)
        })
        .collect()
}

#[test]
fn a_filtered_run_is_partial_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_owned();
    let run = cpcert(
        &repo(),
        &["certify", "--filter", "export::planner", "--out", &out],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run));
    assert!(text(&run).contains("部分実行"), "{}", text(&run));
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(!html.contains("全ケース合格"));
    assert!(html.contains("部分実行"));
    let marks = matrix_marks(&html);
    // Provider cells were not run: 未実施, never ○ or ×.
    let upjsk = &marks.iter().find(|(k, _)| k == "UPJSK").unwrap().1;
    assert!(upjsk.iter().any(|m| m == "not-run"), "{upjsk:?}");
    assert!(!upjsk.iter().any(|m| m == "passed" || m == "failed"));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(json["selection"]["filters"][0], "export::planner");
    assert_eq!(json["selection"]["vendor"], "reference");
    let cases = std::fs::read_dir(repo().join("golden/export/planner"))
        .unwrap()
        .count();
    assert_eq!(json["coverage"]["cases_run"], cases);
    assert!(json["coverage"]["suite_cases"].as_u64().unwrap() > cases as u64);
    assert!(json["outcomes"][0]["duration_ms"].is_u64());
    let junit = std::fs::read_to_string(dir.path().join("junit.xml")).unwrap();
    assert!(junit.contains("name=\"run.complete\" value=\"false\""));
    let md = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(
        md.contains("部分実行") && md.contains("export::planner"),
        "{md}"
    );
}

#[test]
fn a_wrong_creation_date_in_up1kyo_marks_only_up1kyo() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_owned();
    let run = cpcert(
        &repo(),
        &["certify", "--fault", "date-invalid", "--out", &out],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let marks = matrix_marks(&html);
    let failed: Vec<&str> = marks
        .iter()
        .filter(|(_, marks)| marks.iter().any(|m| m == "failed"))
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(failed, ["UP1KYO"]);
}

#[test]
fn configuration_errors_stop_before_any_case_and_keep_the_previous_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_owned();
    std::fs::write(dir.path().join("index.html"), "previous").unwrap();
    for (args, cause) in [
        (&["--fault", "no-such-fault"][..], "no-such-fault"),
        (&["--role", "nurse"][..], "nurse"),
        (&["--partition", "hash:5/4"][..], "hash:5/4"),
        (
            &["--filter", "no::such::case"][..],
            "合うケースがスイートにありません",
        ),
        (
            &["--vendor", "/no/such/vendor.yaml"][..],
            "/no/such/vendor.yaml",
        ),
    ] {
        let mut all = vec!["certify", "--out", &out];
        all.extend_from_slice(args);
        let run = cpcert(&repo(), &all);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
        assert!(stderr.contains(cause), "{stderr}");
        // Japanese by default, no English words of cpcert's own (the OS's reason may follow).
        let own = stderr.split(" (os error").next().unwrap_or_default();
        for english in [
            "unknown ",
            "invalid ",
            "matches ",
            "cannot ",
            "must ",
            " is required",
        ] {
            assert!(
                !own.contains(english),
                "English in a Japanese message: {stderr}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("index.html")).unwrap(),
            "previous"
        );
        assert!(!dir.path().join("results.json").exists());
    }
    // The same errors in English with --lang en, without Japanese.
    for (args, cause) in [
        (&["--fault", "no-such-fault"][..], "unknown fault"),
        (&["--role", "nurse"][..], "unknown role"),
        (&["--filter", "no::such::case"][..], "matches no case"),
        (
            &["--vendor", "/no/such/vendor.yaml"][..],
            "invalid vendor description",
        ),
    ] {
        let mut all = vec!["--lang", "en", "certify", "--out", &out];
        all.extend_from_slice(args);
        let run = cpcert(&repo(), &all);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(cause), "{stderr}");
        assert!(
            !stderr
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "Japanese in an English message: {stderr}"
        );
    }
}

#[test]
fn a_folder_of_one_unknown_prefix_fails_with_a_name_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "UP4KYO_1399100001_43_1399100101_11_20250605083000.CSV";
    std::fs::write(dir.path().join(name), b"any content\r\n").expect("write");
    std::fs::write(dir.path().join("notes.txt"), b"not a standard file").expect("write");
    let out = cpcert(&repo(), &["validate", dir.path().to_str().expect("utf-8")]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains(name) && t.contains("[name-unknown-kind]"), "{t}");
    assert!(t.contains("検査せず:") && t.contains("notes.txt"), "{t}");
}

#[test]
fn certify_writes_a_bundle_that_verify_re_judges_and_a_changed_byte_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key");
    let out = cpcert(&repo(), &["keygen", "--out", key.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let pubkey = format!("{}.pub", key.display());
    let report = dir.path().join("r");
    let out = cpcert(
        &repo(),
        &[
            "certify",
            "--filter",
            "export::planner::minimal",
            "--filter",
            "import::provider::minimal",
            "--out",
            report.to_str().unwrap(),
            "--sign",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let bundle = report.join("bundle.cpcert");
    assert!(text(&out).contains(&format!("証拠バンドル: {}", bundle.display())));
    let b = bundle.to_str().unwrap();
    let out = cpcert(dir.path(), &["verify", b, "--key", &pubkey]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("検証成功"), "{}", text(&out));
    // One byte of a received CSV.
    let mut entries = cpcert_evidence::archive::read(&std::fs::read(&bundle).unwrap()).unwrap();
    let (_, data) = entries
        .iter_mut()
        .find(|(p, _)| p.starts_with("evidence/export/planner/minimal/received/UPPLAN_"))
        .unwrap();
    data[40] ^= 0x01;
    let bytes = cpcert_evidence::archive::write(&entries).unwrap();
    let tampered = dir.path().join("tampered.cpcert");
    std::fs::write(&tampered, &bytes).unwrap();
    let out = cpcert(
        dir.path(),
        &["--lang", "en", "verify", tampered.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("evidence/export/planner/minimal/received/UPPLAN_")
            && text(&out).contains("changed"),
        "{}",
        text(&out)
    );
    let out = cpcert(dir.path(), &["verify"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_id_explains_one_rule_and_cases_lists_the_suite() {
    let out = cpcert(&repo(), &["--lang", "en", "rules", "field-date"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.contains("fails: 20250230") && t.contains("passes: 20250228"),
        "{t}"
    );
    assert!(
        !t.contains("違反"),
        "no Japanese label in English output: {t}"
    );
    let out = cpcert(&repo(), &["rules", "no-such-rule"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no-such-rule") && stderr.contains("unknown rule id"),
        "{stderr}"
    );
    let out = cpcert(&repo(), &["cases"]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(
        t.lines()
            .any(|l| l.starts_with("export::planner::") && l.contains("\t○\t")),
        "{t}"
    );
}

#[test]
fn json_failure_is_a_json_error_object_on_stdout() {
    let out = cpcert(
        &repo(),
        &[
            "validate",
            "--format",
            "json",
            "--lang",
            "en",
            "/no/such/folder",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["error"]["message"], "cannot read `/no/such/folder`");
    assert!(
        doc["error"]["causes"][0]
            .as_str()
            .is_some_and(|c| c.contains("No such file")),
        "{doc}"
    );
    // Human output: the cause chain on stderr, in the chosen language.
    let out = cpcert(&repo(), &["validate", "/no/such/folder"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("を読めません") && stderr.contains("No such file"),
        "{stderr}"
    );
}

#[test]
fn colour_follows_the_flag_and_no_color_and_never_goes_into_a_pipe() {
    let (dir, name) = seeded(UPPLAN, |b| replace(b, b",20250401,", b",20250431,"));
    let dir_s = dir.path().to_str().unwrap();
    let file = format!("{dir_s}/{name}");
    // Into a pipe (the test's stdout) with auto: no escape codes.
    let plain = cpcert(&repo(), &["validate", &file]);
    assert!(!text(&plain).contains('\x1b'), "{}", text(&plain));
    let forced = cpcert(&repo(), &["--color", "always", "validate", &file]);
    assert!(
        text(&forced).contains("\x1b[1;31mエラー\x1b[0m"),
        "{}",
        text(&forced)
    );
    let never = cpcert(&repo(), &["--color", "never", "validate", &file]);
    assert_eq!(text(&never), text(&plain));
}

/// Hashes of a run's CSV files (not the 基本情報 picture, a fixed image, nor empty files: no
/// data in either).
fn evidence_hashes(dir: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("results.json")).unwrap()).unwrap();
    let mut out: Vec<String> = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| o["files"].as_array().unwrap().iter())
        // The standard's data files; an import answer of nothing held is alike for any seed.
        .filter(|f| f["path"].as_str().unwrap().ends_with(".CSV"))
        .map(|f| f["sha256"].as_str().unwrap().to_owned())
        .filter(|h| h != "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        .collect();
    out.sort();
    out
}

#[test]
fn a_challenge_runs_on_the_seeds_own_data_and_the_reference_passes_it() {
    let run = |seed: &str, out: &Path| {
        let out_s = out.to_str().unwrap().to_owned();
        let args = [
            "certify",
            "--challenge",
            seed,
            "--out",
            &out_s,
            "--now",
            "2026-01-01T00:00:00Z",
            "--zero-durations",
        ];
        let run = cpcert(&repo(), &args);
        assert_eq!(
            run.status.code(),
            Some(0),
            "{seed}: {}{}",
            text(&run),
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(text(&run).contains("全ケース合格"), "{}", text(&run));
    };
    let (a, a2, b) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    run("2026-A-0001", a.path());
    run("2026-A-0001", a2.path());
    run("kokuho-7f3a", b.path());
    // Same seed, byte-identical reports; the seed is recorded.
    for name in ["results.json", "index.html", "junit.xml", "summary.md"] {
        assert_eq!(
            std::fs::read(a.path().join(name)).unwrap(),
            std::fs::read(a2.path().join(name)).unwrap(),
            "{name}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(json["selection"]["challenge"], "2026-A-0001");
    // verify regenerates the expected side (and what was sent) from each bundle's own seed.
    for dir in [a.path(), b.path()] {
        let bundle = dir.join("bundle.cpcert");
        let out = cpcert(dir, &["verify", bundle.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    }
    // Two seeds, different evidence (and different from the suite's golden data).
    let (ha, hb) = (evidence_hashes(a.path()), evidence_hashes(b.path()));
    assert!(!ha.is_empty());
    let shared = ha.iter().filter(|h| hb.binary_search(h).is_ok()).count();
    assert_eq!(shared, 0, "files shared by two seeds");
    let plain = tempfile::tempdir().unwrap();
    let p = plain.path().to_str().unwrap().to_owned();
    cpcert(&repo(), &["certify", "--out", &p, "--zero-durations"]);
    let hp = evidence_hashes(plain.path());
    assert_eq!(ha.iter().filter(|h| hp.binary_search(h).is_ok()).count(), 0);
}

#[test]
fn a_fault_still_fails_under_a_challenge() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap().to_owned();
    let run = cpcert(
        &repo(),
        &[
            "certify",
            "--challenge",
            "x",
            "--fault",
            "insured-no-leading-zero-lost",
            "--out",
            &out,
        ],
    );
    assert_eq!(run.status.code(), Some(1), "{}", text(&run));
}
