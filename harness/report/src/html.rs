//! The certification report as one self-contained HTML file (inline CSS, no scripts, no external
//! assets), rendered with askama from `templates/report.html` and its partials.
//!
//! All wording, masking and formatting happen here, in a view model of plain strings; the
//! templates only loop, branch and print (askama escapes every value).

use askama::Template;
use cpcert_checks::Lang;

use crate::labels::{self, Labels};
use crate::matrix::{CellState, MatrixCell};
use crate::results::{FaultStatus, Outcome, Results, SelfTest};
use crate::text::{clean_output, shown_diff, shown_finding};

/// How to render the HTML report.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Japanese (default for users) or English labels and messages.
    pub lang: Lang,
    /// Replace personal-data values with `＊＊＊` (for anything published).
    pub mask: bool,
    /// The spec's role matrix cells (see [`Results::matrix`]).
    pub matrix: &'a [MatrixCell],
}

/// Renders the report. Pure: the same results and options give byte-identical HTML.
pub fn render(results: &Results, options: &RenderOptions<'_>) -> String {
    // askama fails only when a value's `Display` fails; the view model holds only strings and
    // integers, whose formatting cannot fail.
    Page::build(results, options)
        .render()
        .expect("the report view model renders")
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    l: &'static Labels,
    product: &'a str,
    product_version: &'a str,
    roles: String,
    started: &'a str,
    suite: String,
    spec_version: &'a str,
    tool: String,
    run_id: &'a str,
    selection: String,
    coverage: String,
    confinement: String,
    overall_class: &'static str,
    overall_text: String,
    totals: Vec<Total>,
    total: usize,
    columns: Vec<ColumnView>,
    role_groups: Vec<RoleGroup>,
    rows: Vec<RowView>,
    legend: Vec<LegendItem>,
    unmatched: Vec<String>,
    cases: Vec<CaseView>,
    tolerance: Option<ToleranceView>,
    selftest: Option<SelfTestView>,
    mask: bool,
}

struct Total {
    class: &'static str,
    label: &'static str,
    count: usize,
}

struct RoleGroup {
    name: String,
}

struct ColumnView {
    label: &'static str,
    first_of_role: bool,
}

struct RowView {
    kind: String,
    title: String,
    cells: Vec<CellView>,
}

struct CellView {
    class: &'static str,
    mark: &'static str,
    /// Anchor of the decisive case; empty when no case ran.
    href: String,
    /// Tooltip: the state and the cases folded into the cell.
    tip: String,
    first_of_role: bool,
}

struct LegendItem {
    class: &'static str,
    mark: &'static str,
    text: &'static str,
}

/// The tolerance group: its own count and table (the cases' sections follow the others').
struct ToleranceView {
    totals: Vec<Total>,
    total: usize,
    cases: Vec<CaseView>,
}

struct CaseView {
    /// The permitted variant a tolerance case's input is written with (empty otherwise).
    variant: String,
    /// A tolerance case's base import case id (empty otherwise).
    base_case: String,
    id: String,
    title: String,
    spec_place: String,
    role: String,
    direction: &'static str,
    kinds: String,
    requirement: &'static str,
    verdict_class: &'static str,
    verdict: &'static str,
    duration: String,
    error: String,
    files: Vec<FileView>,
    findings: Vec<FindingView>,
    diffs: Vec<DiffView>,
    text_diffs: Vec<TextDiffView>,
    held: Vec<HeldView>,
    finding_count: usize,
}

/// One file kind of an import case: kept / not kept / wrong.
struct HeldView {
    kind: String,
    records: String,
    kept: usize,
    not_kept: String,
    wrong: String,
    must_keep: Vec<MustKeepView>,
}

struct MustKeepView {
    field: String,
    reason: String,
    spec_place: String,
}

struct TextDiffView {
    file: String,
    diff: String,
}

struct FileView {
    direction: &'static str,
    path: String,
    sha256: String,
}

struct FindingView {
    rule: String,
    severity_class: &'static str,
    severity: &'static str,
    file: String,
    record: String,
    line: String,
    field: String,
    field_name: String,
    expected: String,
    actual: String,
    message: String,
}

struct DiffView {
    file: String,
    record: String,
    field: String,
    field_name: String,
    expected: String,
    actual: String,
}

struct SelfTestView {
    score: String,
    breakdown: String,
    percent: String,
    faults: Vec<FaultView>,
    rates: String,
    variants: Vec<VariantView>,
    /// The tolerance cases: one line of totals, per variant, and those unproven.
    tolerance: String,
    tolerance_variants: Vec<ToleranceVariantView>,
    tolerance_unproven: Vec<ToleranceCaseView>,
}

struct ToleranceVariantView {
    variant: String,
    cases: usize,
    proven: usize,
    failed_by: String,
    status_class: &'static str,
}

struct ToleranceCaseView {
    case: String,
    reference: &'static str,
    failed_by: String,
}

struct VariantView {
    id: String,
    title: String,
    failed_cases: String,
    warnings: String,
    status_class: &'static str,
    status: &'static str,
}

struct FaultView {
    id: String,
    title: String,
    intended_rule: String,
    caught_by: String,
    status_class: &'static str,
    status: &'static str,
}

impl<'a> Page<'a> {
    fn build(results: &'a Results, options: &RenderOptions<'_>) -> Self {
        let lang = options.lang;
        let l = labels::labels(lang);
        let counts = results.counts();
        let overall_class = crate::summary::Overall::of(results).id();
        let overall_text = crate::summary::headline(results, lang);
        let totals = totals_of(counts, lang);

        let matrix = results.matrix(options.matrix);
        let mut role_groups: Vec<RoleGroup> = Vec::new();
        let mut columns = Vec::new();
        let mut previous_role: Option<cpcert_spec::Role> = None;
        for column in &matrix.columns {
            let first_of_role = previous_role != Some(column.role);
            if first_of_role {
                role_groups.push(RoleGroup {
                    name: labels::role(lang, column.role).to_owned(),
                });
            }
            previous_role = Some(column.role);
            columns.push(ColumnView {
                label: labels::matrix_direction(lang, column.direction),
                first_of_role,
            });
        }
        let rows = matrix
            .rows
            .iter()
            .map(|row| RowView {
                kind: row.kind.clone(),
                title: match lang {
                    Lang::Ja => row.title_ja.clone(),
                    Lang::En => row.title_en.clone(),
                },
                cells: row
                    .cells
                    .iter()
                    .zip(&columns)
                    .map(|(cell, column)| {
                        let mut tip = labels::cell_state(lang, cell.state).to_owned();
                        for case in &cell.cases {
                            tip.push('\n');
                            tip.push_str(case);
                        }
                        CellView {
                            class: cell.state.id(),
                            mark: cell.state.mark(),
                            // Cases that did not run have no section to link to.
                            href: if cell.state == CellState::NotRun {
                                String::new()
                            } else {
                                cell.cases
                                    .first()
                                    .map(|c| format!("#{c}"))
                                    .unwrap_or_default()
                            },
                            tip,
                            first_of_role: column.first_of_role,
                        }
                    })
                    .collect(),
            })
            .collect();
        let legend = [
            CellState::Passed,
            CellState::Failed,
            CellState::Error,
            CellState::Missing,
            CellState::NotRun,
            CellState::OptionalAbsent,
            CellState::NotApplicable,
        ]
        .into_iter()
        .map(|state| LegendItem {
            class: state.id(),
            mark: state.mark(),
            text: labels::cell_state(lang, state),
        })
        .collect();

        Page {
            l,
            product: &results.product.name,
            product_version: &results.product.version,
            roles: results
                .product
                .roles
                .iter()
                .map(|r| labels::role(lang, *r))
                .collect::<Vec<_>>()
                .join(if lang == Lang::Ja { "、" } else { ", " }),
            started: &results.run.started,
            suite: format!("{} {}", results.suite.name, results.suite.version),
            spec_version: &results.spec_version,
            tool: format!("{} {}", results.tool.name, results.tool.version),
            run_id: &results.run.id,
            selection: selection_text(results, lang),
            coverage: coverage_text(results, lang),
            confinement: confinement_text(results, l),
            overall_class,
            overall_text,
            totals,
            total: counts.total,
            columns,
            role_groups,
            rows,
            legend,
            unmatched: matrix.unmatched,
            cases: results
                .sorted_outcomes()
                .into_iter()
                .filter(|o| !o.is_tolerance())
                .map(|o| case_view(o, lang, options.mask))
                .collect(),
            tolerance: results.tolerance_counts().map(|counts| ToleranceView {
                totals: totals_of(counts, lang),
                total: counts.total,
                cases: results
                    .sorted_outcomes()
                    .into_iter()
                    .filter(|o| o.is_tolerance())
                    .map(|o| case_view(o, lang, options.mask))
                    .collect(),
            }),
            selftest: results.selftest.as_ref().map(|s| selftest_view(s, lang)),
            mask: options.mask,
        }
    }
}

/// How the adapter's processes were confined (empty for in-process products).
fn confinement_text(results: &Results, l: &Labels) -> String {
    match results.confinement {
        Some(crate::Confinement::Landlock { abi }) => l.landlock.replace("{abi}", &abi.to_string()),
        Some(crate::Confinement::DetectionOnly) => l.detection_only.to_owned(),
        None => String::new(),
    }
}

/// The selection as one line: vendor, filters, roles, partition, fault, variant, challenge.
fn selection_text(results: &Results, lang: Lang) -> String {
    let Some(sel) = &results.selection else {
        return String::new();
    };
    let mut parts = vec![sel.vendor.clone()];
    parts.extend(sel.filters.iter().map(|f| format!("--filter {f}")));
    parts.extend(sel.roles.iter().map(|r| format!("--role {}", r.id())));
    for (flag, value) in [
        ("--partition", &sel.partition),
        ("--fault", &sel.fault),
        ("--variant", &sel.variant),
        ("--challenge", &sel.challenge),
    ] {
        if let Some(v) = value {
            parts.push(format!("{flag} {v}"));
        }
    }
    parts.join(if lang == Lang::Ja { "、" } else { ", " })
}

/// `12 / 64（居宅介護支援事業所 12 / 40、…）`: cases run of the suite's, per role.
fn coverage_text(results: &Results, lang: Lang) -> String {
    let Some(cov) = &results.coverage else {
        return String::new();
    };
    let roles: Vec<String> = cov
        .roles
        .iter()
        .map(|r| {
            format!(
                "{} {} / {}",
                labels::role(lang, r.role),
                r.cases_run,
                r.suite_cases
            )
        })
        .collect();
    match lang {
        Lang::Ja => format!(
            "{} / {}（{}）",
            cov.cases_run,
            cov.suite_cases,
            roles.join("、")
        ),
        Lang::En => format!(
            "{} / {} ({})",
            cov.cases_run,
            cov.suite_cases,
            roles.join(", ")
        ),
    }
}

/// `180 ケース、参照実装で合格 180、故障した取込で不合格 180` (empty without tolerance cases).
fn tolerance_line(s: &SelfTest, lang: Lang) -> String {
    if s.tolerance.is_empty() {
        return String::new();
    }
    let total = s.tolerance.len();
    let pass = s
        .tolerance
        .iter()
        .filter(|t| t.reference == crate::Verdict::Pass)
        .count();
    let failed = s
        .tolerance
        .iter()
        .filter(|t| !t.failed_by.is_empty())
        .count();
    match lang {
        Lang::Ja => format!(
            "{total} ケース、参照実装で合格 {pass}、故障した取込で不合格 {failed}（どの故障でも不合格にならないケース {}）",
            total - failed
        ),
        Lang::En => format!(
            "{total} cases, {pass} pass on the reference, {failed} failed by a faulty importer ({} failed by none)",
            total - failed
        ),
    }
}

/// Per permitted variant: its tolerance cases, how many are proven, the faults that failed any.
fn tolerance_variants(s: &SelfTest) -> Vec<ToleranceVariantView> {
    let mut by: std::collections::BTreeMap<&str, (usize, usize, std::collections::BTreeSet<&str>)> =
        std::collections::BTreeMap::new();
    for t in &s.tolerance {
        let e = by.entry(t.variant.as_str()).or_default();
        e.0 += 1;
        e.1 += usize::from(t.proven());
        e.2.extend(t.failed_by.iter().map(String::as_str));
    }
    by.into_iter()
        .map(|(variant, (cases, proven, faults))| ToleranceVariantView {
            variant: variant.to_owned(),
            cases,
            proven,
            failed_by: faults.into_iter().collect::<Vec<_>>().join(", "),
            status_class: if proven == cases {
                "caught"
            } else {
                "survived"
            },
        })
        .collect()
}

fn totals_of(counts: crate::results::Counts, lang: Lang) -> Vec<Total> {
    [
        ("pass", crate::Verdict::Pass, counts.pass),
        ("fail", crate::Verdict::Fail, counts.fail),
        ("error", crate::Verdict::Error, counts.error),
        ("na", crate::Verdict::NotApplicable, counts.not_applicable),
    ]
    .into_iter()
    .map(|(class, verdict, count)| Total {
        class,
        label: labels::verdict(lang, verdict),
        count,
    })
    .collect()
}

fn case_view(o: &Outcome, lang: Lang, mask: bool) -> CaseView {
    let verdict_class = match o.verdict {
        crate::Verdict::Pass => "pass",
        crate::Verdict::Fail => "fail",
        crate::Verdict::Error => "error",
        crate::Verdict::NotApplicable => "na",
    };
    CaseView {
        variant: o.tolerance.clone().unwrap_or_default(),
        base_case: o
            .tolerance
            .as_ref()
            .and_then(|v| {
                let rest = o.case.strip_prefix("tolerance::")?;
                let base = rest.strip_suffix(v.as_str())?.strip_suffix("::")?;
                Some(format!("import::{base}"))
            })
            .unwrap_or_default(),
        id: o.case.clone(),
        title: o.title.clone(),
        spec_place: o.spec_place.clone(),
        role: labels::role(lang, o.role).to_owned(),
        direction: labels::direction(lang, o.direction),
        kinds: o.kinds.join(" "),
        requirement: labels::requirement(lang, o.required),
        verdict_class,
        verdict: labels::verdict(lang, o.verdict),
        duration: o
            .duration_ms
            .map(|ms| format!("{}.{:03} s", ms / 1000, ms % 1000))
            .unwrap_or_default(),
        error: o.error_in(lang).map(clean_output).unwrap_or_default(),
        files: o
            .files
            .iter()
            .map(|f| FileView {
                direction: labels::file_direction(lang, f.direction),
                path: f.path.clone(),
                sha256: f.sha256.clone(),
            })
            .collect(),
        findings: o
            .findings
            .iter()
            .map(|f| {
                let f = shown_finding(f, mask);
                let (severity_class, severity) = labels::severity(lang, f.severity);
                FindingView {
                    message: f.message(lang),
                    rule: f.rule.to_string(),
                    severity_class,
                    severity,
                    file: f.file,
                    record: opt(f.record),
                    line: opt(f.line),
                    field: opt(f.field),
                    field_name: f.field_name.unwrap_or_default(),
                    expected: f.expected,
                    actual: f.actual,
                }
            })
            .collect(),
        diffs: o
            .diffs
            .iter()
            .map(|d| {
                let d = shown_diff(d, mask);
                DiffView {
                    file: d.file,
                    record: opt(d.record),
                    field: opt(d.field),
                    field_name: match (&d.field_name, d.kind.is_value()) {
                        (Some(name), _) => name.clone(),
                        (None, false) => d.kind.label(lang).to_owned(),
                        (None, true) => String::new(),
                    },
                    expected: d.expected,
                    actual: d.actual,
                }
            })
            .collect(),
        // Whole records may hold personal data: no decoded diffs in masked output.
        text_diffs: if mask {
            Vec::new()
        } else {
            o.text_diffs
                .iter()
                .map(|t| TextDiffView {
                    file: t.file.clone(),
                    diff: t.diff.clone(),
                })
                .collect()
        },
        held: o
            .held
            .iter()
            .map(|k| {
                let fields = |list: &[crate::NamedField]| {
                    list.iter()
                        .map(|f| format!("No.{} {}", f.field, f.name))
                        .collect::<Vec<_>>()
                        .join(if lang == Lang::Ja { "、" } else { ", " })
                };
                HeldView {
                    kind: k.kind.clone(),
                    records: format!("{} / {}", k.expected_records, k.actual_records),
                    kept: k.kept,
                    not_kept: fields(&k.not_kept),
                    wrong: fields(&k.wrong),
                    must_keep: k
                        .must_keep
                        .iter()
                        .map(|b| MustKeepView {
                            field: format!("No.{} {}", b.field, b.field_name),
                            reason: match lang {
                                Lang::Ja => b.reason_ja.clone(),
                                Lang::En => b.reason_en.clone(),
                            },
                            spec_place: b.spec_place.clone(),
                        })
                        .collect(),
                }
            })
            .collect(),
        finding_count: o.findings.len() + o.diffs.len(),
    }
}

fn selftest_view(s: &SelfTest, lang: Lang) -> SelfTestView {
    let l = labels::labels(lang);
    let detected = s.score.detected();
    let total = s.score.total;
    // Integer per-mille, rounded half up, keeps the text stable across platforms (no floats).
    let percent = if total == 0 {
        "—".to_owned()
    } else {
        let permille = (u64::from(detected) * 2000 / u64::from(total)).div_ceil(2);
        format!("{}.{}%", permille / 10, permille % 10)
    };
    let breakdown = [
        (FaultStatus::Caught, s.score.caught),
        (FaultStatus::CaughtByOther, s.score.caught_by_other),
        (FaultStatus::Survived, s.score.survived),
    ]
    .map(|(status, n)| format!("{} {n}", labels::fault_status(lang, status)))
    .join(" · ");
    SelfTestView {
        score: format!("{detected} / {total}"),
        breakdown,
        percent,
        faults: s
            .faults
            .iter()
            .map(|f| FaultView {
                id: f.id.clone(),
                title: f.title.clone(),
                intended_rule: f.intended_rule.clone(),
                caught_by: f.caught_by.join(", "),
                status_class: f.status.id(),
                status: labels::fault_status(lang, f.status),
            })
            .collect(),
        rates: format!(
            "{} {} / {} · {} {} / {}",
            l.false_fails,
            s.false_fails,
            s.variants.len(),
            l.false_passes,
            s.false_passes,
            s.score.total
        ),
        variants: s
            .variants
            .iter()
            .map(|v| VariantView {
                id: v.id.clone(),
                title: v.title.clone(),
                failed_cases: v.failed_cases.join(", "),
                warnings: v
                    .warnings
                    .iter()
                    .chain(&v.missing_warnings)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                status_class: if v.passed() { "caught" } else { "survived" },
                status: labels::variant_status(lang, v.passed()),
            })
            .collect(),
        tolerance: tolerance_line(s, lang),
        tolerance_variants: tolerance_variants(s),
        tolerance_unproven: s
            .unproven_tolerance()
            .into_iter()
            .map(|t| ToleranceCaseView {
                case: t.case.clone(),
                reference: labels::verdict(lang, t.reference),
                failed_by: t.failed_by.join(", "),
            })
            .collect(),
    }
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
