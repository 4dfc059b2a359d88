//! The verdict in words, the same in every place it is said: the terminal line, the HTML
//! headline, JUnit's properties and the Markdown summary for a CI job page.
//!
//! 「全ケース合格」 is said only of a complete run (every case of the suite selected) in which
//! every case passed; a partial run says so, with how much of the suite it ran.

use std::fmt::Write as _;

use cpcert_checks::Lang;

use crate::labels;
use crate::results::{Results, Verdict};

/// The overall judgement of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overall {
    /// Complete run, every case passed.
    AllPassed,
    /// Complete run, every case passed or did not apply to the product's roles.
    ApplicablePassed,
    /// Partial run whose cases all passed (or did not apply): certifies nothing.
    PartialPassed,
    /// At least one case failed.
    Failed,
    /// At least one case could not be run.
    Error,
}

impl Overall {
    /// The judgement of `results`: error wins over failure, failure over a partial pass.
    pub fn of(results: &Results) -> Overall {
        let counts = results.counts();
        if counts.error > 0 {
            Overall::Error
        } else if counts.fail > 0 {
            Overall::Failed
        } else if !results.is_complete() {
            Overall::PartialPassed
        } else if counts.not_applicable > 0 || counts.pass == 0 {
            Overall::ApplicablePassed
        } else {
            Overall::AllPassed
        }
    }

    /// CSS class suffix and stable id.
    pub fn id(self) -> &'static str {
        match self {
            Overall::AllPassed | Overall::ApplicablePassed => "pass",
            Overall::PartialPassed => "partial",
            Overall::Failed => "fail",
            Overall::Error => "error",
        }
    }
}

/// The headline: the judgement and, for a partial run, how much of the suite ran.
pub fn headline(results: &Results, lang: Lang) -> String {
    let overall = Overall::of(results);
    let counts = results.counts();
    let text = match (lang, overall) {
        (Lang::Ja, Overall::AllPassed) => "全ケース合格".to_owned(),
        (Lang::Ja, Overall::ApplicablePassed) => format!(
            "対象のケースはすべて合格（対象外 {} 件）",
            counts.not_applicable
        ),
        (Lang::Ja, Overall::PartialPassed) => {
            "実行したケースはすべて合格（認証には全ケースの実行が必要）".to_owned()
        }
        (Lang::Ja, Overall::Failed) => "不合格のケースあり".to_owned(),
        (Lang::Ja, Overall::Error) => "試験不能のケースあり（試験未完了）".to_owned(),
        (Lang::En, Overall::AllPassed) => "All cases passed".to_owned(),
        (Lang::En, Overall::ApplicablePassed) => format!(
            "Every applicable case passed ({} not applicable)",
            counts.not_applicable
        ),
        (Lang::En, Overall::PartialPassed) => {
            "Every case run passed (certification needs every case)".to_owned()
        }
        (Lang::En, Overall::Failed) => "Conformance failures".to_owned(),
        (Lang::En, Overall::Error) => "Cases could not be run (incomplete)".to_owned(),
    };
    match lang {
        _ if results.is_complete() => text,
        Lang::Ja => format!("{}{text}", scope_note(results, lang)),
        Lang::En => format!("{text}{}", scope_note(results, lang)),
    }
}

/// How much of the suite a partial run ran: `部分実行（スイート 64 件中 12 件を実行）：` before
/// the Japanese headline, ` — partial run: 12 of the suite's 64 cases` after the English one.
fn scope_note(results: &Results, lang: Lang) -> String {
    let (run, suite) = results
        .coverage
        .as_ref()
        .map_or((results.outcomes.len(), None), |c| {
            (c.cases_run, Some(c.suite_cases))
        });
    match (lang, suite) {
        (Lang::Ja, Some(suite)) => format!("部分実行（スイート {suite} 件中 {run} 件を実行）："),
        (Lang::Ja, None) => format!("実行範囲不明（{run} 件を実行）："),
        (Lang::En, Some(suite)) => format!(" — partial run: {run} of the suite's {suite} cases"),
        (Lang::En, None) => format!(" — coverage unknown: {run} cases run"),
    }
}

/// The terminal lines naming each failed or untestable case (verdict in `lang`, the case, the
/// first line of its error when it has one), for stderr before the summary line.
pub fn terminal_failures(results: &Results, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    for o in results
        .outcomes
        .iter()
        .filter(|o| matches!(o.verdict, Verdict::Fail | Verdict::Error))
    {
        lines.push(format!("  {} {}", labels::verdict(lang, o.verdict), o.case));
        if let Some(e) = o.error_in(lang) {
            lines.push(format!("      {}", e.lines().next().unwrap_or_default()));
        }
    }
    lines
}

/// The one-line terminal summary.
pub fn terminal_line(results: &Results, lang: Lang) -> String {
    let c = results.counts();
    let product = format!("{} {}", results.product.name, results.product.version);
    let counts = match lang {
        Lang::Ja => format!(
            "合格 {}、不合格 {}、試験不能 {}、対象外 {}（全 {} ケース）",
            c.pass, c.fail, c.error, c.not_applicable, c.total
        ),
        Lang::En => format!(
            "{} passed, {} failed, {} errors, {} not applicable ({} cases)",
            c.pass, c.fail, c.error, c.not_applicable, c.total
        ),
    };
    format!(
        "{product}: {counts}{} — {}",
        tolerance_note(results, lang),
        headline(results, lang)
    )
}

/// The tolerance group's own count (empty when the run has no tolerance case):
/// `、うち許容される書き方の取込 合格 150 / 180` / `; tolerance: 150 of 180 passed`.
pub fn tolerance_note(results: &Results, lang: Lang) -> String {
    match (results.tolerance_counts(), lang) {
        (None, _) => String::new(),
        (Some(t), Lang::Ja) => {
            format!("、うち許容される書き方の取込 合格 {} / {}", t.pass, t.total)
        }
        (Some(t), Lang::En) => format!("; tolerance: {} of {} passed", t.pass, t.total),
    }
}

/// The Markdown summary for a CI job page (`$GITHUB_STEP_SUMMARY`, summary.md): the headline,
/// the selection, the coverage and the cases that failed. Pure and deterministic.
pub fn markdown(results: &Results, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let mut md = String::new();
    let title = if ja { "適合性試験" } else { "Conformance" };
    let _ = writeln!(
        md,
        "## cpcert {title}: {} {}\n",
        results.product.name, results.product.version
    );
    let _ = writeln!(md, "**{}**\n", headline(results, lang));
    let c = results.counts();
    let (l_pass, l_fail, l_err, l_na) = (
        labels::verdict(lang, Verdict::Pass),
        labels::verdict(lang, Verdict::Fail),
        labels::verdict(lang, Verdict::Error),
        labels::verdict(lang, Verdict::NotApplicable),
    );
    let _ = writeln!(md, "| {l_pass} | {l_fail} | {l_err} | {l_na} |");
    let _ = writeln!(md, "|---:|---:|---:|---:|");
    let _ = writeln!(
        md,
        "| {} | {} | {} | {} |\n",
        c.pass, c.fail, c.error, c.not_applicable
    );
    if let Some(t) = results.tolerance_counts() {
        let _ = writeln!(
            md,
            "{}: {l_pass} {} / {l_fail} {} / {l_err} {} / {l_na} {} ({} {})\n",
            if ja {
                "許容される書き方の取込（tolerance）"
            } else {
                "Tolerance (inputs written in a permitted way)"
            },
            t.pass,
            t.fail,
            t.error,
            t.not_applicable,
            t.total,
            if ja { "ケース" } else { "cases" }
        );
    }
    if let Some(sel) = &results.selection {
        let mut parts = vec![format!(
            "{} `{}`",
            if ja { "製品" } else { "vendor" },
            sel.vendor
        )];
        for f in &sel.filters {
            parts.push(format!("--filter `{f}`"));
        }
        for r in &sel.roles {
            parts.push(format!("--role `{}`", r.id()));
        }
        for (flag, value) in [
            ("--partition", &sel.partition),
            ("--fault", &sel.fault),
            ("--variant", &sel.variant),
            ("--challenge", &sel.challenge),
        ] {
            if let Some(v) = value {
                parts.push(format!("{flag} `{v}`"));
            }
        }
        let _ = writeln!(
            md,
            "{}: {}\n",
            if ja { "選択" } else { "Selection" },
            parts.join(", ")
        );
    }
    if let Some(cov) = &results.coverage {
        let _ = writeln!(
            md,
            "{}: {} / {}\n",
            if ja {
                "実行ケース数"
            } else {
                "Cases run"
            },
            cov.cases_run,
            cov.suite_cases
        );
    }
    let bad: Vec<_> = results
        .sorted_outcomes()
        .into_iter()
        .filter(|o| matches!(o.verdict, Verdict::Fail | Verdict::Error))
        .collect();
    if !bad.is_empty() {
        let _ = writeln!(
            md,
            "### {}\n",
            if ja {
                "不合格・試験不能のケース"
            } else {
                "Failed and errored cases"
            }
        );
        for o in bad {
            let line = format!(
                "- {} `{}` {}",
                labels::verdict(lang, o.verdict),
                o.case,
                o.failed_kinds().join(" ")
            );
            let _ = writeln!(md, "{}", line.trim_end());
        }
        md.push('\n');
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Direction, Outcome, Product, Requirement, Run, Suite, Tool};
    use crate::{CaseRef, Coverage, CoverageInput};

    fn results(verdicts: &[Verdict], suite_cases: usize) -> Results {
        let outcomes: Vec<Outcome> = verdicts
            .iter()
            .enumerate()
            .map(|(i, &verdict)| Outcome {
                case: format!("export::planner::c{i}"),
                title: String::new(),
                spec_place: String::new(),
                role: cpcert_spec::Role::Planner,
                direction: Direction::Export,
                kinds: vec!["UPPLAN".into()],
                required: Requirement::Required,
                verdict,
                findings: vec![],
                diffs: vec![],
                text_diffs: vec![],
                files: vec![],
                file_kinds: Default::default(),
                error: None,
                error_ja: None,
                duration_ms: None,
                held: Vec::new(),
                tolerance: None,
            })
            .collect();
        let refs: Vec<CaseRef> = (0..suite_cases)
            .map(|i| CaseRef {
                case: format!("export::planner::c{i}"),
                role: cpcert_spec::Role::Planner,
                direction: Direction::Export,
                kinds: vec!["UPPLAN".into()],
            })
            .collect();
        let coverage = Coverage::of(refs.iter().enumerate().map(|(i, case)| CoverageInput {
            case,
            selected: i < verdicts.len(),
        }));
        Results {
            schema_version: crate::results::SCHEMA_VERSION,
            tool: Tool {
                name: "cpcert".into(),
                version: "0".into(),
            },
            suite: Suite {
                name: "s".into(),
                version: "0".into(),
            },
            spec_version: "202407".into(),
            product: Product {
                name: "p".into(),
                version: "1".into(),
                roles: vec![cpcert_spec::Role::Planner],
            },
            run: Run {
                id: "r".into(),
                started: "2026-01-01T00:00:00Z".into(),
            },
            selection: None,
            coverage: Some(coverage),
            outcomes,
            confinement: None,
            selftest: None,
        }
    }

    #[test]
    fn all_passed_only_for_a_complete_run() {
        use Verdict::*;
        let complete = results(&[Pass, Pass], 2);
        assert_eq!(Overall::of(&complete), Overall::AllPassed);
        assert_eq!(headline(&complete, Lang::Ja), "全ケース合格");
        let partial = results(&[Pass, Pass], 5);
        assert_eq!(Overall::of(&partial), Overall::PartialPassed);
        let text = headline(&partial, Lang::Ja);
        assert!(!text.contains("全ケース合格"), "{text}");
        assert!(text.contains("スイート 5 件中 2 件"), "{text}");
        assert!(terminal_line(&partial, Lang::En).contains("2 of the suite's 5 cases"));
        assert!(markdown(&partial, Lang::Ja).contains("2 / 5"));
        let mut unknown = results(&[Pass], 1);
        unknown.coverage = None;
        assert_eq!(Overall::of(&unknown), Overall::PartialPassed);
        let na = results(&[Pass, NotApplicable], 2);
        assert_eq!(Overall::of(&na), Overall::ApplicablePassed);
        assert!(!headline(&na, Lang::Ja).contains("全ケース合格"));
        assert_eq!(Overall::of(&results(&[Pass, Fail], 9)), Overall::Failed);
        assert_eq!(Overall::of(&results(&[Fail, Error], 2)), Overall::Error);
    }

    #[test]
    fn markdown_lists_failed_cases_and_is_deterministic() {
        use Verdict::*;
        let r = results(&[Pass, Fail], 2);
        let md = markdown(&r, Lang::En);
        assert_eq!(md, markdown(&r, Lang::En));
        assert!(md.contains("- fail `export::planner::c1` UPPLAN"), "{md}");
        assert!(md.contains("**Conformance failures**"), "{md}");
    }
}
