//! `certify --challenge SEED`: every case runs on the seed's own scenario data
//! ([`cpcert_scenario::challenge`]), and the reference product makes what is expected on the fly
//! instead of golden/. `verify` regenerates the expected side of a challenged bundle with
//! [`expected_for`].

use cpcert_scenario::Scenario;
pub use cpcert_scenario::challenge::Challenge;

use crate::case::Case;
use crate::execute::{CaseFiles, reference_files};

/// The case's scenario and office (roundtrip cases) as the challenge has them.
pub fn challenged(
    challenge: &Challenge,
    case: &Case,
    scenario: &Scenario,
) -> (Scenario, Option<String>) {
    let office = case
        .file
        .office
        .as_deref()
        .map(|o| challenge.office(scenario, o));
    (challenge.scenario(scenario), office)
}

/// What a case of a run challenged with `seed` sent to the product and expected back
/// (`received` is empty): `scenario` is the case's scenario as the suite holds it.
///
/// # Errors
/// The reference product cannot make the files (a broken scenario or case).
pub fn expected_for(seed: &str, case: &Case, scenario: &Scenario) -> Result<CaseFiles, String> {
    let challenge = Challenge::new(seed);
    let (scenario, office) = challenged(&challenge, case, scenario);
    reference_files(case, &scenario, office.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_has_expected_files_under_a_challenge() {
        let suite = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        for case in crate::load_cases(&suite).unwrap() {
            let path = suite
                .join("cases/scenarios")
                .join(format!("{}.yaml", case.file.scenario));
            let scenario = cpcert_scenario::load_scenario(&path).unwrap();
            let a = expected_for("a", &case, &scenario).unwrap();
            assert!(!a.expected.is_empty(), "{}", case.id);
            assert_eq!(
                expected_for("a", &case, &scenario).unwrap().expected,
                a.expected
            );
            // What is sent and expected differs by seed (an import that ends holding nothing
            // expects the same empty answer, but is sent other files).
            let b = expected_for("b", &case, &scenario).unwrap();
            assert_ne!(
                (&b.sent, &b.expected),
                (&a.sent, &a.expected),
                "{}",
                case.id
            );
        }
    }
}
