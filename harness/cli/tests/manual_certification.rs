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
use cpcert_scenario::reference::{self, ExportOptions, ExportedFile};
use cpcert_spec::Role;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One pass over the desk: answers every request folder that is ready and not yet answered.
fn operate(desk: &Path, seen: &mut Vec<String>) {
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
                let mut files = Vec::new();
                for e in fs::read_dir(dir.join("in")).unwrap().flatten() {
                    files.push(ExportedFile {
                        name: e.file_name().to_string_lossy().into_owned(),
                        bytes: fs::read(e.path()).unwrap(),
                    });
                }
                files.sort_by(|a, b| a.name.cmp(&b.name));
                let held = reference::import(&files, role.default_sender()).unwrap();
                fs::write(
                    dir.join("understood.json"),
                    serde_json::to_string(&held).unwrap(),
                )
                .unwrap();
                fs::write(dir.join("done"), b"").unwrap();
            }
            other => panic!("unexpected request {other}"),
        }
        seen.push(name);
    }
}

fn certify(root: &Path, vendor: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cpcert"))
        .current_dir(root)
        .args(["certify", "--jobs", "1", "--vendor"])
        .arg(vendor)
        .args([
            "--filter",
            "export::planner::minimal",
            "--filter",
            "export::prevention-planner::prevention-plans",
            "--filter",
            "import::planner::several-providers-from-provider",
            "--out",
        ])
        .arg(out)
        .output()
        .expect("cpcert runs")
}

#[test]
fn manual_certification_with_forms_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let desk = tmp.path().join("desk");
    let vendor = tmp.path().join("gui.yaml");
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
                operate(&desk, &mut seen);
                thread::sleep(Duration::from_millis(50));
            }
            seen
        })
    };
    let out = certify(&repo(), &vendor, &tmp.path().join("report"));
    stop.store(true, Ordering::Relaxed);
    let answered = operator.join().expect("the operator's checks hold");
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
    let again = certify(&repo(), &vendor, &tmp.path().join("report2"));
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
