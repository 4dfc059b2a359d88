//! Tolerance cases (issue #10): every import case again, its input written in each way the
//! standard permits (the variant catalogue, cases/variants/), and the product must understand
//! each exactly as it understands the canonical input.
//!
//! A tolerance case is made on the fly, like a challenge: no golden copies. Its input is the
//! sender's export of the case's scenario by the reference product with one [`Variant`]; its
//! expected answer is what the reference holds after importing the canonical input (the
//! export without a variant, i.e. the golden input). A variant that changes no byte of a case's
//! input makes no case. `verify` regenerates both sides from the scenario and the variant.
//!
//! Ids: `tolerance::<role>::<scenario>-from-<sender>::<variant>`, the base case being
//! `import::<role>::<scenario>-from-<sender>`.

use std::path::Path;

use cpcert_scenario::Scenario;
use cpcert_scenario::reference::{self, ExportOptions, ExportedFile, Variant};

use crate::RunnerError;
use crate::case::{Case, CaseDirection, load_cases};
use crate::execute::{CaseFiles, expected_answer};

/// The first part of every tolerance case id (also what `--filter tolerance` selects).
pub const PREFIX: &str = "tolerance";

/// The day the product writing a tolerance input runs (variant `created-today`): fixed, so
/// that the same suite gives the same input bytes and `verify` regenerates them.
pub const TODAY: &str = "20260401";

/// The id of the tolerance case of `base` (an import case) written with `variant`.
pub fn id_of(base: &Case, variant: Variant) -> String {
    let rest = base.id.strip_prefix("import::").unwrap_or(&base.id);
    format!("{PREFIX}::{rest}::{variant}")
}

/// The base import case id and the variant of a tolerance case id; `None` for any other id.
pub fn parse_id(id: &str) -> Option<(String, Variant)> {
    let rest = id.strip_prefix(PREFIX)?.strip_prefix("::")?;
    let (base, variant) = rest.rsplit_once("::")?;
    if base.is_empty() {
        return None;
    }
    Some((format!("import::{base}"), variant.parse().ok()?))
}

/// Whether `id` names a tolerance case.
pub fn is_tolerance_id(id: &str) -> bool {
    parse_id(id).is_some()
}

/// The tolerance case of `base` (an import case of cases/) written with `variant`: the base
/// case's role, sender, scenario, kinds and ○/△, under its own id.
pub fn case_of(base: &Case, variant: Variant) -> Case {
    let id = id_of(base, variant);
    let mut file = base.file.clone();
    file.title = format!("{}（許容される書き方 {variant} の入力）", base.file.title);
    if !file.tags.iter().any(|t| t == PREFIX) {
        file.tags.push(PREFIX.to_owned());
    }
    Case {
        rel: id.replace("::", "/"),
        id,
        file,
        kinds: base.kinds.clone(),
        requirement: base.requirement,
        tolerance: Some(variant),
    }
}

/// What the sender of an import case writes for `scenario`, with `variant` (None: the
/// canonical input, as golden/ holds it).
///
/// # Errors
/// The reference product cannot export the scenario (a broken suite).
pub fn input(
    case: &Case,
    scenario: &Scenario,
    variant: Option<Variant>,
) -> Result<Vec<ExportedFile>, String> {
    let mut opts = ExportOptions::with_timestamp(&case.file.timestamp);
    opts.variant = variant;
    opts.today = variant.map(|_| TODAY.to_owned());
    export(case, scenario, &opts, variant)
}

/// The canonical writing of what a tolerance input with `variant` says: the golden input, but
/// for `created-today`, whose 作成年月日 is a value of its own (the day the product runs), not
/// another writing of the scenario's — its canonical writing carries that same day.
///
/// # Errors
/// As [`input`].
pub fn canonical(
    case: &Case,
    scenario: &Scenario,
    variant: Variant,
) -> Result<Vec<ExportedFile>, String> {
    let mut opts = ExportOptions::with_timestamp(&case.file.timestamp);
    if variant == Variant::CreatedToday {
        opts.created = Some(TODAY.to_owned());
    }
    export(case, scenario, &opts, None)
}

fn export(
    case: &Case,
    scenario: &Scenario,
    opts: &ExportOptions,
    variant: Option<Variant>,
) -> Result<Vec<ExportedFile>, String> {
    let sender = case.file.sender.unwrap_or(case.file.role.default_sender());
    reference::export(scenario, sender, opts).map_err(|e| {
        let with = variant
            .map(|v| format!(" with variant {v}"))
            .unwrap_or_default();
        format!(
            "{}: the reference cannot export the scenario{with}: {e}",
            case.id
        )
    })
}

/// The files of a tolerance case for `scenario` (the suite's or a challenge's): `sent` is the
/// input written with the case's variant, `expected` the answer of its [`canonical`] writing.
///
/// # Errors
/// Not a tolerance case, or the reference product cannot export or import the scenario.
pub fn files(case: &Case, scenario: &Scenario) -> Result<CaseFiles, String> {
    let Some(variant) = case.tolerance else {
        return Err(format!("{}: not a tolerance case", case.id));
    };
    let expected = expected_answer(case, &canonical(case, scenario, variant)?)?;
    Ok(CaseFiles {
        sent: input(case, scenario, Some(variant))?,
        received: Vec::new(),
        expected: vec![expected],
    })
}

/// The tolerance cases of the import cases among `cases` (cases of cases/ under `suite`):
/// one per import case and variant of the catalogue that changes at least one byte of the
/// case's input, in id order.
///
/// # Errors
/// A scenario that cannot be read, or that the reference product cannot export.
pub fn for_cases(suite: &Path, cases: &[Case]) -> Result<Vec<Case>, RunnerError> {
    let mut out = Vec::new();
    for base in cases
        .iter()
        .filter(|c| c.file.direction == CaseDirection::Import && c.tolerance.is_none())
    {
        let path = suite
            .join("cases/scenarios")
            .join(format!("{}.yaml", base.file.scenario));
        let bad = |message: String| RunnerError::Case {
            path: path.clone(),
            message,
        };
        let scenario = cpcert_scenario::load_scenario(&path).map_err(|e| bad(e.to_string()))?;
        let canonical = input(base, &scenario, None).map_err(bad)?;
        for variant in Variant::ALL {
            if input(base, &scenario, Some(variant)).map_err(bad)? != canonical {
                out.push(case_of(base, variant));
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The tolerance cases of a suite.
///
/// # Errors
/// As [`load_cases`] and [`for_cases`].
pub fn cases(suite: &Path) -> Result<Vec<Case>, RunnerError> {
    for_cases(suite, &load_cases(suite)?)
}

/// Every case of a suite: the cases of cases/ and their tolerance cases, in id order (what
/// `certify` selects from and what a bundle's suite index lists).
///
/// # Errors
/// As [`load_cases`] and [`for_cases`].
pub fn suite_cases(suite: &Path) -> Result<Vec<Case>, RunnerError> {
    let mut all = load_cases(suite)?;
    let mut tolerance = for_cases(suite, &all)?;
    all.append(&mut tolerance);
    all.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suite() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    #[test]
    fn ids_round_trip() {
        let all = load_cases(&suite()).unwrap();
        let base = all
            .iter()
            .find(|c| c.id == "import::provider::minimal-from-planner")
            .unwrap();
        let case = case_of(base, Variant::LfOnly);
        assert_eq!(
            case.id,
            "tolerance::provider::minimal-from-planner::lf-only"
        );
        assert_eq!(case.rel, "tolerance/provider/minimal-from-planner/lf-only");
        assert_eq!(parse_id(&case.id), Some((base.id.clone(), Variant::LfOnly)));
        assert_eq!(parse_id("import::provider::minimal-from-planner"), None);
        assert_eq!(parse_id("tolerance::x::no-such-variant"), None);
        assert_eq!(parse_id("tolerance::lf-only"), None);
    }

    #[test]
    fn every_tolerance_input_differs_from_the_canonical_and_expects_its_answer() {
        let suite = suite();
        let all = load_cases(&suite).unwrap();
        let tolerance = for_cases(&suite, &all).unwrap();
        let imports = all
            .iter()
            .filter(|c| c.file.direction == CaseDirection::Import)
            .count();
        assert!(imports > 0);
        // Every import case has some; no variant is kept that changes nothing.
        for base in all
            .iter()
            .filter(|c| c.file.direction == CaseDirection::Import)
        {
            assert!(
                tolerance
                    .iter()
                    .any(|t| parse_id(&t.id).is_some_and(|(b, _)| b == base.id)),
                "{}: no tolerance case",
                base.id
            );
        }
        for case in &tolerance {
            let (base_id, _) = parse_id(&case.id).unwrap();
            let base = all.iter().find(|c| c.id == base_id).unwrap();
            let scenario = cpcert_scenario::load_scenario(
                suite
                    .join("cases/scenarios")
                    .join(format!("{}.yaml", case.file.scenario)),
            )
            .unwrap();
            let made = files(case, &scenario).unwrap();
            // The canonical input is golden/'s, and its answer is the expected one (but for
            // created-today, whose 作成年月日 is its own value).
            let golden = crate::execute::reference_files(base, &scenario, None).unwrap();
            assert_ne!(made.sent, golden.sent, "{}", case.id);
            if case.tolerance != Some(Variant::CreatedToday) {
                assert_eq!(made.expected, golden.expected, "{}", case.id);
            }
        }
    }
}
