//! The bundle's manifest (`manifest.json`, the signed part) and its suite index (`suite.json`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cpcert_report::results::sha256_hex;
use serde::{Deserialize, Serialize};

/// `format` of every manifest.
pub const FORMAT: &str = "cpcert-bundle";
/// `format_version` written by this crate.
pub const FORMAT_VERSION: u32 = 1;
/// Entry names inside a bundle.
pub const MANIFEST: &str = "manifest.json";
/// The signature entry (not listed in the manifest: it signs the manifest).
pub const SIGNATURE: &str = "signature.json";
/// The run's results.
pub const RESULTS: &str = "results.json";
/// The suite index.
pub const SUITE: &str = "suite.json";

/// `manifest.json`: what the bundle holds, with the SHA-256 of every other entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written by this crate.
    pub format_version: u32,
    /// The cpcert that made the bundle: `cpcert 0.1.0`.
    pub tool: String,
    /// CSVバージョン judged against, e.g. `202407`.
    pub spec_version: String,
    /// SHA-256 over the spec data the tool judged by (see [`SuiteIndex::spec`]).
    pub spec_sha256: String,
    /// results.json's `suite.version` and the combined suite fingerprint.
    pub suite_version: String,
    /// [`SuiteIndex::combined`].
    pub suite_sha256: String,
    /// The challenge seed of the run, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
    /// Product name and version as the product declared them.
    pub product: String,
    /// results.json's run id.
    pub run_id: String,
    /// Whether personal data was masked (evidence files stored as their hashes only).
    pub masked: bool,
    /// Every entry but the manifest and signature, sorted by path.
    pub files: Vec<ManifestFile>,
}

/// One entry of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ManifestFile {
    /// Path inside the bundle.
    pub path: String,
    /// Lower-case hex SHA-256 of the entry's bytes (of the original bytes, when masked).
    pub sha256: String,
    /// Size in bytes (of the original, when masked).
    pub size: u64,
    /// Why the bytes are not in the bundle (declared by hash only), when they are not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masked: Option<String>,
}

/// The note written for a masked evidence file.
pub const MASK_NOTE: &str = "personal data: --mask keeps this file as its SHA-256 only; the case cannot be re-judged from this bundle";

/// `suite.json`: every file of the suite the run used, hashed, in five parts, and one combined
/// hash. Verify checks the bundled case definitions, scenarios and expected files against it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuiteIndex {
    /// Case definitions: `cases/<direction>/<role>/<name>.yaml`.
    pub cases: Part,
    /// Scenarios: `cases/scenarios/*.yaml`.
    pub scenarios: Part,
    /// Golden files: `golden/**`.
    pub golden: Part,
    /// The spec data embedded in the tool: `spec/**`.
    pub spec: Part,
    /// The vendor description the run used (`vendor/<file name>`; `vendor/reference` for the
    /// built-in reference product, hashed over its name).
    pub vendor: Part,
    /// SHA-256 over the five parts' hashes, in the order above.
    pub combined: String,
    /// Every case id of the suite (whether or not this run selected it): a run is complete when
    /// it has an outcome for each.
    pub case_ids: Vec<String>,
}

/// One part of the suite fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Part {
    /// SHA-256 over `path\tsha256\n` lines of `files`, sorted by path.
    pub sha256: String,
    /// Path → SHA-256.
    pub files: BTreeMap<String, String>,
}

impl Part {
    /// A part from path → SHA-256.
    pub fn new(files: BTreeMap<String, String>) -> Part {
        Part {
            sha256: Part::hash_of(&files),
            files,
        }
    }

    fn hash_of(files: &BTreeMap<String, String>) -> String {
        let mut text = String::new();
        for (path, sha) in files {
            text.push_str(path);
            text.push('\t');
            text.push_str(sha);
            text.push('\n');
        }
        sha256_hex(text.as_bytes())
    }

    /// Whether `sha256` is the hash of `files`.
    pub fn holds(&self) -> bool {
        self.sha256 == Part::hash_of(&self.files)
    }
}

impl SuiteIndex {
    /// Indexes the suite folder, the embedded spec and the vendor description.
    pub fn of(suite: &Path, vendor: Option<(&str, &[u8])>, case_ids: Vec<String>) -> SuiteIndex {
        let mut cases = BTreeMap::new();
        let mut scenarios = BTreeMap::new();
        let mut golden = BTreeMap::new();
        for top in ["cases", "golden"] {
            let mut files = Vec::new();
            collect(&suite.join(top), &mut files);
            for f in files {
                let Ok(bytes) = std::fs::read(&f) else {
                    continue;
                };
                let rel = f
                    .strip_prefix(suite)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                let sha = sha256_hex(&bytes);
                if rel.starts_with("golden/") {
                    golden.insert(rel, sha);
                } else if rel.starts_with("cases/scenarios/") {
                    scenarios.insert(rel, sha);
                } else {
                    cases.insert(rel, sha);
                }
            }
        }
        let spec = cpcert_spec::Spec::embedded_files()
            .iter()
            .map(|(p, text)| (format!("spec/{p}"), sha256_hex(text.as_bytes())))
            .collect();
        let vendor = match vendor {
            Some((name, bytes)) => [(format!("vendor/{name}"), sha256_hex(bytes))].into(),
            None => [("vendor/reference".to_owned(), sha256_hex(b"reference"))].into(),
        };
        let mut index = SuiteIndex::from_parts(
            Part::new(cases),
            Part::new(scenarios),
            Part::new(golden),
            Part::new(spec),
            Part::new(vendor),
        );
        index.case_ids = case_ids;
        index
    }

    /// Joins five parts, computing the combined hash.
    pub fn from_parts(
        cases: Part,
        scenarios: Part,
        golden: Part,
        spec: Part,
        vendor: Part,
    ) -> SuiteIndex {
        let mut index = SuiteIndex {
            cases,
            scenarios,
            golden,
            spec,
            vendor,
            combined: String::new(),
            case_ids: Vec::new(),
        };
        index.combined = index.combined_hash();
        index
    }

    /// The combined hash recomputed from the parts' hashes.
    pub fn combined_hash(&self) -> String {
        let text = [
            &self.cases.sha256,
            &self.scenarios.sha256,
            &self.golden.sha256,
            &self.spec.sha256,
            &self.vendor.sha256,
        ]
        .map(String::as_str)
        .join("\n");
        sha256_hex(text.as_bytes())
    }

    /// The SHA-256 of any indexed file (`cases/…`, `golden/…`, `spec/…`).
    pub fn file(&self, path: &str) -> Option<&str> {
        [
            &self.cases,
            &self.scenarios,
            &self.golden,
            &self.spec,
            &self.vendor,
        ]
        .into_iter()
        .find_map(|p| p.files.get(path))
        .map(String::as_str)
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// SHA-256 of the spec data embedded in this cpcert (the spec part of a fresh [`SuiteIndex`]).
pub fn embedded_spec_sha256() -> String {
    let files = cpcert_spec::Spec::embedded_files()
        .iter()
        .map(|(p, text)| (format!("spec/{p}"), sha256_hex(text.as_bytes())))
        .collect();
    Part::new(files).sha256
}
