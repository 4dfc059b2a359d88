//! Helpers shared by the alternate product's integration tests: the suite's folders, the import
//! cases' heads, golden inputs, and held records in a comparable order.

// Each test binary uses a part of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use cpcert_alternate::File;
use cpcert_spec::{HeldRecords, Role, Spec};

/// The repository (the suite: cases/ and golden/).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What the tests read of a case file.
#[derive(serde::Deserialize)]
struct CaseHead {
    role: String,
    #[serde(default)]
    sender: Option<String>,
    direction: String,
    scenario: String,
}

/// One import case of the suite.
pub(crate) struct ImportCase {
    /// Path under cases/ without `.yaml` (`import/provider/minimal-from-planner`).
    pub(crate) rel: PathBuf,
    /// The importing role.
    pub(crate) role: Role,
    /// The role whose export is the input.
    pub(crate) sender: Role,
    /// The scenario's name (cases/scenarios/<name>.yaml).
    pub(crate) scenario: String,
}

impl ImportCase {
    /// The case's golden input files.
    pub(crate) fn inputs(&self) -> Vec<(String, Vec<u8>)> {
        read_in(&root().join("golden").join(&self.rel).join("in"))
    }
}

/// Every import case under cases/import, sorted by path.
pub(crate) fn import_cases() -> Vec<ImportCase> {
    let root = root();
    let mut paths = Vec::new();
    yaml_files(&root.join("cases/import"), &mut paths);
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        let head: CaseHead =
            serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if head.direction != "import" {
            continue;
        }
        let role = Role::from_id(&head.role).unwrap();
        let sender = head
            .sender
            .as_deref()
            .map_or(role.default_sender(), |s| Role::from_id(s).unwrap());
        let rel = path
            .strip_prefix(root.join("cases"))
            .unwrap()
            .with_extension("");
        cases.push(ImportCase {
            rel,
            role,
            sender,
            scenario: head.scenario,
        });
    }
    cases
}

/// Every `.yaml` file under `dir` (none when it cannot be read).
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

/// The files of a folder as (name, bytes), sorted by name.
pub(crate) fn read_in(dir: &Path) -> Vec<(String, Vec<u8>)> {
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

/// The golden input of an import case (`planner/deletions-from-provider`) as the product's files.
pub(crate) fn golden(case: &str) -> Vec<File> {
    read_in(&root().join("golden/import").join(case).join("in"))
        .into_iter()
        .map(|(name, bytes)| File { name, bytes })
        .collect()
}

/// Held records as (kind, every field's value), sorted: equal when two products hold the same.
pub(crate) fn sorted(held: &HeldRecords) -> Vec<(String, Vec<String>)> {
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
