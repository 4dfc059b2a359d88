//! The suite's self-test, scored: every fault of cases/faults/ must fail for its intended
//! reason (else a false pass), every permitted variant of cases/variants/ must pass every case
//! (else a false fail). `cpcert selftest` runs the suite and prints; the judging is here.

use std::collections::BTreeSet;
use std::path::Path;

use cpcert_checks::Severity;
use cpcert_report::{Direction, FaultOutcome, FaultStatus, Results, VariantOutcome, Verdict};
use cpcert_scenario::reference::{Fault, Variant};
use serde::Deserialize;

use crate::RunnerError;

/// One fault of the catalogue (cases/faults/*.yaml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultEntry {
    /// The fault.
    pub id: Fault,
    /// What the fault does (Japanese).
    pub title: String,
    /// The rule id, `golden-mismatch` (export/roundtrip files differ from golden/ in value),
    /// `import-mismatch` (what an import understood differs) or `case:<id substring>` that
    /// must catch it.
    pub caught_by: String,
    /// Which edge case or failure mode it comes from.
    #[serde(default)]
    pub source: String,
    /// The spec place that makes it a fault, where a value difference (not a rule) catches it.
    #[serde(default)]
    pub spec_place: Option<String>,
}

/// One permitted variant of the catalogue (cases/variants/*.yaml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariantEntry {
    /// The variant.
    pub id: Variant,
    /// What it does (Japanese).
    pub title: String,
    /// The spec place (or docs/rules.md policy) that permits it.
    pub spec_place: String,
    /// Warning rule ids it is expected to draw.
    #[serde(default)]
    pub warns: Vec<String>,
}

fn load_catalogue<T: for<'de> Deserialize<'de>>(dir: &Path) -> Result<Vec<T>, RunnerError> {
    let io = |source| RunnerError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        // Bounded like every loader: a FIFO or a huge file is an error, not a hang.
        let text =
            cpcert_spec::read_text_file(&path, cpcert_spec::MAX_TEXT_FILE_BYTES).map_err(|e| {
                RunnerError::Case {
                    path: path.clone(),
                    message: format!("cannot read: {e}"),
                }
            })?;
        let mut list: Vec<T> = serde_saphyr::from_str(&text).map_err(|e| RunnerError::Case {
            path: path.clone(),
            message: e.to_string(),
        })?;
        out.append(&mut list);
    }
    if out.is_empty() {
        return Err(RunnerError::Usage(cpcert_checks::Msg::new(
            format!("カタログ `{}` が空です", dir.display()),
            format!("the catalogue `{}` is empty", dir.display()),
        )));
    }
    Ok(out)
}

/// The fault catalogue of a suite.
///
/// # Errors
/// The folder cannot be read, a file does not parse, or the catalogue is empty.
pub fn load_faults(suite: &Path) -> Result<Vec<FaultEntry>, RunnerError> {
    load_catalogue(&suite.join("cases/faults"))
}

/// The permitted-variant catalogue of a suite.
///
/// # Errors
/// As [`load_faults`]; an unknown variant id is a parse error.
pub fn load_variants(suite: &Path) -> Result<Vec<VariantEntry>, RunnerError> {
    load_catalogue(&suite.join("cases/variants"))
}

/// What caught a faulty run: rule ids of error findings in failed cases, `golden-mismatch` /
/// `import-mismatch` for value differences, and `case:<id>` of every failed or errored case.
pub fn catchers(results: &Results) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for o in results
        .outcomes
        .iter()
        .filter(|o| matches!(o.verdict, Verdict::Fail | Verdict::Error))
    {
        out.insert(format!("case:{}", o.case));
        for f in o.findings.iter().filter(|f| f.severity == Severity::Error) {
            out.insert(f.rule.to_string());
        }
        if !o.diffs.is_empty() {
            let label = if o.direction == Direction::Import {
                "import-mismatch"
            } else {
                "golden-mismatch"
            };
            out.insert(label.to_owned());
        }
    }
    out
}

fn intended_caught(intended: &str, caught: &BTreeSet<String>) -> bool {
    match intended.strip_prefix("case:") {
        Some(case) => caught
            .iter()
            .any(|c| c.strip_prefix("case:").is_some_and(|id| id.contains(case))),
        None => caught.contains(intended),
    }
}

/// Scores one fault from the results of running the suite against it.
pub fn score_fault(fault: &FaultEntry, results: &Results) -> FaultOutcome {
    let caught = catchers(results);
    let status = if caught.is_empty() {
        FaultStatus::Survived
    } else if intended_caught(&fault.caught_by, &caught) {
        FaultStatus::Caught
    } else {
        FaultStatus::CaughtByOther
    };
    let mut caught_by: Vec<String> = caught
        .into_iter()
        .filter(|c| !c.starts_with("case:"))
        .collect();
    if caught_by.is_empty() && status != FaultStatus::Survived {
        caught_by.push("case".to_owned());
    }
    let mut title = fault.title.clone();
    if !fault.source.is_empty() {
        title.push_str(&format!(" ({})", fault.source));
    }
    FaultOutcome {
        id: fault.id.id().to_owned(),
        title,
        intended_rule: fault.caught_by.clone(),
        caught_by,
        status,
    }
}

/// Scores one permitted variant: every case must pass (or not apply); the warnings it draws
/// are listed, and those the catalogue names but it did not draw are missing.
pub fn score_variant(variant: &VariantEntry, results: &Results) -> VariantOutcome {
    let failed_cases = results
        .outcomes
        .iter()
        .filter(|o| !matches!(o.verdict, Verdict::Pass | Verdict::NotApplicable))
        .map(|o| o.case.clone())
        .collect();
    let warnings: BTreeSet<String> = results
        .outcomes
        .iter()
        .flat_map(|o| &o.findings)
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| f.rule.to_string())
        .collect();
    let missing_warnings = variant
        .warns
        .iter()
        .filter(|w| !warnings.contains(*w))
        .cloned()
        .collect();
    VariantOutcome {
        id: variant.id.id().to_owned(),
        title: format!("{} ({})", variant.title, variant.spec_place),
        failed_cases,
        warnings: warnings.into_iter().collect(),
        missing_warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn catalogues_load_and_name_every_variant() {
        let faults = load_faults(&suite()).unwrap();
        let ids: BTreeSet<Fault> = faults.iter().map(|f| f.id).collect();
        assert_eq!(ids, Fault::all().collect(), "one entry per fault");
        let variants = load_variants(&suite()).unwrap();
        let ids: BTreeSet<Variant> = variants.iter().map(|v| v.id).collect();
        assert_eq!(
            ids,
            Variant::ALL.into_iter().collect(),
            "one entry per variant"
        );
    }
}
