//! The listing-style matrix: file kinds × (role × 出力/取込), one mark per cell, like the
//! certifying body's vendor test listing (ベンダー試験の結果).
//!
//! Which cells exist comes from the spec's role matrix (rules.md §8), which this crate does not
//! load: the caller passes it as [`MatrixCell`]s and [`Results::matrix`] folds the outcomes in.

use serde::{Deserialize, Serialize};

use cpcert_spec::Role;

use crate::results::{Direction, Requirement, Results, Verdict};

/// One cell of the spec's role matrix that is not "－": this role exports (or imports) this kind,
/// required (○) or optional (△).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    /// The role.
    pub role: Role,
    /// File kind, e.g. `UPPLAN`.
    pub kind: String,
    /// 出力 or 取込.
    pub direction: MatrixDirection,
    /// ○ or △.
    pub required: Requirement,
    /// The kind's Japanese title from its layout (`第6表（サービス利用票）予定`); may be empty.
    #[serde(default)]
    pub title_ja: String,
    /// The kind's English title from its layout; may be empty.
    #[serde(default)]
    pub title_en: String,
}

impl MatrixCell {
    /// A cell without kind titles (the report then shows the kind code alone).
    pub fn new(
        role: Role,
        kind: impl Into<String>,
        direction: MatrixDirection,
        required: Requirement,
    ) -> Self {
        MatrixCell {
            role,
            kind: kind.into(),
            direction,
            required,
            title_ja: String::new(),
            title_en: String::new(),
        }
    }

    /// Sets the kind's titles (from the layout's `title_ja` / `title_en`).
    pub fn with_titles(mut self, title_ja: impl Into<String>, title_en: impl Into<String>) -> Self {
        self.title_ja = title_ja.into();
        self.title_en = title_en.into();
        self
    }
}

/// A matrix column's direction: the listing has only 出力 and 取込 (the role matrix's sides;
/// [`Direction::matrix_side`] says which side a case's direction proves).
pub use cpcert_spec::MatrixSide as MatrixDirection;

/// The mark in one matrix cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CellState {
    /// ○: cases ran and all passed.
    Passed,
    /// ×: at least one case failed.
    Failed,
    /// －: the role never exports/imports this kind.
    NotApplicable,
    /// △: optional, and no case ran (the product does not claim it).
    OptionalAbsent,
    /// !: at least one case could not be run.
    Error,
    /// 未: required, but the suite holds no case the product could run for it; not certifiable.
    Missing,
    /// 未実施: the cell's cases were not selected in this run (a filtered or partial run), so
    /// the run says nothing about it — neither ○ nor ×.
    NotRun,
}

impl CellState {
    /// The mark shown in the listing.
    pub fn mark(self) -> &'static str {
        match self {
            CellState::Passed => "○",
            CellState::Failed => "×",
            CellState::NotApplicable => "－",
            CellState::OptionalAbsent => "△",
            CellState::Error => "!",
            CellState::Missing => "未",
            CellState::NotRun => "未実施",
        }
    }

    /// A stable kebab-case id (CSS class, JSON).
    pub fn id(self) -> &'static str {
        match self {
            CellState::Passed => "passed",
            CellState::Failed => "failed",
            CellState::NotApplicable => "not-applicable",
            CellState::OptionalAbsent => "optional-absent",
            CellState::Error => "error",
            CellState::Missing => "missing",
            CellState::NotRun => "not-run",
        }
    }
}

/// The folded matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    /// Columns, role by role (planner, provider, prevention-planner, then others by id), 出力
    /// before 取込.
    pub columns: Vec<MatrixColumn>,
    /// One row per file kind, in the order the kinds first appear in the cells passed in.
    pub rows: Vec<MatrixRow>,
    /// Ids of cases (not interop) whose role, kind and direction match no cell: either the case
    /// or the role matrix is wrong, so the report lists them rather than dropping them silently.
    pub unmatched: Vec<String>,
}

/// One column: a role and a direction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixColumn {
    /// The role.
    pub role: Role,
    /// 出力 or 取込.
    pub direction: MatrixDirection,
}

/// One row: a file kind and a cell per column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// File kind.
    pub kind: String,
    /// Japanese title (the first non-empty one among the kind's cells).
    pub title_ja: String,
    /// English title (the first non-empty one among the kind's cells).
    pub title_en: String,
    /// One entry per column, in column order.
    pub cells: Vec<MatrixEntry>,
}

/// One folded cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixEntry {
    /// The mark.
    pub state: CellState,
    /// ○ or △ from the spec; `None` for "－" cells.
    pub required: Option<Requirement>,
    /// Ids of the cases folded into this cell, sorted, the decisive ones (error, fail) first.
    pub cases: Vec<String>,
}

impl Results {
    /// Folds the outcomes into the listing-style matrix whose existing cells are `cells`.
    ///
    /// Columns are the roles the product claims (all roles in `cells` when it claims none), so a
    /// planner-only product's listing does not fill with provider columns it never asked for.
    /// Per cell, an error wins over a failure, which wins over a pass: the mark must not claim
    /// more than the evidence shows.
    pub fn matrix(&self, cells: &[MatrixCell]) -> Matrix {
        let mut roles: Vec<Role> = if self.product.roles.is_empty() {
            cells.iter().map(|c| c.role).collect()
        } else {
            self.product.roles.clone()
        };
        // Role order is the listing's: planner, provider, prevention planner.
        roles.sort();
        roles.dedup();
        let columns: Vec<MatrixColumn> = roles
            .iter()
            .flat_map(|role| {
                [MatrixDirection::Export, MatrixDirection::Import].map(|direction| MatrixColumn {
                    role: *role,
                    direction,
                })
            })
            .collect();

        let mut kinds: Vec<&str> = Vec::new();
        for cell in cells {
            if !kinds.contains(&cell.kind.as_str()) {
                kinds.push(&cell.kind);
            }
        }

        let outcomes = self.sorted_outcomes();
        let not_run: &[crate::CaseRef] = self
            .coverage
            .as_ref()
            .map(|c| c.not_run.as_slice())
            .unwrap_or_default();
        let mut matched = vec![false; outcomes.len()];
        let rows = kinds
            .iter()
            .map(|&kind| MatrixRow {
                kind: kind.to_owned(),
                title_ja: first_title(cells, kind, |c| &c.title_ja),
                title_en: first_title(cells, kind, |c| &c.title_en),
                cells: columns
                    .iter()
                    .map(|column| {
                        let spec = cells.iter().find(|c| {
                            c.kind == kind
                                && c.role == column.role
                                && c.direction == column.direction
                        });
                        let mut folded: Vec<(Verdict, &str)> = Vec::new();
                        for (i, outcome) in outcomes.iter().enumerate() {
                            let hit = outcome.role == column.role
                                && outcome.direction.matrix_side() == Some(column.direction)
                                && outcome.kinds.iter().any(|k| k == kind);
                            if hit && spec.is_some() {
                                matched[i] = true;
                                // A failed case marks × only the kinds with a finding or a
                                // difference of their own; its other kinds did what was asked.
                                let verdict = if outcome.verdict == Verdict::Fail
                                    && !outcome.failed_kinds().contains(&kind)
                                {
                                    Verdict::Pass
                                } else {
                                    outcome.verdict
                                };
                                folded.push((verdict, &outcome.case));
                            }
                        }
                        let not_run: Vec<&str> = not_run
                            .iter()
                            .filter(|c| {
                                c.role == column.role
                                    && c.direction.matrix_side() == Some(column.direction)
                                    && c.kinds.iter().any(|k| k == kind)
                            })
                            .map(|c| c.case.as_str())
                            .collect();
                        fold(spec.map(|c| c.required), folded, &not_run)
                    })
                    .collect(),
            })
            .collect();

        // A case counts as matched when any of its kinds landed in a cell, including cells of
        // roles the product does not claim (those are legitimately absent from the columns).
        let unmatched = outcomes
            .iter()
            .zip(&matched)
            .filter(|(outcome, matched)| {
                !**matched
                    && outcome.direction != Direction::Interop
                    && !cells.iter().any(|c| {
                        c.role == outcome.role
                            && Some(c.direction) == outcome.direction.matrix_side()
                            && outcome.kinds.contains(&c.kind)
                    })
            })
            .map(|(outcome, _)| outcome.case.clone())
            .collect();

        Matrix {
            columns,
            rows,
            unmatched,
        }
    }
}

fn first_title(cells: &[MatrixCell], kind: &str, title: impl Fn(&MatrixCell) -> &String) -> String {
    cells
        .iter()
        .filter(|c| c.kind == kind)
        .map(title)
        .find(|t| !t.is_empty())
        .cloned()
        .unwrap_or_default()
}

/// Folds the verdicts of one cell's cases into its mark.
fn fold(
    required: Option<Requirement>,
    mut folded: Vec<(Verdict, &str)>,
    not_run: &[&str],
) -> MatrixEntry {
    let Some(requirement) = required else {
        return MatrixEntry {
            state: CellState::NotApplicable,
            required: None,
            cases: Vec::new(),
        };
    };
    let any = |verdict| folded.iter().any(|(v, _)| *v == verdict);
    let state = if any(Verdict::Error) {
        CellState::Error
    } else if any(Verdict::Fail) {
        CellState::Failed
    } else if !not_run.is_empty() {
        // Some of the cell's cases did not run: passing the others proves nothing of the cell.
        CellState::NotRun
    } else if any(Verdict::Pass) {
        CellState::Passed
    } else {
        // No case ran (or every case said not-applicable): the product does not claim the
        // capability. For △ that is allowed; for ○ nothing was certified.
        match requirement {
            Requirement::Optional => CellState::OptionalAbsent,
            Requirement::Required => CellState::Missing,
        }
    };
    // Decisive cases first, so a link from the cell goes to the case that explains the mark.
    folded.sort_by(|(va, ca), (vb, cb)| decisiveness(*va).cmp(&decisiveness(*vb)).then(ca.cmp(cb)));
    let mut cases: Vec<String> = folded
        .into_iter()
        .map(|(_, case)| case.to_owned())
        .collect();
    if state == CellState::NotRun {
        // The cases that would decide the cell come first.
        let ran = std::mem::take(&mut cases);
        cases = not_run.iter().map(|c| (*c).to_owned()).collect();
        cases.sort();
        cases.extend(ran);
    }
    MatrixEntry {
        state,
        required: Some(requirement),
        cases,
    }
}

fn decisiveness(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Error => 0,
        Verdict::Fail => 1,
        Verdict::Pass => 2,
        Verdict::NotApplicable => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Outcome, Product, Run, Suite, Tool};
    use cpcert_spec::Role;

    fn cell(
        role: Role,
        kind: &str,
        direction: MatrixDirection,
        required: Requirement,
    ) -> MatrixCell {
        MatrixCell::new(role, kind, direction, required)
    }

    fn outcome(
        case: &str,
        role: Role,
        direction: Direction,
        kinds: &[&str],
        verdict: Verdict,
    ) -> Outcome {
        Outcome {
            case: case.into(),
            title: String::new(),
            spec_place: String::new(),
            role,
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

    fn results(roles: &[Role], outcomes: Vec<Outcome>) -> Results {
        Results {
            schema_version: 1,
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
                roles: roles.to_vec(),
            },
            run: Run {
                id: "r".into(),
                started: "2026-01-01T00:00:00Z".into(),
            },
            selection: None,
            coverage: None,
            outcomes,
            confinement: None,
            selftest: None,
        }
    }

    fn spec_cells() -> Vec<MatrixCell> {
        use MatrixDirection::{Export, Import};
        use Requirement::{Optional, Required};
        vec![
            cell(Role::Planner, "UPPLAN", Export, Required),
            cell(Role::Provider, "UPPLAN", Import, Required),
            cell(Role::Planner, "DLTPLAN", Export, Optional),
            cell(Role::Provider, "DLTPLAN", Import, Optional),
            cell(Role::Planner, "UPJSK", Import, Required),
            cell(Role::Provider, "UPJSK", Export, Required),
            cell(Role::Planner, "UPSIKYU", Export, Required),
        ]
    }

    fn marks(matrix: &Matrix) -> Vec<String> {
        matrix
            .rows
            .iter()
            .map(|row| {
                let marks: String = row.cells.iter().map(|c| c.state.mark()).collect();
                format!("{} {marks}", row.kind)
            })
            .collect()
    }

    #[test]
    fn folds_outcomes_into_cells() {
        let r = results(
            &[Role::Provider, Role::Planner],
            vec![
                outcome(
                    "export::upplan::basic",
                    Role::Planner,
                    Direction::Export,
                    &["UPPLAN", "UPSIKYU"],
                    Verdict::Pass,
                ),
                outcome(
                    "export::upplan::hiwari",
                    Role::Planner,
                    Direction::Export,
                    &["UPPLAN"],
                    Verdict::Fail,
                ),
                outcome(
                    "import::upplan::basic",
                    Role::Provider,
                    Direction::Roundtrip,
                    &["UPPLAN"],
                    Verdict::Pass,
                ),
                outcome(
                    "import::upjsk::basic",
                    Role::Planner,
                    Direction::Import,
                    &["UPJSK"],
                    Verdict::Error,
                ),
                outcome(
                    "export::upjsk::basic",
                    Role::Provider,
                    Direction::Export,
                    &["UPJSK"],
                    Verdict::Fail,
                ),
                outcome(
                    "export::upjsk::second",
                    Role::Provider,
                    Direction::Export,
                    &["UPJSK"],
                    Verdict::Error,
                ),
                outcome(
                    "interop::a::b",
                    Role::Planner,
                    Direction::Interop,
                    &["UPPLAN"],
                    Verdict::Fail,
                ),
            ],
        );
        let m = r.matrix(&spec_cells());
        // Columns: planner 出力, planner 取込, provider 出力, provider 取込 (claim order ignored).
        assert_eq!(m.columns.len(), 4);
        assert_eq!(m.columns[0].role, Role::Planner);
        assert_eq!(m.columns[2].role, Role::Provider);
        assert_eq!(
            marks(&m),
            [
                "UPPLAN ×－－○",
                "DLTPLAN △－－△",
                "UPJSK －!!－",
                "UPSIKYU ○－－－"
            ]
        );
        // Decisive case first.
        assert_eq!(
            m.rows[0].cells[0].cases,
            ["export::upplan::hiwari", "export::upplan::basic"]
        );
        assert_eq!(
            m.rows[2].cells[2].cases,
            ["export::upjsk::second", "export::upjsk::basic"]
        );
        assert!(m.unmatched.is_empty());
    }

    #[test]
    fn required_cell_without_cases_is_missing_and_not_applicable_counts_as_absent() {
        let r = results(
            &[Role::Planner],
            vec![outcome(
                "export::dltplan::basic",
                Role::Planner,
                Direction::Export,
                &["DLTPLAN"],
                Verdict::NotApplicable,
            )],
        );
        let m = r.matrix(&spec_cells());
        assert_eq!(m.columns.len(), 2);
        assert_eq!(
            marks(&m),
            ["UPPLAN 未－", "DLTPLAN △－", "UPJSK －未", "UPSIKYU 未－"]
        );
        assert_eq!(m.rows[1].cells[0].cases, ["export::dltplan::basic"]);
    }

    #[test]
    fn no_claimed_roles_shows_every_role_in_the_cells() {
        let m = results(&[], vec![]).matrix(&spec_cells());
        assert_eq!(m.columns.len(), 4);
    }

    #[test]
    fn cases_outside_the_role_matrix_are_listed() {
        let r = results(
            &[Role::Planner],
            vec![
                // The planner never exports UPJSK: the case (or the spec data) is wrong.
                outcome(
                    "export::upjsk::wrong",
                    Role::Planner,
                    Direction::Export,
                    &["UPJSK"],
                    Verdict::Pass,
                ),
                // A provider case in a planner-only run is matched (its cell exists), just not shown.
                outcome(
                    "import::upplan::p",
                    Role::Provider,
                    Direction::Import,
                    &["UPPLAN"],
                    Verdict::Pass,
                ),
            ],
        );
        let m = r.matrix(&spec_cells());
        assert_eq!(m.unmatched, ["export::upjsk::wrong"]);
    }

    #[test]
    fn a_failure_marks_only_the_kinds_it_names() {
        let mut failed = outcome(
            "export::planner::minimal",
            Role::Planner,
            Direction::Export,
            &["UPPLAN", "UPSIKYU"],
            Verdict::Fail,
        );
        failed.file_kinds = [
            ("UPPLAN_1.CSV".to_owned(), "UPPLAN".to_owned()),
            ("UPSIKYU_1.CSV".to_owned(), "UPSIKYU".to_owned()),
        ]
        .into();
        failed.diffs = vec![cpcert_checks::compare::FieldDifference {
            file: "UPSIKYU_1.CSV".into(),
            record: Some(1),
            field: Some(4),
            field_name: None,
            expected: "20250401".into(),
            actual: "20250431".into(),
            sensitive: false,
            kind: Default::default(),
        }];
        let m = results(&[Role::Planner], vec![failed.clone()]).matrix(&spec_cells());
        assert_eq!(
            marks(&m),
            ["UPPLAN ○－", "DLTPLAN △－", "UPJSK －未", "UPSIKYU ×－"]
        );
        // A difference in a file of no known kind cannot be placed: every kind of the case.
        failed.diffs[0].file = "unknown.CSV".into();
        let m = results(&[Role::Planner], vec![failed]).matrix(&spec_cells());
        assert_eq!(
            marks(&m),
            ["UPPLAN ×－", "DLTPLAN △－", "UPJSK －未", "UPSIKYU ×－"]
        );
    }

    #[test]
    fn cells_whose_cases_did_not_run_are_not_run() {
        use crate::{CaseRef, Coverage, CoverageInput};
        let ran = CaseRef {
            case: "export::upplan::basic".into(),
            role: Role::Planner,
            direction: Direction::Export,
            kinds: vec!["UPPLAN".into()],
        };
        let skipped = CaseRef {
            case: "import::upjsk::basic".into(),
            role: Role::Planner,
            direction: Direction::Import,
            kinds: vec!["UPJSK".into()],
        };
        let skipped_upplan = CaseRef {
            case: "export::upplan::other".into(),
            ..ran.clone()
        };
        let mut r = results(
            &[Role::Planner],
            vec![outcome(
                "export::upplan::basic",
                Role::Planner,
                Direction::Export,
                &["UPPLAN"],
                Verdict::Pass,
            )],
        );
        r.coverage = Some(Coverage::of([
            CoverageInput {
                case: &ran,
                selected: true,
            },
            CoverageInput {
                case: &skipped,
                selected: false,
            },
            CoverageInput {
                case: &skipped_upplan,
                selected: false,
            },
        ]));
        let m = r.matrix(&spec_cells());
        // UPPLAN passed one case but another did not run: 未実施, not ○.
        assert_eq!(
            marks(&m),
            [
                "UPPLAN 未実施－",
                "DLTPLAN △－",
                "UPJSK －未実施",
                "UPSIKYU 未－"
            ]
        );
        assert_eq!(
            m.rows[0].cells[0].cases,
            ["export::upplan::other", "export::upplan::basic"]
        );
    }
}
