//! The protocol adapter against fake adapter processes (python3 scripts).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use cpcert_adapters::{
    Adapter, AdapterError, Blame, CaseDir, Confinement, ExportRequest, Found, ImportRequest, Limit,
    Limits, ProtocolAdapter, ProtocolConfig, ReexportRequest, Scenario,
};
use cpcert_spec::Role;

use crate::TempDir;

/// One fake adapter; `argv[1]` picks how it misbehaves.
const FAKE: &str = r#"
import json, os, subprocess, sys, time
mode = sys.argv[1]
def send(o):
    sys.stdout.write(json.dumps(o) + "\n"); sys.stdout.flush()
sys.stderr.write("fake adapter %s starting\n" % mode); sys.stderr.flush()
for line in sys.stdin:
    m = json.loads(line)
    t = m["type"]
    if t == "start":
        send({"type": "started",
              "protocol": {"wrong-version": 3, "v1": 1}.get(mode, 2),
              "product": {"name": "fake", "version": "9.9"}, "roles": ["planner", "provider"],
              "kinds": ["UPPLAN"], "layout_versions": ["202407"], "not_kept": {"UPSIKYU": [30]}})
    elif t == "stop":
        sys.exit(0)
    elif t == "import":
        if mode == "bad-scenario":
            send({"type": "imported", "id": m["id"], "scenario": {"nope": 1}})
        elif mode == "v1":
            send({"type": "imported", "id": m["id"], "scenario": {"id": "understood"}})
        elif mode == "no-answer":
            send({"type": "imported", "id": m["id"]})
        else:
            send({"type": "imported", "id": m["id"], "held": {"UPPLAN": [{"1": "understood"}]}})
    else:
        sb = m["sandbox"]
        if mode == "hang":
            child = subprocess.Popen(["sleep", "300"])
            sys.stderr.write("hanging child=%d\n" % child.pid); sys.stderr.flush()
            time.sleep(300)
        marker = os.path.join(os.environ["TMPDIR"], "crashed-once")
        if mode == "crash" or (mode == "crash-once" and not os.path.exists(marker)):
            if mode == "crash-once":
                open(marker, "w").write("x")
            sys.stderr.write("product crashed: access violation\n"); sys.stderr.flush()
            os._exit(70)
        if mode == "garbage":
            print("Welcome to CareSoft 3000!"); sys.stdout.flush(); continue
        if mode == "refuse":
            send({"type": "error", "id": m["id"], "message": "利用者が登録されていません"}); continue
        if mode == "outside":
            send({"type": "exported", "id": m["id"], "files": [os.environ["OUTSIDE"]]}); continue
        if mode == "dotdot":
            send({"type": "exported", "id": m["id"], "files": ["../x"]}); continue
        if mode == "write-next-door":
            open(os.path.join(sb, "..", "stray.csv"), "w").write("x")
        if mode == "symlink":
            os.symlink(os.environ["OUTSIDE"], os.path.join(sb, "link.csv"))
            send({"type": "exported", "id": m["id"], "files": ["link.csv"]}); continue
        if mode == "missing":
            send({"type": "exported", "id": m["id"], "files": ["GHOST.CSV"]}); continue
        if mode == "setsid-child":
            first = os.fork()
            if first == 0:
                os.setsid()
                if os.fork() == 0:
                    open(os.path.join(sb, "orphan.tmp"), "w").write(str(os.getpid()))
                    os.rename(os.path.join(sb, "orphan.tmp"), os.path.join(sb, "orphan.pid"))
                    time.sleep(300)
                os._exit(0)
            os.waitpid(first, 0)
            while not os.path.exists(os.path.join(sb, "orphan.pid")):
                time.sleep(0.01)
        if mode == "write-up":
            up = os.path.join(sb, *([".."] * int(os.environ["LEVELS"])))
            open(os.path.join(up, "stray.csv"), "w").write("x")
        if mode == "write-anywhere":
            open(os.environ["OUTSIDE"] + ".evil", "w").write("x")
        if mode == "blank-flood":
            while True:
                sys.stdout.write("\n" * 4096); sys.stdout.flush()
        if mode == "fifo":
            os.mkfifo(os.path.join(sb, "F.CSV"))
            send({"type": "exported", "id": m["id"], "files": ["F.CSV"]}); continue
        if mode == "many-files":
            open(os.path.join(sb, "A.CSV"), "w").write("x")
            send({"type": "exported", "id": m["id"], "files": ["A.CSV"] * 100000}); continue
        if mode == "sparse":
            with open(os.path.join(sb, "BIG.CSV"), "wb") as f:
                f.truncate(2 * 1024 * 1024 * 1024)
            send({"type": "exported", "id": m["id"], "files": ["BIG.CSV"]}); continue
        if mode == "swap":
            # Returns a file, then keeps swapping it for a symlink to a secret and back.
            path = os.path.join(sb, "S.CSV")
            open(path, "w").write("x")
            send({"type": "exported", "id": m["id"], "files": ["S.CSV"]})
            until = time.time() + 0.3
            while time.time() < until:
                tmp = path + ".lnk"
                os.symlink(os.environ["OUTSIDE"], tmp); os.rename(tmp, path)
                open(tmp, "w").write("x"); os.rename(tmp, path)
            continue
        if mode == "wrong-id":
            send({"type": "exported", "id": m["id"] + 1, "files": []}); continue
        name = "UPPLAN_%s_%d.CSV" % (m["timestamp"], m["id"])
        open(os.path.join(sb, name), "w").write("x")
        send({"type": "exported", "id": m["id"], "files": [name, os.path.join(sb, name)]})
"#;

struct Fake {
    dir: TempDir,
    adapter: ProtocolAdapter,
    cases: Mutex<Vec<CaseDir>>,
}

impl Fake {
    /// A fresh sandbox in the adapter's workspace (where a confined adapter may write).
    fn sandbox(&self, _name: &str) -> PathBuf {
        let case = self.adapter.case_dir().unwrap();
        let sandbox = case.sandbox().to_path_buf();
        self.cases.lock().unwrap().push(case);
        sandbox
    }
}

fn fake(mode: &str, timeout: Duration) -> Fake {
    fake_with(mode, timeout, BTreeMap::new())
}

fn fake_with(mode: &str, timeout: Duration, env: BTreeMap<String, String>) -> Fake {
    fake_limited(mode, timeout, env, Limits::default())
}

fn fake_limited(
    mode: &str,
    timeout: Duration,
    mut env: BTreeMap<String, String>,
    limits: Limits,
) -> Fake {
    let dir = TempDir::new(mode);
    fs::write(dir.path().join("fake.py"), FAKE).unwrap();
    let outside = dir.path().join("outside.csv");
    fs::write(&outside, "SECRET").unwrap();
    env.insert("OUTSIDE".into(), outside.to_string_lossy().into());
    let confine = env.get(CONFINE).is_none_or(|v| v != "off");
    let adapter = ProtocolAdapter::new(ProtocolConfig {
        name: "fake".into(),
        command: vec!["python3".into(), "fake.py".into(), mode.into()],
        working_dir: dir.path().to_path_buf(),
        env,
        timeout,
        limits,
        check_parent: true,
        confine,
    });
    Fake {
        dir,
        adapter,
        cases: Mutex::new(Vec::new()),
    }
}

fn export_req(sandbox: PathBuf) -> ExportRequest {
    ExportRequest {
        scenario: Scenario::default(),
        role: Role::Planner,
        sandbox,
        timestamp: "20250401090000".into(),
    }
}

const SHORT: Duration = Duration::from_secs(10);

/// A test-only key of the fake's environment map: `off` starts the fake unconfined.
const CONFINE: &str = "FAKE_CONFINE";

fn unconfined(extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut env: BTreeMap<String, String> = extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    env.insert(CONFINE.into(), "off".into());
    env
}

fn confined(extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    extra
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn correct_adapter_serves_a_session() {
    let f = fake("ok", SHORT);
    let info = f.adapter.start().unwrap();
    assert_eq!((info.name.as_str(), info.version.as_str()), ("fake", "9.9"));
    assert_eq!(info.roles, [Role::Planner, Role::Provider]);
    let pid = f.adapter.pid().unwrap();

    let sandbox = f.sandbox("a");
    let result = f.adapter.export(&export_req(sandbox.clone())).unwrap();
    // Relative and absolute spellings resolve to the same canonical file.
    assert_eq!(result.files.len(), 2);
    assert_eq!(result.files[0], result.files[1]);
    assert!(result.files[0].path.starts_with(&sandbox));
    assert_eq!(result.files[0].bytes, b"x");

    let imported = f
        .adapter
        .import(&ImportRequest {
            files: result.paths(),
            role: Role::Provider,
            sender: None,
            sandbox: f.sandbox("b"),
        })
        .unwrap();
    assert_eq!(imported.held.records("UPPLAN")[0].get(1), "understood");
    assert!(info.not_kept.contains("UPSIKYU", 30));

    let re = f
        .adapter
        .reexport(&ReexportRequest {
            files: result.paths(),
            role: Role::Provider,
            sender: Some(Role::Planner),
            office: Some("0200000002".into()),
            sandbox: f.sandbox("c"),
            timestamp: "20250501090000".into(),
        })
        .unwrap();
    assert_eq!(re.files.len(), 2);
    // One process served every call.
    assert_eq!(f.adapter.pid(), Some(pid));

    f.adapter.stop();
    assert_eq!(f.adapter.pid(), None);
    assert!(process_gone(pid), "adapter {pid} still runs after stop");
}

#[test]
fn concurrent_requests_are_serialized() {
    let f = Arc::new(fake("ok", SHORT));
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let f = Arc::clone(&f);
            thread::spawn(move || {
                let sandbox = f.sandbox(&format!("t{i}"));
                f.adapter.export(&export_req(sandbox)).unwrap().files
            })
        })
        .collect();
    let mut names: Vec<_> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .map(|f| f.name)
        .collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 6, "every request got its own id");
    f.adapter.stop();
}

#[test]
fn hang_times_out_and_kills_the_process_group() {
    let f = fake("hang", Duration::from_secs(2));
    f.adapter.start().unwrap();
    let pid = f.adapter.pid().unwrap();
    let started = Instant::now();
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(8));
    assert!(
        matches!(err, AdapterError::Timeout { seconds: 2, .. }),
        "{err:?}"
    );
    assert_eq!(err.blame(), Blame::Infrastructure);
    assert!(err.stderr_tail().unwrap().contains("hanging"), "{err:?}");
    let tail = err.stderr_tail().unwrap();
    let child: u32 = tail
        .split("child=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("no child pid in {tail:?}"));
    assert!(process_gone(pid), "adapter {pid} survived");
    assert!(process_gone(child), "adapter's child {child} survived");
    assert_eq!(f.adapter.pid(), None);
}

#[test]
fn crash_is_infrastructure_with_stderr() {
    let f = fake("crash", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(matches!(err, AdapterError::Exited { .. }), "{err:?}");
    assert!(err.to_string().contains("70"), "{err}");
    assert!(err.stderr_tail().unwrap().contains("access violation"));
    assert!(err.is_infrastructure());
}

#[test]
fn next_call_after_a_crash_starts_a_new_process() {
    let f = fake("crash-once", SHORT);
    f.adapter.start().unwrap();
    let first = f.adapter.pid().unwrap();
    assert!(f.adapter.export(&export_req(f.sandbox("a"))).is_err());
    let files = f.adapter.export(&export_req(f.sandbox("b"))).unwrap().files;
    assert_eq!(files.len(), 2);
    assert_ne!(f.adapter.pid(), Some(first));
    f.adapter.stop();
}

#[test]
fn garbage_on_stdout_is_a_protocol_error() {
    let f = fake("garbage", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    let AdapterError::Protocol { detail, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(detail.contains("Welcome to CareSoft 3000!"), "{detail}");
    assert!(err.is_infrastructure());
}

#[test]
fn refusal_is_a_product_failure_and_keeps_the_session() {
    let f = fake("refuse", SHORT);
    f.adapter.start().unwrap();
    let pid = f.adapter.pid();
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    let AdapterError::Refused { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message, "利用者が登録されていません");
    assert_eq!(err.blame(), Blame::Product);
    assert_eq!(f.adapter.pid(), pid);
    f.adapter.stop();
}

#[test]
fn wrong_protocol_version_is_rejected() {
    let f = fake("wrong-version", SHORT);
    let err = f.adapter.start().unwrap_err();
    assert!(
        matches!(
            err,
            AdapterError::ProtocolVersion {
                expected: 2,
                got: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.stderr_tail()
            .unwrap()
            .contains("fake adapter wrong-version starting")
    );
    assert_eq!(f.adapter.pid(), None);
}

#[test]
fn file_outside_the_sandbox_is_rejected() {
    let f = fake("outside", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(
        matches!(err, AdapterError::OutsideSandbox { .. }),
        "{err:?}"
    );
}

#[test]
fn symlink_out_of_the_sandbox_is_rejected() {
    let f = fake("symlink", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(
        matches!(
            err,
            AdapterError::NotRegularFile {
                found: Found::SymbolicLink,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn dotdot_path_is_rejected() {
    let f = fake("dotdot", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    // Either finding is right; `..` in the reply is checked first.
    assert!(
        matches!(err, AdapterError::ParentComponent { .. }),
        "{err:?}"
    );
}

#[test]
fn writing_next_to_the_sandbox_is_caught() {
    let f = fake("write-next-door", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    let AdapterError::WroteOutsideSandbox { path, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(path.ends_with("stray.csv"), "{path:?}");
}

#[test]
fn missing_file_is_rejected() {
    let f = fake("missing", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(matches!(err, AdapterError::MissingFile { .. }), "{err:?}");
}

#[test]
fn reply_to_another_request_is_a_protocol_error() {
    let f = fake("wrong-id", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(matches!(err, AdapterError::Protocol { .. }), "{err:?}");
}

#[test]
fn invalid_scenario_is_reported() {
    let f = fake("bad-scenario", SHORT);
    let err = f
        .adapter
        .import(&ImportRequest {
            files: vec![],
            role: Role::Provider,
            sender: None,
            sandbox: f.sandbox("a"),
        })
        .unwrap_err();
    assert!(
        matches!(err, AdapterError::InvalidScenario { .. }),
        "{err:?}"
    );
    f.adapter.stop();
}

fn limit_of(err: &AdapterError) -> Option<Limit> {
    match err {
        AdapterError::LimitExceeded { limit, .. } => Some(*limit),
        _ => None,
    }
}

#[test]
fn blank_line_flood_hits_the_line_limit() {
    let f = fake("blank-flood", SHORT);
    f.adapter.start().unwrap();
    let pid = f.adapter.pid().unwrap();
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert_eq!(limit_of(&err), Some(Limit::Lines), "{err:?}");
    assert!(err.to_string().contains("limits.lines"), "{err}");
    assert!(err.is_infrastructure());
    assert!(process_gone(pid), "adapter {pid} survived");
}

#[test]
fn blank_line_flood_cannot_extend_the_deadline() {
    let limits = Limits {
        lines: 1_000_000,
        ..Limits::default()
    };
    let f = fake_limited(
        "blank-flood",
        Duration::from_secs(2),
        BTreeMap::new(),
        limits,
    );
    f.adapter.start().unwrap();
    let started = Instant::now();
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    let took = started.elapsed();
    assert!(
        matches!(
            err,
            AdapterError::Timeout { seconds: 2, .. } | AdapterError::LimitExceeded { .. }
        ),
        "{err:?}"
    );
    assert!(took < Duration::from_secs(5), "the flood ran {took:?}");
}

#[test]
fn fifo_is_refused_without_hanging() {
    let f = fake("fifo", SHORT);
    let started = Instant::now();
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(
        matches!(
            err,
            AdapterError::NotRegularFile {
                found: Found::Fifo,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < SHORT);
}

#[test]
fn too_many_files_and_huge_sparse_files_hit_limits() {
    let f = fake("many-files", SHORT);
    let started = Instant::now();
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert_eq!(limit_of(&err), Some(Limit::Files), "{err:?}");
    assert!(err.to_string().contains("100000 files"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let f = fake("sparse", SHORT);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert_eq!(limit_of(&err), Some(Limit::FileBytes), "{err:?}");
    assert!(err.to_string().contains("limits.file_bytes"), "{err}");
}

#[test]
fn a_file_swapped_for_a_symlink_never_leaks_what_it_points_to() {
    let f = fake("swap", SHORT);
    for i in 0..10 {
        match f.adapter.export(&export_req(f.sandbox(&format!("s{i}")))) {
            Ok(result) => assert_eq!(result.files[0].bytes, b"x"),
            Err(err) => assert!(
                matches!(
                    err,
                    AdapterError::NotRegularFile {
                        found: Found::SymbolicLink,
                        ..
                    } | AdapterError::MissingFile { .. }
                ),
                "{err:?}"
            ),
        }
    }
    f.adapter.stop();
}

#[test]
fn a_setsid_double_forked_child_does_not_outlive_the_request() {
    for env in [confined(&[]), unconfined(&[])] {
        let f = fake_with("setsid-child", SHORT, env);
        let sandbox = f.sandbox("a");
        let err = f.adapter.export(&export_req(sandbox.clone())).unwrap_err();
        assert!(
            matches!(err, AdapterError::LeftProcesses { count: 1, .. }),
            "{err:?}"
        );
        assert!(err.is_infrastructure());
        let orphan: u32 = fs::read_to_string(sandbox.join("orphan.pid"))
            .unwrap()
            .parse()
            .unwrap();
        assert!(process_gone(orphan), "orphan {orphan} survived the request");
        f.adapter.stop();
    }
}

#[test]
fn writing_two_levels_above_the_sandbox_is_caught() {
    for env in [confined(&[("LEVELS", "2")]), unconfined(&[("LEVELS", "2")])] {
        let f = fake_with("write-up", SHORT, env);
        let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
        assert!(
            matches!(&err, AdapterError::WroteOutsideSandbox { path, .. } if path.ends_with("stray.csv")),
            "{err:?}"
        );
        assert!(err.is_infrastructure());
    }
}

#[test]
fn writing_into_the_workspace_is_refused_or_caught() {
    let f = fake_with("write-up", SHORT, confined(&[("LEVELS", "3")]));
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(err.is_infrastructure(), "{err:?}");
    if let Confinement::Landlock { .. } = f.adapter.confinement() {
        // Refused by the kernel: the adapter's write failed and it crashed.
        assert!(
            err.stderr_tail()
                .is_some_and(|t| t.contains("PermissionError")),
            "{err:?}"
        );
    }
    let f = fake_with("write-up", SHORT, unconfined(&[("LEVELS", "3")]));
    assert_eq!(f.adapter.confinement(), Confinement::DetectionOnly);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(
        matches!(&err, AdapterError::WroteOutsideSandbox { path, .. } if path.ends_with("stray.csv")),
        "{err:?}"
    );
}

#[test]
fn a_confined_adapter_cannot_write_elsewhere() {
    let f = fake_with("write-anywhere", SHORT, confined(&[]));
    let Confinement::Landlock { abi } = f.adapter.confinement() else {
        eprintln!("Landlock unavailable on this kernel: only detection is tested");
        return;
    };
    assert!(abi >= 1);
    let err = f.adapter.export(&export_req(f.sandbox("a"))).unwrap_err();
    assert!(
        err.stderr_tail()
            .is_some_and(|t| t.contains("PermissionError")),
        "{err:?}"
    );
    assert!(!f.dir.path().join("outside.csv.evil").exists());
}

#[test]
fn missing_program_is_a_spawn_error() {
    let dir = TempDir::new("spawn");
    let adapter = ProtocolAdapter::new(ProtocolConfig {
        name: "nothing".into(),
        command: vec!["./does-not-exist".into()],
        working_dir: dir.path().to_path_buf(),
        env: BTreeMap::new(),
        timeout: SHORT,
        limits: Limits::default(),
        check_parent: true,
        confine: true,
    });
    let err = adapter.start().unwrap_err();
    assert!(matches!(err, AdapterError::Spawn { .. }), "{err:?}");
}

/// Whether a process is gone (or a zombie awaiting its new parent), waiting up to 3 s.
pub(crate) fn process_gone(pid: u32) -> bool {
    let stat = Path::new("/proc").join(pid.to_string()).join("stat");
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        match fs::read_to_string(&stat) {
            Err(_) => return true,
            // The state follows the parenthesised command name.
            Ok(s)
                if s.rsplit(')')
                    .next()
                    .is_some_and(|r| r.trim_start().starts_with('Z')) =>
            {
                return true;
            }
            Ok(_) => thread::sleep(Duration::from_millis(50)),
        }
    }
    false
}

fn import_req(f: &Fake) -> ImportRequest {
    ImportRequest {
        files: vec![],
        role: Role::Provider,
        sender: None,
        sandbox: f.dir.sandbox("a"),
    }
}

#[test]
fn version_1_scenario_answers_are_converted_to_held_records() {
    let f = fake("v1", SHORT);
    let info = f.adapter.start().unwrap();
    assert_eq!(info.name, "fake");
    // A scenario without documents holds nothing; the conversion is the reference writer's.
    let answer = f.adapter.import(&import_req(&f)).unwrap();
    assert!(answer.held.is_empty(), "{answer:?}");
    f.adapter.stop();
}

#[test]
fn an_import_answer_without_records_is_rejected() {
    let f = fake("no-answer", SHORT);
    let err = f.adapter.import(&import_req(&f)).unwrap_err();
    assert!(matches!(err, AdapterError::InvalidAnswer { .. }), "{err:?}");
    assert!(err.to_string().contains("neither"), "{err}");
    f.adapter.stop();
}
