//! The JSON Schemas of case, scenario and vendor files (cases/schema/) are generated from the
//! Rust types; this test fails when a committed schema is stale. `UPDATE_SCHEMA=1` rewrites them.

use std::path::Path;

fn check(name: &str, schema: schemars::Schema) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../cases/schema")
        .join(name);
    let text = format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).expect("schema serialises")
    );
    if std::env::var("UPDATE_SCHEMA").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{} is stale: run `UPDATE_SCHEMA=1 cargo test -p cpcert-runner --test schema`",
        path.display()
    );
}

#[test]
fn case_schema_is_current() {
    check(
        "case.schema.json",
        schemars::schema_for!(cpcert_runner::CaseFile),
    );
}

#[test]
fn scenario_schema_is_current() {
    check(
        "scenario.schema.json",
        schemars::schema_for!(cpcert_scenario::Scenario),
    );
}

#[test]
fn vendor_schema_is_current() {
    check(
        "vendor.schema.json",
        schemars::schema_for!(cpcert_adapters::VendorDescription),
    );
}

/// Every vendor description shipped in cases/vendors/ loads.
#[test]
fn shipped_vendor_descriptions_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../cases/vendors");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            cpcert_adapters::VendorDescription::load(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            count += 1;
        }
    }
    assert!(count >= 3, "reference, protocol and manual examples");
}
