//! Making a bundle from a finished run, and reading one back.

use std::collections::BTreeMap;
use std::path::Path;

use cpcert_report::Results;
use cpcert_report::results::sha256_hex;

use crate::EvidenceError;
use crate::archive;
use crate::keys::{PrivateKey, SignatureFile};
use crate::manifest::{
    FORMAT, FORMAT_VERSION, MANIFEST, MASK_NOTE, Manifest, ManifestFile, RESULTS, SIGNATURE, SUITE,
    SuiteIndex,
};

/// The file name `certify` gives the bundle in its output folder.
pub const BUNDLE_FILE: &str = "bundle.cpcert";

/// What a bundle is made of.
pub struct BundleInput<'a> {
    /// The run's results, as written to results.json (already masked under `--mask`).
    pub results: &'a Results,
    /// The run's evidence folder: `<out>/evidence/<case>/{sent,received,expected}/`.
    pub evidence_dir: &'a Path,
    /// The suite folder the run used.
    pub suite: &'a Path,
    /// The vendor description file (name, bytes); None for the built-in reference product.
    pub vendor: Option<(&'a str, &'a [u8])>,
    /// Store evidence files as their hashes only (personal data).
    pub mask: bool,
    /// The challenge seed, when the run had one.
    pub challenge: Option<String>,
    /// Sign the manifest with this key.
    pub key: Option<&'a PrivateKey>,
}

/// Path of a case's definition inside a bundle (and the suite): `cases/export/planner/x.yaml`.
/// A tolerance case (made on the fly) is defined by its base import case's file.
pub fn case_path(case_id: &str) -> String {
    match cpcert_runner::tolerance::parse_id(case_id) {
        Some((base, _)) => format!("cases/{}.yaml", case_rel(&base)),
        None => format!("cases/{}.yaml", case_rel(case_id)),
    }
}

/// `export::planner::x` → `export/planner/x`.
pub fn case_rel(case_id: &str) -> String {
    case_id.replace("::", "/")
}

/// Path of an evidence file inside a bundle: `evidence/<case>/<sent|received|expected>/<name>`.
pub fn evidence_path(case_id: &str, file: &str) -> String {
    format!("evidence/{}/{file}", case_rel(case_id))
}

/// Builds the bundle's bytes.
///
/// # Errors
/// A case, scenario or evidence file that cannot be read, or an evidence file whose bytes no
/// longer match the hash results.json gives it (the evidence folder changed after the run).
pub fn build(input: &BundleInput<'_>) -> Result<Vec<u8>, EvidenceError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|source| EvidenceError::Io {
            path: path.to_owned(),
            source,
        })
    };
    let case_ids = cpcert_runner::suite_cases(input.suite)
        .map_err(|e| EvidenceError::Suite(e.to_string()))?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let index = SuiteIndex::of(input.suite, input.vendor, case_ids);
    let mut entries: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut masked: Vec<ManifestFile> = Vec::new();
    entries.insert(
        RESULTS.to_owned(),
        cpcert_report::json::render(input.results).into_bytes(),
    );
    entries.insert(SUITE.to_owned(), json_bytes(&index)?);
    for outcome in &input.results.outcomes {
        let case = case_path(&outcome.case);
        let case_bytes = read(&input.suite.join(&case))?;
        if let Some(scenario) = scenario_of(&case_bytes) {
            let path = format!("cases/scenarios/{scenario}.yaml");
            let bytes = read(&input.suite.join(&path))?;
            entries.insert(path, bytes);
        }
        entries.insert(case, case_bytes);
        for file in &outcome.files {
            let disk = input
                .evidence_dir
                .join(case_rel(&outcome.case))
                .join(&file.path);
            let bytes = read(&disk)?;
            if sha256_hex(&bytes) != file.sha256 {
                return Err(EvidenceError::Stale(disk));
            }
            let path = evidence_path(&outcome.case, &file.path);
            if input.mask {
                masked.push(ManifestFile {
                    path,
                    sha256: file.sha256.clone(),
                    size: bytes.len() as u64,
                    masked: Some(MASK_NOTE.to_owned()),
                });
            } else {
                entries.insert(path, bytes);
            }
        }
    }
    seal(
        entries,
        masked,
        input.results,
        &index,
        input.challenge.clone(),
        input.mask,
        input.key,
    )
}

/// Adds results.json's companions — the manifest (hash and size of every entry, and of the
/// masked files) and the signature — and writes the archive. `entries` already holds
/// results.json, suite.json, the case files and the kept evidence.
pub(crate) fn seal(
    mut entries: BTreeMap<String, Vec<u8>>,
    masked: Vec<ManifestFile>,
    r: &Results,
    index: &SuiteIndex,
    challenge: Option<String>,
    mask: bool,
    key: Option<&PrivateKey>,
) -> Result<Vec<u8>, EvidenceError> {
    let mut files: Vec<ManifestFile> = entries
        .iter()
        .map(|(path, bytes)| ManifestFile {
            path: path.clone(),
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
            masked: None,
        })
        .chain(masked)
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        format_version: FORMAT_VERSION,
        tool: format!("{} {}", r.tool.name, r.tool.version),
        spec_version: r.spec_version.clone(),
        spec_sha256: index.spec.sha256.clone(),
        suite_version: r.suite.version.clone(),
        suite_sha256: index.combined.clone(),
        challenge,
        product: format!("{} {}", r.product.name, r.product.version),
        run_id: r.run.id.clone(),
        masked: mask,
        files,
    };
    let manifest_bytes = json_bytes(&manifest)?;
    if let Some(key) = key {
        entries.insert(
            SIGNATURE.to_owned(),
            json_bytes(&key.sign(&manifest_bytes))?,
        );
    }
    entries.insert(MANIFEST.to_owned(), manifest_bytes);
    archive::write(&entries)
}

/// The `scenario:` of a case file, if it parses.
pub(crate) fn scenario_of(case_yaml: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(case_yaml).ok()?;
    serde_saphyr::from_str::<cpcert_runner::CaseFile>(text)
        .ok()
        .map(|c| c.scenario)
}

pub(crate) fn json_bytes<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, EvidenceError> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| EvidenceError::Archive(format!("cannot serialise: {e}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A bundle read back: its entries, and the manifest and signature parsed.
pub struct Bundle {
    /// Path → bytes of every entry.
    pub entries: BTreeMap<String, Vec<u8>>,
    /// `manifest.json` parsed.
    pub manifest: Manifest,
    /// `signature.json` parsed, when the bundle is signed.
    pub signature: Option<SignatureFile>,
}

impl Bundle {
    /// Reads a bundle's bytes.
    ///
    /// # Errors
    /// Not an archive within the limits, or no parseable manifest.
    pub fn read(bytes: &[u8]) -> Result<Bundle, EvidenceError> {
        let entries = archive::read(bytes)?;
        let manifest_bytes = entries
            .get(MANIFEST)
            .ok_or_else(|| EvidenceError::Archive(format!("no {MANIFEST}")))?;
        let manifest: Manifest = serde_json::from_slice(manifest_bytes)
            .map_err(|e| EvidenceError::Archive(format!("{MANIFEST}: {e}")))?;
        if manifest.format != FORMAT {
            return Err(EvidenceError::Archive(format!(
                "{MANIFEST}: format `{}` is not {FORMAT}",
                manifest.format
            )));
        }
        let signature = match entries.get(SIGNATURE) {
            None => None,
            Some(b) => Some(
                serde_json::from_slice(b)
                    .map_err(|e| EvidenceError::Archive(format!("{SIGNATURE}: {e}")))?,
            ),
        };
        Ok(Bundle {
            entries,
            manifest,
            signature,
        })
    }

    /// Reads a bundle file.
    ///
    /// # Errors
    /// As [`Bundle::read`], or the file cannot be read.
    pub fn open(path: &Path) -> Result<Bundle, EvidenceError> {
        let bytes = std::fs::read(path).map_err(|source| EvidenceError::Io {
            path: path.to_owned(),
            source,
        })?;
        Bundle::read(&bytes)
    }

    /// The manifest's bytes (what a signature signs).
    pub fn manifest_bytes(&self) -> &[u8] {
        self.entries.get(MANIFEST).map_or(&[], Vec::as_slice)
    }

    /// results.json parsed.
    ///
    /// # Errors
    /// Missing or not a results document.
    pub fn results(&self) -> Result<Results, EvidenceError> {
        let bytes = self
            .entries
            .get(RESULTS)
            .ok_or_else(|| EvidenceError::Archive(format!("no {RESULTS}")))?;
        serde_json::from_slice(bytes).map_err(|e| EvidenceError::Archive(format!("{RESULTS}: {e}")))
    }

    /// suite.json parsed.
    ///
    /// # Errors
    /// Missing or not a suite index.
    pub fn suite(&self) -> Result<SuiteIndex, EvidenceError> {
        let bytes = self
            .entries
            .get(SUITE)
            .ok_or_else(|| EvidenceError::Archive(format!("no {SUITE}")))?;
        serde_json::from_slice(bytes).map_err(|e| EvidenceError::Archive(format!("{SUITE}: {e}")))
    }
}
