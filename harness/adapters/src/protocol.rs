//! The `protocol` adapter: a vendor's adapter process speaking line-delimited JSON
//! ([`crate::message`]) on stdin/stdout.
//!
//! One process serves a whole product session. Every call has a deadline that nothing the
//! adapter sends can extend (stdout lines, blank ones included, are counted and queued in a
//! bounded channel; the deadline is checked before every line and every returned file), and
//! everything it sends is bounded by the vendor description's [`Limits`]. On a timeout, a crash,
//! a protocol violation or a limit the process group is killed (the adapter's children too), the
//! error carries the tail of its stderr, and the next call starts a fresh process.

use crate::error::IoContext;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use crate::confine::{Confinement, available, confine};
use crate::message::{
    ACCEPTED_VERSIONS, AdapterMessage, HARNESS, HarnessMessage, PROTOCOL_VERSION,
};
use crate::sandbox::{Deadline, ParentSnapshot, Sandbox};
use crate::unix::{
    SESSION_ENV, forget_leader, kill_descendants, kill_orphans, kill_process_group,
    new_process_group, spawn_leader,
};
use crate::workspace::{CaseDir, Workspace};
use crate::{
    Adapter, AdapterError, ExportRequest, ExportResult, ImportAnswer, ImportRequest, Limit, Limits,
    ProductInfo, ReexportRequest, Scenario, StderrTail,
};

/// How many stdout lines may wait for the harness; past that the reader thread (and so the
/// adapter's writes) block, so a flood costs no memory.
const LINE_QUEUE: usize = 16;
/// How much of an offending stdout line is quoted in an error.
const QUOTE_CHARS: usize = 200;
/// How long to wait for the stderr reader to drain after the process died, so the tail is complete.
const DRAIN_WAIT: Duration = Duration::from_millis(500);

/// How to start a vendor's adapter process.
#[derive(Debug, Clone)]
pub struct ProtocolConfig {
    /// The vendor or product name, for messages.
    pub name: String,
    /// Program and arguments; the program is looked up on `PATH` unless it contains a `/`.
    pub command: Vec<String>,
    /// The folder the process runs in.
    pub working_dir: PathBuf,
    /// Extra environment variables.
    pub env: BTreeMap<String, String>,
    /// Time limit for each call (the start handshake included).
    pub timeout: Duration,
    /// What one call may send back.
    pub limits: Limits,
    /// Whether to check that nothing next to the sandbox changed during a call. Turn it off only
    /// when sandboxes share a parent with other concurrent work.
    pub check_parent: bool,
    /// Whether to confine the process's writes with Landlock where the kernel offers it (see
    /// [`Confinement`]); off, writes outside the sandbox are only detected.
    pub confine: bool,
}

/// Drives a vendor's adapter process; see the module docs and `docs/adapter-protocol.md`.
#[derive(Debug)]
pub struct ProtocolAdapter {
    config: ProtocolConfig,
    state: Mutex<State>,
    workspace: Mutex<Option<Arc<Workspace>>>,
}

#[derive(Debug, Default)]
struct State {
    session: Option<Session>,
    info: Option<ProductInfo>,
    next_id: u64,
}

impl ProtocolAdapter {
    /// An adapter that will start `config.command` on the first call.
    pub fn new(config: ProtocolConfig) -> ProtocolAdapter {
        ProtocolAdapter {
            config,
            state: Mutex::new(State::default()),
            workspace: Mutex::new(None),
        }
    }

    /// The run's private workspace (sandboxes and the adapter's temporary folder), created on
    /// first use.
    fn workspace(&self) -> Result<Arc<Workspace>, AdapterError> {
        let mut slot = self.workspace.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(ws) = slot.as_ref() {
            return Ok(Arc::clone(ws));
        }
        let ws = Arc::new(
            Workspace::create().map_err(|e| AdapterError::io(IoContext::CreateWorkspace, "", e))?,
        );
        *slot = Some(Arc::clone(&ws));
        Ok(ws)
    }

    /// The configuration this adapter was built from.
    pub fn config(&self) -> &ProtocolConfig {
        &self.config
    }

    /// The process id of the running adapter process, if one runs (for tests and diagnostics).
    pub fn pid(&self) -> Option<u32> {
        self.lock().session.as_ref().map(|s| s.pgid)
    }

    // A poisoned lock only means another thread panicked mid-call; the state is still
    // consistent enough to kill and restart the process, so carry on.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn ensure_started(&self, state: &mut State) -> Result<ProductInfo, AdapterError> {
        if let (Some(_), Some(info)) = (&state.session, &state.info) {
            return Ok(info.clone());
        }
        let mut session = Session::spawn(&self.config, self.workspace()?.as_ref())?;
        let start = HarnessMessage::Start {
            protocol: PROTOCOL_VERSION,
            accepts: ACCEPTED_VERSIONS.to_vec(),
            harness: HARNESS.into(),
        };
        let deadline = deadline_after(self.config.timeout);
        let reply = session.call("start", &start, deadline, &self.config.limits);
        let info = match reply {
            Ok(AdapterMessage::Started {
                protocol,
                product,
                roles,
                kinds,
                layout_versions,
                not_kept,
            }) => {
                if !ACCEPTED_VERSIONS.contains(&protocol) {
                    let err = AdapterError::ProtocolVersion {
                        expected: PROTOCOL_VERSION,
                        got: protocol,
                        stderr: StderrTail::default(),
                    };
                    return Err(session.fail(err));
                }
                ProductInfo {
                    name: product.name,
                    version: product.version,
                    roles,
                    kinds,
                    layout_versions,
                    not_kept,
                }
            }
            Ok(AdapterMessage::Error { message, .. }) => {
                let err = AdapterError::StartFailed {
                    message,
                    stderr: StderrTail::default(),
                };
                return Err(session.fail(err));
            }
            Ok(other) => return Err(session.fail(unexpected("start", "started", &other))),
            Err(err) => return Err(session.fail(err)),
        };
        state.session = Some(session);
        state.info = Some(info.clone());
        Ok(info)
    }

    /// Sends one request and returns the matching reply; a refusal becomes
    /// [`AdapterError::Refused`], anything else wrong kills the process.
    fn request(
        &self,
        operation: &'static str,
        sandbox: &Sandbox,
        build: impl FnOnce(u64) -> HarnessMessage,
    ) -> Result<(AdapterMessage, Deadline), AdapterError> {
        let mut state = self.lock();
        self.ensure_started(&mut state)?;
        state.next_id += 1;
        let id = state.next_id;
        let message = build(id);
        let Some(session) = state.session.as_mut() else {
            // ensure_started either stores a session or returns an error.
            return Err(AdapterError::Exited {
                operation,
                status: "not running".into(),
                stderr: StderrTail::default(),
            });
        };
        let workspace = self
            .workspace
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let snapshot = self
            .config
            .check_parent
            .then(|| ParentSnapshot::take(sandbox, workspace))
            .flatten();
        let deadline = deadline_after(self.config.timeout);
        let reply = session.call(operation, &message, deadline, &self.config.limits);
        let reply = match reply {
            Ok(AdapterMessage::Error {
                id: reply_id,
                message,
            }) if reply_id.is_none_or(|r| r == id) => Err(AdapterError::Refused {
                operation,
                message,
                stderr: session.tail(),
            }),
            Ok(reply) if reply_id(&reply) == Some(id) => Ok(reply),
            Ok(reply) => Err(AdapterError::Protocol {
                operation,
                detail: format!("expected a reply to request {id}, got {}", describe(&reply)),
                stderr: StderrTail::default(),
            }),
            Err(err) => Err(err),
        };
        // Whatever left the adapter's process tree during the request (a double-forked,
        // `setsid` child) is the harness's orphan now: it does not outlive the request, and the
        // request fails.
        let left = kill_orphans(&session.token);
        let escaped = snapshot.and_then(|s| s.changed());
        if escaped.is_none() && left > 0 {
            let err = AdapterError::LeftProcesses {
                operation,
                count: left,
                stderr: StderrTail::default(),
            };
            return Err(self.kill(&mut state, err));
        }
        match (reply, escaped) {
            (Err(err @ AdapterError::Refused { .. }), None) => Err(err),
            (Ok(reply), None) => Ok((reply, deadline)),
            (_, Some(path)) => Err(self.kill(
                &mut state,
                AdapterError::WroteOutsideSandbox {
                    path,
                    stderr: StderrTail::default(),
                },
            )),
            (Err(err), None) => Err(self.kill(&mut state, err)),
        }
    }

    /// Ends the session after an infrastructure failure and attaches the stderr tail.
    fn kill(&self, state: &mut State, err: AdapterError) -> AdapterError {
        state.info = None;
        match state.session.take() {
            Some(session) => session.fail(err),
            None => err,
        }
    }

    fn exported(
        &self,
        operation: &'static str,
        sandbox: &Sandbox,
        (reply, deadline): (AdapterMessage, Deadline),
    ) -> Result<ExportResult, AdapterError> {
        let AdapterMessage::Exported { files, .. } = reply else {
            return Err(self.kill(&mut self.lock(), unexpected(operation, "exported", &reply)));
        };
        sandbox
            .read_all(operation, &files, &self.config.limits, Some(deadline))
            .map(|files| ExportResult { files })
            .map_err(|err| self.kill(&mut self.lock(), err))
    }
}

impl Adapter for ProtocolAdapter {
    fn start(&self) -> Result<ProductInfo, AdapterError> {
        self.ensure_started(&mut self.lock())
    }

    fn export(&self, req: &ExportRequest) -> Result<ExportResult, AdapterError> {
        let sandbox = Sandbox::open(&req.sandbox)?;
        let scenario = serde_json::to_value(&req.scenario).map_err(|e| AdapterError::Protocol {
            operation: "export",
            detail: format!("the scenario cannot be sent as JSON: {e}"),
            stderr: StderrTail::default(),
        })?;
        let reply = self.request("export", &sandbox, |id| HarnessMessage::Export {
            id,
            role: req.role,
            scenario,
            sandbox: path_string(sandbox.given()),
            timestamp: req.timestamp.clone(),
        })?;
        self.exported("export", &sandbox, reply)
    }

    fn import(&self, req: &ImportRequest) -> Result<ImportAnswer, AdapterError> {
        let sandbox = Sandbox::open(&req.sandbox)?;
        let reply = self.request("import", &sandbox, |id| HarnessMessage::Import {
            id,
            role: req.role,
            sender: req.sender,
            files: req.files.iter().map(|p| path_string(p)).collect(),
            sandbox: path_string(sandbox.given()),
        })?;
        let (reply, _) = reply;
        let AdapterMessage::Imported { held, scenario, .. } = reply else {
            return Err(self.kill(&mut self.lock(), unexpected("import", "imported", &reply)));
        };
        // An answer that cannot be judged is an adapter bug, not a product verdict, but the
        // process itself is fine: keep it for the next case.
        let tail = || {
            self.lock()
                .session
                .as_ref()
                .map(Session::tail)
                .unwrap_or_default()
        };
        match (held, scenario) {
            (Some(held), _) => Ok(held.into()),
            (None, Some(scenario)) => {
                let scenario: Scenario = serde_json::from_value(scenario).map_err(|source| {
                    AdapterError::InvalidScenario {
                        operation: "import",
                        source,
                        stderr: tail(),
                    }
                })?;
                crate::held_from_scenario(&scenario)
                    .map(ImportAnswer::from)
                    .map_err(|detail| AdapterError::InvalidAnswer {
                        operation: "import",
                        detail,
                        stderr: tail(),
                    })
            }
            (None, None) => Err(AdapterError::InvalidAnswer {
                operation: "import",
                detail: "`imported` carries neither `held` (version 2) nor `scenario` (version 1)"
                    .into(),
                stderr: tail(),
            }),
        }
    }

    fn reexport(&self, req: &ReexportRequest) -> Result<ExportResult, AdapterError> {
        let sandbox = Sandbox::open(&req.sandbox)?;
        let reply = self.request("reexport", &sandbox, |id| HarnessMessage::Reexport {
            id,
            role: req.role,
            sender: req.sender,
            files: req.files.iter().map(|p| path_string(p)).collect(),
            office: req.office.clone(),
            sandbox: path_string(sandbox.given()),
            timestamp: req.timestamp.clone(),
        })?;
        self.exported("reexport", &sandbox, reply)
    }

    fn stop(&self) {
        let mut state = self.lock();
        state.info = None;
        if let Some(session) = state.session.take() {
            session.stop(self.config.timeout);
        }
    }

    fn case_dir(&self) -> Result<CaseDir, AdapterError> {
        self.workspace()?
            .case_dir()
            .map_err(|e| AdapterError::io(IoContext::CreateSandbox, "", e))
    }

    fn confinement(&self) -> Confinement {
        if self.config.confine {
            available()
        } else {
            Confinement::DetectionOnly
        }
    }
}

impl Drop for ProtocolAdapter {
    fn drop(&mut self) {
        // Session's own Drop kills the group; a graceful stop is the caller's job.
        self.lock().session.take();
    }
}

fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}

fn reply_id(message: &AdapterMessage) -> Option<u64> {
    match message {
        AdapterMessage::Exported { id, .. } | AdapterMessage::Imported { id, .. } => Some(*id),
        AdapterMessage::Error { id, .. } => *id,
        AdapterMessage::Started { .. } => None,
    }
}

fn describe(message: &AdapterMessage) -> String {
    let kind = match message {
        AdapterMessage::Started { .. } => "started",
        AdapterMessage::Exported { .. } => "exported",
        AdapterMessage::Imported { .. } => "imported",
        AdapterMessage::Error { .. } => "error",
    };
    match reply_id(message) {
        Some(id) => format!("`{kind}` for request {id}"),
        None => format!("`{kind}`"),
    }
}

fn unexpected(operation: &'static str, expected: &str, got: &AdapterMessage) -> AdapterError {
    AdapterError::Protocol {
        operation,
        detail: format!("expected `{expected}`, got {}", describe(got)),
        stderr: StderrTail::default(),
    }
}

/// One running adapter process with its reader threads.
#[derive(Debug)]
struct Session {
    child: Child,
    /// The process-group id (the child's pid, since it leads its own group).
    pgid: u32,
    stdin: Option<Arc<Mutex<ChildStdin>>>,
    lines: Receiver<Line>,
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_done: Receiver<()>,
    /// Whether the leader has been waited for; after that its group id may be reused.
    reaped: bool,
    /// The mark in the environment of every process of this session ([`SESSION_ENV`]).
    token: String,
}

/// What the stdout reader thread saw.
#[derive(Debug)]
enum Line {
    Text(String),
    NotUtf8(String),
    TooLong,
    Eof,
    Failed(String),
}

impl Session {
    fn spawn(config: &ProtocolConfig, workspace: &Workspace) -> Result<Session, AdapterError> {
        let Some((program, args)) = config.command.split_first() else {
            return Err(AdapterError::Spawn {
                command: String::new(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "empty command"),
            });
        };
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&config.working_dir)
            .envs(&config.env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // A private temporary folder, the only place besides the sandboxes it may write to.
        for var in ["TMPDIR", "TMP", "TEMP"] {
            command.env(var, workspace.tmp());
        }
        static SESSIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let token = format!(
            "{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        command.env(SESSION_ENV, &token);
        new_process_group(&mut command);
        if config.confine {
            confine(
                &mut command,
                &[
                    workspace.cases().to_path_buf(),
                    workspace.tmp().to_path_buf(),
                ],
            );
        }
        let mut child = spawn_leader(&mut command).map_err(|source| AdapterError::Spawn {
            command: config.command.join(" "),
            source,
        })?;
        let pgid = child.id();
        let stdin = child.stdin.take().map(|s| Arc::new(Mutex::new(s)));
        let (line_tx, lines) = mpsc::sync_channel(LINE_QUEUE);
        let max_line = config.limits.line_bytes;
        if let Some(stdout) = child.stdout.take() {
            thread::spawn(move || read_lines(stdout, &line_tx, max_line));
        }
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let (done_tx, stderr_done) = mpsc::channel();
        let keep = config.limits.stderr_tail();
        if let Some(pipe) = child.stderr.take() {
            let tail = Arc::clone(&stderr);
            thread::spawn(move || {
                read_tail(pipe, &tail, keep);
                let _ = done_tx.send(());
            });
        }
        Ok(Session {
            child,
            pgid,
            stdin,
            lines,
            stderr,
            stderr_done,
            reaped: false,
            token,
        })
    }

    /// Writes one message and waits for one reply line, until `deadline` and for at most
    /// `limits.lines` lines (blank ones included).
    fn call(
        &mut self,
        operation: &'static str,
        message: &HarnessMessage,
        deadline: Deadline,
        limits: &Limits,
    ) -> Result<AdapterMessage, AdapterError> {
        self.send(operation, message, deadline)?;
        let timeout = || AdapterError::Timeout {
            operation,
            seconds: deadline.timeout.as_secs(),
            stderr: StderrTail::default(),
        };
        let mut count: u64 = 0;
        loop {
            // Checked before every line: `recv_timeout` returns a waiting line even with no
            // time left, so a flood of lines would otherwise outlast any deadline.
            let now = Instant::now();
            if now >= deadline.at {
                return Err(timeout());
            }
            let line = match self.lines.recv_timeout(deadline.at - now) {
                Ok(line) => line,
                Err(RecvTimeoutError::Timeout) => return Err(timeout()),
                Err(RecvTimeoutError::Disconnected) => Line::Eof,
            };
            count += 1;
            if count > limits.lines {
                return Err(AdapterError::LimitExceeded {
                    operation,
                    limit: Limit::Lines,
                    allowed: limits.lines,
                    detail: format!("more than {} stdout lines without a reply", limits.lines),
                    stderr: StderrTail::default(),
                });
            }
            let protocol = |detail: String| AdapterError::Protocol {
                operation,
                detail,
                stderr: StderrTail::default(),
            };
            match line {
                // Blank lines carry nothing; tolerating them costs nothing.
                Line::Text(text) if text.trim().is_empty() => continue,
                Line::Text(text) => {
                    return serde_json::from_str(&text).map_err(|e| {
                        protocol(format!(
                            "stdout line is not a protocol message ({e}): `{}`",
                            quote(&text)
                        ))
                    });
                }
                Line::NotUtf8(text) => {
                    return Err(protocol(format!(
                        "stdout line is not UTF-8: `{}`",
                        quote(&text)
                    )));
                }
                Line::TooLong => {
                    return Err(AdapterError::LimitExceeded {
                        operation,
                        limit: Limit::LineBytes,
                        allowed: limits.line_bytes,
                        detail: format!("a stdout line longer than {} bytes", limits.line_bytes),
                        stderr: StderrTail::default(),
                    });
                }
                Line::Failed(e) => return Err(protocol(format!("reading stdout failed: {e}"))),
                Line::Eof => {
                    return Err(AdapterError::Exited {
                        operation,
                        status: self.exit_status(),
                        stderr: StderrTail::default(),
                    });
                }
            }
        }
    }

    /// Writes one message from a helper thread, so that an adapter that never reads its stdin
    /// (a full pipe) cannot block the harness past `deadline`.
    fn send(
        &mut self,
        operation: &'static str,
        message: &HarnessMessage,
        deadline: Deadline,
    ) -> Result<(), AdapterError> {
        let mut line = serde_json::to_vec(message).map_err(|e| AdapterError::Protocol {
            operation,
            detail: format!("the request cannot be written as JSON: {e}"),
            stderr: StderrTail::default(),
        })?;
        line.push(b'\n');
        let exited = |session: &mut Session| AdapterError::Exited {
            operation,
            status: session.exit_status(),
            stderr: StderrTail::default(),
        };
        let Some(stdin) = self.stdin.clone() else {
            return Err(exited(self));
        };
        let (done_tx, done) = mpsc::channel();
        thread::spawn(move || {
            let mut stdin = stdin.lock().unwrap_or_else(|p| p.into_inner());
            let _ = done_tx.send(stdin.write_all(&line).and_then(|()| stdin.flush()));
        });
        let left = deadline.at.saturating_duration_since(Instant::now());
        match done.recv_timeout(left) {
            Ok(Ok(())) => Ok(()),
            Err(RecvTimeoutError::Timeout) => Err(AdapterError::Timeout {
                operation,
                seconds: deadline.timeout.as_secs(),
                stderr: StderrTail::default(),
            }),
            // A write error means the process is gone (broken pipe): report it as an exit.
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(exited(self)),
        }
    }

    /// The exit status if the process ends within a moment, for the error message.
    fn exit_status(&mut self) -> String {
        let deadline = Instant::now() + DRAIN_WAIT;
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return status.to_string(),
                Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
                Ok(None) => return "stdout closed, process still running".into(),
                Err(e) => return format!("unknown ({e})"),
            }
        }
    }

    fn tail(&self) -> StderrTail {
        let bytes = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        StderrTail(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Kills the process group and returns `err` with the complete stderr tail.
    fn fail(mut self, err: AdapterError) -> AdapterError {
        self.kill();
        let _ = self.stderr_done.recv_timeout(DRAIN_WAIT);
        err.with_stderr(self.tail())
    }

    fn kill(&mut self) {
        if self.reaped {
            return;
        }
        // Descendants first, while the tree still hangs from the leader; then the group before
        // reaping the leader: while the leader is a zombie its pid, and so the group id, cannot
        // be reused by an unrelated process. Whatever escaped both is an orphan of the harness.
        kill_descendants(self.pgid);
        kill_process_group(self.pgid);
        let _ = self.child.kill();
        let _ = self.child.wait();
        forget_leader(self.pgid);
        self.reaped = true;
        kill_orphans(&self.token);
    }

    /// Asks the process to exit, waits up to `timeout`, then kills whatever is left.
    fn stop(mut self, timeout: Duration) {
        let deadline = deadline_after(timeout);
        let _ = self.send("stop", &HarnessMessage::Stop {}, deadline);
        // Closing stdin lets adapters that read until end of input finish too.
        self.stdin = None;
        while Instant::now() < deadline.at {
            match self.child.try_wait() {
                Ok(None) => thread::sleep(Duration::from_millis(10)),
                Ok(Some(_)) => {
                    // Children the adapter left behind must not outlive the session. The leader
                    // was reaped an instant ago, so its group id is not yet reused; its other
                    // descendants are the harness's orphans now.
                    kill_process_group(self.pgid);
                    forget_leader(self.pgid);
                    self.reaped = true;
                    kill_orphans(&self.token);
                    return;
                }
                Err(_) => break,
            }
        }
        // Timed out (or cannot tell): Drop kills the group.
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.kill();
    }
}

fn quote(text: &str) -> String {
    let mut quoted: String = text.chars().take(QUOTE_CHARS).collect();
    if quoted.len() < text.len() {
        quoted.push('…');
    }
    quoted
}

/// The instant `timeout` from now (far in the future if that cannot be represented).
fn deadline_after(timeout: Duration) -> Deadline {
    let now = Instant::now();
    let at = now
        .checked_add(timeout)
        .or_else(|| now.checked_add(Duration::from_secs(crate::MAX_TIMEOUT_SECONDS)))
        .unwrap_or(now);
    Deadline { at, timeout }
}

/// Reads stdout line by line into a bounded queue; a line is at most `max_line` bytes (the
/// newline not counted), so one line costs at most that much memory.
fn read_lines(stdout: impl Read, tx: &SyncSender<Line>, max_line: u64) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut buf = Vec::new();
        let line = match reader
            .by_ref()
            .take(max_line.saturating_add(1))
            .read_until(b'\n', &mut buf)
        {
            Ok(0) => Line::Eof,
            Ok(_) if buf.last() != Some(&b'\n') && buf.len() as u64 > max_line => Line::TooLong,
            Ok(_) => {
                while matches!(buf.last(), Some(b'\n' | b'\r')) {
                    buf.pop();
                }
                match String::from_utf8(buf) {
                    Ok(text) => Line::Text(text),
                    Err(e) => Line::NotUtf8(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                }
            }
            Err(e) => Line::Failed(e.to_string()),
        };
        let last = matches!(line, Line::Eof | Line::TooLong | Line::Failed(_));
        if tx.send(line).is_err() || last {
            return;
        }
    }
}

fn read_tail(mut stderr: impl Read, tail: &Mutex<Vec<u8>>, keep: usize) {
    let mut chunk = [0u8; 4096];
    loop {
        match stderr.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                let mut kept = tail.lock().unwrap_or_else(|p| p.into_inner());
                kept.extend_from_slice(&chunk[..n]);
                if kept.len() > keep {
                    let cut = kept.len() - keep;
                    kept.drain(..cut);
                }
            }
        }
    }
}
