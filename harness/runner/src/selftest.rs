//! The suite's self-test, scored: every fault of cases/faults/ must fail for its intended
//! reason (else a false pass), every permitted variant of cases/variants/ must pass every case
//! (else a false fail). `cpcert selftest` runs the suite and prints; the judging is here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cpcert_checks::Severity;
use cpcert_report::{
    Direction, FaultOutcome, FaultStatus, Results, ToleranceOutcome, VariantOutcome, Verdict,
};
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

/// Which tolerance cases each faulty product failed, gathered run by run (only the ids are
/// kept). A tolerance case must pass against the reference and fail against at least one
/// faulty importer: one that no careless reader fails proves nothing.
#[derive(Debug, Default)]
pub struct ToleranceTally {
    failed_by: BTreeMap<String, BTreeSet<String>>,
}

impl ToleranceTally {
    /// Notes the tolerance cases `fault`'s run failed (a refusal of the input is a failure; a
    /// case that could not be run is not).
    pub fn add(&mut self, fault: Fault, results: &Results) {
        for o in results
            .outcomes
            .iter()
            .filter(|o| o.is_tolerance() && o.verdict == Verdict::Fail)
        {
            self.failed_by
                .entry(o.case.clone())
                .or_default()
                .insert(fault.id().to_owned());
        }
    }

    /// Every tolerance case of the reference run, with its verdict and the faults that failed
    /// it.
    pub fn score(&self, reference: &Results) -> Vec<ToleranceOutcome> {
        reference
            .outcomes
            .iter()
            .filter(|o| o.is_tolerance())
            .map(|o| ToleranceOutcome {
                case: o.case.clone(),
                variant: o.tolerance.clone().unwrap_or_default(),
                reference: o.verdict,
                failed_by: self
                    .failed_by
                    .get(&o.case)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// The tolerance cases of one import case, run against the reference and against the
    /// faulty importers that read one permitted writing wrong: each passes on the reference and
    /// is failed by its careless reader; without that reader, its case is reported unproven.
    #[test]
    fn each_tolerance_case_passes_the_reference_and_fails_a_careless_reader() {
        use cpcert_adapters::ReferenceAdapter;
        let suite = suite();
        let all = crate::suite_cases(&suite).unwrap();
        let cases: Vec<_> = all
            .iter()
            .filter(|c| {
                c.id.starts_with("tolerance::provider::minimal-from-planner::")
            })
            .cloned()
            .collect();
        assert!(cases.len() >= 6, "{}", cases.len());
        let spec = cpcert_spec::Spec::embedded();
        let dir = tempfile::tempdir().unwrap();
        let run = |adapter: &ReferenceAdapter| {
            let opts = crate::SuiteOptions::new(&suite, dir.path().join("wip"), "t".to_owned());
            crate::run_suite(&cases, adapter, spec, &opts).unwrap()
        };
        let reference = run(&ReferenceAdapter::new());
        let faults: Vec<Fault> = load_faults(&suite)
            .unwrap()
            .into_iter()
            .filter(|f| {
                f.caught_by
                    .starts_with("case:tolerance::provider::minimal-from-planner::")
            })
            .map(|f| f.id)
            .collect();
        assert!(faults.len() >= 5, "{faults:?}");
        let mut tally = ToleranceTally::default();
        let mut without_crlf = ToleranceTally::default();
        for fault in &faults {
            let results = run(&ReferenceAdapter::with_fault(Some(*fault)));
            tally.add(*fault, &results);
            if *fault != Fault::CrlfRequired {
                without_crlf.add(*fault, &results);
            }
        }
        let scored = tally.score(&reference);
        assert_eq!(scored.len(), cases.len());
        for t in &scored {
            let variant = t.case.rsplit("::").next().unwrap();
            assert_eq!(t.variant, variant);
            assert_eq!(t.reference, Verdict::Pass, "{}", t.case);
            // created-today is caught only where a document is sent again (other cases).
            if variant != "created-today" {
                assert!(t.proven(), "{}: failed by no faulty importer", t.case);
            }
        }
        let lf = |tally: &ToleranceTally| {
            tally
                .score(&reference)
                .into_iter()
                .find(|t| t.variant == "lf-only")
                .unwrap()
        };
        assert_eq!(lf(&tally).failed_by, vec!["crlf-required".to_owned()]);
        let unproven = lf(&without_crlf);
        assert!(!unproven.proven(), "{unproven:?}");
        let st =
            cpcert_report::SelfTest::new(Vec::new()).with_tolerance(without_crlf.score(&reference));
        assert!(
            st.unproven_tolerance()
                .iter()
                .any(|t| t.variant == "lf-only"),
            "the selftest names the case no faulty importer fails"
        );
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
