//! `certify --vendor alternate`: the second built-in product passes the whole suite, with no
//! finding the variant catalogue does not list for the variants it applies (it applies only
//! those that draw no warning), and its reports are byte-identical run to run.

use std::path::Path;

use cpcert_report::{Verdict, json};
use cpcert_runner::{Certification, CertifyRequest};

fn certify(out: &Path, challenge: Option<&str>) -> cpcert_report::Results {
    let req = CertifyRequest {
        challenge: challenge.map(str::to_owned),
        vendor: "alternate".into(),
        suite: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")),
        out: out.to_owned(),
        now: Some("2026-11-29T09:00:00Z".into()),
        run_id: Some("alternate-test".into()),
        zero_durations: true,
        ..CertifyRequest::default()
    };
    Certification::prepare(&req).unwrap().run().unwrap()
}

#[test]
fn the_alternate_product_passes_certify_reproducibly() {
    let dir = tempfile::tempdir().unwrap();
    let results = certify(&dir.path().join("a"), None);
    assert_eq!(results.product.name, "cpcert-alternate");
    assert!(
        results.outcomes.len() >= 60,
        "{} cases",
        results.outcomes.len()
    );
    let failed: Vec<String> = results
        .outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Pass)
        .map(|o| {
            format!(
                "{}: {:?} {:?} {:?}",
                o.case,
                o.verdict,
                o.error,
                o.diffs.first()
            )
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    let findings: Vec<String> = results
        .outcomes
        .iter()
        .flat_map(|o| {
            o.findings
                .iter()
                .map(move |f| format!("{}: {:?}", o.case, f))
        })
        .collect();
    assert!(findings.is_empty(), "{}", findings.join("\n"));
    // The same inputs (clock, run id) give the same report.
    let again = certify(&dir.path().join("b"), None);
    assert_eq!(json::render(&results), json::render(&again));
}

/// On a challenge's own data (other persons, numbers, times and free text), too.
#[test]
fn the_alternate_product_passes_a_challenge() {
    let dir = tempfile::tempdir().unwrap();
    let results = certify(dir.path(), Some("alternate-7"));
    let failed: Vec<&str> = results
        .outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Pass)
        .map(|o| o.case.as_str())
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}
