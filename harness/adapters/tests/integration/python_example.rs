//! The example Python adapter (examples/adapters/) against a stand-in `cpcert` that mimics the
//! reference product's command line, so the example is tested without the CLI.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use cpcert_adapters::{Adapter, AdapterError, ExportRequest, ImportRequest, VendorDescription};
use cpcert_spec::Role;

use crate::TempDir;

/// Accepts the documented command lines; an export records its own in the sandbox (the only
/// place a confined adapter, and so this stand-in, may write).
const FAKE_CPCERT: &str = r#"#!/bin/sh
args="$*"
[ "$1" = reference ] || exit 2
sub=$2; shift 2
role= out= ts= scenario=
while [ $# -gt 0 ]; do
  case $1 in
    --role) role=$2; shift 2;; --out) out=$2; shift 2;; --timestamp) ts=$2; shift 2;;
    --scenario) scenario=$2; shift 2;; --fault|--office) shift 2;; --held) shift;; *) break;;
  esac
done
case $sub in
  export)
    grep -q '"bad"' "$scenario" && { echo "cannot encode 髙" >&2; exit 1; }
    echo "$args" > "$out/calls.log"
    echo x > "$out/UPPLAN_$ts.CSV"; echo "UPPLAN_$ts.CSV";;
  import) printf '{"UPPLAN":[{"1":"imported-%s","30":"x"}]}' "$role" > "$out";;
  *) exit 2;;
esac
"#;

#[test]
fn python_example_speaks_the_protocol() {
    let tmp = TempDir::new("python");
    let bin = tmp.path().join("cpcert");
    fs::write(&bin, FAKE_CPCERT).unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();

    let yaml = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/adapters/python-reference.yaml");
    let desc = VendorDescription::load(&yaml).unwrap();
    let mut config = desc.protocol_config();
    config
        .env
        .insert("CPCERT_BIN".into(), bin.to_string_lossy().into());
    let adapter = cpcert_adapters::ProtocolAdapter::new(config);

    let info = adapter.start().unwrap();
    assert_eq!(info.roles.len(), 3);
    let export_dir = adapter.case_dir().unwrap();
    let sandbox = export_dir.sandbox().to_path_buf();
    let req = ExportRequest {
        scenario: cpcert_adapters::Scenario::default(),
        role: Role::Planner,
        sandbox: sandbox.clone(),
        timestamp: "20250401090000".into(),
    };
    let exported = adapter.export(&req).unwrap();
    assert_eq!(
        exported.paths(),
        [sandbox.join("UPPLAN_20250401090000.CSV")]
    );

    let import_dir = adapter.case_dir().unwrap();
    let understood = adapter
        .import(&ImportRequest {
            files: exported.paths(),
            role: Role::Provider,
            sender: None,
            sandbox: import_dir.sandbox().to_path_buf(),
        })
        .unwrap();
    assert_eq!(
        understood.held.records("UPPLAN")[0].get(1),
        "imported-provider"
    );

    // The product's own failure comes back as a refusal with its message.
    let bad = cpcert_adapters::Scenario {
        id: "bad".into(),
        ..Default::default()
    };
    let bad_dir = adapter.case_dir().unwrap();
    let err = adapter
        .export(&ExportRequest {
            scenario: bad,
            sandbox: bad_dir.sandbox().to_path_buf(),
            ..req
        })
        .unwrap_err();
    let AdapterError::Refused { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("cannot encode"), "{message}");
    adapter.stop();

    let calls = fs::read_to_string(sandbox.join("calls.log")).unwrap();
    assert!(
        calls.contains("reference export --role planner --scenario "),
        "{calls}"
    );
}
