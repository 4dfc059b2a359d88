//! Every fault of the catalogue (cases/faults/*.yaml) makes the reference product misbehave in
//! a way its intended rule catches: exporter faults by validating the exported files (or by a
//! difference from the reference's files for `golden-mismatch`), importer faults by importing
//! differently from the reference.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cpcert_checks::{Severity, ValidateOptions, check_send_units, validate_bytes};
use cpcert_scenario::reference::{
    ExportOptions, ExportedFile, Fault, ImportOptions, Variant, export, import_with, perform,
};
use cpcert_scenario::{Scenario, load_scenario};
use cpcert_spec::{Role, Spec};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Entry {
    id: String,
    title: String,
    caught_by: String,
    source: String,
    #[serde(default)]
    spec_place: Option<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn catalogue(name: &str) -> Vec<Entry> {
    let text = std::fs::read_to_string(root().join("cases/faults").join(name)).unwrap();
    serde_saphyr::from_str(&text).unwrap()
}

fn scenarios() -> Vec<(String, Scenario)> {
    let mut out: Vec<_> = std::fs::read_dir(root().join("cases/scenarios"))
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

fn with_fault(fault: Option<&str>) -> ExportOptions {
    ExportOptions {
        fault: fault.map(|f| f.parse().unwrap()),
        ..ExportOptions::default()
    }
}

/// Rule ids of error findings over the files.
fn errors(files: &[ExportedFile]) -> BTreeSet<String> {
    let spec = Spec::embedded();
    let opts = ValidateOptions::default();
    let reports: Vec<_> = files
        .iter()
        .map(|f| validate_bytes(&f.name, &f.bytes, spec, &opts))
        .collect();
    let mut out = BTreeSet::new();
    let mut findings: Vec<_> = reports.iter().flat_map(|r| r.findings.clone()).collect();
    for unit in check_send_units(&reports, spec, &opts.layout_version) {
        findings.extend(unit.findings);
    }
    for f in findings {
        if f.severity == Severity::Error {
            out.insert(f.rule.to_string());
        }
    }
    out
}

/// What catches an exporter fault over every scenario and role: error rules, and
/// `golden-mismatch` when the files differ from the reference's.
fn export_catchers(fault: &str) -> BTreeSet<String> {
    let mut caught = BTreeSet::new();
    for (_, s) in scenarios() {
        for role in Role::ALL.iter().copied() {
            let good = export(&s, role, &with_fault(None)).unwrap();
            match export(&s, role, &with_fault(Some(fault))) {
                Ok(bad) => {
                    caught.extend(errors(&bad));
                    if bad != good {
                        caught.insert("golden-mismatch".to_owned());
                    }
                }
                Err(_) => {
                    caught.insert("export-error".to_owned());
                }
            }
        }
    }
    caught
}

#[test]
fn reference_exports_have_no_errors() {
    for (name, s) in scenarios() {
        for role in Role::ALL.iter().copied() {
            let files = export(&s, role, &with_fault(None)).unwrap();
            assert!(
                errors(&files).is_empty(),
                "{name} {role:?}: {:?}",
                errors(&files)
            );
        }
    }
}

#[test]
fn every_exporter_fault_is_caught_by_its_rule() {
    let faults = catalogue("exporter.yaml");
    let mut missed = Vec::new();
    for f in &faults {
        assert!(
            f.id.parse::<Fault>().is_ok_and(Fault::is_export),
            "{} is not an export fault",
            f.id
        );
        let caught = export_catchers(&f.id);
        if !caught.contains(&f.caught_by) {
            missed.push(format!(
                "{}: intended {}, caught by {caught:?}",
                f.id, f.caught_by
            ));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n"));
    for id in Fault::all().filter(|f| f.is_export()).map(Fault::id) {
        assert!(
            faults.iter().any(|f| f.id == *id),
            "{id} is not in the catalogue"
        );
    }
}

/// Whether an importer fault changes what the product understood (or what it sends back as
/// a provider) for some scenario, written canonically or (a careless reader of one permitted
/// writing, caught by a tolerance case) with `variant`.
fn import_differs(fault: &str, variant: Option<Variant>) -> Vec<String> {
    let mut out = Vec::new();
    let opts = ImportOptions {
        fault: Some(fault.parse().unwrap()),
    };
    let written = ExportOptions {
        variant,
        today: Some("20260401".to_owned()),
        ..ExportOptions::default()
    };
    for (name, s) in scenarios() {
        for role in Role::ALL.iter().copied() {
            let files = export(&s, role, &written).unwrap();
            if files.is_empty() {
                continue;
            }
            let good = import_with(&files, role, &ImportOptions::default()).unwrap();
            let Ok(bad) = import_with(&files, role, &opts) else {
                out.push(format!("{name} {role:?}: import error"));
                continue;
            };
            if bad != good {
                out.push(format!("{name} {role:?}: import"));
            }
            let offices: BTreeSet<_> = good.exchanges.iter().map(|e| e.to.office.clone()).collect();
            for office in offices {
                if perform(&bad, &office) != perform(&good, &office) {
                    out.push(format!("{name} {role:?}: perform at {office}"));
                }
            }
        }
    }
    out
}

#[test]
fn every_importer_fault_changes_the_import() {
    let faults = catalogue("importer.yaml");
    for f in &faults {
        assert!(
            f.id.parse::<Fault>().is_ok_and(Fault::is_import),
            "{} is not an import fault",
            f.id
        );
        // `case:tolerance::<role>::<case>::<variant>`: the input its reader cannot read.
        let variant = f
            .caught_by
            .strip_prefix("case:tolerance::")
            .and_then(|c| c.rsplit("::").next())
            .map(|v| v.parse::<Variant>().unwrap());
        let differs = import_differs(&f.id, variant);
        assert!(!differs.is_empty(), "{} survives every scenario", f.id);
        eprintln!("{}: {}", f.id, differs.join(", "));
    }
    for id in Fault::all().filter(|f| f.is_import()).map(Fault::id) {
        assert!(
            faults.iter().any(|f| f.id == *id),
            "{id} is not in the catalogue"
        );
    }
}

#[test]
fn unknown_faults_do_not_parse() {
    let err = "no-such-fault".parse::<Fault>().unwrap_err();
    assert!(err.to_string().contains("utf8-bom"), "{err}");
}

/// Replaces every FBFC pair at a character boundary by `to`.
fn replace_fbfc(bytes: &[u8], to: [u8; 2]) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut n = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if matches!(b, 0x81..=0x9F | 0xE0..=0xFC) && i + 1 < bytes.len() {
            if (b, bytes[i + 1]) == (0xFB, 0xFC) {
                out.extend(to);
                n += 1;
            } else {
                out.extend([b, bytes[i + 1]]);
            }
            i += 2;
        } else {
            out.push(b);
            i += 1;
        }
    }
    (out, n)
}

#[test]
fn both_byte_forms_of_taka_import_alike_and_the_fault_tells_them_apart() {
    let s = &scenarios()
        .into_iter()
        .find(|(n, _)| n == "nec-ibm-characters")
        .unwrap()
        .1;
    let files = export(s, Role::Planner, &with_fault(None)).unwrap();
    let mut total = 0;
    let nec: Vec<ExportedFile> = files
        .iter()
        .map(|f| {
            let (bytes, n) = replace_fbfc(&f.bytes, [0xEE, 0xE0]);
            total += n;
            ExportedFile {
                name: f.name.clone(),
                bytes,
            }
        })
        .collect();
    assert!(total > 0, "the scenario writes 髙 as FBFC");
    let plain = ImportOptions::default();
    let ibm_read = import_with(&files, Role::Planner, &plain).unwrap();
    assert_eq!(import_with(&nec, Role::Planner, &plain).unwrap(), ibm_read);
    let faulty = ImportOptions {
        fault: Some(Fault::TakaVariant),
    };
    assert_eq!(import_with(&nec, Role::Planner, &faulty).unwrap(), ibm_read);
    assert_ne!(
        import_with(&files, Role::Planner, &faulty).unwrap(),
        ibm_read
    );
}
