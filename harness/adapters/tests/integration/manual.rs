//! The manual adapter with a thread playing the operator.

use std::fs;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use cpcert_adapters::{
    Adapter, AdapterError, ExportRequest, ImportRequest, ManualAdapter, Scenario,
};
use cpcert_spec::Role;

use crate::TempDir;

fn adapter(dir: &Path, timeout: Duration) -> ManualAdapter {
    ManualAdapter::new("gui-product", dir.join("desk"), timeout)
        .with_poll_interval(Duration::from_millis(20))
}

/// Waits for the harness to create a request folder and returns it.
fn wait_for_request(desk: &Path, name: &str) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = fs::read_dir(desk).ok().and_then(|entries| {
            entries.flatten().map(|e| e.path()).find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().ends_with(name))
                    && p.join("instructions.txt").exists()
            })
        });
        if let Some(dir) = found {
            return dir;
        }
        assert!(Instant::now() < deadline, "no request folder {name}");
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn operator_exports_and_imports() {
    let tmp = TempDir::new("manual");
    let adapter = adapter(tmp.path(), Duration::from_secs(20));
    adapter.start().unwrap();
    let desk = adapter.dir().to_path_buf();

    let operator = thread::spawn(move || {
        let dir = wait_for_request(&desk, "export-planner");
        let text = fs::read_to_string(dir.join("instructions.txt")).unwrap();
        assert!(text.contains("居宅介護支援事業所") && text.contains("20250401090000"));
        let scenario: Scenario =
            serde_json::from_str(&fs::read_to_string(dir.join("scenario.json")).unwrap()).unwrap();
        assert_eq!(scenario.id, "s1");
        fs::write(dir.join("out/UPPLAN_X.CSV"), b"bytes").unwrap();
        fs::write(dir.join("done"), b"").unwrap();

        let dir = wait_for_request(&desk, "import-provider");
        assert!(dir.join("in/UPPLAN_X.CSV").exists());
        fs::write(
            dir.join("held.json"),
            r#"{"held":{"UPPLAN":[{"1":"as-understood"}]},"not_kept":{"UPSIKYU":[30]}}"#,
        )
        .unwrap();
    });

    let sandbox = tmp.sandbox("export");
    let scenario = Scenario {
        id: "s1".into(),
        ..Scenario::default()
    };
    let result = adapter
        .export(&ExportRequest {
            scenario,
            role: Role::Planner,
            sandbox: sandbox.clone(),
            timestamp: "20250401090000".into(),
        })
        .unwrap();
    assert_eq!(result.paths(), [sandbox.join("UPPLAN_X.CSV")]);
    assert_eq!(result.files[0].bytes, b"bytes");
    assert_eq!(fs::read(&result.files[0].path).unwrap(), b"bytes");

    let understood = adapter
        .import(&ImportRequest {
            files: result.paths(),
            role: Role::Provider,
            sender: None,
            sandbox: tmp.sandbox("import"),
        })
        .unwrap();
    assert_eq!(understood.held.records("UPPLAN")[0].get(1), "as-understood");
    assert!(understood.not_kept.contains("UPSIKYU", 30));
    operator.join().unwrap();
}

#[test]
fn operator_refusal_and_timeout() {
    let tmp = TempDir::new("manual-refuse");
    let adapter = adapter(tmp.path(), Duration::from_secs(1));
    let desk = adapter.dir().to_path_buf();
    let operator = thread::spawn(move || {
        let dir = wait_for_request(&desk, "export-planner");
        fs::write(dir.join("refused"), "エラー: 被保険者番号が不正です\n").unwrap();
    });
    let req = ExportRequest {
        scenario: Scenario::default(),
        role: Role::Planner,
        sandbox: tmp.sandbox("a"),
        timestamp: "20250401090000".into(),
    };
    let err = adapter.export(&req).unwrap_err();
    operator.join().unwrap();
    let AdapterError::Refused { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message, "エラー: 被保険者番号が不正です");

    // Nobody answers the second request.
    let err = adapter
        .export(&ExportRequest {
            sandbox: tmp.sandbox("b"),
            ..req
        })
        .unwrap_err();
    assert!(
        matches!(err, AdapterError::OperatorTimeout { seconds: 1, .. }),
        "{err:?}"
    );
    assert!(err.is_infrastructure());
}
