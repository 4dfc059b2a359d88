//! Every permitted variant changes at least one byte (or one file name) of what the suite runs
//! on: a variant the suite never sees proves nothing about false fails.

use std::path::Path;

use cpcert_scenario::reference::{self, ExportOptions, ExportedFile, Variant};
use cpcert_spec::Role;

fn exports(opts: &ExportOptions) -> Vec<Vec<ExportedFile>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/scenarios");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() > 10, "scenarios at {}", dir.display());
    let mut out = Vec::new();
    for path in &paths {
        let scenario = cpcert_scenario::load_scenario(path).unwrap();
        for role in Role::ALL {
            let files = reference::export(&scenario, role, opts)
                .unwrap_or_else(|e| panic!("{}: {role:?}: {e}", path.display()));
            out.push(files);
        }
    }
    out
}

#[test]
fn every_variant_changes_what_the_suite_runs_on() {
    let reference = exports(&ExportOptions::default());
    for variant in Variant::ALL {
        let opts = ExportOptions {
            variant: Some(variant),
            today: Some("20261129".to_owned()),
            ..ExportOptions::default()
        };
        let changed = exports(&opts);
        assert_eq!(changed.len(), reference.len());
        let differs = reference.iter().zip(&changed).any(|(r, c)| r != c);
        assert!(
            differs,
            "variant {variant} writes the reference's very bytes"
        );
    }
}

#[test]
fn created_today_needs_an_injected_day() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/scenarios/minimal.yaml");
    let scenario = cpcert_scenario::load_scenario(dir).unwrap();
    let opts = ExportOptions {
        variant: Some(Variant::CreatedToday),
        ..ExportOptions::default()
    };
    let err = reference::export(&scenario, Role::Planner, &opts).unwrap_err();
    assert!(err.to_string().contains("created-today"), "{err}");
}
