//! The reference adapter: export, import and the provider round trip through the sandbox.

use std::fs;
use std::path::PathBuf;

use cpcert_adapters::{
    Adapter, AdapterError, ExportRequest, ImportRequest, ReexportRequest, ReferenceAdapter,
};
use cpcert_scenario::reference::{self, ExportedFile};
use cpcert_spec::Role;

use crate::TempDir;

fn minimal() -> cpcert_scenario::Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../cases/scenarios/minimal.yaml");
    cpcert_scenario::load_scenario(path).unwrap()
}

#[test]
fn round_trip_through_the_sandbox() {
    let tmp = TempDir::new("reference");
    let adapter = ReferenceAdapter::new();
    let info = adapter.start().unwrap();
    assert!(info.kinds.iter().any(|k| k == "UPJSK"));

    let sandbox = tmp.sandbox("export");
    let exported = adapter
        .export(&ExportRequest {
            scenario: minimal(),
            role: Role::Planner,
            sandbox: sandbox.clone(),
            timestamp: "20250401090000".into(),
        })
        .unwrap();
    assert!(!exported.files.is_empty());
    for file in &exported.files {
        assert!(file.path.starts_with(&sandbox));
        assert_eq!(fs::read(&file.path).unwrap(), file.bytes);
        let name = &file.name;
        assert!(name.contains("20250401090000"), "{name}");
    }

    // The adapter's import is the library's import of the same bytes.
    let understood = adapter
        .import(&ImportRequest {
            files: exported.paths(),
            role: Role::Provider,
            sender: Some(Role::Planner),
            sandbox: tmp.sandbox("import"),
        })
        .unwrap();
    let files: Vec<ExportedFile> = exported
        .files
        .iter()
        .map(|f| ExportedFile {
            name: f.name.clone(),
            bytes: f.bytes.clone(),
        })
        .collect();
    assert_eq!(
        understood.held,
        reference::held(&reference::import(&files, Role::Planner).unwrap()).unwrap()
    );

    // サービス事業所: import 予定, record as performed, export 実績; the office is inferred.
    let sandbox = tmp.sandbox("reexport");
    let results = adapter
        .reexport(&ReexportRequest {
            files: exported.paths(),
            role: Role::Provider,
            sender: None,
            office: None,
            sandbox: sandbox.clone(),
            timestamp: "20250501090000".into(),
        })
        .unwrap();
    assert!(!results.files.is_empty());
    assert!(
        results.files.iter().all(|f| f.name.starts_with("UPJSK")),
        "{results:?}"
    );
}

#[test]
fn unknown_fault_in_a_vendor_description_is_a_config_error() {
    let text = "name: r\nadapter: reference\nfault: no-such-fault\n";
    let err = cpcert_adapters::VendorDescription::parse(
        text,
        std::path::Path::new("v.yaml"),
        std::path::Path::new("."),
    )
    .unwrap_err();
    assert!(matches!(err, AdapterError::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-fault"), "{err}");
}
