//! A bundle of a real run verifies; changing one byte of any file in it, or one verdict in its
//! results.json, does not — and the problem names what changed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use cpcert_adapters::ReferenceAdapter;
use cpcert_evidence::archive;
use cpcert_evidence::bundle::{Bundle, BundleInput, build};
use cpcert_evidence::keys::PrivateKey;
use cpcert_evidence::manifest::{MANIFEST, RESULTS, SuiteIndex};
use cpcert_evidence::verify::{Problem, VerifyOptions, verify_bytes};
use cpcert_report::results::sha256_hex;
use cpcert_report::{Results, Verdict};
use cpcert_runner::{Selection, SuiteOptions, run_suite, suite_cases};

mod common;
use common::suite;

struct Run {
    _dir: tempfile::TempDir,
    out: PathBuf,
    results: Results,
}

/// Certifies the reference (a few cases of every direction and role, or with a fault).
fn run(fault: Option<&str>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_owned();
    let selection = Selection {
        filters: vec![
            "export::planner::minimal".to_owned(),
            "export::prevention-planner::".to_owned(),
            "import::provider::minimal".to_owned(),
            "import::planner::deletions".to_owned(),
            "roundtrip::provider::minimal".to_owned(),
            "tolerance::provider::minimal-from-planner::lf-only".to_owned(),
        ],
        ..Selection::default()
    };
    let all = suite_cases(&suite()).unwrap();
    let cases = selection.apply(all.clone());
    let adapter = ReferenceAdapter::with_fault(fault.map(|f| f.parse().unwrap()));
    let suite = suite();
    let mut opts = SuiteOptions::new(&suite, out.join("wip"), "2026-11-29T00:00:00Z".to_owned());
    opts.evidence_dir = Some(out.join("evidence"));
    opts.run_id = Some("test".to_owned());
    opts.zero_durations = true;
    opts.all_cases = Some(&all);
    let results = run_suite(&cases, &adapter, cpcert_spec::Spec::embedded(), &opts).unwrap();
    Run {
        _dir: dir,
        out,
        results,
    }
}

fn reference() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run(None))
}

fn bundle_of(run: &Run, mask: bool, key: Option<&PrivateKey>) -> Vec<u8> {
    let masked = run.results.masked();
    build(&BundleInput {
        results: if mask { &masked } else { &run.results },
        evidence_dir: &run.out.join("evidence"),
        suite: &suite(),
        vendor: None,
        mask,
        challenge: None,
        key,
    })
    .unwrap()
}

fn holds(bytes: &[u8]) -> Vec<Problem> {
    verify_bytes(bytes, &VerifyOptions::default()).problems
}

#[test]
fn a_fresh_bundle_holds_and_is_reproducible() {
    let run = reference();
    assert_eq!(run.results.outcomes.len(), 6, "{:?}", run.results.outcomes);
    let bytes = bundle_of(run, false, None);
    assert_eq!(bytes, bundle_of(run, false, None), "same run, same bytes");
    let v = verify_bytes(&bytes, &VerifyOptions::default());
    assert!(v.holds(), "{:?}", v.problems);
    assert_eq!(v.rejudged, 6);
    // Checked against the local suite too.
    let ids = suite_cases(&suite())
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let local = SuiteIndex::of(&suite(), None, ids);
    let v = verify_bytes(
        &bytes,
        &VerifyOptions {
            suite: Some(&local),
            ..VerifyOptions::default()
        },
    );
    assert!(v.holds(), "{:?}", v.problems);
}

#[test]
fn one_changed_byte_in_any_file_is_named() {
    let bytes = bundle_of(reference(), false, None);
    let entries = archive::read(&bytes).unwrap();
    for path in entries.keys() {
        let mut changed = entries.clone();
        let data = changed.get_mut(path).unwrap();
        if data.is_empty() {
            data.push(b'x');
        } else {
            let at = data.len() / 2;
            data[at] ^= 0x01;
        }
        let problems = holds(&archive::write(&changed).unwrap());
        assert!(
            !problems.is_empty(),
            "{path}: a changed byte went unnoticed"
        );
        if path != MANIFEST {
            assert!(
                problems.contains(&Problem::Changed(path.clone())),
                "{path}: {problems:?}"
            );
        }
    }
}

/// Rewrites results.json with `edit` and, as a forger would, the manifest hash to match.
fn forge(bytes: &[u8], edit: impl Fn(&mut Results)) -> Vec<u8> {
    forge_both(bytes, edit, |_| {})
}

/// Edits results.json and the manifest, re-hashing as a forger would (unsigned).
fn forge_both(
    bytes: &[u8],
    edit: impl Fn(&mut Results),
    edit_manifest: impl Fn(&mut cpcert_evidence::manifest::Manifest),
) -> Vec<u8> {
    let mut entries: BTreeMap<String, Vec<u8>> = archive::read(bytes).unwrap();
    let bundle = Bundle::read(bytes).unwrap();
    let mut results = bundle.results().unwrap();
    edit(&mut results);
    let new = cpcert_report::json::render(&results).into_bytes();
    let mut manifest = bundle.manifest.clone();
    edit_manifest(&mut manifest);
    for f in &mut manifest.files {
        if f.path == RESULTS {
            f.sha256 = sha256_hex(&new);
            f.size = new.len() as u64;
        }
    }
    entries.insert(RESULTS.to_owned(), new);
    let mut m = serde_json::to_vec_pretty(&manifest).unwrap();
    m.push(b'\n');
    entries.insert(MANIFEST.to_owned(), m);
    archive::write(&entries).unwrap()
}

#[test]
fn an_edited_verdict_is_a_verdict_the_evidence_does_not_support() {
    let bytes = bundle_of(&run(Some("date-invalid")), false, None);
    assert!(holds(&bytes).is_empty(), "{:?}", holds(&bytes));
    let failed = Bundle::read(&bytes)
        .unwrap()
        .results()
        .unwrap()
        .outcomes
        .iter()
        .find(|o| o.verdict == Verdict::Fail)
        .expect("date-invalid fails a case")
        .case
        .clone();
    let forged = forge(&bytes, |r| {
        for o in &mut r.outcomes {
            if o.case == failed {
                o.verdict = Verdict::Pass;
                o.findings.clear();
            }
        }
    });
    let problems = holds(&forged);
    assert!(
        problems.contains(&Problem::Verdict {
            case: failed.clone(),
            stated: Verdict::Pass,
            evidence: Verdict::Fail,
        }),
        "{problems:?}"
    );
    // Without re-hashing, the changed results.json is named too.
    let mut entries = archive::read(&bytes).unwrap();
    let text = String::from_utf8(entries[RESULTS].clone()).unwrap();
    let edited = text.replacen("\"verdict\": \"fail\"", "\"verdict\": \"pass\"", 1);
    assert_ne!(text, edited);
    entries.insert(RESULTS.to_owned(), edited.into_bytes());
    let problems = holds(&archive::write(&entries).unwrap());
    assert!(
        problems.contains(&Problem::Changed(RESULTS.to_owned())),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::Verdict { .. })),
        "{problems:?}"
    );
}

#[test]
fn signatures_say_who_submitted() {
    let key = PrivateKey::generate().unwrap();
    let other = PrivateKey::generate().unwrap();
    let bytes = bundle_of(reference(), false, Some(&key));
    let with = |k: &PrivateKey| {
        let public = k.public();
        verify_bytes(
            &bytes,
            &VerifyOptions {
                key: Some(&public),
                ..VerifyOptions::default()
            },
        )
    };
    let v = with(&key);
    assert!(v.holds(), "{:?}", v.problems);
    assert_eq!(v.signer, Some(key.public().to_hex()));
    assert!(matches!(
        with(&other).problems[..],
        [Problem::WrongSigner { .. }]
    ));
    // A forger who re-hashes the manifest breaks the signature.
    let forged = forge(&bytes, |r| r.product.version = "9.9".to_owned());
    let problems = holds(&forged);
    assert!(problems.contains(&Problem::BadSignature), "{problems:?}");
    // An unsigned bundle does not pass a check that asks for a key.
    let unsigned = bundle_of(reference(), false, None);
    let public = key.public();
    let v = verify_bytes(
        &unsigned,
        &VerifyOptions {
            key: Some(&public),
            ..VerifyOptions::default()
        },
    );
    assert_eq!(v.problems, vec![Problem::Unsigned]);
}

#[test]
fn a_masked_bundle_keeps_hashes_and_says_what_was_masked() {
    let bytes = bundle_of(reference(), true, None);
    let bundle = Bundle::read(&bytes).unwrap();
    assert!(bundle.manifest.masked);
    assert!(!bundle.entries.keys().any(|p| p.starts_with("evidence/")));
    assert!(
        bundle
            .manifest
            .files
            .iter()
            .filter(|f| f.path.starts_with("evidence/"))
            .all(|f| f.masked.is_some())
    );
    let v = verify_bytes(&bytes, &VerifyOptions::default());
    assert!(v.holds(), "{:?}", v.problems);
    assert_eq!((v.rejudged, v.masked), (0, 6));
}

fn shard(filter: &str, partition: &str) -> Vec<u8> {
    common::bundle(cpcert_runner::CertifyRequest {
        filters: vec![filter.to_owned()],
        partition: Some(partition.to_owned()),
        ..cpcert_runner::CertifyRequest::default()
    })
}

#[test]
fn shards_merge_into_one_bundle_that_verifies() {
    let filter = "planner::";
    let (a, b) = (shard(filter, "count:1/2"), shard(filter, "count:2/2"));
    let open = |name: &str, bytes: &[u8]| (name.to_owned(), Bundle::read(bytes).unwrap());
    let merged = cpcert_evidence::merge::merge(&[open("a", &a), open("b", &b)], None).unwrap();
    let v = verify_bytes(&merged, &VerifyOptions::default());
    assert!(v.holds(), "{:?}", v.problems);
    let results = v.results.unwrap();
    let count = |bytes: &[u8]| {
        Bundle::read(bytes)
            .unwrap()
            .results()
            .unwrap()
            .outcomes
            .len()
    };
    assert_eq!(results.outcomes.len(), count(&a) + count(&b));
    let coverage = results.coverage.unwrap();
    assert_eq!(coverage.cases_run, results.outcomes.len());
    assert_eq!(
        results.selection.unwrap().partition.as_deref(),
        Some("count:1/2+count:2/2")
    );
    // The same shard twice: a case would be there twice.
    let err = cpcert_evidence::merge::merge(&[open("a", &a), open("a2", &a)], None).unwrap_err();
    assert!(err.to_string().contains("is also in a"), "{err}");
}

#[test]
fn a_partial_run_cannot_claim_the_whole_suite() {
    let bytes = bundle_of(reference(), false, None);
    let forged = forge(&bytes, |r| {
        if let Some(c) = r.coverage.as_mut() {
            c.cases_run = c.suite_cases;
            c.not_run.clear();
        }
    });
    assert!(reference().results.coverage.is_some());
    let problems = holds(&forged);
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::Inconsistent(t) if t.starts_with("coverage"))),
        "{problems:?}"
    );
}

/// A challenged certification of a few cases of every direction, as its bundle.
fn challenged(seed: &str) -> Vec<u8> {
    common::bundle(cpcert_runner::CertifyRequest {
        filters: vec![
            "export::planner::minimal".to_owned(),
            "import::provider::minimal".to_owned(),
            "roundtrip::provider::minimal".to_owned(),
        ],
        challenge: Some(seed.to_owned()),
        ..cpcert_runner::CertifyRequest::default()
    })
}

fn sent_and_expected(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    archive::read(bytes)
        .unwrap()
        .into_iter()
        .filter(|(p, _)| p.contains("/sent/") || p.contains("/expected/"))
        .collect()
}

#[test]
fn a_challenge_bundle_verifies_by_its_seed_and_not_by_another() {
    let a = challenged("2026-A-0001");
    let v = verify_bytes(&a, &VerifyOptions::default());
    assert!(v.holds(), "{:?}", v.problems);
    assert_eq!(v.rejudged, 3);
    // Two seeds give different files sent and expected, case by case.
    let b = challenged("kokuho-7f3a");
    let (ea, eb) = (sent_and_expected(&a), sent_and_expected(&b));
    // (Even the file names differ: office numbers are the seed's.)
    assert_ne!(ea.keys().collect::<Vec<_>>(), eb.keys().collect::<Vec<_>>());
    for case in [
        "export/planner/minimal",
        "import/provider/minimal-from-planner",
        "roundtrip/provider/minimal-1399100101",
    ] {
        let of = |e: &BTreeMap<String, Vec<u8>>| -> Vec<Vec<u8>> {
            e.iter()
                .filter(|(p, _)| p.starts_with(&format!("evidence/{case}/")))
                .map(|(_, d)| d.clone())
                .collect()
        };
        // No file of one seed's is among the other's.
        assert!(!of(&ea).is_empty(), "{case}");
        let (fa, fb) = (of(&ea), of(&eb));
        assert!(
            !fa.iter().any(|f| fb.contains(f)),
            "{case}: a file alike under two seeds"
        );
    }
    // Seed A's evidence claimed as seed B (results.json and manifest agree, re-hashed): every
    // file sent or expected is named as not what challenge B gives.
    let forged = forge_both(
        &a,
        |r| {
            if let Some(s) = r.selection.as_mut() {
                s.challenge = Some("B".to_owned());
            }
        },
        |m| m.challenge = Some("B".to_owned()),
    );
    let problems = holds(&forged);
    assert!(
        !problems
            .iter()
            .any(|p| matches!(p, Problem::Inconsistent(_))),
        "{problems:?}"
    );
    let named: Vec<&str> = problems
        .iter()
        .filter_map(|p| match p {
            Problem::Challenge { seed, file } if seed == "B" => Some(file.as_str()),
            _ => None,
        })
        .collect();
    for case in [
        "export/planner/minimal",
        "roundtrip/provider/minimal-1399100101",
    ] {
        assert!(
            named
                .iter()
                .any(|f| f.starts_with(&format!("evidence/{case}/expected/"))),
            "{case}: {problems:?}"
        );
    }
    for case in [
        "import/provider/minimal-from-planner",
        "roundtrip/provider/minimal-1399100101",
    ] {
        assert!(
            named
                .iter()
                .any(|f| f.starts_with(&format!("evidence/{case}/sent/"))),
            "{case}: {problems:?}"
        );
    }
    let text = Problem::Challenge {
        seed: "B".to_owned(),
        file: "evidence/x".to_owned(),
    }
    .text(cpcert_checks::Lang::En);
    assert!(text.contains("challenge `B`"), "{text}");
    // Only the manifest edited: results.json and the manifest disagree on the challenge.
    let forged = forge_both(&a, |_| {}, |m| m.challenge = Some("B".to_owned()));
    assert!(
        holds(&forged)
            .iter()
            .any(|p| matches!(p, Problem::Inconsistent(t) if t.starts_with("challenge"))),
        "{:?}",
        holds(&forged)
    );
}

#[test]
fn a_tolerance_input_is_regenerated_from_scenario_and_variant() {
    let bytes = bundle_of(reference(), false, None);
    let case = "tolerance/provider/minimal-from-planner/lf-only";
    let entries: BTreeMap<String, Vec<u8>> = archive::read(&bytes).unwrap();
    let sent: Vec<String> = entries
        .keys()
        .filter(|p| p.starts_with(&format!("evidence/{case}/sent/")))
        .cloned()
        .collect();
    assert!(!sent.is_empty(), "{:?}", entries.keys().collect::<Vec<_>>());
    // The input as the tolerance case sends it: LF only, unlike golden/'s.
    let path = &sent[0];
    assert!(!entries[path].windows(2).any(|w| w == b"\r\n"));
    // A forger swaps in other bytes (CRLF: the canonical writing) and re-hashes everything.
    let forged_bytes: Vec<u8> = entries[path]
        .split(|b| *b == b'\n')
        .collect::<Vec<_>>()
        .join(&b"\r\n"[..]);
    let sha = sha256_hex(&forged_bytes);
    let file = path
        .strip_prefix(&format!("evidence/{case}/"))
        .unwrap()
        .to_owned();
    let forged = forge_both(
        &bytes,
        |r| {
            for o in &mut r.outcomes {
                for f in &mut o.files {
                    if o.case.replace("::", "/") == case && f.path == file {
                        f.sha256 = sha.clone();
                    }
                }
            }
        },
        |m| {
            for f in &mut m.files {
                if &f.path == path {
                    f.sha256 = sha.clone();
                    f.size = forged_bytes.len() as u64;
                }
            }
        },
    );
    let mut entries = archive::read(&forged).unwrap();
    entries.insert(path.clone(), forged_bytes.clone());
    let problems = holds(&archive::write(&entries).unwrap());
    assert!(
        problems.contains(&Problem::NotFromSuite(path.clone())),
        "{problems:?}"
    );
}
