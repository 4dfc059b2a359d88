//! The held-records form of an import: what the reference holds, as the standard's records.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cpcert_csv::{Ms932Reader, Record};
use cpcert_scenario::reference::{ExportOptions, export, held, import};
use cpcert_scenario::{Scenario, load_scenario};
use cpcert_spec::{HeldRecord, Role};

fn scenario(name: &str) -> Scenario {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../cases/scenarios/{name}.yaml"));
    load_scenario(p).unwrap()
}

fn kind(name: &str) -> String {
    let spec = cpcert_spec::Spec::embedded();
    spec.kinds_longest_first("202407")
        .into_iter()
        .find(|k| name.starts_with(&format!("{k}_")))
        .unwrap_or_else(|| panic!("{name}: no kind"))
        .to_owned()
}

/// Every record of every CSV file, per kind, sorted (order is the comparison's business) and
/// without repeats (a document sent to two offices is held once).
fn records_of_files(
    files: &[cpcert_scenario::reference::ExportedFile],
) -> BTreeMap<String, Vec<HeldRecord>> {
    let mut out: BTreeMap<String, Vec<HeldRecord>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.name.ends_with(".CSV")) {
        let mut reader = Ms932Reader::new(&f.bytes[..]);
        let (mut rec, mut issues) = (Record::default(), Vec::new());
        while reader.read_record(&mut rec, &mut issues).unwrap() {
            let values: Vec<&str> = rec.iter().map(|x| x.text).collect();
            out.entry(kind(&f.name))
                .or_default()
                .push(HeldRecord::from_values(&values));
        }
    }
    out.values_mut().for_each(|v| {
        v.sort();
        v.dedup();
    });
    out
}

#[test]
fn held_records_are_the_records_the_files_carry() {
    for (name, role) in [
        ("minimal", Role::Planner),
        ("several-providers", Role::Planner),
        ("satellites", Role::Planner),
        ("nec-ibm-characters", Role::Planner),
    ] {
        let files = export(&scenario(name), role, &ExportOptions::default()).unwrap();
        let mut got = held(&import(&files, role).unwrap()).unwrap().0;
        got.values_mut().for_each(|v| v.sort());
        assert_eq!(got, records_of_files(&files), "{name}");
    }
}

#[test]
fn prevention_documents_are_held_as_their_records() {
    let files = export(
        &scenario("prevention-plans"),
        Role::PreventionPlanner,
        &ExportOptions::default(),
    )
    .unwrap();
    let got = held(&import(&files, Role::PreventionPlanner).unwrap()).unwrap();
    let sent = records_of_files(&files);
    for (kind, records) in &got.0 {
        for r in records {
            assert!(sent[kind].contains(r), "{kind}: {r:?} not in the files");
        }
    }
    for kind in [
        "UPKIHON",
        "UPKIHON_SUB1",
        "UPKIHON_SUB2",
        "UPYOBO",
        "UPYOBO_SUB",
    ] {
        assert!(!got.records(kind).is_empty(), "{kind}");
    }
}

#[test]
fn deleted_documents_are_absent_and_deletion_kinds_never_held() {
    let s = scenario("deletions");
    let files = export(&s, Role::Planner, &ExportOptions::default()).unwrap();
    let got = held(&import(&files, Role::Planner).unwrap()).unwrap();
    assert!(
        got.0.keys().all(|k| !k.starts_with("DLT")),
        "{:?}",
        got.0.keys()
    );
    // Fewer records than the files carry: the deleted documents are gone.
    let sent: usize = records_of_files(&files)
        .iter()
        .filter(|(k, _)| !k.starts_with("DLT"))
        .map(|(_, v)| v.len())
        .sum();
    assert!(got.len() < sent, "held {} of {sent}", got.len());
}
