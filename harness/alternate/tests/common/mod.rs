//! Helpers shared by the alternate product's integration tests: the suite's folders, the import
//! cases' heads, golden inputs, and held records in a comparable order.

// Each test binary uses a part of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use cpcert_alternate::File;
use cpcert_spec::{HeldRecords, Spec};

/// The repository (the suite: cases/ and golden/).
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What the tests read of a case file.
#[derive(serde::Deserialize)]
pub(crate) struct CaseHead {
    pub(crate) role: String,
    #[serde(default)]
    pub(crate) sender: Option<String>,
    pub(crate) direction: String,
    #[serde(default)]
    pub(crate) scenario: String,
}

/// Every `.yaml` file under `dir` (none when it cannot be read).
pub(crate) fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
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
