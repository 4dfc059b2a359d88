//! The interop run on the repository's own suite: the built-in products pass every exchange;
//! the reference with an importer fault fails exactly where certify fails it; a bundle of an
//! earlier certification sends its exports.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cpcert_interop::{BUILT_IN, Interop, InteropRequest};
use cpcert_report::exit;
use cpcert_report::interop::{Blame, InteropResults, Mark, Slice};

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn request() -> InteropRequest {
    InteropRequest {
        suite: Some(suite()),
        now: Some("2026-01-01T00:00:00Z".to_owned()),
        ..InteropRequest::default()
    }
}

fn failed_cases(r: &InteropResults, sender: &str, receiver: &str) -> BTreeSet<String> {
    r.pair(sender, receiver)
        .into_iter()
        .filter(|o| o.mark() == Mark::Fail)
        .map(|o| o.outcome.case.clone())
        .collect()
}

#[test]
fn the_built_in_products_pass_every_exchange() {
    let interop = Interop::prepare(&request()).unwrap();
    let results = interop.run();
    let n = BUILT_IN.len();
    assert_eq!(results.senders.len(), n);
    assert_eq!(results.receivers.len(), n);
    assert_eq!(results.outcomes.len(), n * n * interop.cases().len());
    for o in &results.outcomes {
        assert_eq!(
            o.mark(),
            Mark::Pass,
            "{} → {} {}: {:?} {:?}",
            o.sender,
            o.receiver,
            o.outcome.case,
            o.outcome.error,
            o.outcome.diffs
        );
        assert_eq!(
            o.sender_check.as_ref().unwrap().verdict,
            cpcert_report::Verdict::Pass
        );
    }
    assert_eq!(results.exit_code(), exit::OK);
    for s in &results.senders {
        for r in &results.receivers {
            assert_eq!(results.cell(&s.id, &r.id, Slice::All).mark, Mark::Pass);
        }
    }
}

/// The import cases certify fails for the reference product with `fault`.
fn certify_fails(fault: &str) -> BTreeSet<String> {
    let out = tempfile::tempdir().unwrap();
    let c = cpcert_runner::Certification::prepare(&cpcert_runner::CertifyRequest {
        vendor: "reference".to_owned(),
        fault: Some(fault.to_owned()),
        filters: vec!["import::".to_owned()],
        suite: Some(suite()),
        out: out.path().join("r"),
        now: Some("2026-01-01T00:00:00Z".to_owned()),
        ..cpcert_runner::CertifyRequest::default()
    })
    .unwrap();
    c.run()
        .unwrap()
        .outcomes
        .into_iter()
        .filter(|o| o.verdict == cpcert_report::Verdict::Fail)
        .map(|o| o.case)
        .collect()
}

#[test]
fn a_faulty_importer_fails_exactly_the_cells_its_fault_breaks() {
    let interop = Interop::prepare(&InteropRequest {
        fault_receivers: true,
        ..request()
    })
    .unwrap();
    let results = interop.run();
    assert_eq!(results.exit_code(), exit::FAILED);
    let faults: Vec<_> = cpcert_runner::selftest::load_faults(&suite())
        .unwrap()
        .into_iter()
        .filter(|f| f.id.is_import())
        .collect();
    assert_eq!(results.receivers.len(), BUILT_IN.len() + faults.len());
    let expected: Vec<BTreeSet<String>> = faults.iter().map(|f| certify_fails(f.id.id())).collect();
    for sender in BUILT_IN {
        // The correct receivers: ○ everywhere.
        for receiver in BUILT_IN {
            assert!(
                failed_cases(&results, sender, receiver).is_empty(),
                "{sender} → {receiver}"
            );
        }
        for (f, expected) in faults.iter().zip(&expected) {
            let receiver = format!("reference:fault={}", f.id);
            let failed = failed_cases(&results, sender, &receiver);
            // From the reference (which writes the golden inputs): × exactly where certify
            // fails that fault. Another sender writes other permitted forms, which a faulty
            // reader may or may not trip over; either way a × is the receiver's.
            if *sender == "reference" {
                assert_eq!(&failed, expected, "{sender} → {receiver}");
                // A careless reader of one permitted writing (caught by a tolerance case)
                // reads the reference's canonical files right.
                assert!(
                    !failed.is_empty() || f.caught_by.starts_with("case:tolerance::"),
                    "{receiver}: its fault breaks no exchange"
                );
            }
            for o in results.pair(sender, &receiver) {
                match o.mark() {
                    Mark::Fail => assert_eq!(o.blame, Some(Blame::Receiver), "{}", o.outcome.case),
                    Mark::Pass => {}
                    m => panic!("{receiver} {}: {m:?}", o.outcome.case),
                }
            }
        }
    }
    // Two faults spelled out: 髙's FBFC read as 高 breaks the NEC/IBM case alone (on the kinds
    // with free text), ignoring deletion files breaks the cases that send deletions (the
    // deletion scenario; the prevention plans, which withdraw a 予防 利用票 with DLTPLAN).
    let set = |ids: &[&str]| {
        ids.iter()
            .map(|s| (*s).to_owned())
            .collect::<BTreeSet<String>>()
    };
    assert_eq!(
        failed_cases(&results, "reference", "reference:fault=taka-variant"),
        set(&["import::provider::nec-ibm-characters-from-planner"])
    );
    assert_eq!(
        failed_cases(&results, "reference", "reference:fault=ignore-deletions"),
        set(&[
            "import::planner::deletions-from-provider",
            "import::prevention-planner::deletions-from-provider",
            "import::prevention-planner::prevention-plans-from-prevention-planner",
            "import::provider::deletions-from-planner",
            "import::provider::prevention-plans-from-prevention-planner",
        ])
    );
    // The alternate product writes 髙 in the NEC-selected code (EEE0), which the FBFC misreader
    // reads right: its exchanges with that receiver are ○.
    assert!(failed_cases(&results, "alternate", "reference:fault=taka-variant").is_empty());
    // The row's overall cell is × with the count of differing fields.
    let cell = results.cell("reference", "reference:fault=taka-variant", Slice::All);
    assert_eq!(cell.mark, Mark::Fail);
    assert!(cell.differing > 0);
}

/// Same inputs (clock injected) → byte-identical reports, in both languages; interop.json reads
/// back as the model.
#[test]
fn reports_are_reproducible_and_read_back() {
    let req = InteropRequest {
        receivers: vec!["reference".into(), "reference:fault=taka-variant".into()],
        filters: vec!["nec-ibm".into(), "minimal".into()],
        ..request()
    };
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for (n, lang) in [
        (0, cpcert_checks::Lang::Ja),
        (1, cpcert_checks::Lang::Ja),
        (2, cpcert_checks::Lang::En),
    ] {
        let results = Interop::prepare(&req).unwrap().run();
        let out = dir.path().join(n.to_string());
        cpcert_interop::write_reports(
            &out,
            &results,
            cpcert_interop::ReportOptions {
                lang,
                mask: false,
                evidence: false,
            },
        )
        .unwrap();
        let read = |name: &str| std::fs::read(out.join(name)).unwrap();
        pages.push((
            read("index.html"),
            read("interop.json"),
            read("junit.xml"),
            read("summary.md"),
        ));
        let back: InteropResults = serde_json::from_slice(&read("interop.json")).unwrap();
        assert_eq!(
            cpcert_report::interop::render_json(&back).as_bytes(),
            read("interop.json")
        );
    }
    assert_eq!(pages[0], pages[1]);
    assert_ne!(pages[0].0, pages[2].0, "the English page differs");
    assert_eq!(
        pages[0].1, pages[2].1,
        "interop.json does not depend on the language"
    );
    let ja = String::from_utf8(pages[0].0.clone()).unwrap();
    assert!(
        ja.contains("<html lang=\"ja\">") && ja.contains("相互運用"),
        "{ja}"
    );
    let en = String::from_utf8(pages[2].0.clone()).unwrap();
    assert!(en.contains("<html lang=\"en\">") && !en.contains("相互運用"));
    let junit = String::from_utf8(pages[0].2.clone()).unwrap();
    assert!(
        junit.contains("reference → reference:fault=taka-variant"),
        "{junit}"
    );
    assert!(junit.contains("<failure"));
}

/// `docs/schema/interop.schema.json` is the model's schema (`UPDATE_SCHEMA=1` rewrites it).
#[test]
fn interop_schema_is_current() {
    let path = suite().join("docs/schema/interop.schema.json");
    let text = cpcert_report::interop::schema_json();
    if std::env::var("UPDATE_SCHEMA").as_deref() == Ok("1") {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p cpcert-interop --test interop interop_schema`",
        path.display()
    );
}

/// A sender whose files break the standard (an exporter fault): its exchanges are × and blamed
/// on it, not on the correct receivers; the sender check says why.
#[test]
fn a_faulty_sender_is_blamed_not_the_receiver() {
    let results = Interop::prepare(&InteropRequest {
        senders: vec!["reference".into(), "reference:fault=version-202504".into()],
        filters: vec!["minimal".into()],
        ..request()
    })
    .unwrap()
    .run();
    assert_eq!(results.exit_code(), exit::FAILED);
    for o in &results.outcomes {
        if o.sender == "reference" {
            assert_eq!(o.mark(), Mark::Pass, "{}", o.outcome.case);
            continue;
        }
        assert_eq!(o.mark(), Mark::Fail, "{} → {}", o.sender, o.receiver);
        assert_eq!(
            o.blame,
            Some(Blame::Sender),
            "{} → {}",
            o.sender,
            o.receiver
        );
        let check = o.sender_check.as_ref().unwrap();
        assert_eq!(check.verdict, cpcert_report::Verdict::Fail);
        assert!(
            check
                .findings
                .iter()
                .any(|f| f.severity == cpcert_checks::Severity::Error),
            "{:?}",
            check.findings
        );
    }
    let cell = results.cell("reference:fault=version-202504", "reference", Slice::All);
    assert_eq!((cell.mark, cell.sender_blamed > 0), (Mark::Fail, true));
}

/// A certification's bundle (made here with certify's library), with or without a challenge,
/// as a sender: its export cases' received files go into the built-in receivers and pass; what
/// it meant under a challenge is the seed's own data.
fn bundle_of(dir: &Path, vendor: &str, challenge: Option<&str>) -> PathBuf {
    let out = dir.join(format!("{vendor}-{}", challenge.unwrap_or("plain")));
    let c = cpcert_runner::Certification::prepare(&cpcert_runner::CertifyRequest {
        vendor: vendor.to_owned(),
        filters: vec!["export::".to_owned()],
        suite: Some(suite()),
        out: out.clone(),
        now: Some("2026-01-01T00:00:00Z".to_owned()),
        challenge: challenge.map(str::to_owned),
        ..cpcert_runner::CertifyRequest::default()
    })
    .unwrap();
    let results = c.run().unwrap();
    let vendor_file = c.vendor_file().map(|p| {
        (
            p.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read(p).unwrap(),
        )
    });
    let bytes = cpcert_evidence::bundle::build(&cpcert_evidence::bundle::BundleInput {
        results: &results,
        evidence_dir: &out.join("evidence"),
        suite: c.suite(),
        vendor: vendor_file
            .as_ref()
            .map(|(n, b)| (n.as_str(), b.as_slice())),
        mask: false,
        challenge: challenge.map(str::to_owned),
        key: None,
    })
    .unwrap();
    let path = out.join("bundle.cpcert");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn bundles_of_certifications_send_their_exports() {
    let dir = tempfile::tempdir().unwrap();
    let senders: Vec<String> = [
        bundle_of(dir.path(), "alternate", None),
        bundle_of(dir.path(), "reference", Some("2026-A-0001")),
        bundle_of(dir.path(), "reference", None),
    ]
    .iter()
    .map(|p| p.to_string_lossy().into_owned())
    .collect();
    let results = Interop::prepare(&InteropRequest {
        senders: senders.clone(),
        ..request()
    })
    .unwrap()
    .run();
    for o in &results.outcomes {
        assert_eq!(
            o.mark(),
            Mark::Pass,
            "{} → {} {}: {:?} {:?} {:?}",
            o.sender,
            o.receiver,
            o.outcome.case,
            o.why,
            o.outcome.error,
            o.outcome.diffs
        );
    }
    assert_eq!(results.exit_code(), exit::OK);
    assert_eq!(
        results.senders[0].kind,
        cpcert_report::interop::PartyKind::Bundle
    );
    assert!(
        results.senders[1]
            .source
            .as_deref()
            .unwrap()
            .contains("2026-A-0001")
    );
    // The challenged bundle's files are the seed's data, and so is what it meant: the expected
    // answer differs from the plain reference bundle's, and each sender's exchanges pass.
    let expected = |sender: &str| {
        let o = results
            .pair(sender, "reference")
            .into_iter()
            .find(|o| o.outcome.case == "import::provider::minimal-from-planner")
            .unwrap();
        o.outcome
            .files
            .iter()
            .find(|f| f.path == "expected/answer.json")
            .map(|f| f.sha256.clone())
            .unwrap()
    };
    assert_ne!(expected(&senders[1]), expected(&senders[2]));
    // A bundle is a sender only.
    assert!(
        Interop::prepare(&InteropRequest {
            receivers: vec![senders[0].clone()],
            ..request()
        })
        .is_err()
    );
}

/// The reference writing each permitted variant (`--variant-senders`): every sender check
/// passes (the standard allows each writing), so a × is never blamed on such a sender; the
/// alternate reader holds every writing as meant; 髙 written in the NEC-selected code gets past
/// the FBFC misreader.
#[test]
fn senders_written_every_permitted_way() {
    let results = Interop::prepare(&InteropRequest {
        variant_senders: true,
        receivers: vec![
            "reference".into(),
            "alternate".into(),
            "reference:fault=taka-variant".into(),
        ],
        ..request()
    })
    .unwrap()
    .run();
    let variants = cpcert_runner::selftest::load_variants(&suite()).unwrap();
    assert_eq!(results.senders.len(), BUILT_IN.len() + variants.len());
    for o in &results.outcomes {
        let at = format!("{} → {} {}", o.sender, o.receiver, o.outcome.case);
        assert_ne!(o.mark(), Mark::NotRun, "{at}: {:?}", o.why);
        let check = o.sender_check.as_ref().unwrap();
        assert_eq!(
            check.verdict,
            cpcert_report::Verdict::Pass,
            "{at}: {:?}",
            check.diffs
        );
        assert_ne!(o.blame, Some(Blame::Sender), "{at}");
        if o.receiver == "alternate" {
            assert_eq!(
                o.mark(),
                Mark::Pass,
                "{at}: {:?} {:?}",
                o.why,
                o.outcome.diffs
            );
        }
    }
    assert!(
        failed_cases(
            &results,
            "reference:variant=taka-nec-selected",
            "reference:fault=taka-variant"
        )
        .is_empty()
    );
    assert!(!failed_cases(&results, "reference", "reference:fault=taka-variant").is_empty());
}
