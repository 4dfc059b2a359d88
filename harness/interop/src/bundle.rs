//! A bundle of an earlier certification as a sender: the files the certified product exported
//! in its export cases (`evidence/<case>/received/`), verified before use.

use std::path::{Path, PathBuf};

use cpcert_checks::{Lang, Msg};
use cpcert_evidence::bundle::{Bundle, evidence_path};
use cpcert_evidence::verify::{VerifyOptions, verify};
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
    ) -> Result<Vec<ExportedFile>, String> {
        let id = &export.id;
        let Some(outcome) = self.results.outcomes.iter().find(|o| &o.case == id) else {
            return Err(format!(
                "the bundle holds no outcome of the export case `{id}` (a partial run?)"
            ));
        };
        match outcome.verdict {
            Verdict::NotApplicable => {
                return Err(format!(
                    "the export case `{id}` did not apply to the certified product"
                ));
            }
            Verdict::Error => {
                let why = outcome
                    .error
                    .as_deref()
                    .unwrap_or("")
                    .lines()
                    .next()
                    .unwrap_or("");
                return Err(format!(
                    "the export case `{id}` could not be run in that certification: {why}"
                ));
            }
            Verdict::Pass | Verdict::Fail => {}
        }
        let scenario = format!("cases/scenarios/{}.yaml", export.file.scenario);
        match self.bundle.entries.get(&scenario) {
            Some(bytes) if bytes.as_slice() == scenario_bytes => {}
            Some(_) => {
                return Err(format!(
                    "the bundle's `{scenario}` is not this suite's: the certified export is of other data"
                ));
            }
            None => return Err(format!("the bundle does not hold `{scenario}`")),
        }
        let mut files = Vec::new();
        for f in outcome
            .files
            .iter()
            .filter(|f| f.direction == FileDirection::Received)
        {
            let entry = evidence_path(id, &f.path);
            let Some(bytes) = self.bundle.entries.get(&entry) else {
                return Err(if self.bundle.manifest.masked {
                    format!("`{entry}` is masked in the bundle (--mask keeps its hash only)")
                } else {
                    format!("the bundle does not hold `{entry}`")
                });
            };
            let name = f.path.rsplit('/').next().unwrap_or(&f.path).to_owned();
            files.push(ExportedFile {
                name,
                bytes: bytes.clone(),
            });
        }
        if files.is_empty() {
            return Err(format!("the certified product exported no file in `{id}`"));
        }
        files.sort();
        Ok(files)
    }
}
