//! JUnit XML for CI: one `<testsuite>` per role, one `<testcase>` per case.
//!
//! `name` is the case id and `classname` the role id, so CI dashboards group by role and the
//! names match `--filter`, the HTML anchors and results.json. Failures carry the findings and
//! diffs, errors the infrastructure error, and not-applicable cases are `<skipped>`.

use std::borrow::Cow;

use cpcert_checks::{Lang, Severity};
use cpcert_spec::Role;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::results::{Outcome, Results, Verdict};
use crate::text::{clean_output, diff_line, finding_place};

/// Renders `results` as JUnit XML (UTF-8, 2-space indent, trailing newline). Values are not masked:
/// JUnit is for the vendor's own CI.
pub fn render(results: &Results) -> String {
    let outcomes = results.sorted_outcomes();
    let mut roles: Vec<Role> = outcomes.iter().map(|o| o.role).collect();
    roles.sort();
    roles.dedup();

    let mut w = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    w.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let all = Tally::of(outcomes.iter().copied());
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "cpcert"));
    all.push_attributes(&mut root);
    w.event(Event::Start(root));

    for role in roles {
        let cases: Vec<&Outcome> = outcomes
            .iter()
            .copied()
            .filter(|o| o.role == role)
            .collect();
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", role.id()));
        Tally::of(cases.iter().copied()).push_attributes(&mut suite);
        suite.push_attribute(("timestamp", xml_safe(&results.run.started).as_ref()));
        w.event(Event::Start(suite));
        properties(&mut w, results);
        for outcome in cases {
            testcase(&mut w, outcome, role.id());
        }
        w.event(Event::End(BytesEnd::new("testsuite")));
    }
    w.event(Event::End(BytesEnd::new("testsuites")));

    // quick-xml writes only what we give it, all of it valid UTF-8 strings.
    let mut xml = String::from_utf8(w.0.into_inner()).expect("quick-xml writes UTF-8");
    xml.push('\n');
    xml
}

/// Writer wrapper: writing into a `Vec` cannot fail, so errors are bugs.
struct Xml(Writer<Vec<u8>>);

impl Xml {
    fn event(&mut self, event: Event<'_>) {
        self.0
            .write_event(event)
            .expect("writing XML to memory cannot fail");
    }

    fn element(&mut self, name: &str, start: BytesStart<'_>, text: &str) {
        self.event(Event::Start(start));
        self.event(Event::Text(BytesText::new(&xml_safe(text))));
        self.event(Event::End(BytesEnd::new(name)));
    }
}

/// Run identity as `<properties>`, so a JUnit file alone says what was tested.
fn properties(w: &mut Xml, results: &Results) {
    w.event(Event::Start(BytesStart::new("properties")));
    let roles = results
        .product
        .roles
        .iter()
        .map(|r| r.id())
        .collect::<Vec<_>>()
        .join(",");
    let verdict = crate::summary::headline(results, Lang::En);
    let complete = results.is_complete().to_string();
    let coverage = results
        .coverage
        .as_ref()
        .map(|c| format!("{}/{}", c.cases_run, c.suite_cases))
        .unwrap_or_default();
    let selection = results
        .selection
        .as_ref()
        .map(|s| serde_json::to_string(s).unwrap_or_default())
        .unwrap_or_default();
    let props = [
        ("cpcert.version", results.tool.version.as_str()),
        ("suite", results.suite.name.as_str()),
        ("suite.version", results.suite.version.as_str()),
        ("spec.version", results.spec_version.as_str()),
        ("product", results.product.name.as_str()),
        ("product.version", results.product.version.as_str()),
        ("product.roles", roles.as_str()),
        ("run.id", results.run.id.as_str()),
        ("run.verdict", verdict.as_str()),
        ("run.complete", complete.as_str()),
        ("run.coverage", coverage.as_str()),
        ("run.selection", selection.as_str()),
    ];
    for (name, value) in props {
        let mut prop = BytesStart::new("property");
        prop.push_attribute(("name", name));
        prop.push_attribute(("value", xml_safe(value).as_ref()));
        w.event(Event::Empty(prop));
    }
    w.event(Event::End(BytesEnd::new("properties")));
}

/// One `<testsuite>` of [`render_suites`]: its name, the testcases' classname, the outcomes.
pub(crate) struct SuiteGroup<'a> {
    pub(crate) name: String,
    pub(crate) classname: String,
    pub(crate) outcomes: Vec<&'a Outcome>,
}

/// JUnit XML of named suites of outcomes, each suite carrying `properties` (name, value): the
/// shape of [`render`], for runs that group their outcomes otherwise (`cpcert interop`: one
/// suite per sender → receiver pair).
pub(crate) fn render_suites(
    root_name: &str,
    properties: &[(&str, String)],
    timestamp: &str,
    suites: &[SuiteGroup<'_>],
) -> String {
    let mut w = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
    w.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", root_name));
    Tally::of(suites.iter().flat_map(|s| s.outcomes.iter().copied())).push_attributes(&mut root);
    w.event(Event::Start(root));
    for suite in suites {
        let mut start = BytesStart::new("testsuite");
        start.push_attribute(("name", xml_safe(&suite.name).as_ref()));
        Tally::of(suite.outcomes.iter().copied()).push_attributes(&mut start);
        start.push_attribute(("timestamp", xml_safe(timestamp).as_ref()));
        w.event(Event::Start(start));
        w.event(Event::Start(BytesStart::new("properties")));
        for (name, value) in properties {
            let mut prop = BytesStart::new("property");
            prop.push_attribute(("name", *name));
            prop.push_attribute(("value", xml_safe(value).as_ref()));
            w.event(Event::Empty(prop));
        }
        w.event(Event::End(BytesEnd::new("properties")));
        for outcome in &suite.outcomes {
            testcase(&mut w, outcome, &suite.classname);
        }
        w.event(Event::End(BytesEnd::new("testsuite")));
    }
    w.event(Event::End(BytesEnd::new("testsuites")));
    let mut xml = String::from_utf8(w.0.into_inner()).expect("quick-xml writes UTF-8");
    xml.push('\n');
    xml
}

fn testcase(w: &mut Xml, outcome: &Outcome, classname: &str) {
    let mut case = BytesStart::new("testcase");
    case.push_attribute(("name", xml_safe(&outcome.case).as_ref()));
    case.push_attribute(("classname", xml_safe(classname).as_ref()));
    if let Some(ms) = outcome.duration_ms {
        case.push_attribute(("time", seconds(ms).as_str()));
    }
    match outcome.verdict {
        Verdict::Pass => w.event(Event::Empty(case)),
        Verdict::NotApplicable => {
            w.event(Event::Start(case));
            let mut skipped = BytesStart::new("skipped");
            skipped.push_attribute(("message", "not applicable"));
            w.event(Event::Empty(skipped));
            w.event(Event::End(BytesEnd::new("testcase")));
        }
        Verdict::Fail => {
            w.event(Event::Start(case));
            let errors = outcome
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let summary = format!(
                "{} ({} findings, {} errors; {} field diffs)",
                outcome.title,
                outcome.findings.len(),
                errors,
                outcome.diffs.len()
            );
            let mut failure = BytesStart::new("failure");
            failure.push_attribute(("message", xml_safe(&summary).as_ref()));
            failure.push_attribute(("type", "conformance"));
            w.element("failure", failure, &failure_body(outcome));
            w.event(Event::End(BytesEnd::new("testcase")));
        }
        Verdict::Error => {
            w.event(Event::Start(case));
            let text = clean_output(outcome.error.as_deref().unwrap_or("error"));
            let first = text.lines().next().unwrap_or("error");
            let mut error = BytesStart::new("error");
            error.push_attribute(("message", xml_safe(first).as_ref()));
            error.push_attribute(("type", "infrastructure"));
            w.element("error", error, &text);
            w.event(Event::End(BytesEnd::new("testcase")));
        }
    }
}

/// One line per finding and per diff, in the order the checks produced them.
fn failure_body(outcome: &Outcome) -> String {
    let mut body = String::new();
    for f in &outcome.findings {
        let severity = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        body.push_str(&format!(
            "[{severity}] {}: {}\n",
            finding_place(f),
            f.message(Lang::En)
        ));
    }
    for d in &outcome.diffs {
        body.push_str(&format!("[diff] {}\n", diff_line(d)));
    }
    if body.is_empty() {
        body.push_str("failed\n");
    }
    body
}

/// Milliseconds as JUnit seconds with three decimals, without floating point (stable output).
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Counts for `tests`/`failures`/`errors`/`skipped` and the summed `time`.
struct Tally {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
    ms: Option<u64>,
}

impl Tally {
    fn of<'a>(outcomes: impl Iterator<Item = &'a Outcome>) -> Self {
        let mut t = Tally {
            tests: 0,
            failures: 0,
            errors: 0,
            skipped: 0,
            ms: None,
        };
        for o in outcomes {
            t.tests += 1;
            match o.verdict {
                Verdict::Pass => {}
                Verdict::Fail => t.failures += 1,
                Verdict::Error => t.errors += 1,
                Verdict::NotApplicable => t.skipped += 1,
            }
            if let Some(ms) = o.duration_ms {
                t.ms = Some(t.ms.unwrap_or(0) + ms);
            }
        }
        t
    }

    fn push_attributes(&self, start: &mut BytesStart<'_>) {
        start.push_attribute(("tests", self.tests.to_string().as_str()));
        start.push_attribute(("failures", self.failures.to_string().as_str()));
        start.push_attribute(("errors", self.errors.to_string().as_str()));
        start.push_attribute(("skipped", self.skipped.to_string().as_str()));
        if let Some(ms) = self.ms {
            start.push_attribute(("time", seconds(ms).as_str()));
        }
    }
}

/// Replaces characters XML 1.0 forbids (control characters from an adapter's stderr, such as ANSI
/// colour escapes) with U+FFFD; escaping cannot express them, and a CI parser would reject the file.
fn xml_safe(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.chars().any(bad) {
        Cow::Owned(
            text.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(xml_safe("a\u{1b}[31mb\tc"), "a\u{FFFD}[31mb\tc");
        assert!(matches!(xml_safe("ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn seconds_have_three_decimals() {
        assert_eq!(seconds(0), "0.000");
        assert_eq!(seconds(1234), "1.234");
    }
}
