//! The folder walk on a real file system: symlink loops, FIFOs, dangling links, names that are
//! not UTF-8 or hold a newline, unknown prefixes with the standard's shape.

#![cfg(unix)]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cpcert_checks::{RuleId, SkipReason, ValidateOptions, ValidationRun, validate_paths};
use cpcert_spec::Spec;

const PLAN: &str = "UPPLAN_202504_1310000001_43_1310000002_11_20250401093000.CSV";

fn run(paths: &[PathBuf]) -> ValidationRun {
    validate_paths(paths, Spec::embedded(), &ValidateOptions::default()).expect("walk")
}

fn reasons(run: &ValidationRun) -> Vec<(String, SkipReason)> {
    run.skipped
        .iter()
        .map(|s| {
            let name = s.path.rsplit('/').next().unwrap_or_default().to_owned();
            (name, s.reason.clone())
        })
        .collect()
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn unknown_prefix_with_the_standard_shape_is_a_name_error_not_a_skip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = "UP4KYO_1399100001_43_1399100101_11_20250605083000.CSV";
    std::fs::write(dir.path().join(name), b"anything\r\n").expect("write");
    std::fs::write(
        dir.path()
            .join("UPKHON_1399100001_43_1399100101_11_20250605083000.CSV"),
        b"",
    )
    .expect("write");
    let r = run(&[dir.path().to_owned()]);
    assert_eq!(r.summary.files, 2, "{:?}", reasons(&r));
    assert!(r.skipped.is_empty());
    for f in &r.files {
        assert!(
            f.findings.iter().any(|x| x.rule == RuleId::NameUnknownKind),
            "{}: {:?}",
            f.path,
            f.findings
        );
    }
    assert!(r.summary.errors >= 2);
}

#[test]
fn loops_fifos_dangling_links_and_odd_names_are_listed_not_fatal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let sub = root.join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    std::fs::write(sub.join(PLAN), b"x\r\n").expect("write");
    // Two self-loops and a link back to the root: never followed.
    symlink(".", sub.join("self")).expect("symlink");
    symlink("..", sub.join("up")).expect("symlink");
    // The same file by a second name: validated once.
    symlink(
        sub.join(PLAN),
        root.join("UPPLAN_202504_1310000001_43_1310000002_11_20250401093001.CSV"),
    )
    .expect("symlink");
    // A dangling link, a FIFO with a standard name, a name that is not UTF-8, a newline.
    symlink(
        root.join("gone"),
        root.join("UPJSK_202504_1310000002_11_1310000001_43_20250401093000.CSV"),
    )
    .expect("symlink");
    mkfifo(&root.join("UPSIKYU_202504_1310000001_43_1310000002_11_20250401093000.CSV"));
    std::fs::write(root.join(OsStr::from_bytes(b"UP\xFFPLAN.CSV")), b"").expect("write");
    std::fs::write(root.join("evil\nsummary: 0 files.CSV"), b"").expect("write");
    std::fs::write(root.join("README.txt"), b"notes").expect("write");

    let started = Instant::now();
    let r = run(&[root.to_owned()]);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the walk must not hang"
    );
    let got = reasons(&r);
    assert_eq!(r.summary.files, 1, "one file, once: {got:?}");
    assert!(
        r.files[0].path.contains("UPPLAN_202504_"),
        "{}",
        r.files[0].path
    );
    let has = |reason: SkipReason| got.iter().any(|(_, r)| *r == reason);
    assert!(has(SkipReason::SymlinkedFolder), "{got:?}");
    assert!(has(SkipReason::SameFile), "{got:?}");
    assert!(has(SkipReason::DanglingSymlink), "{got:?}");
    assert!(has(SkipReason::NotRegularFile), "{got:?}");
    assert!(has(SkipReason::NameNotUtf8), "{got:?}");
    assert!(has(SkipReason::NotStandardName), "{got:?}");
    assert_eq!(r.summary.skipped, r.skipped.len());
    assert!(got.iter().any(|(n, _)| n == "UP\\xFFPLAN.CSV"), "{got:?}");
    for s in &r.skipped {
        assert!(!s.path.contains('\n'), "escaped: {:?}", s.path);
    }
    assert!(
        r.skipped
            .iter()
            .any(|s| s.path.ends_with("evil\\nsummary: 0 files.CSV")),
        "{got:?}"
    );
}

#[test]
fn a_fifo_named_on_the_command_line_is_skipped_without_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join(PLAN);
    mkfifo(&fifo);
    let r = run(std::slice::from_ref(&fifo));
    assert_eq!(r.summary.files, 0);
    assert_eq!(r.skipped[0].reason, SkipReason::NotRegularFile);
    // The open itself refuses a FIFO without waiting for a writer.
    let err = cpcert_checks::validate_file(&fifo, Spec::embedded(), &ValidateOptions::default())
        .expect_err("not a regular file");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn a_missing_path_on_the_command_line_is_an_error_with_its_cause() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = validate_paths(
        &[dir.path().join("nope")],
        Spec::embedded(),
        &ValidateOptions::default(),
    )
    .expect_err("missing");
    let cause = std::error::Error::source(&err).expect("the OS reason is kept");
    assert!(cause.to_string().contains("No such file"), "{cause}");
}
