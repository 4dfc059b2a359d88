//! A bundle of an earlier certification as a sender: the files the certified product exported
//! in its export cases (`evidence/<case>/received/`), verified before use.

use std::path::{Path, PathBuf};

use cpcert_checks::{Lang, Msg};
use cpcert_evidence::bundle::{Bundle, evidence_path};
use cpcert_evidence::verify::{VerifyOptions, verify};
use cpcert_report::interop::Why;
use cpcert_report::{FileDirection, Results, Verdict};
use cpcert_runner::Case;
use cpcert_scenario::reference::ExportedFile;

use crate::InteropError;

/// A verified bundle and its results.
pub(crate) struct SenderBundle {
    path: PathBuf,
    bundle: Bundle,
    results: Results,
}

impl SenderBundle {
    /// Reads and verifies a bundle (its entries are the manifest's, its verdicts follow from its
    /// evidence): a sender's files are taken only from a bundle that holds.
    pub(crate) fn open(path: &Path) -> Result<SenderBundle, InteropError> {
        let err = |reason: Msg| InteropError::Bundle {
            path: path.to_owned(),
            reason,
        };
        let text = |e: &dyn std::fmt::Display| Msg::new(e.to_string(), e.to_string());
        let bundle = Bundle::open(path).map_err(|e| err(text(&e)))?;
        let v = verify(&bundle, &VerifyOptions::default());
        if !v.holds() {
            let problems = |lang| -> String {
                v.problems
                    .iter()
                    .take(5)
                    .map(|p| p.text(lang))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            return Err(err(Msg::new(
                format!(
                    "証拠が成り立ちません（問題 {} 件。`cpcert verify` で一覧できます）: {}",
                    v.problems.len(),
                    problems(Lang::Ja)
                ),
                format!(
                    "its evidence does not hold ({} problems; `cpcert verify` lists them): {}",
                    v.problems.len(),
                    problems(Lang::En)
                ),
            )));
        }
        let results = bundle.results().map_err(|e| err(text(&e)))?;
        Ok(SenderBundle {
            path: path.to_owned(),
            bundle,
            results,
        })
    }

    /// The certified product's name, version and roles.
    pub(crate) fn results(&self) -> &Results {
        &self.results
    }

    /// The challenge seed the certification ran under, if any.
    pub(crate) fn challenge(&self) -> Option<&str> {
        self.bundle.manifest.challenge.as_deref()
    }

    /// `run <id> (<file>)[, challenge <seed>]`.
    pub(crate) fn source_note(&self) -> String {
        let mut note = format!("run {} ({})", self.results.run.id, self.path.display());
        if let Some(seed) = self.challenge() {
            note.push_str(&format!(", challenge {seed}"));
        }
        note
    }

    /// The files the product exported in `export` (an export case of the local suite) for
    /// `scenario` (its bytes in the local suite), or why they cannot be used: a "not run" cell's
    /// reason, never a silent pass.
    pub(crate) fn files(
        &self,
        export: &Case,
        scenario_bytes: &[u8],
    ) -> Result<Vec<ExportedFile>, Why> {
        let case = export.id.clone();
        let Some(outcome) = self.results.outcomes.iter().find(|o| o.case == case) else {
            return Err(Why::BundleWithoutCase { case });
        };
        match outcome.verdict {
            Verdict::NotApplicable => return Err(Why::BundleCaseNotApplicable { case }),
            Verdict::Error => return Err(Why::BundleCaseNotRun { case }),
            Verdict::Pass | Verdict::Fail => {}
        }
        let scenario = format!("cases/scenarios/{}.yaml", export.file.scenario);
        match self.bundle.entries.get(&scenario) {
            Some(bytes) if bytes.as_slice() == scenario_bytes => {}
            Some(_) => return Err(Why::BundleOtherScenario { scenario }),
            None => {
                return Err(Why::BundleWithoutFile {
                    entry: scenario,
                    masked: false,
                });
            }
        }
        let mut files = Vec::new();
        for f in outcome
            .files
            .iter()
            .filter(|f| f.direction == FileDirection::Received)
        {
            let entry = evidence_path(&case, &f.path);
            let Some(bytes) = self.bundle.entries.get(&entry) else {
                return Err(Why::BundleWithoutFile {
                    entry,
                    masked: self.bundle.manifest.masked,
                });
            };
            let name = f.path.rsplit('/').next().unwrap_or(&f.path).to_owned();
            files.push(ExportedFile {
                name,
                bytes: bytes.clone(),
            });
        }
        if files.is_empty() {
            return Err(Why::BundleWithoutFiles { case });
        }
        files.sort();
        Ok(files)
    }
}
