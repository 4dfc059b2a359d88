//! The 2×2 matrix in miniature: the alternate's files read by the reference importer, the
//! reference's files read by the alternate importer. For every import case's scenario and
//! sender, both importers understand each product's files alike, and the two products' files
//! mean the same (up to the fields the standard leaves to the product: 作成年月日).

use cpcert_alternate::{File, WriteOptions};
use cpcert_checks::compare::compare_records;
use cpcert_scenario::reference::{self, ExportOptions, ExportedFile};
use cpcert_spec::{HeldRecords, Role, Spec};

mod common;
use common::{import_cases, root, sorted};

fn reference_reads(files: &[File], sender: Role) -> HeldRecords {
    let files: Vec<ExportedFile> = files
        .iter()
        .map(|f| ExportedFile {
            name: f.name.clone(),
            bytes: f.bytes.clone(),
        })
        .collect();
    reference::held(&reference::import(&files, sender).unwrap()).unwrap()
}

/// Differences between two held answers under the layouts' comparison policy (the product's
/// own fields, 作成年月日, not compared).
fn differences(expected: &HeldRecords, actual: &HeldRecords) -> Vec<String> {
    let spec = Spec::embedded();
    let mut out = Vec::new();
    let kinds: std::collections::BTreeSet<&String> =
        expected.0.keys().chain(actual.0.keys()).collect();
    for kind in kinds {
        let layout = spec.layout("202407", kind).unwrap();
        let rows = |h: &HeldRecords| -> Vec<Vec<String>> {
            let mut v: Vec<Vec<String>> = h
                .records(kind)
                .iter()
                .map(|r| r.to_values(layout.field_count))
                .collect();
            v.sort();
            v
        };
        for d in compare_records(layout, &layout.compare, &rows(expected), &rows(actual)) {
            out.push(format!("{kind}: {d:?}"));
        }
    }
    out
}

#[test]
fn each_importer_reads_each_writer_alike() {
    let cases = import_cases();
    assert!(cases.len() >= 20, "{} import cases", cases.len());
    let opts = WriteOptions {
        run_started: "2026-11-29T09:00:00Z".into(),
        timestamp: String::new(),
    };
    let mut failures = Vec::new();
    let mut holding = 0;
    for case in &cases {
        let sender = case.sender;
        let path = case.rel.display();
        let scenario = cpcert_scenario::load_scenario(
            root()
                .join("cases/scenarios")
                .join(format!("{}.yaml", case.scenario)),
        )
        .unwrap();
        let alternate_files = cpcert_alternate::export(&scenario, sender, &opts).unwrap();
        let reference_files: Vec<File> =
            reference::export(&scenario, sender, &ExportOptions::default())
                .unwrap()
                .into_iter()
                .map(|f| File {
                    name: f.name,
                    bytes: f.bytes,
                })
                .collect();
        assert_ne!(alternate_files, reference_files, "{path}: the same bytes");
        // Row: the alternate's files; columns: reference and alternate importers.
        let ref_of_alt = reference_reads(&alternate_files, sender);
        let alt_of_alt = cpcert_alternate::import(&alternate_files).unwrap();
        // Row: the reference's files.
        let ref_of_ref = reference_reads(&reference_files, sender);
        let alt_of_ref = cpcert_alternate::import(&reference_files).unwrap();
        if sorted(&ref_of_alt) != sorted(&alt_of_alt) {
            failures.push(format!(
                "{path}: the importers read the alternate's files apart"
            ));
        }
        if sorted(&ref_of_ref) != sorted(&alt_of_ref) {
            failures.push(format!(
                "{path}: the importers read the reference's files apart"
            ));
        }
        let diffs = differences(&ref_of_ref, &ref_of_alt);
        if !diffs.is_empty() {
            failures.push(format!(
                "{path}: the two products' files mean different things: {}",
                diffs.join("; ")
            ));
        }
        if !ref_of_ref.is_empty() {
            holding += 1;
        }
    }
    // (A deletion case may end holding nothing; most hold documents.)
    assert!(
        holding * 2 > cases.len(),
        "only {holding} cases hold anything"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
