//! A challenge's scenarios are valid: every scenario of the suite, transformed under two seeds,
//! exports through the reference product into files that validate as clean as the original's
//! (the same rules fire, none an error), and the data is the seed's own.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cpcert_checks::{Severity, ValidateOptions, check_send_units, validate_bytes};
use cpcert_scenario::challenge::Challenge;
use cpcert_scenario::reference::{ExportOptions, ExportedFile, export};
use cpcert_scenario::{Scenario, load_scenario};
use cpcert_spec::{Role, Spec};

fn scenarios() -> Vec<(String, Scenario)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cases/scenarios");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, load_scenario(&p).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// (rule, severity) of every finding over the files.
fn findings(files: &[ExportedFile]) -> BTreeSet<(String, bool)> {
    let spec = Spec::embedded();
    let opts = ValidateOptions::default();
    let reports: Vec<_> = files
        .iter()
        .map(|f| validate_bytes(&f.name, &f.bytes, spec, &opts))
        .collect();
    let mut all: Vec<_> = reports.iter().flat_map(|r| r.findings.clone()).collect();
    for unit in check_send_units(&reports, spec, &opts.layout_version) {
        all.extend(unit.findings);
    }
    all.into_iter()
        .map(|f| (f.rule.to_string(), f.severity == Severity::Error))
        .collect()
}

#[test]
fn challenged_scenarios_export_as_clean_as_the_originals() {
    for seed in ["2026-A-0001", "kokuho-7f3a"] {
        let challenge = Challenge::new(seed);
        for (name, original) in scenarios() {
            let s = challenge.scenario(&original);
            assert_ne!(s, original, "{name}: the seed changes nothing");
            assert_eq!(
                challenge.scenario(&original),
                s,
                "{name}: not deterministic"
            );
            for role in Role::ALL {
                let before = export(&original, role, &ExportOptions::default()).unwrap();
                let after = export(&s, role, &ExportOptions::default())
                    .unwrap_or_else(|e| panic!("{seed} {name} {role}: {e}"));
                assert_eq!(before.len(), after.len(), "{seed} {name} {role}: files");
                assert_eq!(
                    findings(&after),
                    findings(&before),
                    "{seed} {name} {role}: findings"
                );
                assert!(
                    !findings(&after).iter().any(|(_, error)| *error),
                    "{seed} {name} {role}"
                );
                if !before.is_empty() {
                    assert_ne!(before, after, "{seed} {name} {role}: same bytes");
                }
            }
        }
    }
}

#[test]
fn two_seeds_give_different_data_and_numbers_map_consistently() {
    let (_, minimal) = scenarios()
        .into_iter()
        .find(|(n, _)| n == "minimal")
        .unwrap();
    let (a, b) = (Challenge::new("a"), Challenge::new("b"));
    let (sa, sb) = (a.scenario(&minimal), b.scenario(&minimal));
    assert_ne!(sa.persons[0].name, minimal.persons[0].name);
    assert_ne!(sa.persons[0].insured_no, sb.persons[0].insured_no);
    // The office a roundtrip case names maps like the scenario's own number.
    let office = a.office(&minimal, "1399100101");
    assert!(sa.offices.iter().any(|o| o.number == office));
    assert_eq!(sa.exchanges[0].to.office, office);
}

#[test]
#[ignore = "prints a challenged scenario for reading"]
fn show() {
    let name = std::env::var("SCENARIO").unwrap_or_else(|_| "minimal".into());
    let (_, s) = scenarios().into_iter().find(|(n, _)| *n == name).unwrap();
    println!(
        "{}",
        serde_json::to_string_pretty(&Challenge::new("demo").scenario(&s)).unwrap()
    );
}
