//! Snapshot tests of every renderer over one small hand-built run: a pass, a failure with
//! findings and diffs, an infrastructure error, a not-applicable case, and a self-test section.

use cpcert_checks::{Finding, Lang};
use cpcert_report::html::{self, RenderOptions};
use cpcert_report::{
    CaseRef, Coverage, CoverageInput, Direction, FaultOutcome, FaultStatus, FieldDiff,
    FileDirection, FileEvidence, MatrixCell, MatrixDirection, Outcome, Product, Requirement,
    Results, Run, Selection, SelfTest, Suite, Tool, VariantOutcome, Verdict, json, junit,
};
use cpcert_spec::Role;
use serde_json::json;

/// Findings are built from JSON so that fields added to the contract later (with serde defaults)
/// do not break these tests.
fn finding(value: serde_json::Value) -> Finding {
    serde_json::from_value(value).unwrap()
}

fn outcome(
    case: &str,
    role: &str,
    direction: Direction,
    kinds: &[&str],
    verdict: Verdict,
) -> Outcome {
    Outcome {
        case: case.into(),
        title: String::new(),
        spec_place: String::new(),
        role: Role::from_id(role).expect("a role id"),
        direction,
        kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
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
    }
}

fn fixture() -> Results {
    let pass = Outcome {
        title: "第6表・第7表 — 利用者1名、3サービス".into(),
        spec_place: "別紙 第6表（サービス利用票）".into(),
        files: vec![
            FileEvidence::from_bytes(
                "export/upplan/basic/UPPLAN_202407_1310000001_20240701120000_0001.CSV",
                b"202407,1\r\n",
                FileDirection::Received,
            ),
            FileEvidence::from_bytes(
                "export/upplan/basic/UPSIKYU_202407_1310000001_20240701120000_0001.CSV",
                b"202407,2\r\n",
                FileDirection::Received,
            ),
        ],
        duration_ms: Some(120),
        ..outcome(
            "export::upplan::basic",
            "planner",
            Direction::Export,
            &["UPPLAN", "UPSIKYU", "UPHOSOKU"],
            Verdict::Pass,
        )
    };
    let fail = Outcome {
        title: "日割 <月途中> & 区分変更".into(),
        spec_place: "別紙 第6表 No.11".into(),
        findings: vec![
            finding(json!({
                "rule": "field-length", "severity": "error",
                "file": "UPPLAN_202407_1310000001_20240701120000_0001.CSV",
                "record": 2, "line": 2, "byte_offset": 87, "field": 3, "field_name": "被保険者番号",
                "expected": "10", "actual": "H1234567890", "sensitive": true
            })),
            finding(json!({
                "rule": "field-date", "severity": "warning",
                "file": "UPPLAN_202407_1310000001_20240701120000_0001.CSV",
                "record": 3, "line": 3, "byte_offset": 160, "field": 10, "field_name": "サービス利用日",
                "expected": "YYYYMMDD", "actual": "2024/07/01"
            })),
        ],
        diffs: vec![
            FieldDiff {
                file: "UPPLAN_202407_1310000001_20240701120000_0001.CSV".into(),
                record: Some(2),
                field: Some(11),
                field_name: Some("日割対象日".into()),
                expected: "0000000000000001111111111111111".into(),
                actual: "0000000000000000111111111111111".into(),
                sensitive: false,
                kind: Default::default(),
            },
            FieldDiff {
                file: "UPPLAN_202407_1310000001_20240701120000_0001.CSV".into(),
                record: Some(2),
                field: Some(3),
                field_name: Some("被保険者番号".into()),
                expected: "H123456789".into(),
                actual: "H1234567890".into(),
                sensitive: true,
                kind: Default::default(),
            },
        ],
        files: vec![FileEvidence::from_bytes(
            "export/upplan/hiwari/UPPLAN_202407_1310000001_20240701120000_0001.CSV",
            b"202407,x\r\n",
            FileDirection::Received,
        )],
        duration_ms: Some(95),
        ..outcome(
            "export::upplan::hiwari",
            "planner",
            Direction::Export,
            &["UPPLAN"],
            Verdict::Fail,
        )
    };
    let error = Outcome {
        title: "第6表実績の取込・再出力".into(),
        spec_place: "別紙 第6表（実績）".into(),
        error: Some(
            "adapter exited with status 2\nstderr: \u{1b}[31mconnection refused\u{1b}[0m".into(),
        ),
        files: vec![FileEvidence::from_bytes(
            "import/upjsk/basic/UPJSK_202407_1310000002_20240801090000_0001.CSV",
            b"202407,y\r\n",
            FileDirection::Sent,
        )],
        duration_ms: Some(3001),
        ..outcome(
            "import::upjsk::basic",
            "planner",
            Direction::Roundtrip,
            &["UPJSK"],
            Verdict::Error,
        )
    };
    let not_applicable = Outcome {
        title: "予定削除".into(),
        spec_place: "別紙 第6表（予定）削除".into(),
        required: Requirement::Optional,
        ..outcome(
            "export::dltplan::basic",
            "planner",
            Direction::Export,
            &["DLTPLAN"],
            Verdict::NotApplicable,
        )
    };
    let provider = Outcome {
        title: "第6表予定の取込".into(),
        spec_place: "別紙 第6表（サービス利用票）".into(),
        duration_ms: Some(40),
        ..outcome(
            "import::upplan::basic",
            "provider",
            Direction::Import,
            &["UPPLAN"],
            Verdict::Pass,
        )
    };
    Results {
        schema_version: 1,
        tool: Tool {
            name: "cpcert".into(),
            version: "0.1.0".into(),
        },
        suite: Suite {
            name: "cpcert-cases".into(),
            version: "2026.1".into(),
        },
        spec_version: "202407".into(),
        product: Product {
            name: "ケアソフトA".into(),
            version: "3.2.0".into(),
            roles: vec![Role::Planner, Role::Provider],
        },
        run: Run {
            id: "20260105-0930-a1b2".into(),
            started: "2026-01-05T09:30:00+09:00".into(),
        },
        selection: Some(Selection {
            vendor: "vendors/care-soft-a.yaml".into(),
            filters: vec!["upplan".into(), "upjsk".into(), "dltplan".into()],
            ..Selection::default()
        }),
        // One case of the suite did not run: its cell is 未実施, and the run is partial.
        coverage: Some(Coverage::of(
            [
                CaseRef {
                    case: "export::upjsk::basic".into(),
                    role: Role::Provider,
                    direction: Direction::Export,
                    kinds: vec!["UPJSK".into()],
                },
                case_ref("export::dltplan::basic", Role::Planner, &["DLTPLAN"]),
                case_ref("export::upplan::basic", Role::Planner, &["UPPLAN"]),
                case_ref("export::upplan::hiwari", Role::Planner, &["UPPLAN"]),
                case_ref("import::upjsk::basic", Role::Planner, &["UPJSK"]),
                case_ref("import::upplan::basic", Role::Provider, &["UPPLAN"]),
            ]
            .iter()
            .map(|case| CoverageInput {
                case,
                selected: case.case != "export::upjsk::basic",
            })
            .collect::<Vec<_>>(),
        )),
        // Deliberately unsorted: the renderers sort by case id.
        outcomes: vec![provider, pass, error, fail, not_applicable],
        confinement: None,
        selftest: None,
    }
}

fn case_ref(case: &str, role: Role, kinds: &[&str]) -> CaseRef {
    CaseRef {
        case: case.into(),
        role,
        direction: if case.starts_with("export") {
            Direction::Export
        } else {
            Direction::Import
        },
        kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
    }
}

fn matrix_cells() -> Vec<MatrixCell> {
    use MatrixDirection::{Export, Import};
    use Requirement::{Optional, Required};
    let rows: [(&str, &str, &str, Requirement, bool); 10] = [
        (
            "UPHOSOKU",
            "利用者補足情報",
            "supplementary user information",
            Required,
            true,
        ),
        (
            "UP1KYO",
            "第1表（居宅サービス計画書1）",
            "table 1",
            Required,
            true,
        ),
        ("DLT1KYO", "第1表 削除", "table 1, delete", Optional, true),
        (
            "UP2KYO",
            "第2表（居宅サービス計画書2）",
            "table 2",
            Required,
            true,
        ),
        (
            "UP3KYO",
            "第3表（週間サービス計画表）",
            "table 3",
            Required,
            true,
        ),
        (
            "UPPLAN",
            "第6表（サービス利用票）予定",
            "table 6 service sheet, planned",
            Required,
            true,
        ),
        (
            "DLTPLAN",
            "第6表 予定 削除",
            "table 6 planned, delete",
            Optional,
            true,
        ),
        (
            "UPJSK",
            "第6表（サービス利用票）実績",
            "table 6 service sheet, actual",
            Required,
            false,
        ),
        (
            "DLTJSK",
            "第6表 実績 削除",
            "table 6 actual, delete",
            Optional,
            false,
        ),
        (
            "UPSIKYU",
            "第7表（サービス利用票別表）",
            "table 7",
            Required,
            true,
        ),
    ];
    let mut cells = Vec::new();
    for (kind, ja, en, required, planner_exports) in rows {
        let (planner, provider) = if planner_exports {
            (Export, Import)
        } else {
            (Import, Export)
        };
        cells.push(MatrixCell::new(Role::Planner, kind, planner, required).with_titles(ja, en));
        cells.push(MatrixCell::new(Role::Provider, kind, provider, required).with_titles(ja, en));
    }
    cells
}

fn with_selftest(mut results: Results) -> Results {
    results.selftest = Some(SelfTest::with_variants(
        vec![
            FaultOutcome {
                id: "upplan-insured-no-11-chars".into(),
                title: "被保険者番号を11桁で出力".into(),
                intended_rule: "max-bytes".into(),
                caught_by: vec!["max-bytes".into()],
                status: FaultStatus::Caught,
            },
            FaultOutcome {
                id: "upplan-bom".into(),
                title: "先頭にBOMを付ける".into(),
                intended_rule: "no-bom".into(),
                caught_by: vec!["ms932-decodable".into()],
                status: FaultStatus::CaughtByOther,
            },
            FaultOutcome {
                id: "upsikyu-sum-off-by-one".into(),
                title: "合計単位数を1ずらす".into(),
                intended_rule: "sum-units".into(),
                caught_by: vec![],
                status: FaultStatus::Survived,
            },
        ],
        vec![
            VariantOutcome {
                id: "lf-only".into(),
                title: "改行をLFのみで出力する".into(),
                failed_cases: vec![],
                warnings: vec!["line-ending-lf".into()],
                missing_warnings: vec![],
            },
            VariantOutcome {
                id: "created-today".into(),
                title: "作成年月日を実行日で出力する".into(),
                failed_cases: vec!["export::planner::minimal".into()],
                warnings: vec![],
                missing_warnings: vec![],
            },
        ],
    ));
    results
}

/// The document without the inline style sheet, which would only add noise to every snapshot.
fn body(html: &str) -> &str {
    let end = html.find("</style>").expect("inline style sheet") + "</style>".len();
    &html[end..]
}

fn render(results: &Results, lang: Lang, mask: bool) -> String {
    let cells = matrix_cells();
    html::render(
        results,
        &RenderOptions {
            lang,
            mask,
            matrix: &cells,
        },
    )
}

#[test]
fn json_snapshot() {
    insta::assert_snapshot!("results_json", json::render(&fixture()));
}

#[test]
fn json_round_trips() {
    let text = json::render(&fixture());
    assert!(text.ends_with("}\n"));
    let back: Results = serde_json::from_str(&text).unwrap();
    let mut sorted = fixture();
    sorted.sort();
    assert_eq!(back, sorted);
    assert_eq!(json::render(&back), text);
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit_xml", junit::render(&fixture()));
}

#[test]
fn html_snapshot_ja() {
    let html = render(&fixture(), Lang::Ja, false);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    // No external assets and no scripts.
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"));
    // Escaped by askama.
    assert!(
        html.contains("日割 &#60;月途中&#62; &#38; 区分変更"),
        "title is escaped"
    );
    assert!(html.contains("H1234567890"));
    insta::assert_snapshot!("report_ja", body(&html));
}

#[test]
fn html_snapshot_masked() {
    let html = render(&fixture(), Lang::Ja, true);
    assert!(
        !html.contains("H1234567890"),
        "sensitive finding value leaked"
    );
    assert!(!html.contains("H123456789"), "sensitive diff value leaked");
    // Non-sensitive values stay readable.
    assert!(html.contains("2024/07/01"));
    assert!(html.contains("0000000000000001111111111111111"));
    insta::assert_snapshot!("report_ja_masked", body(&html));
}

#[test]
fn html_snapshot_en_with_selftest() {
    let html = render(&with_selftest(fixture()), Lang::En, false);
    assert!(html.contains("<html lang=\"en\">"));
    insta::assert_snapshot!("report_en_selftest", body(&html));
}

#[test]
fn output_is_deterministic_and_independent_of_outcome_order() {
    let a = fixture();
    let mut b = fixture();
    b.outcomes.reverse();
    assert_eq!(render(&a, Lang::Ja, false), render(&b, Lang::Ja, false));
    assert_eq!(junit::render(&a), junit::render(&b));
    assert_eq!(json::render(&a), json::render(&b));
}

#[test]
fn exit_code_and_counts_of_the_fixture() {
    let results = fixture();
    assert_eq!(results.exit_code(), 3);
    let counts = results.counts();
    assert_eq!(
        (
            counts.pass,
            counts.fail,
            counts.error,
            counts.not_applicable
        ),
        (2, 1, 1, 1)
    );
}

/// Writes the rendered reports to `CPCERT_REPORT_PREVIEW` (a folder) for looking at them in a
/// browser; does nothing when the variable is unset.
#[test]
fn preview() {
    let Some(dir) = std::env::var_os("CPCERT_REPORT_PREVIEW") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let results = with_selftest(fixture());
    cpcert_report::write_atomic(
        dir.join("report-ja.html"),
        render(&results, Lang::Ja, false).as_bytes(),
    )
    .unwrap();
    cpcert_report::write_atomic(
        dir.join("report-ja-masked.html"),
        render(&results, Lang::Ja, true).as_bytes(),
    )
    .unwrap();
    cpcert_report::write_atomic(
        dir.join("report-en.html"),
        render(&results, Lang::En, false).as_bytes(),
    )
    .unwrap();
    cpcert_report::write_atomic(dir.join("junit.xml"), junit::render(&results).as_bytes()).unwrap();
    cpcert_report::write_atomic(dir.join("results.json"), json::render(&results).as_bytes())
        .unwrap();
}

#[test]
fn tolerance_cases_are_their_own_group() {
    let mut results = fixture();
    let mut t = outcome(
        "tolerance::provider::minimal-from-planner::lf-only",
        "provider",
        Direction::Import,
        &["UPPLAN"],
        Verdict::Fail,
    );
    t.tolerance = Some("lf-only".into());
    results.outcomes.push(t);
    let mut ok = outcome(
        "tolerance::provider::minimal-from-planner::quote-every-field",
        "provider",
        Direction::Import,
        &["UPPLAN"],
        Verdict::Pass,
    );
    ok.tolerance = Some("quote-every-field".into());
    results.outcomes.push(ok);
    // results.json: the marker round-trips, and a case of cases/ carries none.
    let text = json::render(&results);
    assert!(text.contains("\"tolerance\": \"lf-only\""), "{text}");
    let back: Results = serde_json::from_str(&text).unwrap();
    let mut sorted = results.clone();
    sorted.sort();
    assert_eq!(back.outcomes, sorted.outcomes);
    let counts = results.tolerance_counts().unwrap();
    assert_eq!((counts.pass, counts.fail, counts.total), (1, 1, 2));
    assert!(fixture().tolerance_counts().is_none());
    for (lang, heading, count) in [
        (
            Lang::Ja,
            "許容される書き方の取込（tolerance）",
            "うち許容される書き方の取込 合格 1 / 2",
        ),
        (
            Lang::En,
            "Tolerance: inputs written in a permitted way",
            "tolerance: 1 of 2 passed",
        ),
    ] {
        let html = render(&results, lang, false);
        let section = html
            .split("<section id=\"tolerance\">")
            .nth(1)
            .expect("own section");
        let section = section.split("</section>").next().unwrap();
        assert!(section.contains(heading), "{section}");
        assert!(section.contains("lf-only"));
        assert!(section.contains("import::provider::minimal-from-planner"));
        // The main case table lists only the cases of cases/.
        let main = html.split("<table class=\"grid cases\">").nth(1).unwrap();
        let main = main.split("</table>").next().unwrap();
        assert!(main.contains("import::upplan::basic"), "{main}");
        assert!(!main.contains("tolerance::provider"), "{main}");
        // Each tolerance case still has its detail section.
        assert!(html.contains("id=\"tolerance::provider::minimal-from-planner::lf-only\""));
        assert!(
            cpcert_report::summary::terminal_line(&results, lang).contains(count),
            "{}",
            cpcert_report::summary::terminal_line(&results, lang)
        );
        let md = cpcert_report::summary::markdown(&results, lang);
        assert!(
            md.contains(if lang == Lang::Ja {
                "許容される書き方の取込（tolerance）: 合格 1"
            } else {
                "Tolerance (inputs written in a permitted way): pass 1 / fail 1"
            }),
            "{md}"
        );
    }
}
