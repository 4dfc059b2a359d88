//! `cpcert selftest`: prove the suite can fail. The reference product must pass every case;
//! each faulty product of the catalogue (cases/faults/*.yaml) must fail, caught by the rule or
//! case the catalogue names. Prints and writes the mutation score.

use std::collections::BTreeSet;
use std::path::Path;

use cpcert_adapters::ReferenceAdapter;
use cpcert_checks::{Lang, Severity};
use cpcert_report::{FaultOutcome, FaultStatus, Results, SelfTest, Verdict};
use cpcert_runner::{
    SuiteOptions, load_cases, now_rfc3339, resolve_suite, run_suite, write_reports,
};
use cpcert_spec::Spec;
use serde::Deserialize;

use super::anyhow_lite::Result;
use crate::args::SelftestArgs;
use crate::exit_codes;

/// One fault of the catalogue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fault {
    id: String,
    title: String,
    /// The rule id, `golden-mismatch` (export/roundtrip files differ from golden/),
    /// `import-mismatch` (what an import understood differs from the scenario) or
    /// `case:<id substring>` that must catch it.
    caught_by: String,
    /// Which edge case or failure mode it comes from.
    #[serde(default)]
    source: String,
}

fn load_faults(suite: &Path) -> Result<Vec<Fault>> {
    let dir = suite.join("cases/faults");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("no fault catalogue at `{}`: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut faults = Vec::new();
    for p in paths {
        let text = cpcert_spec::read_text_file(&p, cpcert_spec::MAX_TEXT_FILE_BYTES)
            .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?;
        let mut list: Vec<Fault> =
            serde_saphyr::from_str(&text).map_err(|e| format!("`{}`: {e}", p.display()))?;
        faults.append(&mut list);
    }
    if faults.is_empty() {
        return Err(format!("the fault catalogue `{}` is empty", dir.display()).into());
    }
    Ok(faults)
}

/// What caught a faulty run: rule ids of error findings in failed cases, and `case:<id>` of
/// every failed or errored case.
fn catchers(results: &Results) -> BTreeSet<String> {
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
            // Export and roundtrip cases compare files with golden/; import cases compare what
            // the product understood with the scenario.
            let label = if o.direction == cpcert_report::Direction::Import {
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

pub(crate) fn exec(args: &SelftestArgs, lang: Lang) -> Result<u8> {
    super::set_jobs(args.jobs);
    let suite = resolve_suite(args.suite.as_deref())?;
    let started = std::env::var("CPCERT_NOW").unwrap_or_else(|_| now_rfc3339());
    let faults = load_faults(&suite)?;
    let cases = load_cases(&suite)?;
    let spec = Spec::embedded();
    let opts = |salt: &str| {
        let mut opts = SuiteOptions::new(
            &suite,
            args.out.join("golden-wip").join(salt),
            started.clone(),
        );
        opts.salt = salt.to_owned();
        opts.zero_durations = true;
        opts
    };
    let mut results = run_suite(&cases, &ReferenceAdapter::new(), spec, &opts("selftest"))?;
    let reference_ok = results.outcomes.iter().all(|o| o.verdict == Verdict::Pass);
    let mut outcomes = Vec::new();
    let bar = crate::term::progress(
        faults.len() as u64,
        match lang {
            Lang::Ja => "故障の検出",
            Lang::En => "faults",
        },
    );
    for fault in &faults {
        bar.inc(1);
        let faulty = run_suite(
            &cases,
            &ReferenceAdapter::with_fault(Some(fault.id.clone())),
            spec,
            &opts(&fault.id),
        )?;
        let caught: BTreeSet<String> = catchers(&faulty);
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
        let title = if fault.source.is_empty() {
            fault.title.clone()
        } else {
            format!("{} ({})", fault.title, fault.source)
        };
        outcomes.push(FaultOutcome {
            id: fault.id.clone(),
            title,
            intended_rule: fault.caught_by.clone(),
            caught_by,
            status,
        });
    }
    bar.finish_and_clear();
    let selftest = SelfTest::new(outcomes);
    for f in &selftest.faults {
        let mark = match (f.status, lang) {
            (FaultStatus::Caught, Lang::Ja) => "検出    ",
            (FaultStatus::CaughtByOther, Lang::Ja) => "別規則  ",
            (FaultStatus::Survived, Lang::Ja) => "見逃し  ",
            (FaultStatus::Caught, Lang::En) => "caught  ",
            (FaultStatus::CaughtByOther, Lang::En) => "OTHER   ",
            (FaultStatus::Survived, Lang::En) => "SURVIVED",
        };
        let (intended, by) = match lang {
            Lang::Ja => ("検出すべき規則", "検出した規則"),
            Lang::En => ("intended", "caught by"),
        };
        println!(
            "{mark} {:<32} {intended} {:<28} {by} {}",
            f.id,
            f.intended_rule,
            f.caught_by.join(", ")
        );
    }
    let caught = selftest
        .faults
        .iter()
        .filter(|f| f.status == FaultStatus::Caught)
        .count();
    let total = selftest.faults.len();
    results.selftest = Some(selftest);
    write_reports(&args.out, &results, lang, false)?;
    let percent = 100.0 * caught as f64 / total.max(1) as f64;
    match lang {
        Lang::Ja => {
            println!(
                "{}",
                if reference_ok {
                    "リファレンス: 全ケース合格"
                } else {
                    "リファレンス: 不合格のケースがあります"
                }
            );
            println!(
                "ミューテーションスコア: {caught}/{total} 件の故障を想定どおりの規則・ケースで検出 ({percent:.1} %)"
            );
        }
        Lang::En => {
            println!(
                "{}",
                if reference_ok {
                    "reference: all cases pass"
                } else {
                    "reference: SOME CASES DO NOT PASS"
                }
            );
            println!(
                "mutation score: {caught}/{total} faults caught by their intended rule or case ({percent:.1} %)"
            );
        }
    }
    Ok(if reference_ok && caught == total {
        exit_codes::OK
    } else {
        exit_codes::FAILED
    })
}
