//! `cpcert selftest`: prove the suite can fail and does not fail the innocent. The reference
//! product must pass every case; each faulty product (cases/faults/) must fail, caught by the
//! rule or case the catalogue names; each permitted variant (cases/variants/) must pass every
//! case. Scoring lives in `cpcert_runner::selftest`; this runs, prints and writes.

use cpcert_adapters::ReferenceAdapter;
use cpcert_checks::Lang;
use cpcert_report::{FaultStatus, SelfTest, Verdict};
use cpcert_runner::selftest::{
    ToleranceTally, load_faults, load_variants, score_fault, score_variant,
};
use cpcert_runner::{
    SuiteOptions, now_rfc3339, resolve_suite, run_suite, suite_cases, write_reports,
};
use cpcert_spec::Spec;

use super::anyhow_lite::Result;
use crate::args::SelftestArgs;
use crate::exit_codes;

pub(crate) fn exec(args: &SelftestArgs, lang: Lang) -> Result<u8> {
    super::set_jobs(args.jobs);
    let suite = resolve_suite(args.suite.as_deref())?;
    let started = std::env::var("CPCERT_NOW").unwrap_or_else(|_| now_rfc3339());
    let faults = load_faults(&suite)?;
    let variants = load_variants(&suite)?;
    let cases = suite_cases(&suite)?;
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
    let mut fault_outcomes = Vec::new();
    let mut tolerance = ToleranceTally::default();
    let bar = crate::term::progress(
        (faults.len() + variants.len()) as u64,
        match lang {
            Lang::Ja => "故障の検出・許容される差異",
            Lang::En => "faults and variants",
        },
    );
    for fault in &faults {
        bar.inc(1);
        let adapter = ReferenceAdapter::with_fault(Some(fault.id));
        let results = run_suite(&cases, &adapter, spec, &opts(fault.id.id()))?;
        fault_outcomes.push(score_fault(fault, &results));
        tolerance.add(fault.id, &results);
    }
    let mut variant_outcomes = Vec::new();
    for variant in &variants {
        bar.inc(1);
        let adapter = ReferenceAdapter::with_variant(Some(variant.id), &started);
        let salt = format!("variant-{}", variant.id);
        let results = run_suite(&cases, &adapter, spec, &opts(&salt))?;
        variant_outcomes.push(score_variant(variant, &results));
    }
    bar.finish_and_clear();
    let selftest = SelfTest::with_variants(fault_outcomes, variant_outcomes)
        .with_tolerance(tolerance.score(&results));
    let ja = lang == Lang::Ja;
    for f in &selftest.faults {
        let mark = match (f.status, ja) {
            (FaultStatus::Caught, true) => "検出    ",
            (FaultStatus::CaughtByOther, true) => "別規則  ",
            (FaultStatus::Survived, true) => "未検出  ",
            (FaultStatus::Caught, false) => "caught  ",
            (FaultStatus::CaughtByOther, false) => "OTHER   ",
            (FaultStatus::Survived, false) => "SURVIVED",
        };
        let (intended, by) = if ja {
            ("想定", "検出")
        } else {
            ("intended", "caught by")
        };
        println!(
            "{mark} {:<32} {intended} {:<28} {by} {}",
            f.id,
            f.intended_rule,
            f.caught_by.join(", ")
        );
    }
    for v in &selftest.variants {
        let mark = match (v.passed(), ja) {
            (true, true) => "合格    ",
            (false, true) => "誤不合格",
            (true, false) => "passed  ",
            (false, false) => "FAILED  ",
        };
        let warned = if ja { "警告" } else { "warnings" };
        let mut line = format!("{mark} {:<32} {warned} {}", v.id, v.warnings.join(", "));
        if !v.failed_cases.is_empty() {
            line.push_str(&format!(" | {}", v.failed_cases.join(", ")));
        }
        if !v.missing_warnings.is_empty() {
            let missing = if ja {
                "出ない警告"
            } else {
                "missing warnings"
            };
            line.push_str(&format!(" | {missing}: {}", v.missing_warnings.join(", ")));
        }
        println!("{line}");
    }
    for t in selftest.unproven_tolerance() {
        let by = if t.failed_by.is_empty() {
            if ja { "なし" } else { "none" }.to_owned()
        } else {
            t.failed_by.join(", ")
        };
        if ja {
            println!(
                "未証明   {} 参照実装 {} 不合格にした故障 {by}",
                t.case,
                t.reference.label(lang)
            );
        } else {
            println!(
                "UNPROVEN {} reference {} failed by {by}",
                t.case,
                t.reference.id()
            );
        }
    }
    let tolerance_total = selftest.tolerance.len();
    let tolerance_pass = selftest
        .tolerance
        .iter()
        .filter(|t| t.reference == Verdict::Pass)
        .count();
    let tolerance_failed = selftest
        .tolerance
        .iter()
        .filter(|t| !t.failed_by.is_empty())
        .count();
    let tolerance_ok = selftest.unproven_tolerance().is_empty();
    let caught = selftest.score.caught as usize;
    let total = selftest.faults.len();
    let variants_ok = selftest.variants.iter().all(|v| v.passed());
    let (false_fails, false_passes, variant_count) = (
        selftest.false_fails,
        selftest.false_passes,
        selftest.variants.len(),
    );
    results.selftest = Some(selftest);
    write_reports(&args.out, &results, lang, false)?;
    let percent = 100.0 * caught as f64 / total.max(1) as f64;
    if ja {
        let reference = if reference_ok {
            "全ケース合格"
        } else {
            "不合格のケースがあります"
        };
        println!("参照実装: {reference}");
        println!("誤って不合格（許容される差異）: {false_fails} / {variant_count}");
        println!("誤って合格（未検出の故障）: {false_passes} / {total}");
        println!("検出率: {caught}/{total} の故障を想定した規則・ケースで検出 ({percent:.1} %)");
        println!(
            "許容される書き方の取込: {tolerance_total} ケース、参照実装で合格 {tolerance_pass}、故障した取込で不合格 {tolerance_failed}（どの故障でも不合格にならないケース {}）",
            tolerance_total - tolerance_failed
        );
    } else {
        let reference = if reference_ok {
            "all cases pass"
        } else {
            "SOME CASES DO NOT PASS"
        };
        println!("reference: {reference}");
        println!("false fails (permitted variants failed): {false_fails} / {variant_count}");
        println!("false passes (faults not caught): {false_passes} / {total}");
        println!(
            "mutation score: {caught}/{total} faults caught by their intended rule or case ({percent:.1} %)"
        );
        println!(
            "tolerance: {tolerance_total} cases, {tolerance_pass} pass on the reference, {tolerance_failed} failed by a faulty importer ({} failed by none)",
            tolerance_total - tolerance_failed
        );
    }
    Ok(
        if reference_ok && caught == total && variants_ok && tolerance_ok {
            exit_codes::OK
        } else {
            exit_codes::FAILED
        },
    )
}
