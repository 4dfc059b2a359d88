//! Manual (GUI) certification end to end: `cpcert certify` with a manual vendor description,
//! the operator played by a thread that reads the request folders as a person would — the
//! forms of what to enter (export) and the checklist of what was sent (import) — and answers
//! with the reference product's work. Then the same certification again with no operator: the
//! interrupted session's folders (same requests, answers in place) are reused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use cpcert_scenario::Scenario;
use cpcert_scenario::reference::{self, ExportOptions};
use cpcert_spec::Role;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One pass over the desk: answers every request folder that is ready and not yet answered.
fn operate(desk: &Path, seen: &mut Vec<String>, differ: bool) {
    let Ok(entries) = fs::read_dir(desk) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        // request.txt is written last: the request is complete.
        let Ok(request) = fs::read_to_string(dir.join("request.txt")) else {
            continue;
        };
        if seen.contains(&name) {
            continue;
        }
        let mut head = request.lines().next().unwrap().split(' ');
        let (operation, role, timestamp) = (
            head.next().unwrap().to_owned(),
            Role::from_id(head.next().unwrap()).unwrap(),
            head.next().unwrap_or("").to_owned(),
        );
        let instructions = fs::read_to_string(dir.join("instructions.txt")).unwrap();
        match operation.as_str() {
            "export" => {
                // What a person reads: the forms, in Japanese, naming the person to enter.
                assert!(instructions.contains("forms/index.html"), "{instructions}");
                let index = fs::read_to_string(dir.join("forms/index.html")).unwrap();
                assert!(index.contains("帳票一覧"));
                let scenario: Scenario =
                    serde_json::from_str(&fs::read_to_string(dir.join("scenario.json")).unwrap())
                        .unwrap();
                let files =
                    reference::export(&scenario, role, &ExportOptions::with_timestamp(&timestamp))
                        .unwrap();
                assert!(!files.is_empty());
                for f in files {
                    fs::write(dir.join("out").join(&f.name), &f.bytes).unwrap();
                }
                fs::write(dir.join("done"), b"").unwrap();
            }
            "import" => {
                assert!(instructions.contains("checklist.html"), "{instructions}");
                let page = fs::read_to_string(dir.join("checklist.html")).unwrap();
                assert!(page.contains("buildAnswer") && !page.contains("/*DATA*/"));
                let list: cpcert_adapters::checklist::Checklist =
                    serde_json::from_str(&fs::read_to_string(dir.join("checklist.json")).unwrap())
                        .unwrap();
                assert!(
                    !list.groups.is_empty(),
                    "the checklist has records to check"
                );
                assert!(fs::read_to_string(dir.join("forms/index.html")).is_ok());
                // The operator compares each item with the product's screen: here the
                // product keeps everything as sent.
                let items: Vec<serde_json::Value> = list
                    .groups
                    .iter()
                    .flat_map(|g| {
                        g.items.iter().map(move |it| {
                            serde_json::json!({
                                "kind": g.kind, "record": g.record, "field": it.field, "status": "kept"
                            })
                        })
                    })
                    .collect();
                let mut items = items;
                if differ {
                    // The product shows another 被保険者番号 than was sent.
                    let wrong = items.iter_mut().find(|i| i["field"] == 3).unwrap();
                    wrong["status"] = "different".into();
                    wrong["seen"] = "9999999999".into();
                }
                let answer = serde_json::json!({
                    "format": list.format, "request": list.request, "items": items
                });
                fs::write(dir.join("answer.json"), answer.to_string()).unwrap();
                fs::write(dir.join("done"), b"").unwrap();
            }
            other => panic!("unexpected request {other}"),
        }
        seen.push(name);
    }
}

const CASES: [&str; 3] = [
    "export::planner::minimal",
    "export::prevention-planner::prevention-plans",
    "import::planner::several-providers-from-provider",
];

fn certify(root: &Path, vendor: &Path, out: &Path, cases: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cpcert"));
    cmd.current_dir(root)
        .args(["certify", "--jobs", "1", "--vendor"])
        .arg(vendor);
    for case in cases {
        cmd.args(["--filter", case]);
    }
    cmd.arg("--out").arg(out).output().expect("cpcert runs")
}

/// Runs certify with an operator thread at `desk`; returns certify's output and the requests
/// the operator answered.
fn with_operator(
    tmp: &Path,
    name: &str,
    cases: &[&str],
    differ: bool,
) -> (std::process::Output, Vec<String>, PathBuf) {
    let desk = tmp.join(format!("desk-{name}"));
    let vendor = tmp.join(format!("{name}.yaml"));
    fs::write(
        &vendor,
        format!(
            "name: gui-product\nadapter: manual\nfolder: {}\ntimeout_seconds: 120\n",
            desk.display()
        ),
    )
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let operator = {
        let (desk, stop) = (desk.clone(), stop.clone());
        thread::spawn(move || {
            let mut seen = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                operate(&desk, &mut seen, differ);
                thread::sleep(Duration::from_millis(50));
            }
            seen
        })
    };
    let out = certify(&repo(), &vendor, &tmp.join(format!("report-{name}")), cases);
    stop.store(true, Ordering::Relaxed);
    let answered = operator.join().expect("the operator's checks hold");
    (out, answered, vendor)
}

#[test]
fn manual_certification_with_forms_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, answered, vendor) = with_operator(tmp.path(), "gui", &CASES, false);
    let desk = tmp.path().join("desk-gui");
    assert!(
        out.status.success(),
        "certify with the operator: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(answered.len(), 3, "three requests answered: {answered:?}");
    assert!(
        answered
            .iter()
            .any(|n| n.ends_with("export-prevention-planner"))
    );
    assert!(answered.iter().any(|n| n.ends_with("import-planner")));
    // The 予防 export's forms show its 利用者基本情報 and 予防計画.
    let prevention = desk.join(
        answered
            .iter()
            .find(|n| n.ends_with("export-prevention-planner"))
            .unwrap(),
    );
    let pages: Vec<String> = fs::read_dir(prevention.join("forms"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(pages.iter().any(|p| p.contains("-kihon-")), "{pages:?}");
    assert!(pages.iter().any(|p| p.contains("-yobo-")), "{pages:?}");

    // Interrupted and started again: the same requests find their folders with the answers, so
    // certification completes with nobody at the desk, and no new folder is made.
    let again = certify(&repo(), &vendor, &tmp.path().join("report2"), &CASES);
    assert!(
        again.status.success(),
        "resumed certify: {}\n{}",
        String::from_utf8_lossy(&again.stdout),
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        fs::read_dir(&desk).unwrap().count(),
        3,
        "no new request folder"
    );
}

#[test]
fn a_value_the_operator_saw_differently_fails_the_import_case() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, answered, _) = with_operator(tmp.path(), "differ", &CASES[2..], true);
    assert_eq!(answered.len(), 1);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a kept field that differs is a conformance failure: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
