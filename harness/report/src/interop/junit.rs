//! JUnit XML of an interop run: one `<testsuite>` per sender → receiver pair, one `<testcase>`
//! per (sender, receiver, case), named by the case id with the pair as classname.

use crate::interop::{Blame, InteropOutcome, InteropResults};
use crate::junit::{SuiteGroup, render_suites};
use crate::results::Outcome;

/// Renders `results` as JUnit XML (UTF-8, 2-space indent, trailing newline). A failure blamed on
/// the sender says so first and carries the sender check's findings and differences.
pub fn render(results: &InteropResults) -> String {
    let mut sorted = results.clone();
    sorted.sort();
    let mut shown: Vec<(String, Vec<Outcome>)> = Vec::new();
    for s in &sorted.senders {
        for r in &sorted.receivers {
            let outcomes: Vec<Outcome> = sorted
                .pair(&s.id, &r.id)
                .into_iter()
                .map(shown_outcome)
                .collect();
            if !outcomes.is_empty() {
                shown.push((pair_name(&s.id, &r.id), outcomes));
            }
        }
    }
    let suites: Vec<SuiteGroup<'_>> = shown
        .iter()
        .map(|(name, outcomes)| SuiteGroup {
            name: name.clone(),
            classname: name.clone(),
            outcomes: outcomes.iter().collect(),
        })
        .collect();
    let (pass, fail, not_run, na) = sorted.counts();
    let properties = [
        ("cpcert.version", sorted.tool.version.clone()),
        ("suite.version", sorted.suite.version.clone()),
        ("spec.version", sorted.spec_version.clone()),
        ("run.id", sorted.run.id.clone()),
        (
            "run.counts",
            format!("pass={pass} fail={fail} not-run={not_run} not-applicable={na}"),
        ),
        (
            "run.selection",
            serde_json::to_string(&sorted.selection).unwrap_or_default(),
        ),
    ];
    render_suites("cpcert interop", &properties, &sorted.run.started, &suites)
}

/// `sender → receiver`.
pub(crate) fn pair_name(sender: &str, receiver: &str) -> String {
    format!("{sender} → {receiver}")
}

/// The receiver's outcome, with a failure blamed on the sender marked in its title and the
/// sender check's error findings and differences added.
fn shown_outcome(o: &InteropOutcome) -> Outcome {
    let mut out = o.outcome.clone();
    if o.blame == Some(Blame::Sender) {
        out.title = format!("[sender's files break the standard] {}", out.title);
        if let Some(check) = &o.sender_check {
            out.findings.extend(
                check
                    .findings
                    .iter()
                    .filter(|f| f.severity == cpcert_checks::Severity::Error)
                    .cloned(),
            );
            out.diffs.extend(check.diffs.iter().cloned());
            if out.error.is_none() {
                out.error.clone_from(&check.error);
            }
        }
    }
    out
}
