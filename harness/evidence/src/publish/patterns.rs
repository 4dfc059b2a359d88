//! The listing's patterns (D1–D7) as spec data (`spec/<version>/listing-patterns.yaml`), and
//! which of them a run completed.

use cpcert_report::{Direction, Outcome, Results, Verdict};
use cpcert_spec::Role;
use serde::Deserialize;

use crate::EvidenceError;

/// One pattern of the listing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pattern {
    /// `D1` … `D7`.
    pub id: String,
    /// The office type whose column group holds the pattern.
    pub office_type: Role,
    /// Japanese name.
    pub name_ja: String,
    /// English name.
    pub name_en: String,
    /// Which cases the pattern requires.
    pub rows: Vec<PatternRow>,
}

/// Cases of one role and direction that a pattern requires.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternRow {
    /// The product's role in the case.
    pub role: Role,
    /// The case's direction.
    pub direction: Direction,
    /// Who wrote the files the product imports (import and roundtrip).
    #[serde(default)]
    pub sender: Option<Role>,
    /// The case covers at least one of these kinds.
    pub kinds: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternsFile {
    patterns: Vec<Pattern>,
}

/// The patterns of the layout version this cpcert certifies against.
///
/// # Errors
/// The spec data is missing or does not parse.
pub fn patterns() -> Result<Vec<Pattern>, EvidenceError> {
    let path = format!(
        "{}/listing-patterns.yaml",
        cpcert_spec::CURRENT_LAYOUT_VERSION
    );
    let text = cpcert_spec::Spec::embedded_files()
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| *t)
        .ok_or_else(|| EvidenceError::Suite(format!("spec/{path} is missing")))?;
    serde_saphyr::from_str::<PatternsFile>(text)
        .map(|f| f.patterns)
        .map_err(|e| EvidenceError::Suite(format!("spec/{path}: {e}")))
}

/// A case as a pattern sees it: its outcome and its sender.
pub struct JudgedCase<'a> {
    /// The outcome (re-judged: the bundle verified).
    pub outcome: &'a Outcome,
    /// Who wrote the files the product imported.
    pub sender: Option<Role>,
    /// Whether its evidence was re-judged (false: masked, declared only).
    pub rejudged: bool,
}

/// How a pattern fared in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternResult {
    /// The pattern id.
    pub id: String,
    /// Completed.
    pub completed: bool,
    /// The cases that decided it: (case id, verdict, counted against the pattern).
    pub cases: Vec<(String, Verdict, bool)>,
}

impl PatternRow {
    fn matches(&self, case: &JudgedCase<'_>) -> bool {
        let o = case.outcome;
        o.role == self.role
            && o.direction == self.direction
            && self.sender.is_none_or(|s| case.sender == Some(s))
            && o.kinds.iter().any(|k| self.kinds.contains(k))
    }
}

/// Which patterns `results` completed. `complete` says whether every case of the suite ran.
pub fn judge_patterns(
    patterns: &[Pattern],
    results: &Results,
    cases: &[JudgedCase<'_>],
    complete: bool,
) -> Vec<PatternResult> {
    let claimed: &[Role] = &results.product.roles;
    patterns
        .iter()
        .map(|p| {
            let kinds: Vec<&str> = p
                .rows
                .iter()
                .flat_map(|r| r.kinds.iter().map(String::as_str))
                .collect();
            let mut decided = Vec::new();
            let mut broken = false;
            for c in cases {
                let o = c.outcome;
                // ○ and △ cases alike: a △ case (one with an optional kind, such as a
                // deletion) counts against the pattern only by a failure on the pattern's own
                // kinds, never by its optional part.
                let relevant = p
                    .rows
                    .iter()
                    .any(|r| claimed.contains(&r.role) && r.matches(c));
                if !relevant {
                    continue;
                }
                let against = match o.verdict {
                    Verdict::Pass => !c.rejudged,
                    Verdict::Fail => o.failed_kinds().iter().any(|k| kinds.contains(k)),
                    Verdict::Error | Verdict::NotApplicable => true,
                };
                broken |= against;
                decided.push((o.case.clone(), o.verdict, against));
            }
            PatternResult {
                id: p.id.clone(),
                completed: complete && !decided.is_empty() && !broken,
                cases: decided,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_data_has_seven_patterns() {
        let ps = patterns().unwrap();
        let ids: Vec<&str> = ps.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["D1", "D2", "D3", "D4", "D5", "D6", "D7"]);
        assert!(ps.iter().all(|p| !p.rows.is_empty()));
    }
}
