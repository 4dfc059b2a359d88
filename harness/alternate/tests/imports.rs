//! The alternate reader against the reference's expected answer on every import case of the
//! suite (golden inputs): what `certify` asks of it, without the harness around it.

use std::path::{Path, PathBuf};

use cpcert_alternate::File;
use cpcert_scenario::reference::{self, ExportedFile};
use cpcert_spec::{HeldRecords, NotKept, Role, Spec};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[derive(serde::Deserialize)]
struct CaseHead {
    role: String,
    #[serde(default)]
    sender: Option<String>,
    direction: String,
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
}

fn read_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn sorted(held: &HeldRecords) -> Vec<(String, Vec<String>)> {
    let spec = Spec::embedded();
    let mut out = Vec::new();
    for (kind, records) in &held.0 {
        let count = spec.layout("202407", kind).map_or(0, |l| l.field_count);
        for r in records {
            out.push((kind.clone(), r.to_values(count)));
        }
    }
    out.sort();
    out
}

/// Every import case (its golden input): the alternate's held records equal the reference's,
/// record for record, and pass the suite's comparison.
#[test]
fn every_import_case_is_understood_as_the_reference_understands_it() {
    let root = root();
    let mut cases = Vec::new();
    yaml_files(&root.join("cases/import"), &mut cases);
    cases.sort();
    assert!(cases.len() >= 20, "found only {} import cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let text = std::fs::read_to_string(case).unwrap();
        let head: CaseHead = serde_saphyr::from_str(&text).unwrap();
        if head.direction != "import" {
            continue;
        }
        let role = Role::from_id(&head.role).unwrap();
        let sender = head
            .sender
            .as_deref()
            .map_or(role.default_sender(), |s| Role::from_id(s).unwrap());
        let rel = case
            .strip_prefix(root.join("cases"))
            .unwrap()
            .with_extension("");
        let inputs = read_in(&root.join("golden").join(&rel).join("in"));
        let sent: Vec<ExportedFile> = inputs
            .iter()
            .map(|(name, bytes)| ExportedFile {
                name: name.clone(),
                bytes: bytes.clone(),
            })
            .collect();
        let expected = reference::held(&reference::import(&sent, sender).unwrap()).unwrap();
        let files: Vec<File> = inputs
            .into_iter()
            .map(|(name, bytes)| File { name, bytes })
            .collect();
        let actual = match cpcert_alternate::import(&files) {
            Ok(held) => held,
            Err(e) => {
                failures.push(format!("{}: refused: {e}", rel.display()));
                continue;
            }
        };
        let compared = cpcert_checks::compare_held(
            Spec::embedded(),
            "202407",
            &expected,
            &actual,
            &NotKept::default(),
        );
        if !compared.passed() || sorted(&expected) != sorted(&actual) {
            failures.push(format!(
                "{}: {} differences, e.g. {:?}",
                rel.display(),
                compared.diffs.len(),
                compared.diffs.first()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
