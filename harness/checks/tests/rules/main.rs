//! Rule fixtures: every rule in the catalogue has a case that fires it at the right record and
//! field, the valid fixture of every layout and send unit yields no finding at all, and
//! arbitrary bytes never panic the validator.

mod cases;
mod fixture;
mod props;

use std::collections::BTreeSet;

use cpcert_checks::{FileReport, Finding, RULES, RuleId, check_send_units};
use cpcert_csv::{Cell, Ms932Writer};

use cases::{At, Case, cases};
use fixture::*;

fn show(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "  {} {:?} rec={:?} field={:?} unsettled={} exp={:?} act={:?}\n",
                f.rule, f.severity, f.record, f.field, f.unsettled, f.expected, f.actual
            )
        })
        .collect()
}

fn run(files: &[FileFx], unit: bool) -> Vec<Finding> {
    if unit {
        validate_unit(files)
    } else {
        files.iter().flat_map(|f| f.validate().findings).collect()
    }
}

#[test]
fn fixture_encoding_matches_the_ms932_writer() {
    for kind in kinds() {
        let rec = record(kind, &[]);
        let cells: Vec<Cell<'_>> = rec
            .iter()
            .map(|v| match v {
                Val::Plain(s) => Cell::Plain(s),
                Val::Text(s) => Cell::Text(s),
                Val::Raw(_) => unreachable!("valid records hold no raw cells"),
            })
            .collect();
        let mut w = Ms932Writer::new(Vec::new());
        w.write_record(&cells).expect("encodable");
        let mut mine = Vec::new();
        encode_record(&rec, &mut mine, false);
        assert_eq!(w.into_inner().expect("flush"), mine, "{kind}");
    }
}

#[test]
fn valid_files_have_no_findings() {
    let mut files: Vec<FileFx> = kinds().into_iter().map(valid_file).collect();
    files.push(FileFx::named(
        file_name_with("UPHOSOKU", "000000", TS),
        vec![hosoku_plan()],
    ));
    files.push(FileFx::raw(
        file_name_with(cpcert_checks::IMAGE_KIND, "", TS),
        tiny_jpeg(),
    ));
    let mut bad = String::new();
    for f in &files {
        let report = f.validate();
        if !report.findings.is_empty() {
            bad.push_str(&format!("{}:\n{}", f.name, show(&report.findings)));
        }
        if f.raw.is_none() {
            assert_eq!(report.records, f.records.len() as u64, "{}", f.name);
            assert_eq!(report.line_ending, Some("CRLF"));
        }
    }
    assert!(bad.is_empty(), "valid files with findings:\n{bad}");
}

#[test]
fn valid_send_units_have_no_findings() {
    let ids = unit_ids();
    assert_eq!(
        ids.len(),
        11,
        "a send unit was added: give it a fixture in valid_unit"
    );
    let mut bad = String::new();
    for id in ids {
        let unit = valid_unit(id);
        let reports: Vec<FileReport> = unit.iter().map(FileFx::validate).collect();
        let units = check_send_units(&reports, spec(), VERSION);
        assert_eq!(units.len(), 1, "{id}: one send unit");
        assert_eq!(
            units[0].unit.as_deref(),
            Some(id),
            "{id}: recognised as its set"
        );
        let findings = validate_unit(&unit);
        if !findings.is_empty() {
            bad.push_str(&format!("unit {id}:\n{}", show(&findings)));
        }
    }
    assert!(bad.is_empty(), "valid units with findings:\n{bad}");
}

fn matches(f: &Finding, rule: RuleId, at: &At) -> bool {
    f.rule == rule
        && f.record == at.record
        && f.field == at.field
        && at.severity.is_none_or(|s| f.severity == s)
        && at.unsettled.is_none_or(|u| f.unsettled == u)
}

fn check_case(case: &Case) -> Result<(), String> {
    let base = (case.base)();
    let before = run(&base, case.unit);
    if before.iter().any(|f| f.rule == case.rule) {
        return Err(format!(
            "fires on the unmutated fixture:\n{}",
            show(&before)
        ));
    }
    let mut files = base;
    (case.mutate)(&mut files);
    let after = run(&files, case.unit);
    if after.iter().any(|f| matches(f, case.rule, &case.at)) {
        Ok(())
    } else {
        Err(format!(
            "expected at {:?}; findings:\n{}",
            case.at,
            show(&after)
        ))
    }
}

#[test]
fn every_rule_fires_where_expected() {
    let mut failures = String::new();
    let all = cases();
    for case in &all {
        if let Err(e) = check_case(case) {
            failures.push_str(&format!("[{}] {}: {e}\n", case.rule, case.what));
        }
    }
    assert!(failures.is_empty(), "{failures}");
    eprintln!("{} cases passed", all.len());
}

#[test]
fn every_catalogued_rule_has_a_case() {
    let covered: BTreeSet<RuleId> = cases().iter().map(|c| c.rule).collect();
    let catalogue: BTreeSet<RuleId> = RULES.iter().map(|r| r.id).collect();
    let missing: Vec<&RuleId> = catalogue.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture case (add one to tests/rules/cases.rs): {missing:?}"
    );
    let unknown: Vec<&RuleId> = covered.difference(&catalogue).collect();
    assert!(
        unknown.is_empty(),
        "cases naming rules not in the catalogue: {unknown:?}"
    );
}

#[test]
fn a_record_over_the_limit_is_one_finding_and_the_next_is_checked() {
    // Record 1: a bad date (field 4), 5000 bytes of text in field 21 and one field too many.
    // Record 2: a bad date. With a 4 KiB limit record 1 is one `record-too-long` and its field
    // count: nothing is reported from its fields, and record 2 is checked as usual.
    let mut f = valid_file("UPPLAN");
    f.set(1, 4, p("20250230"));
    f.set(1, 21, t(&"x".repeat(5000)));
    f.records[0].push(p(""));
    f.set(2, 4, p("20250230"));
    let unlimited = f.validate();
    assert!(
        unlimited
            .findings
            .iter()
            .any(|x| x.rule == RuleId::FieldCount && x.record == Some(1)),
        "{}",
        show(&unlimited.findings)
    );
    f.set(1, 4, p("20250230"));
    f.records[0].pop();
    assert!(
        f.validate()
            .findings
            .iter()
            .any(|x| x.rule == RuleId::FieldDate && x.record == Some(1)),
        "without a limit the long record's fields are checked"
    );
    f.records[0].push(p(""));
    f.max_record_bytes = 4096;
    let report = f.validate();
    let got: Vec<(RuleId, Option<u64>, Option<u32>)> = report
        .findings
        .iter()
        .map(|x| (x.rule, x.record, x.field))
        .collect();
    assert_eq!(
        got,
        [
            (RuleId::RecordTooLong, Some(1), None),
            (RuleId::FieldCount, Some(1), None),
            (RuleId::FieldDate, Some(2), Some(4)),
        ],
        "{}",
        show(&report.findings)
    );
    assert_eq!(report.records, 2);
}

/// The case runner itself: a wrong place or a rule that does not fire is a failure.
#[test]
fn the_case_runner_rejects_wrong_expectations() {
    let wrong_field = Case {
        rule: RuleId::FieldDate,
        what: "expects the wrong field",
        unit: false,
        base: Box::new(|| vec![valid_file("UPPLAN")]),
        mutate: Box::new(|f| f[0].set(1, 4, p("20250230"))),
        at: At::field(1, 10),
    };
    assert!(check_case(&wrong_field).is_err());
    let no_fire = Case {
        mutate: Box::new(|_| {}),
        at: At::field(1, 4),
        ..wrong_field
    };
    assert!(check_case(&no_fire).is_err());
    let wrong_severity = Case {
        rule: RuleId::FieldRequired,
        what: "unsettled item reported as an error",
        unit: false,
        base: Box::new(|| vec![valid_file("UPPLAN")]),
        mutate: Box::new(|f| f[0].set(1, 6, p(""))),
        at: At::field(1, 6).error(),
    };
    assert!(check_case(&wrong_severity).is_err());
}

/// Permitted variants next to the new "must" rules: none of them fires anything.
#[test]
fn permitted_variants_have_no_findings() {
    // A 別表 with no rows travels as a file without records (本文 §3.3; docs/rules.md).
    let mut unit = valid_unit("basic-info");
    for f in unit
        .iter_mut()
        .filter(|f| f.name.starts_with("UPKIHON_SUB"))
    {
        f.records.clear();
    }
    let findings = validate_unit(&unit);
    assert!(findings.is_empty(), "{}", show(&findings));
    // Free text quoted (the fixture's default) and a quoted non-text field are both fine.
    let mut f = valid_file("UPPLAN");
    f.set(1, 4, t("20250401"));
    let r = f.validate();
    assert!(r.findings.is_empty(), "{}", show(&r.findings));
    // A 実績 whose rows are the sender's kind (the fixture: 訪問介護 11 from an 11 office).
    let r = valid_file("UPJSK").validate();
    assert!(r.findings.is_empty(), "{}", show(&r.findings));
    // A 第6表 予定 from the planner (43) lists 11 rows: never compared with the sender kind.
    let mut f = valid_file("UPPLAN");
    f.set(1, 15, p("131111"));
    let r = f.validate();
    assert!(
        !r.findings
            .iter()
            .any(|x| x.rule == RuleId::SenderKindMismatch),
        "{}",
        show(&r.findings)
    );
}

/// Nothing hidden: after an unknown CSVバージョン or a wrong field count the record's fields
/// are still checked (with the V4.1 layout, marked `assumed_layout`).
#[test]
fn errors_do_not_hide_the_rest_of_the_record() {
    let mut f = valid_file("UPJSK");
    for rec in 1..=2 {
        f.set(rec, 1, p("202504"));
    }
    f.set(1, 10, p("20250230"));
    let r = f.validate();
    let date = r
        .findings
        .iter()
        .find(|x| x.rule == RuleId::FieldDate)
        .unwrap_or_else(|| panic!("field-date after version-withdrawn:\n{}", show(&r.findings)));
    assert!(date.assumed_layout && date.record == Some(1) && date.field == Some(10));
    assert!(
        r.findings
            .iter()
            .any(|x| x.rule == RuleId::VersionWithdrawn && !x.assumed_layout)
    );

    let mut f = valid_file("UPJSK");
    f.records[0].pop();
    f.set(1, 10, p("20250230"));
    let r = f.validate();
    let got: Vec<(RuleId, Option<u32>, bool)> = r
        .findings
        .iter()
        .map(|x| (x.rule, x.field, x.assumed_layout))
        .collect();
    assert!(got.contains(&(RuleId::FieldCount, None, false)), "{got:?}");
    assert!(
        got.contains(&(RuleId::FieldDate, Some(10), true)),
        "{got:?}"
    );
    // The valid record 2 yields nothing.
    assert!(
        r.findings.iter().all(|x| x.record == Some(1)),
        "{}",
        show(&r.findings)
    );
}

/// A binary file is one finding, and nothing in any message carries a raw control byte.
#[test]
fn binary_input_is_one_finding_without_raw_control_bytes() {
    let mut bytes = b"\x1b[2J\x07".to_vec();
    bytes.extend((0u8..=255).cycle().take(20_000));
    let mut f = valid_file("UPPLAN");
    f.raw = Some(bytes);
    let r = f.validate();
    let rules: Vec<RuleId> = r.findings.iter().map(|x| x.rule).collect();
    assert_eq!(rules, [RuleId::NotText], "{}", show(&r.findings));
    // A text file with a control character in a field: the message escapes it.
    let mut f = valid_file("UPPLAN");
    f.set(1, 4, raw(b"2025\x1b0401"));
    for x in f.validate().findings {
        for lang in [cpcert_checks::Lang::Ja, cpcert_checks::Lang::En] {
            let m = x.message(lang);
            assert!(!m.chars().any(char::is_control), "{m:?}");
        }
    }
}

/// The 第7表 rules follow each person however their rows are interleaved with another's (the
/// validator keeps the current person's rows apart from the others').
#[test]
fn sikyu_rows_of_two_persons_interleaved() {
    let person = |insured: &str| -> Vec<Vec<Val>> {
        sikyu_records()
            .into_iter()
            .map(|mut r| {
                r[2] = p(insured);
                r
            })
            .collect()
    };
    let (a, b) = (person("0000000001"), person("0000000002"));
    // a0 b0 a1 b1 a2 b2 a3 b3: every row of one person follows a row of the other.
    let interleaved: Vec<Vec<Val>> = a
        .iter()
        .zip(&b)
        .flat_map(|(x, y)| [x.clone(), y.clone()])
        .collect();
    let report = FileFx::new("UPSIKYU", interleaved.clone()).validate();
    assert!(report.findings.is_empty(), "{}", show(&report.findings));
    // Without b's subtotal (record 6): one warning, at b's first record (2).
    let mut without = interleaved;
    without.remove(5);
    let findings = FileFx::new("UPSIKYU", without).validate().findings;
    let found: Vec<_> = findings.iter().map(|f| (f.rule, f.record)).collect();
    assert_eq!(
        found,
        [(RuleId::SikyuSubtotalMissing, Some(2))],
        "{}",
        show(&findings)
    );
}

/// A month seen before is not checked again (the validator remembers the months it has taken
/// through the name-month and month-set steps), yet every record of another month than the
/// first is still `month-mixed`, each month unlike the name's is `month-name-mismatch` once, and
/// every month is in the file's facts.
#[test]
fn repeated_months_keep_every_month_finding() {
    let months = ["202504", "202505", "202504", "202505", "202506", "202505"];
    let records = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let insured = format!("{:010}", i + 1);
            record(
                "UPPLAN",
                &[(3, p(&insured)), (5, p(m)), (10, p(&format!("{m}01")))],
            )
        })
        .collect();
    let report = FileFx::new("UPPLAN", records).validate();
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|f| matches!(f.rule, RuleId::MonthMixed | RuleId::MonthNameMismatch))
        .map(|f| (f.rule, f.record))
        .collect();
    assert_eq!(
        found,
        [
            (RuleId::MonthMixed, Some(2)),
            (RuleId::MonthNameMismatch, Some(2)),
            (RuleId::MonthMixed, Some(4)),
            (RuleId::MonthMixed, Some(5)),
            (RuleId::MonthNameMismatch, Some(5)),
            (RuleId::MonthMixed, Some(6)),
        ],
        "{}",
        show(&report.findings)
    );
    let facts: Vec<_> = report.facts.months.iter().map(String::as_str).collect();
    assert_eq!(facts, ["202504", "202505", "202506"]);
}
