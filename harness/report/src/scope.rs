//! What a run was asked to run (the selection) and how much of the suite it ran (the coverage).
//!
//! A verdict only speaks for the cases that ran: every renderer asks [`Coverage::complete`]
//! before it says 「全ケース合格」, and the matrix marks cells whose cases were not selected
//! 未実施 instead of ○ or ×.

use cpcert_spec::Role;
use serde::{Deserialize, Serialize};

use crate::results::Direction;

/// The selection a run was made with (`certify --filter/--role/--partition/--fault/--vendor`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Selection {
    /// The vendor description (`reference` for the built-in reference product).
    pub vendor: String,
    /// `--filter` texts: a case is kept when its id contains any of them (empty: all).
    #[serde(default)]
    pub filters: Vec<String>,
    /// `--role`: only cases of these roles (empty: all).
    #[serde(default)]
    pub roles: Vec<Role>,
    /// `--partition`, as given (`hash:M/N` or `count:M/N`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// `--fault`: the reference product with one injected fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
    /// A permitted variant of the reference product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// `--challenge`: the seed this run's scenario data was derived from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenge: Option<String>,
}

/// How much of the suite ran.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Cases in the suite.
    pub suite_cases: usize,
    /// Cases selected and run (a case the product's roles exclude still counts: it was judged
    /// not applicable).
    pub cases_run: usize,
    /// Per role: suite cases and cases run, in role order.
    pub roles: Vec<RoleCoverage>,
    /// Per file kind: suite cases covering the kind and how many of them ran, by kind.
    pub kinds: Vec<KindCoverage>,
    /// The suite's cases that were not selected (the matrix marks their cells 未実施).
    #[serde(default)]
    pub not_run: Vec<CaseRef>,
}

/// Coverage of one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCoverage {
    /// The role.
    pub role: Role,
    /// Suite cases of the role.
    pub suite_cases: usize,
    /// Of those, cases run.
    pub cases_run: usize,
}

/// Coverage of one file kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCoverage {
    /// File kind, e.g. `UPPLAN`.
    pub kind: String,
    /// Suite cases covering the kind.
    pub suite_cases: usize,
    /// Of those, cases run.
    pub cases_run: usize,
}

/// A case named without its outcome (one that was not run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef {
    /// Case id.
    pub case: String,
    /// The role the case tests.
    pub role: Role,
    /// What the case asks of the product.
    pub direction: Direction,
    /// File kinds the case covers.
    pub kinds: Vec<String>,
}

/// One case as the coverage counts it.
#[derive(Debug, Clone, Copy)]
pub struct CoverageInput<'a> {
    /// The case.
    pub case: &'a CaseRef,
    /// Whether it was selected.
    pub selected: bool,
}

impl Coverage {
    /// Counts `cases` (every case of the suite, each flagged selected or not).
    pub fn of<'a>(cases: impl IntoIterator<Item = CoverageInput<'a>>) -> Coverage {
        let mut coverage = Coverage::default();
        for CoverageInput { case, selected } in cases {
            coverage.suite_cases += 1;
            coverage.cases_run += usize::from(selected);
            let role = match coverage.roles.iter_mut().find(|r| r.role == case.role) {
                Some(r) => r,
                None => {
                    coverage.roles.push(RoleCoverage {
                        role: case.role,
                        suite_cases: 0,
                        cases_run: 0,
                    });
                    coverage.roles.last_mut().expect("just pushed")
                }
            };
            role.suite_cases += 1;
            role.cases_run += usize::from(selected);
            for kind in &case.kinds {
                let entry = match coverage.kinds.iter_mut().find(|k| &k.kind == kind) {
                    Some(k) => k,
                    None => {
                        coverage.kinds.push(KindCoverage {
                            kind: kind.clone(),
                            suite_cases: 0,
                            cases_run: 0,
                        });
                        coverage.kinds.last_mut().expect("just pushed")
                    }
                };
                entry.suite_cases += 1;
                entry.cases_run += usize::from(selected);
            }
            if !selected {
                coverage.not_run.push(case.clone());
            }
        }
        coverage.roles.sort_by_key(|r| r.role);
        coverage.kinds.sort_by(|a, b| a.kind.cmp(&b.kind));
        coverage.not_run.sort_by(|a, b| a.case.cmp(&b.case));
        coverage
    }

    /// Whether every case of the suite ran.
    pub fn complete(&self) -> bool {
        self.cases_run == self.suite_cases && self.not_run.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, role: Role, kinds: &[&str]) -> CaseRef {
        CaseRef {
            case: id.into(),
            role,
            direction: Direction::Export,
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    #[test]
    fn counts_per_role_and_kind() {
        let a = case("a", Role::Planner, &["UPPLAN", "UPSIKYU"]);
        let b = case("b", Role::Planner, &["UPPLAN"]);
        let c = case("c", Role::Provider, &["UPJSK"]);
        let coverage = Coverage::of([
            CoverageInput {
                case: &c,
                selected: false,
            },
            CoverageInput {
                case: &a,
                selected: true,
            },
            CoverageInput {
                case: &b,
                selected: false,
            },
        ]);
        assert_eq!((coverage.suite_cases, coverage.cases_run), (3, 1));
        assert!(!coverage.complete());
        assert_eq!(coverage.roles[0].role, Role::Planner);
        assert_eq!(
            (coverage.roles[0].suite_cases, coverage.roles[0].cases_run),
            (2, 1)
        );
        let upplan = coverage.kinds.iter().find(|k| k.kind == "UPPLAN").unwrap();
        assert_eq!((upplan.suite_cases, upplan.cases_run), (2, 1));
        let ids: Vec<&str> = coverage.not_run.iter().map(|c| c.case.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
        let all = Coverage::of([CoverageInput {
            case: &a,
            selected: true,
        }]);
        assert!(all.complete());
    }
}
